import { EVENT_TYPE, EVIDENCE_TYPE, STIX_NAMESPACE, stixId } from '../model';

export { EVENT_TYPE, EVIDENCE_TYPE, STIX_NAMESPACE, stixId };

/** STIX objects are plain JSON objects with at least a type and an id. */
export type StixObject = { type: string; id: string } & Record<string, unknown>;

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

/** The STIX type a node of each label is exported as (actors: as a suspect, threat-actor). */
export const STIX_TYPE_OF_LABEL: Readonly<Record<string, string>> = {
  Incident: 'incident',
  Actor: 'threat-actor',
  Claim: 'opinion',
  Source: 'report',
  Hypothesis: 'relationship',
  Evidence: EVIDENCE_TYPE,
  Event: EVENT_TYPE,
};

/**
 * A node's STIX id: the id it was imported with (`stixId`, kept on the node), else the
 * deterministic id of our export for its label. Null for labels STIX does not carry.
 */
export function stixIdOfNode(
  label: string,
  props: { id?: unknown; stixId?: unknown },
): string | null {
  if (typeof props.stixId === 'string' && /^[a-z0-9-]+--[0-9a-f-]{36}$/.test(props.stixId))
    return props.stixId;
  const type = STIX_TYPE_OF_LABEL[label];
  return type && typeof props.id === 'string' ? stixId(type, props.id) : null;
}

/** Our extension (STIX 2.1 section 7.3): every x_attribution_* property is defined by it. */
export const EXTENSION_ID = stixId('extension-definition', 'x-attribution');

/**
 * Our `x_attribution_*` properties of an exported object: top-level, or (on a cyber observable)
 * inside our property-extension.
 */
export function ourProps(o: StixObject): Record<string, unknown> {
  const ext = (o.extensions as Record<string, Record<string, unknown>> | undefined)?.[EXTENSION_ID];
  return ext?.extension_type === 'property-extension' ? { ...o, ...ext } : o;
}
/** The identity of this tool, the creator of the extension definition. */
export const TOOL_IDENTITY_ID = stixId('identity', 'attribution-graph-tool');
/** The version of the extension's schema (schema/stix/x-attribution.schema.json). */
export const EXTENSION_VERSION = '1.0.0';
/** When the extension was first defined (its created / modified). */
export const EXTENSION_DATE = '2026-12-01T00:00:00.000Z';

/** Custom property holding our own id on every exported object (round trips). */
export const X_ID = 'x_attribution_id';

/** STIX identifier: `<type>--<UUID>` (RFC 4122 layout; any version, as 2.0 allowed). */
export const STIX_ID_RE =
  /^([a-z0-9][a-z0-9-]*[a-z0-9]|[a-z0-9])--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** RFC 3339 timestamp in UTC as STIX requires (`Z`, optional fraction). */
export const STIX_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A day (`YYYY-MM-DD`) as a STIX timestamp at midnight UTC, with milliseconds. */
export function dayToStix(day: string): string {
  return `${day}T00:00:00.000Z`;
}

/** Normalises a STIX timestamp to millisecond precision, so two versions compare as strings. */
export function normTime(ts: string): string {
  return new Date(ts).toISOString();
}

/**
 * Admiralty information credibility (1-6) to STIX `confidence` (0-100), per STIX 2.1 Appendix A
 * ("Admiralty Credibility" scale): 1->90, 2->70, 3->50, 4->30, 5->10; 6 ("truth cannot be
 * judged") has no STIX value, so `confidence` is left out.
 */
export function credibilityToConfidence(c: number | null | undefined): number | undefined {
  const map: Record<number, number> = { 1: 90, 2: 70, 3: 50, 4: 30, 5: 10 };
  return c === null || c === undefined ? undefined : map[c];
}

/** STIX `confidence` to Admiralty credibility (Appendix A): 0-19->5 ... 80-100->1; absent->6. */
export function confidenceToCredibility(conf: number | null | undefined): number {
  if (conf === null || conf === undefined || !Number.isFinite(conf)) return 6;
  if (conf >= 80) return 1;
  if (conf >= 60) return 2;
  if (conf >= 40) return 3;
  if (conf >= 20) return 4;
  return 5;
}

/** Admiralty source reliability as OpenCTI writes it in `x_opencti_reliability`. */
export const RELIABILITY_LABELS: Record<string, string> = {
  A: 'A - Completely reliable',
  B: 'B - Usually reliable',
  C: 'C - Fairly reliable',
  D: 'D - Not usually reliable',
  E: 'E - Unreliable',
  F: 'F - Reliability cannot be judged',
};

/** Our stances to the STIX opinion scale, and back. */
export const STANCE_TO_OPINION = { supports: 'agree', disputes: 'disagree' } as const;
export const OPINION_TO_STANCE: Record<string, 'supports' | 'disputes' | undefined> = {
  'strongly-agree': 'supports',
  agree: 'supports',
  neutral: undefined,
  disagree: 'disputes',
  'strongly-disagree': 'disputes',
};

/** Deterministic order for bundles: by type, then id. */
export function sortObjects<T extends { type: string; id: string }>(objects: T[]): T[] {
  return [...objects].sort((a, b) =>
    a.type === b.type ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.type < b.type ? -1 : 1,
  );
}
