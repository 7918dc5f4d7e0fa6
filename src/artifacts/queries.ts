import { cypher } from '../db';
import { relationQuery, type NodeRow } from '../graph/entities';
import { ID_KEY, dateKey, keysetStatements, nameKey, recordedKey } from '../graph/keyset';
import { TECHNICAL_LINK_TYPES } from '../model';

/**
 * The as-of rule of a materialised technical link `r`: it stands while one of its claims is on
 * record (`knownFrom <= $asOf`, every claim without `$asOf`) and not retracted by `$effective`
 * (the as-of day, or today).
 */
export const claimOnRecord = (r: string, c = 'c') =>
  `${c}.id IN ${r}.claims AND ($asOf IS NULL OR ${c}.knownFrom <= $asOf) AND (${c}.retractedAt IS NULL OR ${c}.retractedAt > $effective)`;

/** One edge of a technical link as the resolvers see it. */
export interface EdgeItem {
  node: NodeRow;
  relation: string;
  direction: 'OUTGOING' | 'INCOMING';
  claims: NodeRow[];
  sources: NodeRow[];
}

/**
 * The Cypher of a batched, as-of aware edge list: for each `$ids`, the nodes `m` reached over
 * `pattern` (from `(n)`, binding the relationship as `r`), each with the claims on record
 * asserting the link and their sources. Links with no claim on record are left out.
 */
export function edgeCypher(pattern: string): string {
  return `UNWIND $ids AS id
MATCH (n:Entity {id: id})
OPTIONAL MATCH ${pattern}
WITH id, n, r, m, COLLECT { MATCH (c:Claim) WHERE ${claimOnRecord('r')} RETURN c ORDER BY c.knownFrom, c.id } AS cs
WITH id, n, r, m, cs ORDER BY m.name, m.id
RETURN id, [x IN collect(CASE WHEN size(cs) > 0 THEN {
  node: {labels: labels(m), props: properties(m)},
  relation: type(r),
  direction: CASE WHEN startNode(r) = n THEN 'OUTGOING' ELSE 'INCOMING' END,
  claims: [c IN cs | {labels: labels(c), props: properties(c)}],
  sources: COLLECT { MATCH (c:Claim)-[:CITES]->(s:Source) WHERE c IN cs RETURN DISTINCT {labels: labels(s), props: properties(s)} AS s ORDER BY s.props.id }
} END) WHERE x IS NOT NULL] AS items`;
}

const edges = (name: string, pattern: string) =>
  cypher<{ id: string; items: EdgeItem[] }>(name, edgeCypher(pattern));

const TECHNICAL = TECHNICAL_LINK_TYPES.filter((t) => t !== 'OBSERVED_IN').join('|');

export const INCIDENT_ARTIFACTS = edges(
  'incidentArtifacts',
  '(n:Incident)<-[r:OBSERVED_IN]-(m:Artifact)',
);
export const ACTOR_ARTIFACTS = edges('actorArtifacts', '(n:Actor)-[r:USES]->(m:Artifact)');
export const ARTIFACT_USED_BY = edges('artifactUsedBy', '(n:Artifact)<-[r:USES]-(m:Actor)');
export const ARTIFACT_SEEN_IN = edges(
  'artifactSeenIn',
  '(n:Artifact)-[r:OBSERVED_IN]->(m:Incident)',
);
export const ARTIFACT_LINKS = edges('artifactLinks', `(n:Artifact)-[r:${TECHNICAL}]-(m:Entity)`);

export const ARTIFACT_SOURCES = relationQuery('artifactSources', '(n)-[:CITES]->(m:Source)');
export const ARTIFACT_EVIDENCE = relationQuery(
  'artifactEvidence',
  '(n)<-[:ABOUT]-(m:Evidence)',
  'm.tag',
);

/** The links along which a malware's or tool's own artifacts join a profile (one hop). */
const PROFILE_HOP = 'USES|COMMUNICATES_WITH|DROPS|VARIANT_OF|TARGETS';

/**
 * The technical profile of `x` (an incident: what was observed in it; an actor: what it uses),
 * as of `$asOf`, plus one hop from each malware or tool in it (what that malware uses,
 * contacts, drops...). Reads only technical links, never a claim of attribution.
 */
export const profileCypher = (x: string) => `COLLECT {
  CALL (${x}) {
    MATCH (${x}:Incident)<-[r:OBSERVED_IN]-(d:Artifact) WHERE EXISTS { MATCH (c:Claim) WHERE ${claimOnRecord('r')} } RETURN d
    UNION
    MATCH (${x}:Actor)-[r:USES]->(d:Artifact) WHERE EXISTS { MATCH (c:Claim) WHERE ${claimOnRecord('r')} } RETURN d
  }
  CALL (d) {
    RETURN d AS m
    UNION
    MATCH (d:Malware|Tool)-[r:${PROFILE_HOP}]->(m:Artifact) WHERE EXISTS { MATCH (c:Claim) WHERE ${claimOnRecord('r')} } RETURN m
  }
  RETURN DISTINCT m
}`;

/** A profile item as the analysis takes it, with the artifact's precomputed actor count. */
export interface ProfileRow {
  id: string;
  kind: string;
  name: string;
  df: number;
}
const PROFILE_ROWS = (v: string) =>
  `[m IN ${v} | {id: m.id, kind: [l IN labels(m) WHERE NOT l IN ['Entity', 'Artifact']][0], name: m.name, df: coalesce(m.actorCount, 0)}]`;

/** Both profiles of an overlap and the number of actors, in one statement. */
export const OVERLAP = cypher<{
  aLabels: string[] | null;
  bLabels: string[] | null;
  a: ProfileRow[];
  b: ProfileRow[];
  actors: number;
}>(
  'overlap',
  `OPTIONAL MATCH (a:Entity {id: $a})
OPTIONAL MATCH (b:Entity {id: $b})
OPTIONAL MATCH (s:ModelStat {id: 'artifact-users'})
WITH a, b, s, CASE WHEN a IS NULL THEN [] ELSE ${profileCypher('a')} END AS pa,
     CASE WHEN b IS NULL THEN [] ELSE ${profileCypher('b')} END AS pb
RETURN labels(a) AS aLabels, labels(b) AS bLabels, ${PROFILE_ROWS('pa')} AS a, ${PROFILE_ROWS('pb')} AS b,
       coalesce(s.actors, 0) AS actors`,
);

/**
 * An incident's profile and, for each actor that uses one of its artifacts (directly, or through
 * a malware or tool it uses), the artifacts it shares: found from the profile's artifacts through
 * their USES links (index-backed), never by scanning all actors.
 */
export const CANDIDATES = cypher<{
  labels: string[] | null;
  profile: ProfileRow[];
  actors: number;
  candidates: { actor: string; shared: string[] }[];
}>(
  'incidentCandidates',
  `OPTIONAL MATCH (i:Incident {id: $incident})
OPTIONAL MATCH (s:ModelStat {id: 'artifact-users'})
WITH i, s, CASE WHEN i IS NULL THEN [] ELSE ${profileCypher('i')} END AS profile
RETURN labels(i) AS labels, ${PROFILE_ROWS('profile')} AS profile, coalesce(s.actors, 0) AS actors,
  COLLECT {
    UNWIND profile AS m
    CALL (m) {
      MATCH (x:Actor)-[r:USES]->(m) WHERE EXISTS { MATCH (c:Claim) WHERE ${claimOnRecord('r')} } RETURN x
      UNION
      MATCH (x:Actor)-[r:USES]->(:Malware|Tool)-[r2:${PROFILE_HOP}]->(m)
      WHERE EXISTS { MATCH (c:Claim) WHERE ${claimOnRecord('r')} }
        AND EXISTS { MATCH (c:Claim) WHERE ${claimOnRecord('r2')} }
      RETURN x
    }
    WITH x, collect(DISTINCT m.id) AS shared
    RETURN {actor: x.id, shared: shared}
  } AS candidates`,
);

/** A materialised link `r` stands today: one of its claims is not retracted. */
const STANDING = `EXISTS { MATCH (c:Claim) WHERE c.id IN r.claims AND c.retractedAt IS NULL }`;

/** The artifacts matching an `ArtifactFilter`, bound as `x`. */
const ARTIFACTS_MATCH = `MATCH (x:Artifact)
   WHERE ($stixTypes IS NULL OR x.stixType IN $stixTypes)
     AND ($externalIds IS NULL OR any(e IN coalesce(x.externalIds, []) WHERE e IN $externalIds))
     AND ($incidents IS NULL OR EXISTS {
       (x)-[r:OBSERVED_IN]->(i:Incident) WHERE i.id IN $incidents AND ${STANDING} })
     AND ($usedBy IS NULL OR EXISTS {
       (a:Actor)-[r:USES]->(x) WHERE a.id IN $usedBy AND ${STANDING} })
     AND ($recordedAfter IS NULL OR x.createdAt > $recordedAfter)`;

/** The artifact list (`Query.artifacts`), one statement per order. */
export const ARTIFACTS_LIST = keysetStatements({
  name: 'artifactsList',
  match: ARTIFACTS_MATCH,
  orders: {
    NAME: nameKey('x.name'),
    FIRST_REPORTED_AT: dateKey('x.firstReportedAt'),
    ID: ID_KEY,
    RECORDED_AT: recordedKey(),
  },
});
