import { cypher } from '../db';

/**
 * The paths from a node to the incidents whose answers read it, one UNION branch per way a node
 * enters an incident's hypotheses bundle (src/hypotheses/queries.ts): the incident itself, its
 * hypotheses, evidence and events, the claims and ratings on those hypotheses, what those claims and
 * ratings reach (claimant, rater, evidence, cited sources), the suspects and sponsors, the
 * organisations above a claimant (its dependency group), and the publisher of a cited source. When the bundle starts reading a new relationship, add its reverse path here.
 */
const AFFECTED = `
  MATCH (n:Incident) RETURN n AS i
  UNION
  MATCH (n:Hypothesis|Evidence|Event)-[:ABOUT|OBSERVED_IN|IN]->(i:Incident) RETURN i
  UNION
  MATCH (n:Claim|Rating)-[:SUPPORTS|DISPUTES|AGAINST]->(:Hypothesis)-[:ABOUT]->(i:Incident) RETURN i
  UNION
  MATCH (n:Actor)<-[:SUSPECTS|SPONSORED_BY]-(:Hypothesis)-[:ABOUT]->(i:Incident) RETURN i
  UNION
  MATCH (n:Actor)<-[:PART_OF*1..4]-(:Actor)<-[:BY]-(:Claim|Rating)-[:SUPPORTS|DISPUTES|AGAINST]->(:Hypothesis)-[:ABOUT]->(i:Incident) RETURN i
  UNION
  MATCH (n:Actor|Evidence|Source)<-[:BY|RATES|BASED_ON|CITES]-(:Claim|Rating)-[:SUPPORTS|DISPUTES|AGAINST]->(:Hypothesis)-[:ABOUT]->(i:Incident) RETURN i
  UNION
  MATCH (n:Source)<-[:CITES]-(:Evidence)<-[:RATES]-(:Rating)-[:AGAINST]->(:Hypothesis)-[:ABOUT]->(i:Incident) RETURN i
  UNION
  MATCH (n:Actor)<-[:PUBLISHED_BY]-(:Source)<-[:CITES]-(:Claim|Rating)-[:SUPPORTS|DISPUTES|AGAINST]->(:Hypothesis)-[:ABOUT]->(i:Incident) RETURN i
  UNION
  MATCH (n:Actor)<-[:PUBLISHED_BY]-(:Source)<-[:CITES]-(:Evidence)<-[:RATES]-(:Rating)-[:AGAINST]->(:Hypothesis)-[:ABOUT]->(i:Incident) RETURN i`;

/** Bumps (creating at 1) the revision node of each incident; ids sorted so bumps lock in one order. */
const BUMP = `
  WITH DISTINCT incident ORDER BY incident
  MERGE (r:Revision {incident: incident})
  SET r.value = coalesce(r.value, 0) + 1, r.at = datetime()
  RETURN r.incident AS incident, r.value AS revision`;

/** Bumps the revision of every incident whose answers read one of `$ids` (any entity ids). */
export const BUMP_AFFECTED = cypher<{ incident: string; revision: number }>(
  'bumpAffectedRevisions',
  `UNWIND $ids AS id
   MATCH (n:Entity {id: id})
   CALL (n) {${AFFECTED}
   }
   WITH i.id AS incident${BUMP}`,
);

/** Bumps the revisions of the incidents `$incidents` (ids) directly. */
export const BUMP_INCIDENTS = cypher<{ incident: string; revision: number }>(
  'bumpIncidentRevisions',
  `UNWIND $incidents AS incident${BUMP}`,
);

/** The current revision of each incident asked for (0 for one never written since revisions exist). */
export const REVISIONS = cypher<{ incident: string; revision: number }>(
  'incidentRevisions',
  `UNWIND $incidents AS incident
   OPTIONAL MATCH (r:Revision {incident: incident})
   RETURN incident, coalesce(r.value, 0) AS revision`,
);
