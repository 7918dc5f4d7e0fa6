import { relationQuery } from '../graph/entities';
import { ID_KEY, keysetStatements, nameKey, recordedKey } from '../graph/keyset';

export const ACTOR_ALIASES = relationQuery('actorAliases', '(n)-[r:KNOWN_AS]->(m)', 'r.name', true);
export const ACTOR_AFFILIATIONS = relationQuery(
  'actorAffiliations',
  '(n)-[r:PART_OF]->(m:Actor)',
  'm.name',
  true,
);
export const ACTOR_MEMBERS = relationQuery(
  'actorMembers',
  '(n)<-[r:PART_OF]-(m:Actor)',
  'm.name',
  true,
);
export const ALIAS_ACTORS = relationQuery('aliasActors', '(n)<-[:KNOWN_AS]-(m:Actor)', 'm.name');
export const ACTOR_INCIDENTS = relationQuery(
  'actorIncidents',
  `(m:Incident) WHERE EXISTS { (n)<-[:SUSPECTS]-(:Hypothesis)-[:ABOUT]->(m) }
     OR EXISTS { (n)<-[:BY]-(:Claim)-[:SUPPORTS|DISPUTES]->(:Hypothesis)-[:ABOUT]->(m) }
     OR EXISTS { (n)<-[:INVOLVES]-(:Event)-[:IN]->(m) }`,
  'm.startedAt',
);

/** The actors matching an `ActorFilter`, bound as `x`. */
const ACTORS_MATCH = `MATCH (x:Actor)
   WHERE ($kinds IS NULL OR x.kind IN $kinds)
     AND ($countries IS NULL OR x.country IN $countries)
     AND ($unverified IS NULL OR coalesce(x.unverified, false) = $unverified)
     AND ($recordedAfter IS NULL OR x.createdAt > $recordedAfter)`;

/** The actor list, one statement per order. */
export const ACTORS_LIST = keysetStatements({
  name: 'actorsList',
  match: ACTORS_MATCH,
  orders: { NAME: nameKey('x.name'), ID: ID_KEY, RECORDED_AT: recordedKey() },
});
