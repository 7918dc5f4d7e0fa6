import { cypher, Query } from '../db';
import {
  CLAIM_LINK_TYPES,
  LABELS,
  PLAIN_REL_TYPES,
  nodeLabels,
  type ClaimLinkType,
  type Label,
  type PlainRelType,
} from '../model';
import type { NodeRow } from '../graph/entities';

/** Labels the mutations create and relationship types they link (from the registry, never from input). */
export type NodeLabel = Label;
export type LinkType = PlainRelType;

/** One entity per reference, with its labels (null when no entity has that id). */
export const CHECK_REFS = cypher<{
  field: string;
  id: string;
  labels: string[] | null;
  name: string | null;
}>(
  'mutationCheckRefs',
  `UNWIND $refs AS ref
   OPTIONAL MATCH (n:Entity {id: ref.id})
   RETURN ref.field AS field, ref.id AS id,
          CASE WHEN n IS NULL THEN null ELSE labels(n) END AS labels, n.name AS name`,
);

/** The incident each hypothesis or item of evidence is about. */
export const INCIDENT_OF = cypher<{ id: string; incident: string | null }>(
  'mutationIncidentOf',
  `UNWIND $ids AS id
   MATCH (n:Entity {id: id})
   OPTIONAL MATCH (n)-[:ABOUT|OBSERVED_IN]->(i:Incident)
   RETURN id, i.id AS incident`,
);

/** Tags already used by an incident's hypotheses or evidence (to number a new one). */
export const INCIDENT_TAGS = cypher<{ tags: string[] }>(
  'mutationIncidentTags',
  `MATCH (i:Incident {id: $incident})
   RETURN COLLECT { MATCH (i)<-[:ABOUT|OBSERVED_IN]-(x) WHERE $label IN labels(x) RETURN x.tag } AS tags`,
);

export const CREATE_NODE = Object.fromEntries(
  LABELS.map((label) => [
    label,
    cypher<{ node: NodeRow }>(
      `mutationCreate${label}`,
      `CREATE (n:${nodeLabels(label)}) SET n = $props
       RETURN {labels: labels(n), props: properties(n)} AS node`,
    ),
  ]),
) as Record<NodeLabel, Query<{ node: NodeRow }>>;

export const CREATE_LINKS = Object.fromEntries(
  PLAIN_REL_TYPES.map((type) => [
    type,
    cypher<{ n: number }>(
      `mutationLink${type}`,
      `UNWIND $rows AS row
       MATCH (a:Entity {id: row.from})
       MATCH (b:Entity {id: row.to})
       CREATE (a)-[r:${type}]->(b) SET r = row.props
       RETURN count(r) AS n`,
    ),
  ]),
) as Record<LinkType, Query<{ n: number }>>;

/** The node of an alias name, shared by every claim asserting that name. */
export const MERGE_ALIAS = cypher<{ id: string }>(
  'mutationMergeAlias',
  `MERGE (n:Entity:Alias {id: $id})
   ON CREATE SET n.name = $name, n += $prov
   RETURN n.id AS id`,
);

/**
 * Locks an entity for this transaction (a no-op write takes its write lock) and reads it, so a
 * concurrent retraction or correction of the same node waits and then sees the committed state.
 */
export const LOCK_ENTITY = cypher<{ labels: string[]; props: Record<string, unknown> }>(
  'mutationLockEntity',
  `MATCH (n:Entity {id: $id})
   SET n._lock = true REMOVE n._lock
   RETURN labels(n) AS labels, properties(n) AS props`,
);

/** Locks a claim (as LOCK_ENTITY) and reads it with its claimant, for the retraction rules. */
export const LOCK_CLAIM = cypher<{
  labels: string[];
  props: Record<string, unknown>;
  claimant: string | null;
}>(
  'mutationLockClaim',
  `MATCH (n:Entity {id: $id})
   SET n._lock = true REMOVE n._lock
   RETURN labels(n) AS labels, properties(n) AS props,
          COLLECT { MATCH (n)-[:BY]->(a:Actor) RETURN a.id }[0] AS claimant`,
);

export const RETRACT_CLAIM = cypher<{ node: NodeRow }>(
  'mutationRetractClaim',
  `MATCH (c:Claim {id: $id})
   SET c += $props
   RETURN {labels: labels(c), props: properties(c)} AS node`,
);

/** Undoes a retraction (the audit entry keeps what it was) and records who reinstated and why. */
export const REINSTATE_CLAIM = cypher<{ node: NodeRow }>(
  'mutationReinstateClaim',
  `MATCH (c:Claim {id: $id})
   REMOVE c.retractedAt, c.retractedAtPrecision, c.retractionReason, c.retractedBy,
          c.retractedByName, c.retractionRecordedAt
   SET c += $props
   RETURN {labels: labels(c), props: properties(c)} AS node`,
);

/**
 * Re-derives the links a claim materialises (KNOWN_AS, PART_OF and the technical links, every
 * claim-link type of the registry): a link whose every claim is retracted is retracted too, from
 * the day the last of them was (views hide it from then on, and replays as of a later day do not
 * follow it); a link with a claim in force is live. Found from the claim's OBJECT (the link's far
 * end), never by scanning relationships. Returns each link's type and ends: the mutation touches
 * the ends (a member's dependency group changes with its PART_OF links, so the incidents it
 * speaks in get a new revision), and a USES link refreshes the specificity counts.
 */
export const REFRESH_CLAIM_LINKS = cypher<{ type: ClaimLinkType; from: string; to: string }>(
  'mutationRefreshClaimLinks',
  `MATCH (:Claim {id: $claim})-[:OBJECT]->(b:Entity)
   MATCH (b)<-[r:${CLAIM_LINK_TYPES.join('|')}]-(a:Entity)
   WHERE $claim IN r.claims
   CALL (r) {
     MATCH (c:Claim) WHERE c.id IN r.claims
     RETURN count(c) AS total, count(c.retractedAt) AS retracted, max(c.retractedAt) AS last
   }
   SET r.retractedAt = CASE WHEN total > 0 AND retracted = total THEN last ELSE null END
   RETURN type(r) AS type, a.id AS from, b.id AS to`,
);

/** Text fields an admin may correct, per label (typo fixes only; see correctText). */
export const CORRECTABLE: Record<string, readonly string[]> = {
  Incident: ['name', 'summary', 'kind'],
  Actor: ['name', 'description'],
  Hypothesis: ['statement'],
  Claim: ['text', 'retractionReason'],
  Evidence: ['title', 'description', 'credibilityReason'],
  Rating: ['rationale'],
  Source: ['title', 'reliabilityReason'],
  Event: ['title', 'description'],
};

/** Every correctable field (the values of the GraphQL enum `TextField`). */
export const CORRECTABLE_FIELDS = [...new Set(Object.values(CORRECTABLE).flat())];

/** One statement per correctable field (property names are fixed here, never from input). */
export const CORRECT_FIELD = Object.fromEntries(
  CORRECTABLE_FIELDS.map((field) => [
    field,
    cypher<{ node: NodeRow }>(
      `mutationCorrect_${field}`,
      `MATCH (n:Entity {id: $id})
       SET n.${field} = $value, n.correctedAt = $now, n.correctedBy = $by,
           n.correctedFields = [f IN coalesce(n.correctedFields, []) WHERE f <> '${field}'] + '${field}'
       RETURN {labels: labels(n), props: properties(n)} AS node`,
    ),
  ]),
) as Record<string, Query<{ node: NodeRow }>>;

export const CREATE_OPINION = cypher<{ node: NodeRow }>(
  'mutationCreateOpinion',
  `MATCH (h:Hypothesis {id: $hypothesis})
   CREATE (o:Entity:Opinion)-[on:ON]->(h)
   SET o = $props, on = $rel
   WITH o
   CALL (o) {
     MATCH (a:Actor {id: $analyst})
     CREATE (o)-[by:BY]->(a)
     SET by = $rel
   }
   RETURN {labels: labels(o), props: properties(o)} AS node`,
);

/** Opinions on each hypothesis, oldest first (a batched relation for the loaders). */
export const HYPOTHESIS_OPINIONS = cypher<{
  id: string;
  items: (NodeRow & { rel?: Record<string, unknown> })[];
}>(
  'hypothesisOpinions',
  `UNWIND $ids AS id
   OPTIONAL MATCH (o:Opinion)-[:ON]->(:Hypothesis {id: id})
   WITH id, o ORDER BY o.createdAt, o.id
   RETURN id, [x IN collect({labels: labels(o), props: properties(o)}) WHERE x.props IS NOT NULL] AS items`,
);

export const APPEND_AUDIT = cypher('auditAppend', `CREATE (a:AuditEntry) SET a = $props`);
