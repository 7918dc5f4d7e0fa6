import { cypher } from '../db';
import { NodeRow, relationQuery } from '../graph/entities';

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

export const ACTOR_CLAIMS_PAGE = cypher<{ claims: NodeRow[]; total: number }>(
  'actorClaimsPage',
  `MATCH (c:Claim)-[:BY]->(:Actor {id: $actor})
   WITH c ORDER BY c.statedAt IS NULL, c.statedAt, c.id
   WITH collect({labels: labels(c), props: properties(c)}) AS everything
   RETURN everything[$skip..$skip + $limit] AS claims, size(everything) AS total`,
);
