import { z } from 'zod';

/**
 * The closed vocabularies of the domain, each declared once as a zod enum of its stored values
 * (lowercase, hyphenated). The GraphQL enum of the same name is derived with {@link graphqlEnum}:
 * `very-consistent` is served as `VERY_CONSISTENT`.
 */

export const ActorKind = z.enum([
  'state',
  'agency',
  'unit',
  'group',
  'company',
  'media',
  'person',
  'persona',
]);
/** What a claim on a hypothesis does with it. */
export const Stance = z.enum(['supports', 'disputes']);
/** Every stance a Claim node can have: on a hypothesis, or asserting a materialised link. */
export const ClaimStance = z.enum([
  'supports',
  'disputes',
  'asserts-alias',
  'asserts-affiliation',
  'asserts-link',
]);
/** The technical link a claim asserts (stored lowercase; the relationship type is uppercase). */
export const TechnicalLink = z.enum([
  'uses',
  'communicates-with',
  'indicates',
  'variant-of',
  'drops',
  'resolves-to',
  'targets',
  'located-at',
  'observed-in',
]);
/** What kind of place a `Location` is (`place`: its producer says none). */
export const LocationType = z.enum([
  'region',
  'country',
  'administrative-area',
  'city',
  'point',
  'place',
]);
/** The kinds of artifact, as STIX 2.1 names them (`observable` stands for the cyber observables). */
export const ArtifactKind = z.enum([
  'malware',
  'tool',
  'infrastructure',
  'attack-pattern',
  'indicator',
  'vulnerability',
  'observable',
]);
/** STIX cyber-observable types an Observable may have. */
export const ObservableType = z.enum([
  'ipv4-addr',
  'ipv6-addr',
  'domain-name',
  'url',
  'email-addr',
  'file',
  'mutex',
  'windows-registry-key',
]);
export const TextKind = z.enum(['quote', 'paraphrase']);
export const DatePrecision = z.enum(['day', 'month', 'year', 'unknown']);
/** An ACH rating of one item of evidence against one hypothesis. */
export const AchRating = z.enum([
  'very-consistent',
  'consistent',
  'neutral',
  'inconsistent',
  'very-inconsistent',
  'not-applicable',
]);
export const EvidenceKind = z.enum([
  'malware',
  'infrastructure',
  'linguistic',
  'motive',
  'insider-knowledge',
  'timing',
  'official-statement',
  'classified',
]);
export const EventKind = z.enum([
  'attack',
  'threat',
  'leak',
  'cancellation',
  'release',
  'statement',
  'attribution',
  'denial',
  'sanction',
  'outage',
  'indictment',
  'report',
  'other',
]);
/** NATO Admiralty reliability of a source (A-F). */
export const Reliability = z.enum(['A', 'B', 'C', 'D', 'E', 'F']);
/** An analyst's opinion of a hypothesis. */
export const OpinionValue = z.enum([
  'strongly-disagree',
  'disagree',
  'neutral',
  'agree',
  'strongly-agree',
]);

export type ActorKind = z.infer<typeof ActorKind>;
export type Stance = z.infer<typeof Stance>;
export type ClaimStance = z.infer<typeof ClaimStance>;
export type TextKind = z.infer<typeof TextKind>;
export type DatePrecision = z.infer<typeof DatePrecision>;
export type AchRating = z.infer<typeof AchRating>;
export type EvidenceKind = z.infer<typeof EvidenceKind>;
export type EventKind = z.infer<typeof EventKind>;
export type Reliability = z.infer<typeof Reliability>;
export type OpinionValue = z.infer<typeof OpinionValue>;
export type TechnicalLink = z.infer<typeof TechnicalLink>;
export type ArtifactKind = z.infer<typeof ArtifactKind>;
export type LocationType = z.infer<typeof LocationType>;
export type ObservableType = z.infer<typeof ObservableType>;

/**
 * The GraphQL name of a stored enum value: `very-consistent` -> `VERY_CONSISTENT`, and a
 * property name `retractionReason` -> `RETRACTION_REASON`.
 */
export const graphqlEnumName = (value: string): string =>
  value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/-/g, '_');

/** The resolver map of a GraphQL enum (GraphQL name -> stored value), derived from its values. */
export function graphqlEnum(
  values: readonly string[] | { options: readonly string[] },
): Record<string, string> {
  const list = 'options' in values ? values.options : values;
  return Object.fromEntries(list.map((v) => [graphqlEnumName(v), v]));
}
