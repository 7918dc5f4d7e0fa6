import { z } from 'zod';
import {
  ArtifactKind,
  ObservableType,
  TechnicalLink,
  ActorKind,
  AchRating,
  EventKind,
  EvidenceKind,
  PartialDate,
  PartialDateOrUnknown,
  Reliability,
  Stance,
  TextKind,
  slug,
  text,
} from '../model';

/**
 * The seed format, checked on load. One folder per case under `seed/`, plus `seed/common/`
 * for actors, sources, aliases and affiliations shared by all cases. See seed/README.md.
 */

const ref = slug;
const sources = z.array(ref).min(1, 'needs at least one source');

const Credibility = z.number().int().min(1).max(6);

const common = { id: slug, unverified: z.boolean().optional(), note: text().optional() };

export const Access = z.enum(['direct', 'technical', 'public', 'policy']);

export const ActorRecord = z
  .strictObject({
    ...common,
    name: text(200),
    kind: ActorKind,
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code').optional(),
    description: text().optional(),
    /** Admiralty reliability of the actor as an ORIGINATOR of findings (docs/scoring.md). */
    reliability: Reliability.optional(),
    reliabilityReason: text(500).optional(),
    /** What the actor could see when it concluded (direct, technical, public, policy). */
    access: Access.optional(),
    accessReason: text(500).optional(),
  })
  .refine((a) => (a.reliability === undefined) === (a.reliabilityReason === undefined), {
    message: 'reliability and reliabilityReason go together',
    path: ['reliabilityReason'],
  })
  .refine((a) => (a.access === undefined) === (a.accessReason === undefined), {
    message: 'access and accessReason go together',
    path: ['accessReason'],
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
  /** The state behind it at the strategic level (Q model), when it names one. */
  sponsor: ref.optional(),
});

/** Earlier credibility grades: before `until` the item was graded `credibility` (docs/scoring.md §5). */
const CredibilityBefore = z
  .array(z.strictObject({ until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD').and(PartialDate), credibility: z.number().int().min(1).max(6), reason: text(500) }))
  .optional();

export const ClaimRecord = z
  .strictObject({
    ...common,
    ...claimBase,
    stance: Stance,
    hypothesis: ref,
    text: text(),
    textKind: TextKind,
    evidence: z.array(ref).optional(),
    credibility: Credibility.optional(),
    credibilityBefore: CredibilityBefore,
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
  rating: AchRating,
  ratedBy: ref,
  ratedAt: PartialDate,
  sources,
  rationale: text(),
});

/**
 * The case analysts' likelihood row for an item: one ACH word per hypothesis of the incident
 * (every one of them), with the date it was read, sources and rationale. A later row supersedes
 * an earlier one from its date (readings as they stood on each date).
 */
export const LikelihoodRow = z.strictObject({
  ratedBy: ref,
  ratedAt: PartialDate,
  sources,
  rationale: text(),
  cells: z.record(ref, AchRating),
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
  credibilityBefore: CredibilityBefore,
  /** The artifacts (malware, infrastructure, ...) the item is about. */
  about: z.array(ref).optional(),
  ratings: z.array(RatingRecord),
  likelihoods: z.array(LikelihoodRow).optional(),
});

/** The fact ids of ../shared/sony-case/TECHNICAL-FACTS.md a technical record rests on (F-01, U-03). */
const facts = z.array(z.string().regex(/^[FU]-\d{2}$/, 'must be a fact id such as F-21 or U-03')).min(1, 'needs at least one fact id');

export const ArtifactRecord = z
  .strictObject({
    ...common,
    kind: ArtifactKind,
    name: text(300),
    aliases: z.array(text(200)).optional(),
    /** External ids: ATT&CK (T1485, S0366), CVE, vendor detection names. */
    externalIds: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be an id such as T1485 or S0366')).optional(),
    description: text().optional(),
    /** ATT&CK tactics of a technique (impact, lateral-movement, ...). */
    tactics: z.array(slug).optional(),
    pattern: text().optional(),
    patternType: text(40).optional(),
    observableType: ObservableType.optional(),
    value: text(500).optional(),
    hashes: z.partialRecord(z.enum(['MD5', 'SHA-1', 'SHA-256']), z.string().regex(/^[0-9a-f]{32,64}$/, 'must be a lowercase hex digest')).optional(),
    firstReportedAt: PartialDateOrUnknown,
    sources,
    facts,
  })
  .refine((a) => a.kind !== 'observable' || a.observableType !== undefined, {
    message: 'an observable needs its observableType',
    path: ['observableType'],
  })
  .refine((a) => a.kind !== 'attack-pattern' || (a.externalIds ?? []).some((x) => /^T\d{4}(\.\d{3})?$/.test(x)), {
    message: 'a technique needs its ATT&CK id (T1485) among externalIds',
    path: ['externalIds'],
  });

/** A technical link asserted by a party: "US-CERT says the SMB worm tool communicates with this IP". */
export const TechnicalLinkRecord = z
  .strictObject({
    ...common,
    ...claimBase,
    link: TechnicalLink,
    from: ref,
    to: ref,
    text: text().optional(),
    textKind: TextKind.optional(),
    credibility: Credibility.optional(),
    facts,
    retractedAt: PartialDate.optional(),
    retractionReason: text().optional(),
  })
  .refine((c) => (c.retractedAt === undefined) === (c.retractionReason === undefined), {
    message: 'retractedAt and retractionReason go together',
    path: ['retractionReason'],
  })
  .refine((c) => c.textKind === undefined || c.text !== undefined, {
    message: 'textKind goes with a text of its own',
    path: ['textKind'],
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
  'artifacts.yaml': ArtifactRecord,
  'links.yaml': TechnicalLinkRecord,
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
export type ArtifactRecord = z.infer<typeof ArtifactRecord>;
export type TechnicalLinkRecord = z.infer<typeof TechnicalLinkRecord>;
