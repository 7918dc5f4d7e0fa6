import { relationQuery } from '../graph/entities';
import { ID_KEY, dateKey, keysetStatements, recordedKey } from '../graph/keyset';

export const SOURCE_PUBLISHER = relationQuery('sourcePublisher', '(n)-[:PUBLISHED_BY]->(m:Actor)');
export const SOURCE_RELAYS = relationQuery('sourceRelays', '(n)-[:RELAYS]->(m:Actor)');
export const SOURCE_CARRIES = relationQuery('sourceCarries', '(n)-[:CARRIES]->(m:Source)');
export const SOURCE_EVIDENCE = relationQuery(
  'sourceEvidence',
  '(n)<-[:CITES]-(m:Evidence)',
  'm.tag, m.id',
);

/** The sources matching a `SourceFilter`, bound as `x`. */
const SOURCES_MATCH = `MATCH (x:Source)
   WHERE ($publishers IS NULL OR EXISTS { (x)-[:PUBLISHED_BY]->(p:Actor) WHERE p.id IN $publishers })
     AND ($reliabilities IS NULL OR x.reliability IN $reliabilities)
     AND ($publishedFrom IS NULL OR x.publishedAt >= $publishedFrom)
     AND ($publishedTo IS NULL OR x.knownFrom <= $publishedTo)
     AND ($recordedAfter IS NULL OR x.createdAt > $recordedAfter)`;

/** The source list, one statement per order. */
export const SOURCES_LIST = keysetStatements({
  name: 'sourcesList',
  match: SOURCES_MATCH,
  orders: { PUBLISHED_AT: dateKey('x.publishedAt'), ID: ID_KEY, RECORDED_AT: recordedKey() },
});
