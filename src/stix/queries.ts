import { cypher } from '../db';
import { LINK_TYPES, type LinkType } from './context';

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
  sponsor: string | null;
}>(
  'stixExportHypotheses',
  `MATCH (h:Hypothesis)-[:ABOUT]->(i:Incident) WHERE i.id IN $incidents
   OPTIONAL MATCH (h)-[:SUSPECTS]->(a:Actor)
   WITH h, i, a ORDER BY a.id
   WITH h, i, collect(a.id) AS suspects
   OPTIONAL MATCH (c:Claim)-[:SUPPORTS|DISPUTES]->(h)
   RETURN h {.*} AS h, i.id AS incident, suspects, min(c.statedAt) AS firstStated,
          COLLECT { MATCH (h)-[:SPONSORED_BY]->(s:Actor) RETURN s.id ORDER BY s.id }[0] AS sponsor
   ORDER BY h.id`,
);

/** Claims supporting or disputing the hypotheses, with claimant and cited sources. */
export const EXPORT_CLAIMS = cypher<{
  c: Props;
  stance: string;
  hypothesis: string;
  claimant: string | null;
  sources: string[];
  evidence: string[];
}>(
  'stixExportClaims',
  `MATCH (c:Claim)-[s:SUPPORTS|DISPUTES]->(h:Hypothesis) WHERE h.id IN $hypotheses
   OPTIONAL MATCH (c)-[:BY]->(by:Actor)
   OPTIONAL MATCH (c)-[:CITES]->(src:Source)
   WITH c, s, h, by, src ORDER BY src.id
   RETURN c {.*} AS c, CASE type(s) WHEN 'SUPPORTS' THEN 'supports' ELSE 'disputes' END AS stance,
          h.id AS hypothesis, by.id AS claimant, collect(src.id) AS sources,
          COLLECT { MATCH (c)-[:BASED_ON]->(e:Evidence) RETURN e.id ORDER BY e.id } AS evidence
   ORDER BY c.id, h.id`,
);

/** Affiliation claims (PART_OF) whose member is one of the actors: organisation, claimant, sources. */
export const EXPORT_AFFILIATION_CLAIMS = cypher<{
  c: Props;
  actor: string;
  organisation: string;
  claimant: string | null;
  sources: string[];
}>(
  'stixExportAffiliationClaims',
  `MATCH (c:Claim {stance: 'asserts-affiliation'})-[:SUBJECT]->(a:Actor) WHERE a.id IN $actors
   MATCH (c)-[:OBJECT]->(o:Actor)
   RETURN c {.*} AS c, a.id AS actor, o.id AS organisation,
          COLLECT { MATCH (c)-[:BY]->(by:Actor) RETURN by.id }[0] AS claimant,
          COLLECT { MATCH (c)-[:CITES]->(src:Source) RETURN src.id ORDER BY src.id } AS sources
   ORDER BY c.id`,
);

/** Items of evidence observed in the incidents, with their sources and every rating of them. */
export const EXPORT_EVIDENCE = cypher<{
  e: Props;
  incident: string;
  sources: string[];
  about: string[];
  ratings: { r: Props; hypothesis: string; rater: string | null; sources: string[] }[];
}>(
  'stixExportEvidence',
  `MATCH (e:Evidence)-[:OBSERVED_IN]->(i:Incident) WHERE i.id IN $incidents
   RETURN e {.*} AS e, i.id AS incident,
          COLLECT { MATCH (e)-[:CITES]->(s:Source) RETURN s.id ORDER BY s.id } AS sources,
          COLLECT { MATCH (e)-[:ABOUT]->(a:Artifact) RETURN a.id ORDER BY a.id } AS about,
          COLLECT {
            MATCH (r:Rating)-[:RATES]->(e)
            MATCH (r)-[:AGAINST]->(h:Hypothesis)
            RETURN {r: r {.*}, hypothesis: h.id,
                    rater: COLLECT { MATCH (r)-[:BY]->(a:Actor) RETURN a.id }[0],
                    sources: COLLECT { MATCH (r)-[:CITES]->(s:Source) RETURN s.id ORDER BY s.id }} AS row
            ORDER BY r.id
          } AS ratings
   ORDER BY e.id`,
);

/** Timeline events of the incidents, with their sources and participants (roles). */
export const EXPORT_EVENTS = cypher<{
  ev: Props;
  incident: string;
  sources: string[];
  participants: { actor: string; roles: string[] }[];
}>(
  'stixExportEvents',
  `MATCH (ev:Event)-[:IN]->(i:Incident) WHERE i.id IN $incidents
   RETURN ev {.*} AS ev, i.id AS incident,
          COLLECT { MATCH (ev)-[:CITES]->(s:Source) RETURN s.id ORDER BY s.id } AS sources,
          COLLECT { MATCH (ev)-[x:INVOLVES]->(a:Actor) RETURN {actor: a.id, roles: x.roles} AS p ORDER BY a.id } AS participants
   ORDER BY ev.id`,
);

/** Links between artifacts the technical profile follows (and `related-to` gives back). */
const ARTIFACT_LINKS = 'USES|COMMUNICATES_WITH|DROPS|VARIANT_OF|TARGETS|INDICATES|RESOLVES_TO';

/**
 * The technical record an export carries: the artifacts observed in the incidents, used by the
 * given actors (the suspects) or named by the items of evidence, each with the artifacts one
 * technical link away (either direction); and every actor using one of them (so that each
 * artifact's specificity count, and the incidents' candidates, come back the same).
 */
export const EXPORT_TECHNICAL_SCOPE = cypher<{ artifacts: string[]; users: string[] }>(
  'stixExportTechnicalScope',
  `CALL () {
     CALL () {
       MATCH (d:Artifact)-[:OBSERVED_IN]->(i:Incident) WHERE i.id IN $incidents RETURN d
       UNION
       MATCH (x:Actor)-[:USES]->(d:Artifact) WHERE x.id IN $actors RETURN d
       UNION
       MATCH (e:Evidence)-[:ABOUT]->(d:Artifact) WHERE e.id IN $evidence RETURN d
     }
     CALL (d) {
       RETURN d AS m
       UNION
       MATCH (d)-[:${ARTIFACT_LINKS}]-(m:Artifact) RETURN m
     }
     RETURN collect(DISTINCT m) AS ms
   }
   RETURN [m IN ms | m.id] AS artifacts,
          COLLECT { UNWIND ms AS m MATCH (x:Actor)-[:USES]->(m) RETURN DISTINCT x.id AS x ORDER BY x } AS users`,
);

/** Artifacts by id, with the sources describing them. */
export const EXPORT_ARTIFACTS = cypher<{ a: Props; sources: string[] }>(
  'stixExportArtifacts',
  `MATCH (a:Artifact) WHERE a.id IN $ids
   RETURN a {.*} AS a,
          COLLECT { MATCH (a)-[:CITES]->(s:Source) RETURN s.id ORDER BY s.id } AS sources
   ORDER BY a.id`,
);

/**
 * Technical-link claims (stance asserts-link) whose both ends are among `$ids`: the link, its
 * ends (with what they are), the claimant and the cited sources.
 */
export const EXPORT_TECHNICAL_CLAIMS = cypher<{
  c: Props;
  from: string;
  fromLabels: string[];
  to: string;
  toLabels: string[];
  claimant: string | null;
  sources: string[];
}>(
  'stixExportTechnicalClaims',
  `MATCH (c:Claim {stance: 'asserts-link'})-[:SUBJECT]->(f:Entity) WHERE f.id IN $ids
   MATCH (c)-[:OBJECT]->(t:Entity) WHERE t.id IN $ids
   RETURN c {.*} AS c, f.id AS from, labels(f) AS fromLabels, t.id AS to, labels(t) AS toLabels,
          COLLECT { MATCH (c)-[:BY]->(by:Actor) RETURN by.id }[0] AS claimant,
          COLLECT { MATCH (c)-[:CITES]->(s:Source) RETURN s.id ORDER BY s.id } AS sources
   ORDER BY c.id`,
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
export const EXPORT_SOURCES = cypher<{
  s: Props;
  publisher: string | null;
  relays: string | null;
  carries: string | null;
}>(
  'stixExportSources',
  `MATCH (s:Source) WHERE s.id IN $ids
   RETURN s {.*} AS s,
          COLLECT { MATCH (s)-[:PUBLISHED_BY]->(p:Actor) RETURN p.id ORDER BY p.id }[0] AS publisher,
          COLLECT { MATCH (s)-[:RELAYS]->(o:Actor) RETURN o.id ORDER BY o.id }[0] AS relays,
          COLLECT { MATCH (s)-[:CARRIES]->(o:Source) RETURN o.id ORDER BY o.id }[0] AS carries
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

/** Nodes of earlier imports by STIX id (references an import makes to objects it does not carry). */
export const IMPORT_BY_STIX_ID = cypher<{ stixId: string; id: string }>(
  'stixImportByStixId',
  `UNWIND $ids AS sid
   MATCH (n:Entity {stixId: sid}) WHERE n.stixModified IS NOT NULL
   RETURN sid AS stixId, n.id AS id`,
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
 * A new node per row (the importer checked that none of the ids exists), with the labels of its
 * kind (`row.labels`, from the registry's `labelList`) and its properties (`row.props`),
 * stamped with the import's provenance `$stamp` (one parameter for the batch, not a copy per
 * row). ONE statement for every label (dynamic labels, Neo4j 5.26): a batch is one planned
 * statement instead of one per label present in it.
 */
export const IMPORT_CREATE_NODES = cypher(
  'stixImportCreateNodes',
  `UNWIND $rows AS row
   CREATE (n:$(row.labels))
   SET n = row.props, n += $stamp`,
);

/** Properties the API owns on any node: an import never erases or changes them. */
export const API_OWNED = [
  'retractedAt',
  'retractedBy',
  'retractionReason',
  'retractionRecordedAt',
  'correctedAt',
  'correctedBy',
  'createdBy',
  'createdByName',
  'createdAt',
  'importId',
  'importFile',
  'importSha256',
  'importedBy',
  'importedAt',
] as const;
/** Text fields an admin may correct: once corrected (correctedAt), an import keeps them. */
export const CORRECTED_FIELDS = [
  'name',
  'summary',
  'kind',
  'description',
  'statement',
  'text',
  'title',
  'reliabilityReason',
] as const;

/**
 * A newer version of a node an earlier import created: its STIX-owned properties are replaced,
 * the API-owned ones (retraction, correction, provenance of the first import) are kept, and the
 * fields an admin corrected stay corrected. A native node (no stixModified) is never matched.
 * `$stamp`: the provenance of this import (kept only where the node has none).
 */
export const IMPORT_UPDATE_NODES = cypher(
  'stixImportUpdate',
  `UNWIND $rows AS row
   MATCH (n:Entity {id: row.id})
   WHERE n.stixModified IS NOT NULL AND n.stixModified < row.stixModified
   WITH n, row, n {${API_OWNED.map((k) => '.' + k).join(', ')}} AS kept,
        CASE WHEN n.correctedAt IS NULL THEN {} ELSE n {${CORRECTED_FIELDS.map((k) => '.' + k).join(', ')}} END AS fixed
   SET n = row
   SET n += $stamp
   SET n += kept
   SET n += fixed
   SET n.updatedByImport = $importId`,
);

/**
 * Relationships between nodes (with properties `row.props`): MERGE when both ends existed before
 * this import, CREATE when one end is new (nothing to merge with). Without --trust both ends
 * must be nodes an import created (stixModified set): never a link on a native node. A kept
 * reference (STIX_REF) is one per field, so it merges on its field; `n` counts rows written (a
 * MERGE that matches two relationships still counts its row once).
 *
 * CREATE is ONE statement for every type (the type is `row.type`, from the registry: dynamic
 * relationship types, Neo4j 5.26); MERGE stays one statement per type, which its index-free
 * match on the type needs.
 */
const linkEnds = `UNWIND $rows AS row
   MATCH (a:Entity {id: row.from})
   MATCH (b:Entity {id: row.to})
   WHERE $trust OR (a.stixModified IS NOT NULL AND b.stixModified IS NOT NULL)`;
const countRows = `WITH DISTINCT row
   RETURN count(row) AS n`;
export const IMPORT_CREATE_LINKS = cypher<{ n: number }>(
  'stixImportCreateLinks',
  `${linkEnds}
   CREATE (a)-[r:$(row.type)]->(b) SET r = row.props
   ${countRows}`,
);
export const IMPORT_MERGE_LINKS = Object.fromEntries(
  LINK_TYPES.map((type) => [
    type,
    cypher<{ n: number }>(
      `stixImportMerge${type}`,
      `${linkEnds}
   MERGE (a)-[r:${type}${type === 'STIX_REF' ? ' {field: row.props.field}' : ''}]->(b) ON CREATE SET r = row.props
   ${countRows}`,
    ),
  ]),
) as Record<LinkType, ReturnType<typeof cypher<{ n: number }>>>;

/** The audit entry of one import run (one per run: created before the first write). */
export const IMPORT_AUDIT = cypher('stixImportAudit', `CREATE (a:AuditEntry) SET a = $props`);
/** The result of the run, on its audit entry. */
export const IMPORT_AUDIT_DONE = cypher(
  'stixImportAuditDone',
  `MATCH (a:AuditEntry {id: $id}) SET a.result = $result`,
);

/** Every object an import kept, as it arrived (export of imported data). */
export const EXPORT_IMPORTED = cypher<{ json: string }>(
  'stixExportImported',
  `MATCH (n:Entity) WHERE n.stixJson IS NOT NULL AND n.id STARTS WITH $prefix
     AND ($importId IS NULL OR n.importId = $importId)
   RETURN n.stixJson AS json`,
);
