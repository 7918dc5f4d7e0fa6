import { z } from 'zod';

/**
 * The seed format, checked on load. One folder per case under `seed/`, plus `seed/common/`
 * for actors, sources, aliases and affiliations shared by all cases. See seed/README.md.
 */

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lowercase slug (a-z, 0-9, -)').max(120);
const ref = slug;
const text = (max = 4000) => z.string().trim().min(1, 'must not be empty').max(max);

/** "YYYY-MM-DD", "YYYY-MM" or "YYYY": a real calendar date with the precision the source gives. */
export const PartialDate = z.string().refine((s) => parsePartialDate(s) !== null, {
  message: 'must be a date as YYYY-MM-DD, YYYY-MM or YYYY',
});
const PartialDateOrUnknown = z.string().refine((s) => s === 'unknown' || parsePartialDate(s) !== null, {
  message: 'must be a date as YYYY-MM-DD, YYYY-MM or YYYY, or "unknown"',
});
const sources = z.array(ref).min(1, 'needs at least one source');

export type Precision = 'day' | 'month' | 'year' | 'unknown';
export interface ParsedDate {
  /** First day of the period (what the source says, day or not). */
  start: string;
  /** Last day of the period: from when the item is surely on record (used by as-of views). */
  end: string;
  precision: Exclude<Precision, 'unknown'>;
}

/** Parses a partial date, rejecting impossible ones (2015-02-30). Null when invalid. */
export function parsePartialDate(s: string): ParsedDate | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastDay = (yy: number, mm: number) => new Date(Date.UTC(yy, mm, 0)).getUTCDate();
  if (m[3] !== undefined) {
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (mo < 1 || mo > 12 || d < 1 || d > lastDay(y, mo)) return null;
    return { start: s, end: s, precision: 'day' };
  }
  if (m[2] !== undefined) {
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return null;
    return { start: `${y}-${pad(mo)}-01`, end: `${y}-${pad(mo)}-${pad(lastDay(y, mo))}`, precision: 'month' };
  }
  return { start: `${y}-01-01`, end: `${y}-12-31`, precision: 'year' };
}

export const ActorKind = z.enum(['state', 'agency', 'unit', 'group', 'company', 'media', 'person', 'persona']);
export const Stance = z.enum(['supports', 'disputes']);
export const Rating = z.enum(['very-consistent', 'consistent', 'neutral', 'inconsistent', 'very-inconsistent', 'not-applicable']);
export const EvidenceKind = z.enum(['malware', 'infrastructure', 'linguistic', 'motive', 'insider-knowledge', 'timing', 'official-statement', 'classified']);
export const EventKind = z.enum(['attack', 'threat', 'leak', 'cancellation', 'release', 'statement', 'attribution', 'denial', 'sanction', 'outage', 'indictment', 'report', 'other']);
export const Reliability = z.enum(['A', 'B', 'C', 'D', 'E', 'F']);
const Credibility = z.number().int().min(1).max(6);

const common = { id: slug, unverified: z.boolean().optional(), note: text().optional() };

export const ActorRecord = z.strictObject({
  ...common,
  name: text(200),
  kind: ActorKind,
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code').optional(),
  description: text().optional(),
});

export const SourceRecord = z.strictObject({
  ...common,
  tag: z.string().regex(/^[A-Z][A-Z0-9-]*[a-z]?$/, 'must be a tag such as S2 or S30b'),
  title: text(500),
  publisher: ref,
  originator: ref.optional(),
  carries: ref.optional(),
  publishedAt: PartialDateOrUnknown,
  url: z.url({ protocol: /^https?$/ }).nullable(),
  reliability: Reliability,
  reliabilityReason: text(500),
});

const claimBase = { claimant: ref, statedAt: PartialDateOrUnknown, sources };

export const AliasRecord = z.strictObject({ ...common, ...claimBase, actor: ref, name: text(200), refersTo: ref.optional() });
export const AffiliationRecord = z.strictObject({ ...common, ...claimBase, actor: ref, organisation: ref, role: text(200).optional() });

export const IncidentRecord = z.strictObject({
  ...common,
  name: text(200),
  summary: text(),
  startedAt: PartialDate,
  kind: text(80),
  related: z.array(z.strictObject({ incident: ref, relation: text(200) })).optional(),
  sources,
});

export const HypothesisRecord = z.strictObject({
  ...common,
  tag: z.string().regex(/^([A-Z]+-)?H\d+[a-z]?$/, 'must be a tag such as H1 or DS-H1'),
  incident: ref,
  statement: text(1000),
  suspects: z.array(ref).min(1, 'needs at least one suspect'),
});

export const ClaimRecord = z
  .strictObject({
    ...common,
    ...claimBase,
    stance: Stance,
    hypothesis: ref,
    text: text(),
    textKind: z.enum(['quote', 'paraphrase']),
    evidence: z.array(ref).optional(),
    credibility: Credibility.optional(),
    retractedAt: PartialDate.optional(),
    retractionReason: text().optional(),
  })
  .refine((c) => (c.retractedAt === undefined) === (c.retractionReason === undefined), {
    message: 'retractedAt and retractionReason go together',
    path: ['retractionReason'],
  });

export const RatingRecord = z.strictObject({
  id: slug,
  hypothesis: ref,
  rating: Rating,
  ratedBy: ref,
  ratedAt: PartialDate,
  sources,
  rationale: text(),
});

export const EvidenceRecord = z.strictObject({
  ...common,
  tag: z.string().regex(/^([A-Z]+-)?E\d+[a-z]?$/, 'must be a tag such as E1, E13b or DS-E1'),
  incident: ref,
  kind: EvidenceKind,
  title: text(300),
  description: text(),
  reportedAt: PartialDate,
  sources,
  credibility: Credibility,
  credibilityReason: text(500),
  ratings: z.array(RatingRecord),
});

export const EventRecord = z.strictObject({
  ...common,
  incident: ref,
  date: PartialDate,
  title: text(300),
  description: text(),
  kind: EventKind,
  actors: z.array(z.strictObject({ actor: ref, role: text(80) })).optional(),
  sources,
});

/** The files a seed folder may hold, and the record each contains. */
export const SEED_FILES = {
  'actors.yaml': ActorRecord,
  'sources.yaml': SourceRecord,
  'aliases.yaml': AliasRecord,
  'affiliations.yaml': AffiliationRecord,
  'incident.yaml': IncidentRecord,
  'hypotheses.yaml': HypothesisRecord,
  'claims.yaml': ClaimRecord,
  'evidence.yaml': EvidenceRecord,
  'events.yaml': EventRecord,
} as const;

export type SeedFileName = keyof typeof SEED_FILES;
export type ActorRecord = z.infer<typeof ActorRecord>;
export type SourceRecord = z.infer<typeof SourceRecord>;
export type AliasRecord = z.infer<typeof AliasRecord>;
export type AffiliationRecord = z.infer<typeof AffiliationRecord>;
export type IncidentRecord = z.infer<typeof IncidentRecord>;
export type HypothesisRecord = z.infer<typeof HypothesisRecord>;
export type ClaimRecord = z.infer<typeof ClaimRecord>;
export type EvidenceRecord = z.infer<typeof EvidenceRecord>;
export type EventRecord = z.infer<typeof EventRecord>;
