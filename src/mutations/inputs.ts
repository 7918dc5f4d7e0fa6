import { z } from 'zod';
import { KEY_ROLES } from '../auth';
import { AppError, ErrorCode } from '../errors';
import {
  AchRating,
  ActorKind,
  ArtifactKind,
  ObservableType,
  TECHNICAL_LINK_TYPES,
  EvidenceKind,
  OpinionValue,
  PartialDate,
  PartialDateOrUnknown,
  SLUG,
  Reliability,
  Stance,
  TextKind,
  parsePartialDate,
  slug,
  text,
} from '../model';
import { CORRECTABLE_FIELDS } from './queries';

/**
 * Input validation for the mutations (zod). Every message names the field as the client wrote
 * it (`input.statedAt: ...`). GraphQL has already checked types and enums; this checks content.
 */

const optText = (max: number) => text(max).nullish();

/** "YYYY-MM-DD", "YYYY-MM" or "YYYY": a real date at the precision the source gives. */
export const partialDate = PartialDate;
const partialDateOrUnknown = PartialDateOrUnknown;
const ids = (min: number, what: string) =>
  z
    .array(slug)
    .min(min, `needs at least ${min} ${what}`)
    .max(50, 'must list at most 50 ids')
    .refine((a) => new Set(a).size === a.length, 'must not list the same id twice');
const credibility = z
  .number()
  .int('must be an integer')
  .min(1, 'must be between 1 and 6')
  .max(6, 'must be between 1 and 6');
/** A date that is not in the future (UTC, with a day of grace for time zones). */
const notFuture = (s: string | null | undefined) => {
  if (!s || s === 'unknown') return true;
  const p = parsePartialDate(s);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return !p || p.start <= tomorrow;
};
const pastDate = partialDate.refine(notFuture, 'must not be in the future');
const pastDateOrUnknown = partialDateOrUnknown.refine(notFuture, 'must not be in the future');

export { ActorKind, EvidenceKind };
export { OpinionValue };

export const CreateIncidentInput = z.strictObject({
  id: slug.nullish(),
  name: text(200),
  summary: text(4000),
  kind: z
    .string()
    .trim()
    .max(80, 'must be at most 80 characters')
    .regex(SLUG, 'must be a lowercase word or slug, e.g. "destructive-attack"'),
  startedAt: pastDateOrUnknown.nullish(),
  sources: ids(0, 'source').nullish(),
});

export const CreateActorInput = z.strictObject({
  id: slug.nullish(),
  name: text(200),
  kind: ActorKind,
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as KP or US')
    .nullish(),
  description: optText(4000),
});

const claimBase = {
  id: slug.nullish(),
  claimant: slug,
  statedAt: pastDateOrUnknown,
  sources: ids(1, 'source'),
  text: optText(4000),
};

export const AddAliasInput = z.strictObject({
  ...claimBase,
  actor: slug,
  name: text(200),
  refersTo: slug.nullish(),
});

export const AddAffiliationInput = z
  .strictObject({
    ...claimBase,
    actor: slug,
    organisation: slug,
    role: optText(200),
  })
  .refine((a) => a.actor !== a.organisation, {
    message: 'must differ from input.actor',
    path: ['organisation'],
  });

export const CreateSourceInput = z
  .strictObject({
    id: slug.nullish(),
    tag: z
      .string()
      .regex(/^[A-Z][A-Z0-9-]*[a-z]?$/, 'must be a tag such as S2 or S30b')
      .max(40, 'must be at most 40 characters')
      .nullish(),
    title: text(500),
    publisher: slug,
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(2000, 'must be at most 2000 characters')
      .nullish(),
    publishedAt: pastDateOrUnknown.nullish(),
    reliability: Reliability,
    reliabilityReason: text(500),
    relays: slug.nullish(),
    carries: slug.nullish(),
  })
  .refine((s) => !(s.id && s.carries === s.id), {
    message: 'a source cannot carry itself',
    path: ['carries'],
  });

export const CreateHypothesisInput = z.strictObject({
  id: slug.nullish(),
  incident: slug,
  tag: z
    .string()
    .regex(/^([A-Z]+-)?H\d+[a-z]?$/, 'must be a tag such as H1 or DS-H1')
    .nullish(),
  statement: text(1000),
  suspects: ids(1, 'suspect'),
});

export const CreateClaimInput = z.strictObject({
  ...claimBase,
  stance: z.enum(Stance.options, {
    error: 'must be SUPPORTS or DISPUTES (aliases and affiliations have their own mutations)',
  }),
  hypothesis: slug,
  text: text(4000),
  textKind: TextKind,
  evidence: ids(0, 'evidence').nullish(),
  credibility: credibility.nullish(),
});

export const RetractClaimInput = z.strictObject({
  id: slug,
  retractedAt: pastDate.nullish(),
  reason: text(2000),
});

export const ReinstateClaimInput = z.strictObject({
  id: slug,
  reason: text(2000),
});

export const CreateEvidenceInput = z.strictObject({
  id: slug.nullish(),
  incident: slug,
  tag: z
    .string()
    .regex(/^([A-Z]+-)?E\d+[a-z]?$/, 'must be a tag such as E1, E13b or DS-E1')
    .nullish(),
  kind: EvidenceKind,
  title: text(300),
  description: text(4000),
  reportedAt: pastDate,
  sources: ids(1, 'source'),
  credibility,
  credibilityReason: text(500),
});

/** A file hash: the algorithm and its lowercase hex digest of the right length. */
export const HASH_ALGORITHMS = ['MD5', 'SHA-1', 'SHA-256'] as const;
const HASH_LENGTH = { MD5: 32, 'SHA-1': 40, 'SHA-256': 64 } as const;
const FileHash = z
  .strictObject({
    algorithm: z.enum(HASH_ALGORITHMS),
    value: z.string().regex(/^[0-9a-f]+$/, 'must be a lowercase hex digest'),
  })
  .refine((h) => h.value.length === HASH_LENGTH[h.algorithm], {
    message: 'must have the length of its algorithm (MD5 32, SHA-1 40, SHA-256 64 hex digits)',
    path: ['value'],
  });

export const CreateArtifactInput = z
  .strictObject({
    id: slug.nullish(),
    kind: ArtifactKind,
    name: text(300),
    aliases: z.array(text(200)).max(50, 'must list at most 50 names').nullish(),
    externalIds: z
      .array(
        z
          .string()
          .regex(
            /^[A-Za-z0-9][A-Za-z0-9._:-]*$/,
            'must be an id such as T1485, S0366 or CVE-2017-0144',
          )
          .max(80, 'must be at most 80 characters'),
      )
      .max(50, 'must list at most 50 ids')
      .nullish(),
    description: optText(4000),
    tactics: z.array(slug).max(20, 'must list at most 20 tactics').nullish(),
    pattern: optText(4000),
    patternType: optText(40),
    observableType: ObservableType.nullish(),
    value: optText(500),
    hashes: z.array(FileHash).max(3, 'must list at most 3 hashes').nullish(),
    firstReportedAt: pastDateOrUnknown.nullish(),
    sources: ids(1, 'source'),
  })
  .refine((a) => (a.kind === 'observable') === !!a.observableType, {
    message: 'is required for an observable, and only for one',
    path: ['observableType'],
  })
  .refine(
    (a) =>
      a.kind !== 'attack-pattern' ||
      (a.externalIds ?? []).some((x) => /^T\d{4}(\.\d{3})?$/.test(x)),
    {
      message: 'a technique needs its ATT&CK id (T1485) among externalIds',
      path: ['externalIds'],
    },
  )
  .refine((a) => a.kind !== 'indicator' || !!a.pattern, {
    message: 'an indicator needs its pattern',
    path: ['pattern'],
  })
  .refine((a) => a.observableType === 'file' || !a.hashes?.length, {
    message: 'only a file has hashes',
    path: ['hashes'],
  })
  .refine((a) => !a.observableType || a.observableType === 'file' || !!a.value, {
    message: 'an address, domain, URL or e-mail observable needs its value',
    path: ['value'],
  });

export const AddTechnicalLinkInput = z
  .strictObject({
    ...claimBase,
    /** The relationship type (USES, COMMUNICATES_WITH...), as the GraphQL enum TechnicalLinkType serves it. */
    link: z.enum(TECHNICAL_LINK_TYPES as [string, ...string[]]),
    from: slug,
    to: slug,
    credibility: credibility.nullish(),
  })
  .refine((l) => l.from !== l.to, { message: 'must differ from input.from', path: ['to'] });

export const RateEvidenceInput = z.strictObject({
  id: slug.nullish(),
  evidence: slug,
  hypothesis: slug,
  rating: AchRating,
  rationale: text(4000),
  ratedBy: slug.nullish(),
  ratedAt: pastDate.nullish(),
  sources: ids(0, 'source').nullish(),
});

export const AddOpinionInput = z.strictObject({
  hypothesis: slug,
  opinion: OpinionValue,
  rationale: text(4000),
  analyst: slug.nullish(),
});

export const CreateApiKeyInput = z.strictObject({
  name: text(120),
  role: z.enum(KEY_ROLES),
  actor: slug.nullish(),
});

export const RevokeApiKeyInput = z.strictObject({
  id: z.string().regex(/^key-[0-9a-f]{12}$/, 'is not an API key id (key-...)'),
  reason: text(1000),
});

export const CorrectTextInput = z.strictObject({
  id: slug,
  field: z.enum(CORRECTABLE_FIELDS as [string, ...string[]], {
    error: 'must be a correctable text field such as TEXT or TITLE',
  }),
  value: text(4000),
  reason: text(1000),
});

/**
 * Parses `value` with `schema`; a failure is BAD_USER_INPUT whose message names every bad field
 * (`input.statedAt: must be a date...`), the first one also in `extensions.argument`.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  root = 'input',
): z.infer<S> {
  const malformed = illFormedStrings(value, [root]);
  if (malformed.length) return fail(malformed);
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({
    field: [root, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  return fail(issues);
}

/** A lone UTF-16 surrogate: not text; Neo4j (UTF-8) would silently store U+FFFD in its place. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Every string in `value` holding a lone surrogate, by field: it could not be stored verbatim. */
function illFormedStrings(value: unknown, path: string[]): { field: string; message: string }[] {
  if (typeof value === 'string')
    return LONE_SURROGATE.test(value)
      ? [{ field: path.join('.'), message: 'must be well-formed Unicode (no lone surrogate)' }]
      : [];
  if (Array.isArray(value))
    return value.flatMap((v, i) => illFormedStrings(v, [...path, String(i)]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => illFormedStrings(v, [...path, k]));
  return [];
}

function fail(issues: { field: string; message: string }[]): never {
  throw new AppError(
    ErrorCode.BAD_USER_INPUT,
    issues.map((i) => `${i.field}: ${i.message}`).join('; '),
    { argument: issues[0].field, issues },
  );
}

/** A BAD_USER_INPUT naming one field. */
export function invalid(field: string, message: string): AppError {
  return new AppError(ErrorCode.BAD_USER_INPUT, `${field}: ${message}`, { argument: field });
}
