/**
 * Every constant of the attribution method, in one place (docs/scoring.md §2 explains each).
 *
 * The method is Bayesian ACH: explicit priors over a mutually exclusive and exhaustive set of
 * hypotheses, one likelihood row per item of evidence (ACH words mapped to likelihood ratios),
 * parties' findings entered as evidence whose strength reflects the party's access and
 * reliability, dependent findings grouped so restatements add nothing. Change a value here and
 * bump METHOD_VERSION: `Assessment.method` tells which version produced a number.
 */

/** Name and version of the method, reported as `Assessment.method` and `Judgment.method`. */
export const METHOD_VERSION = 'evidence-lr/1.0';

export type Reliability = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
export type AchRating =
  | 'very-consistent'
  | 'consistent'
  | 'neutral'
  | 'inconsistent'
  | 'very-inconsistent'
  | 'not-applicable';
export type Rated = Exclude<AchRating, 'not-applicable'>;

/**
 * ACH words as steps on a likelihood-ratio scale (Heuer ch. 8 ratings read as likelihoods). One
 * step is BITS_PER_STEP bits: "consistent" means the item is twice as likely under this
 * hypothesis as under one on which it is neutral; "very inconsistent" a quarter as likely.
 */
export const RATING_STEPS: Record<Rated, number> = {
  'very-consistent': 2,
  consistent: 1,
  neutral: 0,
  inconsistent: -1,
  'very-inconsistent': -2,
};

/** Bits (log2 likelihood ratio) per rating step: 1 bit = a likelihood ratio of 2. */
export const BITS_PER_STEP = 1;

/**
 * Admiralty information credibility (1 confirmed .. 5 improbable) as the weight of an item's
 * likelihood ratio (the ratio is raised to this power: a doubtful item moves the estimate less).
 * 6 "cannot be judged" is unknown: it weighs as 4 (never more than "doubtful"), and the
 * sensitivity panel spans it from 0 to the weight of 3.
 */
export const CREDIBILITY_WEIGHT: Record<number, number> = {
  1: 1,
  2: 0.8,
  3: 0.6,
  4: 0.4,
  5: 0.2,
  6: 0.4,
};
/** The range the sensitivity panel gives "cannot be judged" (credibility 6, reliability F). */
export const UNKNOWN_GRADE_RANGE: [number, number] = [0, 0.6];

/**
 * Admiralty source reliability, graded on the ORIGINATOR of a finding (the FBI, not Reuters
 * that carried its statement), as a weight. F "cannot be judged" weighs as D and ranges like 6.
 */
export const RELIABILITY_WEIGHT: Record<Reliability, number> = {
  A: 1,
  B: 0.8,
  C: 0.6,
  D: 0.4,
  E: 0.2,
  F: 0.4,
};

/**
 * The carrier's fidelity (the Admiralty grade of the page that carried the item, kept apart from
 * the originator's reliability): a reprint or an anonymous page may garble what it carries. The
 * best carrier counts.
 */
export const FIDELITY_WEIGHT: Record<Reliability, number> = {
  A: 1,
  B: 1,
  C: 0.9,
  D: 0.8,
  E: 0.6,
  F: 0.8,
};

/**
 * What a party could see when it concluded, and so how much its conclusion can add beyond the
 * evidence it cites (the most bits a finding can carry, before reliability and credibility):
 * - direct: investigators with access to the victim's systems or to intelligence (FBI, DOJ, DNI);
 * - technical: analysts of the samples, infrastructure or telemetry (security vendors, Dyn);
 * - public: public information only (researchers, journalists): their conclusion adds nothing
 *   beyond their arguments, which are recorded as readings of the items they criticise;
 * - policy: statements and acts resting on others' findings (a president, sanctions): nothing.
 * A finding never carries more than 4 bits (a likelihood ratio of 16): one claim cannot make
 * anything certain.
 */
export type Access = 'direct' | 'technical' | 'public' | 'policy';
export const ACCESS_BITS: Record<Access, number> = {
  direct: 4,
  technical: 2,
  public: 0,
  policy: 0,
};
/** Access of a party whose access is not recorded. */
export const DEFAULT_ACCESS: Access = 'public';

/**
 * Weight of the dependent members of a dependency group (restatements, relays, the same
 * organisation speaking again): only the group's strongest finding per hypothesis counts.
 */
export const RESTATEMENT_WEIGHT = 0;

/**
 * A party's reading of an item as neutral where the case analysts read it as pointing somewhere
 * (a sceptic's argument that it is not diagnostic) challenges the item: its likelihood ratio is
 * raised to this power. A reading of the opposite sign applies it twice. Arguments count once
 * per item, however many parties make them (voices do not vote).
 */
export const CHALLENGE_FACTOR = 0.75;

/** Rater ids whose readings form the likelihood rows (the case analysts); others are arguments. */
export const CASE_ANALYSTS = ['case-analysts'];

/** Prior weight of each hypothesis when no base rate is cited: uniform over the set. */
export const DEFAULT_PRIOR = 1;

/** Actor kinds whose statements about the incident are self-serving (the attackers' own persona). */
export const SELF_SERVING_KINDS = ['persona'];

/** Evidence kinds counted as technical evidence (ODNI indicator classes: tradecraft, infrastructure, malware). */
export const TECHNICAL_KINDS = [
  'malware',
  'infrastructure',
  'insider-knowledge',
  'timing',
  'linguistic',
];

/**
 * Confidence rubric (ICD 203: confidence in the judgment, apart from its likelihood); see
 * docs/scoring.md §4. A group is "supporting" when it moves the key judgment by at least
 * MIN_GROUP_BITS in the judgment's direction.
 */
export const CONFIDENCE_RUBRIC = {
  MIN_GROUP_BITS: 0.5,
  HIGH_MIN_GROUPS: 3,
  MODERATE_MIN_GROUPS: 2,
  HIGH_MIN_COVERAGE: 0.8,
  MODERATE_MIN_COVERAGE: 0.5,
  /** Largest share of the supporting bits one group may carry for HIGH. */
  HIGH_MAX_GROUP_SHARE: 0.5,
  /** HIGH needs less than this share of the support on items a sceptic challenged. */
  HIGH_MAX_CHALLENGED_SHARE: 0.5,
  /** HIGH needs less than this share of the support on unreleased material (items of credibility 3-6 or classified, officials' conclusions). */
  HIGH_MAX_UNAVAILABLE_SHARE: 0.5,
  /** Most ICD bands one constant at a time may move the judgment over, for HIGH. */
  HIGH_MAX_BANDS: 2,
};

/** ICD 203 bands (https://www.dni.gov/files/documents/ICD/ICD-203.pdf). */
export type Likelihood =
  | 'ALMOST_NO_CHANCE'
  | 'VERY_UNLIKELY'
  | 'UNLIKELY'
  | 'ROUGHLY_EVEN_CHANCE'
  | 'LIKELY'
  | 'VERY_LIKELY'
  | 'ALMOST_CERTAIN';
export const ICD203: { word: Likelihood; min: number; max: number }[] = [
  { word: 'ALMOST_NO_CHANCE', min: 0, max: 0.05 },
  { word: 'VERY_UNLIKELY', min: 0.05, max: 0.2 },
  { word: 'UNLIKELY', min: 0.2, max: 0.45 },
  { word: 'ROUGHLY_EVEN_CHANCE', min: 0.45, max: 0.55 },
  { word: 'LIKELY', min: 0.55, max: 0.8 },
  { word: 'VERY_LIKELY', min: 0.8, max: 0.95 },
  { word: 'ALMOST_CERTAIN', min: 0.95, max: 1 },
];

/** The constants the sensitivity panel varies, each over a documented range. */
export interface MethodParams {
  bitsPerStep: number;
  accessScale: number;
  unknownGrade: number;
  restatementWeight: number;
  challengeFactor: number;
}
export const PARAMS: MethodParams = {
  bitsPerStep: BITS_PER_STEP,
  accessScale: 1,
  unknownGrade: CREDIBILITY_WEIGHT[6],
  restatementWeight: RESTATEMENT_WEIGHT,
  challengeFactor: CHALLENGE_FACTOR,
};
export const SENSITIVITY_RANGES: { name: keyof MethodParams; label: string; values: number[] }[] = [
  { name: 'bitsPerStep', label: 'bits per rating step', values: [0.5, 1, 1.5] },
  { name: 'accessScale', label: 'strength of findings (x access bits)', values: [0.5, 1, 1.5] },
  {
    name: 'unknownGrade',
    label: 'weight of "cannot be judged" (F, 6)',
    values: UNKNOWN_GRADE_RANGE,
  },
  { name: 'restatementWeight', label: 'weight of restatements', values: [0, 0.25] },
  { name: 'challengeFactor', label: "weight left by a sceptic's challenge", values: [0.5, 1] },
];
