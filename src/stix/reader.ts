import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import {
  AchRating,
  ActorKind,
  EventKind,
  EvidenceKind,
  Reliability,
  TechnicalLink,
  parsePartialDate,
} from '../model';
import { EVENT_TYPE, EVIDENCE_TYPE, EXTENSION_ID, STIX_ID_RE, STIX_TIME_RE } from './model';

/** A bundle that cannot be imported: names the file, the object index and the field. */
export class StixFormatError extends Error {
  constructor(
    readonly file: string,
    readonly index: number | null,
    readonly field: string,
    detail: string,
  ) {
    super(
      `${file}: ${index === null ? 'bundle' : `objects[${index}]`}${field ? ` field "${field}"` : ''}: ${detail}`,
    );
    this.name = 'StixFormatError';
  }
}

export interface BundleMeta {
  type?: unknown;
  id?: unknown;
  spec_version?: unknown;
}

export type BundleItem = { index: number; object: unknown; bytes: number };

/** What a read of one bundle gives at its end: its own fields, size and sha256. */
export interface BundleEnd extends BundleMeta {
  bytes: number;
  sha256: string;
}

const CHUNK = 1024 * 1024;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const META_KEYS = new Set(['type', 'id', 'spec_version']);

/**
 * Streams the `objects` of one STIX bundle, one object at a time, in ONE pass: a byte scanner
 * finds where each element of `objects` starts and ends (tracking strings and nesting; braces and
 * quotes are ASCII, so UTF-8 needs no decoding to find them), and each object's bytes are parsed
 * once with the native `JSON.parse`. The input (a file or a stream such as stdin) is read in
 * 1 MiB chunks and never held whole: only the object being read. Calls `onBytes` per chunk.
 * Returns the bundle's own scalar fields (`type`, `id`, `spec_version`), its size and its
 * sha256 (of every byte read). Anything that is not JSON gives a {@link StixFormatError} naming
 * the object it is in.
 */
export async function* streamBundle(
  input: string | Readable,
  name = typeof input === 'string' ? input : '<stream>',
  onBytes?: (n: number) => void,
): AsyncGenerator<BundleItem, BundleEnd> {
  const stream =
    typeof input === 'string' ? fs.createReadStream(input, { highWaterMark: CHUNK }) : input;
  const hash = createHash('sha256');
  const meta: BundleMeta = {};
  let total = 0;
  let depth = 0;
  let inString = false;
  let escape = false;
  let started = false;
  let index = 0;
  // depth 1 (the bundle object): the key being read and whether a key or a value comes next
  let expectKey = true;
  let key: string | null = null;
  let keyParts: Buffer[] | null = null;
  let keyStart = -1;
  let valueParts: Buffer[] | null = null; // a scalar value at depth 1 (type, id, spec_version)
  let valueStart = -1;
  let skipDepth = -1; // a container value at depth 1 that is not `objects`
  let inObjects = false;
  let objParts: Buffer[] | null = null;
  let objStart = -1;
  const bad = (detail: string, at: number | null = index) =>
    new StixFormatError(name, at, '', detail);
  const finishValue = (buf: Buffer, end: number) => {
    if (!valueParts) return;
    valueParts.push(buf.subarray(valueStart, end));
    const raw = Buffer.concat(valueParts).toString('utf8').trim();
    valueParts = null;
    if (key && META_KEYS.has(key) && raw !== '') {
      try {
        meta[key as keyof BundleMeta] = JSON.parse(raw);
      } catch {
        throw bad(`invalid JSON (bundle field "${key}")`, null);
      }
    }
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      hash.update(buf);
      total += buf.length;
      onBytes?.(buf.length);
      if (!started && total === buf.length && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
        buf = buf.subarray(3); // UTF-8 byte order mark
      if (objParts) objStart = 0;
      if (keyParts) keyStart = 0;
      if (valueParts) valueStart = 0;
      const out: BundleItem[] = [];
      for (let i = 0; i < buf.length; i++) {
        const c = buf[i];
        if (inString) {
          if (escape) escape = false;
          else if (c === BACKSLASH) escape = true;
          else if (c === QUOTE) {
            inString = false;
            if (keyParts) {
              keyParts.push(buf.subarray(keyStart, i));
              key = Buffer.concat(keyParts).toString('utf8');
              keyParts = null;
            }
          }
          continue;
        }
        if (depth >= 3 || (skipDepth >= 0 && depth > 1)) {
          // inside an object of `objects`, or a skipped value: only nesting and strings matter
          if (c === QUOTE) inString = true;
          else if (c === OPEN_OBJ || c === OPEN_ARR) depth++;
          else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
            depth--;
            if (objParts && depth === 2) {
              objParts.push(buf.subarray(objStart, i + 1));
              const text = Buffer.concat(objParts).toString('utf8');
              objParts = null;
              let object: unknown;
              try {
                object = JSON.parse(text);
              } catch (err) {
                throw bad(`invalid JSON (${err instanceof Error ? err.message : String(err)})`);
              }
              out.push({ index: index++, object, bytes: text.length });
            } else if (skipDepth >= 0 && depth === 1) skipDepth = -1;
          }
          continue;
        }
        if (isSpace(c)) continue;
        if (depth === 0) {
          if (started || c !== OPEN_OBJ) throw bad('the top level is not a JSON object', null);
          started = true;
          depth = 1;
          expectKey = true;
          continue;
        }
        if (depth === 2 && inObjects) {
          if (c === OPEN_OBJ) {
            objParts = [];
            objStart = i;
            depth = 3;
          } else if (c === CLOSE_ARR) {
            inObjects = false;
            depth = 1;
          } else if (c !== COMMA) throw bad('is not a JSON object');
          continue;
        }
        // depth 1: the bundle's keys and values
        if (valueParts) {
          if (c === COMMA || c === CLOSE_OBJ) finishValue(buf, i);
          else continue;
        }
        if (c === QUOTE) {
          if (expectKey) {
            keyParts = [];
            keyStart = i + 1;
          } else {
            valueParts = [];
            valueStart = i;
            escape = false;
          }
          inString = true;
        } else if (c === COLON) expectKey = false;
        else if (c === COMMA) expectKey = true;
        else if (c === CLOSE_OBJ) depth = 0;
        else if (c === OPEN_ARR || c === OPEN_OBJ) {
          if (key === 'objects') {
            if (c !== OPEN_ARR) throw bad('must be an array', null);
            inObjects = true;
          } else skipDepth = 1;
          depth = 2;
        } else if (key === 'objects')
          throw new StixFormatError(name, null, 'objects', 'must be an array');
        else {
          valueParts = [];
          valueStart = i;
        }
      }
      if (objParts) objParts.push(buf.subarray(objStart));
      if (keyParts) keyParts.push(buf.subarray(keyStart));
      if (valueParts) valueParts.push(buf.subarray(valueStart));
      yield* out;
    }
  } finally {
    if (typeof input === 'string') (stream as fs.ReadStream).destroy();
  }
  if (!started || depth !== 0 || inString) throw bad('invalid JSON (unexpected end of input)');
  return { ...meta, bytes: total, sha256: hash.digest('hex') };
}

// ----------------------------------------------------------------------------- validation

const stixIdOf = (type?: string) =>
  z
    .string()
    .regex(STIX_ID_RE, 'must be a STIX identifier (<type>--<UUID>)')
    .refine((s) => !type || s.startsWith(`${type}--`), { message: `must be a ${type} id` });
const ref = stixIdOf();
const time = z.string().regex(STIX_TIME_RE, 'must be an RFC 3339 UTC timestamp');
const text = z.string();

const externalReference = z.looseObject({
  source_name: z.string().min(1, 'must not be empty'),
  description: text.optional(),
  url: z.string().optional(),
  external_id: z.string().optional(),
});

// Our own properties (x_attribution_*), checked with the rules the API applies to its input.
/** Our ids as our export writes them (slugs, and `a>b` / `x#y` for derived ones). */
const ourId = z
  .string()
  .min(1, 'must not be empty')
  .max(300)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9:._>#@/+-]*$/,
    'must be an id of this tool (letters, digits, -:._>#@/+)',
  );
const day = z.string().refine((d) => parsePartialDate(d)?.precision === 'day', {
  message: 'must be a day (YYYY-MM-DD)',
});
const precision = z.enum(['day', 'month', 'year', 'unknown']);
const credibility = z
  .number()
  .int('must be an integer')
  .min(1, 'must be 1 to 6')
  .max(6, 'must be 1 to 6');
const textKind = z.enum(['quote', 'paraphrase']);
const aliasClaim = z.strictObject({
  id: ourId,
  alias: z.string().min(1, 'must not be empty').max(200),
  text: z.string().optional(),
  text_kind: textKind.optional(),
  claimant_ref: stixIdOf('identity').optional(),
  stated: day.optional(),
  stated_precision: precision.optional(),
  credibility: credibility.optional(),
  unverified: z.boolean().optional(),
  note: z.string().optional(),
  source_refs: z.array(ref).optional(),
});
/** Earlier grades of an item: before `until` it was graded `credibility` (docs/scoring.md §5). */
const credibilityBefore = z.array(
  z.strictObject({ until: day, credibility, reason: z.string().max(500) }),
);
const actorRef = z
  .string()
  .regex(STIX_ID_RE, 'must be a STIX identifier (<type>--<UUID>)')
  .refine((s) => /^(identity|threat-actor|intrusion-set)--/.test(s), {
    message: 'must be an identity, threat-actor or intrusion-set id',
  });
const affiliationClaim = z.strictObject({
  id: ourId,
  organisation_ref: actorRef,
  role: z.string().max(200).optional(),
  text: z.string().optional(),
  text_kind: textKind.optional(),
  claimant_ref: actorRef.optional(),
  stated: day.optional(),
  stated_precision: precision.optional(),
  credibility: credibility.optional(),
  unverified: z.boolean().optional(),
  note: z.string().optional(),
  source_refs: z.array(ref).optional(),
});
/** One party's ACH reading of an item against one hypothesis (an x-attribution-evidence's). */
const rating = z.strictObject({
  id: ourId,
  hypothesis_ref: stixIdOf('relationship'),
  rating: AchRating,
  rater_ref: actorRef,
  rated: day.optional(),
  rated_precision: precision,
  rationale: z.string().optional(),
  source_refs: z.array(ref).optional(),
});
const participant = z.strictObject({
  actor_ref: actorRef,
  roles: z.array(z.string().min(1).max(200)).min(1, 'must name at least one role'),
});
/** Every x_attribution_* property our export writes, on whatever object carries it. */
const ours = {
  x_attribution_id: ourId.optional(),
  x_attribution_unverified: z.boolean().optional(),
  x_attribution_note: z.string().optional(),
  x_attribution_kind: z.string().min(1).max(100).optional(),
  x_attribution_country: z.string().max(100).optional(),
  x_attribution_url: z
    .string()
    .regex(/^https?:\/\//i, 'must be an http(s) URL')
    .optional(),
  x_attribution_hypothesis: ourId.optional(),
  x_attribution_hypothesis_tag: z.string().max(50).optional(),
  x_attribution_stance: z.enum(['supports', 'disputes']).optional(),
  x_attribution_stated: day.optional(),
  x_attribution_stated_precision: precision.optional(),
  x_attribution_started: day.optional(),
  x_attribution_started_precision: precision.optional(),
  x_attribution_published_precision: precision.optional(),
  x_attribution_text_kind: textKind.optional(),
  x_attribution_credibility: credibility.optional(),
  x_attribution_retracted: day.optional(),
  x_attribution_retraction_reason: z.string().optional(),
  x_attribution_tag: z.string().min(1).max(50).optional(),
  x_attribution_reliability_reason: z.string().optional(),
  x_attribution_reliability: Reliability.optional(),
  x_attribution_access: z.enum(['direct', 'technical', 'public', 'policy']).optional(),
  x_attribution_access_reason: z.string().optional(),
  x_attribution_alias_claims: z.array(aliasClaim).optional(),
  x_attribution_affiliation_claims: z.array(affiliationClaim).optional(),
  x_attribution_retracted_precision: precision.optional(),
  x_attribution_credibility_before: credibilityBefore.optional(),
  x_attribution_credibility_reason: z.string().optional(),
  x_attribution_evidence_refs: z.array(stixIdOf(EVIDENCE_TYPE)).optional(),
  x_attribution_sponsor_ref: actorRef.optional(),
  x_attribution_prior: z.number().positive().finite().optional(),
  x_attribution_relays_ref: actorRef.optional(),
  x_attribution_carries_ref: ref.optional(),
  x_attribution_incident_ref: stixIdOf('incident').optional(),
  x_attribution_reported: day.optional(),
  x_attribution_reported_precision: precision.optional(),
  x_attribution_date: day.optional(),
  x_attribution_date_precision: precision.optional(),
  x_attribution_source_refs: z.array(ref).optional(),
  x_attribution_ratings: z.array(rating).optional(),
  x_attribution_participants: z.array(participant).optional(),
  // The technical layer: artifacts (SDOs and SCOs) and the claims of technical links.
  x_attribution_link: TechnicalLink.optional(),
  x_attribution_facts: z.array(z.string().min(1).max(50)).optional(),
  x_attribution_name: z.string().min(1).max(500).optional(),
  x_attribution_description: z.string().optional(),
  x_attribution_aliases: z.array(z.string().min(1).max(500)).optional(),
  x_attribution_external_ids: z.array(z.string().min(1).max(200)).optional(),
  x_attribution_first_reported: day.optional(),
  x_attribution_first_reported_precision: precision.optional(),
  x_attribution_about_refs: z.array(ref).optional(),
  x_opencti_reliability: z.string().optional(),
};

/** The names of our properties (the extension's JSON schema lists the same: a unit test says so). */
export const OUR_PROPERTIES = Object.keys(ours);

/** Properties every object needs, whatever its type (and ours wherever they appear). */
const base = z.looseObject({
  type: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a STIX type name'),
  id: ref,
  revoked: z.boolean().optional(),
  ...ours,
});

/** Common properties of the types we import (SDOs and SROs): checked when present or required. */
const sdo = {
  ...ours,
  created: time,
  modified: time,
  created_by_ref: stixIdOf('identity').optional(),
  external_references: z.array(externalReference).optional(),
  object_marking_refs: z.array(ref).optional(),
  confidence: z.number().int().min(0).max(100).optional(),
  revoked: z.boolean().optional(),
  spec_version: z.enum(['2.0', '2.1']).optional(),
};
const named = { ...sdo, name: z.string().min(1, 'must not be empty') };
const aliased = { ...named, aliases: z.array(z.string()).optional() };
const kind = (values: readonly string[]) => z.enum(values as [string, ...string[]]).optional();

/** Schemas of the types the importer maps to the model (others only need a type and an id). */
export const KNOWN_TYPES: Record<string, z.ZodType> = {
  identity: z.looseObject({
    ...named,
    identity_class: z.string().optional(),
    x_attribution_kind: kind(ActorKind.options),
  }),
  'threat-actor': z.looseObject({ ...aliased, x_attribution_kind: kind(ActorKind.options) }),
  'intrusion-set': z.looseObject({ ...aliased, x_attribution_kind: kind(ActorKind.options) }),
  campaign: z.looseObject(aliased),
  incident: z.looseObject(named),
  relationship: z.looseObject({
    ...sdo,
    relationship_type: z.string().min(1, 'must not be empty'),
    source_ref: ref,
    target_ref: ref,
  }),
  opinion: z.looseObject({
    ...sdo,
    opinion: z.enum(['strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree']),
    explanation: text.optional(),
    authors: z.array(z.string()).optional(),
    object_refs: z.array(ref).min(1, 'must name at least one object'),
  }),
  report: z.looseObject({
    ...named,
    published: time,
    object_refs: z.array(ref).optional(),
  }),
  [EVIDENCE_TYPE]: z.looseObject({
    ...named,
    x_attribution_incident_ref: stixIdOf('incident'),
    x_attribution_kind: kind(EvidenceKind.options),
    x_attribution_reported_precision: precision,
  }),
  [EVENT_TYPE]: z.looseObject({
    ...named,
    x_attribution_incident_ref: stixIdOf('incident'),
    x_attribution_kind: kind(EventKind.options),
    x_attribution_date_precision: precision,
  }),
  grouping: z.looseObject({
    ...sdo,
    name: text.optional(),
    context: z.string().min(1, 'must not be empty'),
    object_refs: z.array(ref).min(1, 'must name at least one object'),
  }),
  'observed-data': z.looseObject({
    ...sdo,
    // Real producers leave them out (OpenCTI's test bundle): versions then compare as unknown.
    created: time.optional(),
    modified: time.optional(),
    first_observed: time,
    last_observed: time,
    number_observed: z.number().int().min(1),
    object_refs: z.array(ref).optional(),
    objects: z.record(z.string(), z.looseObject({ type: z.string().min(1) })).optional(),
  }),
  location: z.looseObject({
    ...sdo,
    name: text.optional(),
    description: text.optional(),
    region: text.optional(),
    country: text.optional(),
    administrative_area: text.optional(),
    city: text.optional(),
    street_address: text.optional(),
    postal_code: text.optional(),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
    precision: z.number().min(0).optional(),
  }),
  note: z.looseObject({
    ...sdo,
    content: z.string(),
    abstract: text.optional(),
    object_refs: z.array(ref).min(1, 'must name at least one object'),
  }),
};

/** A checked STIX object of a type we may map. */
export type Checked = { type: string; id: string } & Record<string, unknown>;

/**
 * Checks one object: a type and an id (of that type) for every object; for the types we map,
 * the fields we use. Throws a {@link StixFormatError} naming the index and the field.
 */
/**
 * Our properties on a cyber observable travel inside our extension (extension_type
 * property-extension, as STIX 2.1 wants for SCOs): read as if they were top-level, so they are
 * checked and mapped as on any other object.
 */
function liftOurs(o: unknown): unknown {
  const ext = (o as { extensions?: Record<string, unknown> } | null)?.extensions?.[EXTENSION_ID];
  if (!ext || typeof ext !== 'object' || Array.isArray(ext)) return o;
  const { extension_type: kind, ...props } = ext as Record<string, unknown>;
  if (kind !== 'property-extension') return o;
  return {
    ...(o as object),
    ...Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith('x_attribution_'))),
  };
}

export function checkObject(file: string, index: number, o: unknown): Checked {
  const fail = (r: z.ZodSafeParseError<unknown>, id?: string): never => {
    const issue = r.error.issues[0];
    const field = issue.path.map(String).join('.');
    throw new StixFormatError(file, index, field, `${issue.message}${id ? ` (${id})` : ''}`);
  };
  const b = base.safeParse(liftOurs(o));
  if (!b.success) fail(b);
  const obj = b.data as Checked;
  if (!obj.id.startsWith(`${obj.type}--`))
    throw new StixFormatError(file, index, 'id', `must start with "${obj.type}--" (${obj.id})`);
  const schema = KNOWN_TYPES[obj.type];
  if (schema) {
    const r = schema.safeParse(obj);
    if (!r.success) fail(r, obj.id);
  }
  return obj;
}

/** Checks the bundle's own fields once the stream has ended. */
export function checkBundle(file: string, meta: BundleMeta): void {
  if (meta.type !== 'bundle')
    throw new StixFormatError(
      file,
      null,
      'type',
      `must be "bundle" (got ${JSON.stringify(meta.type)})`,
    );
  if (typeof meta.id !== 'string' || !STIX_ID_RE.test(meta.id) || !meta.id.startsWith('bundle--'))
    throw new StixFormatError(file, null, 'id', 'must be a bundle identifier (bundle--<UUID>)');
}

/** A reference our properties make (nested ones with their path), which must resolve. */
export interface OurRef {
  field: string;
  ref: string;
}

const NESTED_REFS: Record<string, readonly string[]> = {
  x_attribution_alias_claims: ['claimant_ref', 'source_refs'],
  x_attribution_affiliation_claims: ['organisation_ref', 'claimant_ref', 'source_refs'],
  x_attribution_ratings: ['hypothesis_ref', 'rater_ref', 'source_refs'],
  x_attribution_participants: ['actor_ref'],
};
const TOP_REFS = [
  'x_attribution_incident_ref',
  'x_attribution_sponsor_ref',
  'x_attribution_relays_ref',
  'x_attribution_carries_ref',
  'x_attribution_evidence_refs',
  'x_attribution_source_refs',
  'x_attribution_about_refs',
] as const;

/**
 * Every reference our x_attribution_* properties make on a checked object: each names a node
 * the import links to (a claimant, a rater, a hypothesis, a cited source...), so it must resolve.
 */
export function ourRefs(o: Checked): OurRef[] {
  const out: OurRef[] = [];
  const take = (field: string, v: unknown) => {
    if (typeof v === 'string') out.push({ field, ref: v });
    else if (Array.isArray(v))
      v.forEach((r, i) =>
        typeof r === 'string' ? out.push({ field: `${field}.${i}`, ref: r }) : 0,
      );
  };
  for (const f of TOP_REFS) take(f, o[f]);
  for (const [list, fields] of Object.entries(NESTED_REFS)) {
    const items = o[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item: Record<string, unknown>, i) => {
      for (const f of fields) take(`${list}.${i}.${f}`, item[f]);
    });
  }
  return out;
}
