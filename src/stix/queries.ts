import { cypher } from '../db';
import { LABELS, PLAIN_REL_TYPES, type Label, type PlainRelType } from '../model';

type Props = Record<string, unknown>;

// ----------------------------------------------------------------------------- export (reads)

/** Incidents to export: one, or all when `$incident` is null. */
export const EXPORT_INCIDENTS = cypher<{ i: Props; sources: string[] }>(
  'stixExportIncidents',
  `MATCH (i:Incident) WHERE $incident IS NULL OR i.id = $incident
   OPTIONAL MATCH (i)-[:CITES]->(s:Source)
   WITH i, s ORDER BY s.id
   RETURN i {.*} AS i, collect(s.id) AS sources
   ORDER BY i.id`,
);

/** Hypotheses of the incidents, with their suspects and the earliest date any claim names them. */
export const EXPORT_HYPOTHESES = cypher<{
  h: Props;
  incident: string;
  suspects: string[];
  firstStated: unknown;
}>(
  'stixExportHypotheses',
  `MATCH (h:Hypothesis)-[:ABOUT]->(i:Incident) WHERE i.id IN $incidents
   OPTIONAL MATCH (h)-[:SUSPECTS]->(a:Actor)
   WITH h, i, a ORDER BY a.id
   WITH h, i, collect(a.id) AS suspects
   OPTIONAL MATCH (c:Claim)-[:SUPPORTS|DISPUTES]->(h)
   RETURN h {.*} AS h, i.id AS incident, suspects, min(c.statedAt) AS firstStated
   ORDER BY h.id`,
);

/** Claims supporting or disputing the hypotheses, with claimant and cited sources. */
export const EXPORT_CLAIMS = cypher<{
  c: Props;
  stance: string;
  hypothesis: string;
  claimant: string | null;
  sources: string[];
}>(
  'stixExportClaims',
  `MATCH (c:Claim)-[s:SUPPORTS|DISPUTES]->(h:Hypothesis) WHERE h.id IN $hypotheses
   OPTIONAL MATCH (c)-[:BY]->(by:Actor)
   OPTIONAL MATCH (c)-[:CITES]->(src:Source)
   WITH c, s, h, by, src ORDER BY src.id
   RETURN c {.*} AS c, CASE type(s) WHEN 'SUPPORTS' THEN 'supports' ELSE 'disputes' END AS stance,
          h.id AS hypothesis, by.id AS claimant, collect(src.id) AS sources
   ORDER BY c.id, h.id`,
);

/** Alias claims about the given actors: who gives which name, when, citing what. */
export const EXPORT_ALIAS_CLAIMS = cypher<{
  c: Props;
  actor: string;
  claimant: string | null;
  sources: string[];
}>(
  'stixExportAliasClaims',
  `MATCH (c:Claim {stance: 'asserts-alias'})-[:SUBJECT]->(a:Actor) WHERE a.id IN $actors
   OPTIONAL MATCH (c)-[:BY]->(by:Actor)
   OPTIONAL MATCH (c)-[:CITES]->(src:Source)
   WITH c, a, by, src ORDER BY src.id
   RETURN c {.*} AS c, a.id AS actor, by.id AS claimant, collect(src.id) AS sources
   ORDER BY c.id`,
);

/** Sources by id, with their publisher. */
export const EXPORT_SOURCES = cypher<{ s: Props; publisher: string | null }>(
  'stixExportSources',
  `MATCH (s:Source) WHERE s.id IN $ids
   OPTIONAL MATCH (s)-[:PUBLISHED_BY]->(p:Actor)
   RETURN s {.*} AS s, p.id AS publisher
   ORDER BY s.id`,
);

/** Actors by id, and whether any alias claim names them. */
export const EXPORT_ACTORS = cypher<{ a: Props; hasAliases: boolean }>(
  'stixExportActors',
  `MATCH (a:Actor) WHERE a.id IN $ids
   RETURN a {.*} AS a, EXISTS { (a)-[:KNOWN_AS]->() } AS hasAliases
   ORDER BY a.id`,
);

// ----------------------------------------------------------------------------- import (writes)

/** Which of the ids exist already, and whether each came from STIX (stixModified) or is native. */
export const IMPORT_EXISTING = cypher<{ id: string; stixModified: string | null }>(
  'stixImportExisting',
  `UNWIND $ids AS id
   MATCH (n:Entity {id: id})
   RETURN n.id AS id, n.stixModified AS stixModified`,
);

/** Actors whose name is exactly one of `$names` (index-backed), for alias targets. */
export const IMPORT_ACTORS_BY_NAME = cypher<{ name: string; id: string; native: boolean }>(
  'stixImportActorsByName',
  `UNWIND $names AS name
   MATCH (a:Actor {name: name})
   RETURN name, a.id AS id, a.stixModified IS NULL AS native
   ORDER BY native DESC, id`,
);

/**
 * Upserts nodes of one label (`row` is the node's properties). A new node gets them; a node from an earlier STIX import is
 * replaced only by a newer version (`stixModified`); a native node (seed, API) is never touched.
 */
export const IMPORT_UPSERT_NODES = Object.fromEntries(
  LABELS.map((label) => [
    label,
    cypher(
      `stixImportUpsert${label}`,
      `UNWIND $rows AS row
       OPTIONAL MATCH (old:Entity {id: row.id})
       WITH row, old
       WHERE old IS NULL OR (old.stixModified IS NOT NULL AND old.stixModified < row.stixModified)
       MERGE (n:Entity:${label} {id: row.id})
       SET n = row`,
    ),
  ]),
) as Record<Label, ReturnType<typeof cypher>>;

/** Merges plain relationships between existing nodes (no properties). */
export const IMPORT_MERGE_RELS = Object.fromEntries(
  PLAIN_REL_TYPES.map((type) => [
    type,
    cypher(
      `stixImportMerge${type}`,
      `UNWIND $rows AS row
       MATCH (a:Entity {id: row.from})
       MATCH (b:Entity {id: row.to})
       MERGE (a)-[:${type}]->(b)`,
    ),
  ]),
) as Record<PlainRelType, ReturnType<typeof cypher>>;
