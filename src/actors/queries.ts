import { cypher } from '../db';
import { NodeRow, relationQuery } from '../graph/entities';
import { ID_KEY, keysetStatements, nameKey, recordedKey } from '../graph/keyset';

/**
 * A KNOWN_AS / PART_OF link is in force until every claim asserting it is retracted (the
 * retraction sets `r.retractedAt`; see src/mutations REFRESH_CLAIM_LINKS).
 */
const LINK_IN_FORCE = 'r.retractedAt IS NULL';

export const ACTOR_ALIASES = relationQuery(
  'actorAliases',
  `(n)-[r:KNOWN_AS]->(m) WHERE ${LINK_IN_FORCE}`,
  'r.name',
  true,
);
export const ACTOR_AFFILIATIONS = relationQuery(
  'actorAffiliations',
  `(n)-[r:PART_OF]->(m:Actor) WHERE ${LINK_IN_FORCE}`,
  'm.name',
  true,
);
export const ACTOR_MEMBERS = relationQuery(
  'actorMembers',
  `(n)<-[r:PART_OF]-(m:Actor) WHERE ${LINK_IN_FORCE}`,
  'm.name',
  true,
);
export const ALIAS_ACTORS = relationQuery(
  'aliasActors',
  `(n)<-[r:KNOWN_AS]-(m:Actor) WHERE ${LINK_IN_FORCE}`,
  'm.name',
);
export const ACTOR_INCIDENTS = relationQuery(
  'actorIncidents',
  `(m:Incident) WHERE EXISTS { (n)<-[:SUSPECTS]-(:Hypothesis)-[:ABOUT]->(m) }
     OR EXISTS { (n)<-[:BY]-(:Claim)-[:SUPPORTS|DISPUTES]->(:Hypothesis)-[:ABOUT]->(m) }
     OR EXISTS { (n)<-[:INVOLVES]-(:Event)-[:IN]->(m) }`,
  'm.startedAt',
);

/**
 * The incidents an actor is involved in, each with every role (`rel.roles`): suspect, claimant,
 * rater, event participant, publisher of a source cited about the incident. Oldest incident first.
 */
export const ACTOR_INVOLVEMENTS = cypher<{
  id: string;
  items: (NodeRow & { rel: { roles: string[] } })[];
}>(
  'actorInvolvements',
  `UNWIND $ids AS id
   MATCH (n:Actor {id: id})
   CALL (n) {
     MATCH (n)<-[:SUSPECTS]-(:Hypothesis)-[:ABOUT]->(i:Incident) RETURN i, 'suspect' AS role
     UNION
     MATCH (n)<-[:BY]-(:Claim)-[:SUPPORTS|DISPUTES]->(:Hypothesis)-[:ABOUT]->(i:Incident) RETURN i, 'claimant' AS role
     UNION
     MATCH (n)<-[:BY]-(:Rating)-[:AGAINST]->(:Hypothesis)-[:ABOUT]->(i:Incident) RETURN i, 'rater' AS role
     UNION
     MATCH (n)<-[:INVOLVES]-(:Event)-[:IN]->(i:Incident) RETURN i, 'participant' AS role
     UNION
     MATCH (n)<-[:PUBLISHED_BY]-(:Source)<-[:CITES]-(i:Incident) RETURN i, 'publisher' AS role
     UNION
     MATCH (n)<-[:PUBLISHED_BY]-(:Source)<-[:CITES]-(:Claim)-[:SUPPORTS|DISPUTES]->(:Hypothesis)-[:ABOUT]->(i:Incident)
     RETURN i, 'publisher' AS role
     UNION
     MATCH (n)<-[:PUBLISHED_BY]-(:Source)<-[:CITES]-(:Evidence|Event)-[:OBSERVED_IN|IN]->(i:Incident)
     RETURN i, 'publisher' AS role
   }
   WITH id, i, collect(DISTINCT role) AS roles
   ORDER BY i.startedAt, i.id
   RETURN id, collect({labels: labels(i), props: properties(i), rel: {roles: roles}}) AS items`,
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
