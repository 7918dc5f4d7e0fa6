import { relationQuery } from '../graph/entities';

export const SOURCE_PUBLISHER = relationQuery('sourcePublisher', '(n)-[:PUBLISHED_BY]->(m:Actor)');
export const SOURCE_RELAYS = relationQuery('sourceRelays', '(n)-[:RELAYS]->(m:Actor)');
export const SOURCE_CARRIES = relationQuery('sourceCarries', '(n)-[:CARRIES]->(m:Source)');
export const EVIDENCE_SOURCES = relationQuery(
  'evidenceSources',
  '(n)-[:CITES]->(m:Source)',
  'm.publishedAt, m.id',
);
export const EVIDENCE_RATINGS = relationQuery(
  'evidenceRatings',
  '(n)<-[:RATES]-(m:Rating)',
  'm.knownFrom, m.id',
);
export const RATING_HYPOTHESIS = relationQuery(
  'ratingHypothesis',
  '(n)-[:AGAINST]->(m:Hypothesis)',
);
export const RATING_RATER = relationQuery('ratingRater', '(n)-[:BY]->(m:Actor)');
export const RATING_SOURCES = relationQuery(
  'ratingSources',
  '(n)-[:CITES]->(m:Source)',
  'm.publishedAt, m.id',
);
