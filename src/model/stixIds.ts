import { cypher } from '../db';
import { uuidv5 } from './uuid';

/**
 * Native STIX ids: the deterministic STIX 2.1 ids the export (`attribution export`, TAXII,
 * `stixBundle`) gives the nodes of this graph. They are computed from a node's id alone, so
 * every writer (seed, mutations, STIX import) stores them on the node as it writes it, and the
 * API finds a node by STIX id with one index lookup (`stixObject`, migration 006).
 */

/**
 * The fixed UUIDv5 namespace of this project's STIX ids (itself UUIDv5 of the project URL in the
 * RFC 4122 URL namespace). Never change it: every exported id is derived from it.
 */
export const STIX_NAMESPACE = '37200345-8d05-5f35-a1a8-b764cc3a09f4';

/**
 * The STIX id of a node of ours: `<type>--<UUID>`, the UUID derived from the namespace and
 * "<type>:<our id>" by SHA-1 (as UUIDv5) but laid out as a version-4 UUID, which STIX 2.1
 * requires of SDO and SRO ids: the same node always gets the same id, on every run and machine.
 */
export function stixId(type: string, ourId: string): string {
  const v5 = uuidv5(`${type}:${ourId}`, STIX_NAMESPACE);
  return `${type}--${v5.slice(0, 14)}4${v5.slice(15)}`;
}

/**
 * The STIX id of a cyber observable (SCO) of ours: STIX 2.1 wants SCO ids to be UUIDv5, so this
 * is the plain UUIDv5 of "<type>:<our id>" in the same namespace (deterministic as well).
 */
export function observableStixId(type: string, ourId: string): string {
  return `${type}--${uuidv5(`${type}:${ourId}`, STIX_NAMESPACE)}`;
}

/**
 * Our new SDOs (extension_type new-sdo of the x-attribution extension): an item of evidence with
 * the parties' and the case analysts' readings of it, and a timeline event with its participants.
 */
export const EVIDENCE_TYPE = 'x-attribution-evidence';
export const EVENT_TYPE = 'x-attribution-event';

/**
 * Every STIX type a node of each label may be exported as, with the node property that stores
 * its id there (range-indexed). An actor is an identity when it speaks and a threat-actor or
 * an intrusion-set when suspected; a source a report, or a note when undated; a claim on a
 * hypothesis an opinion; an item of evidence and an event are our own SDOs. Which of them the
 * export uses depends on the graph around the node; the stored ids cover every one, so a
 * lookup never depends on that.
 */
export const NATIVE_STIX_TYPES: Readonly<
  Record<string, readonly { type: string; prop: string }[]>
> = {
  Incident: [{ type: 'incident', prop: 'stixIncidentId' }],
  Actor: [
    { type: 'identity', prop: 'stixIdentityId' },
    { type: 'threat-actor', prop: 'stixThreatActorId' },
    { type: 'intrusion-set', prop: 'stixIntrusionSetId' },
  ],
  Claim: [{ type: 'opinion', prop: 'stixOpinionId' }],
  Source: [
    { type: 'report', prop: 'stixReportId' },
    { type: 'note', prop: 'stixNoteId' },
  ],
  Evidence: [{ type: EVIDENCE_TYPE, prop: 'stixEvidenceId' }],
  Event: [{ type: EVENT_TYPE, prop: 'stixEventId' }],
};

/** The properties holding a node's native STIX ids (none for labels the export does not carry). */
export function nativeStixProps(label: string, id: string): Record<string, string> {
  return Object.fromEntries(
    (NATIVE_STIX_TYPES[label] ?? []).map(({ type, prop }) => [prop, stixId(type, id)]),
  );
}

/** The STIX `attributed-to` relationship a hypothesis is exported as, one per suspect. */
export const attributedToStixId = (hypothesis: string, suspect: string): string =>
  stixId('relationship', `attributed-to:${hypothesis}:${suspect}`);

/**
 * The properties of a relationship holding its native STIX id: a SUSPECTS relationship stores
 * the id of the `attributed-to` relationship it is exported as (`stixId`, range-indexed).
 */
export function relStixProps(type: string, from: string, to: string): Record<string, string> {
  return type === 'SUSPECTS' ? { stixId: attributedToStixId(from, to) } : {};
}

/** Every label that stores native STIX ids, and its first property (set on every write). */
const STORED = Object.entries(NATIVE_STIX_TYPES).map(([label, types]) => ({
  label,
  prop: types[0].prop,
}));

/**
 * Nodes written before native STIX ids were stored (or by a writer that skipped them), at most
 * `$limit`: id and label. Templated from {@link NATIVE_STIX_TYPES} (snapshot in model.test.ts).
 */
export const NATIVE_STIX_MISSING = cypher<{ id: string; label: string }>(
  'nativeStixMissing',
  `MATCH (n:Entity)
   WHERE ${STORED.map(({ label, prop }) => `(n:${label} AND n.${prop} IS NULL)`).join('\n      OR ')}
   RETURN n.id AS id, [l IN labels(n) WHERE l IN [${STORED.map(({ label }) => `'${label}'`).join(', ')}]][0] AS label
   LIMIT $limit`,
);

/** Stores native STIX id properties (`$rows`: id and props). */
export const NATIVE_STIX_SET = cypher(
  'nativeStixSet',
  `UNWIND $rows AS row
   MATCH (n:Entity {id: row.id})
   SET n += row.props`,
);

/** SUSPECTS relationships without their `attributed-to` STIX id, at most `$limit`. */
export const SUSPECTS_STIX_MISSING = cypher<{ from: string; to: string }>(
  'suspectsStixMissing',
  `MATCH (h:Hypothesis)-[r:SUSPECTS]->(s:Actor)
   WHERE r.stixId IS NULL
   RETURN h.id AS from, s.id AS to
   LIMIT $limit`,
);

/** Stores the `attributed-to` STIX id of SUSPECTS relationships (`$rows`: from, to, stixId). */
export const SUSPECTS_STIX_SET = cypher(
  'suspectsStixSet',
  `UNWIND $rows AS row
   MATCH (:Hypothesis {id: row.from})-[r:SUSPECTS]->(:Actor {id: row.to})
   SET r.stixId = row.stixId`,
);
