import { cypher } from '../db';

/** Every node of the record (the `:Entity` nodes: never API keys, audit entries or secrets). */
export const BULK_NODES = cypher<{ labels: string[]; props: Record<string, unknown> }>(
  'bulkNodes',
  `MATCH (n:Entity)
   RETURN [l IN labels(n) WHERE l <> 'Entity'] AS labels, properties(n) AS props
   ORDER BY n.id`,
);

/** Every relationship between nodes of the record. */
export const BULK_RELATIONSHIPS = cypher<{
  type: string;
  from: string;
  to: string;
  props: Record<string, unknown>;
}>(
  'bulkRelationships',
  `MATCH (a:Entity)-[r]->(b:Entity)
   RETURN type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props
   ORDER BY a.id, type, b.id`,
);

/** Every claim with who, on what, when and where reported: one CSV row each. */
export const BULK_CLAIMS = cypher<{
  c: Record<string, unknown>;
  claimant: string | null;
  hypothesis: string | null;
  incident: string | null;
  sources: string[];
}>(
  'bulkClaims',
  `MATCH (c:Claim)
   OPTIONAL MATCH (c)-[:BY]->(a:Actor)
   OPTIONAL MATCH (c)-[:SUPPORTS|DISPUTES]->(h:Hypothesis)-[:ABOUT]->(i:Incident)
   RETURN properties(c) AS c, a.id AS claimant, h.id AS hypothesis, i.id AS incident,
     COLLECT { MATCH (c)-[:CITES]->(s:Source) RETURN s.id ORDER BY s.id } AS sources
   ORDER BY c.statedAt, c.id`,
);
