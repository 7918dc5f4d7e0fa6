/**
 * The scoring method (docs/scoring.md), as pure functions: no database, no GraphQL.
 *
 * - Each actor counts once per stance (its strongest claim), weighted by the reliability of the
 *   best source reporting it (Admiralty A-F) times the claim's information credibility (1-6).
 * - Each item of evidence adds its consensus ACH rating against the hypothesis, weighted the same
 *   way; inconsistency counts double (Heuer: inconsistent evidence drives the ranking).
 * - The score is the sum of these contributions; probabilities are a softmax over the incident's
 *   hypotheses; the ICD 203 word is read off the probability; confidence is judged separately
 *   from how many independent origins and how credible the evidence base is.
 */

export type Reliability = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
export type AchRating =
  | 'very-consistent'
  | 'consistent'
  | 'neutral'
  | 'inconsistent'
  | 'very-inconsistent'
  | 'not-applicable';

/** Admiralty reliability as a weight: A completely reliable ... E unreliable; F cannot be judged sits mid-way. */
export const RELIABILITY_WEIGHT: Record<Reliability, number> = {
  A: 1,
  B: 0.8,
  C: 0.6,
  D: 0.4,
  E: 0.2,
  F: 0.5,
};
/** Admiralty information credibility as a weight: 1 confirmed ... 5 improbable; 6 cannot be judged sits mid-way. */
export const CREDIBILITY_WEIGHT: Record<number, number> = {
  1: 1,
  2: 0.8,
  3: 0.6,
  4: 0.4,
  5: 0.2,
  6: 0.5,
};
/** ACH ratings as numbers (not-applicable is left out). */
export const RATING_VALUE: Record<Exclude<AchRating, 'not-applicable'>, number> = {
  'very-consistent': 2,
  consistent: 1,
  neutral: 0,
  inconsistent: -1,
  'very-inconsistent': -2,
};
/** Heuer: inconsistency weighs more than consistency. */
export const INCONSISTENCY_FACTOR = 2;

export interface SourceRef {
  id: string;
  reliability: Reliability;
  /** Who the information originates from (the relayed actor, else the publisher): for independence. */
  origin: string;
}

export interface ClaimInput {
  id: string;
  stance: 'supports' | 'disputes';
  claimantId: string;
  claimantName: string;
  credibility: number | null;
  sources: SourceRef[];
}

export interface RatingInput {
  id: string;
  rating: AchRating;
  raterId: string;
}

export interface EvidenceInput {
  id: string;
  tag: string;
  title: string;
  credibility: number;
  sources: SourceRef[];
  /** Ratings against this hypothesis only. */
  ratings: RatingInput[];
}

export interface HypothesisInput {
  id: string;
  claims: ClaimInput[];
  evidence: EvidenceInput[];
}

export type ContributionKind =
  'SUPPORT' | 'DISPUTE' | 'CONSISTENT_EVIDENCE' | 'INCONSISTENT_EVIDENCE';

export interface Contribution {
  kind: ContributionKind;
  actorId?: string;
  claimId?: string;
  evidenceId?: string;
  weight: number;
  points: number;
  reason: string;
}

export type Likelihood =
  | 'ALMOST_NO_CHANCE'
  | 'VERY_UNLIKELY'
  | 'UNLIKELY'
  | 'ROUGHLY_EVEN_CHANCE'
  | 'LIKELY'
  | 'VERY_LIKELY'
  | 'ALMOST_CERTAIN';
export type Confidence = 'LOW' | 'MODERATE' | 'HIGH';

export interface AssessmentResult {
  hypothesisId: string;
  rank: number;
  score: number;
  probability: number;
  likelihood: Likelihood;
  likelihoodBand: string;
  confidence: Confidence;
  confidenceReason: string;
  explanation: Contribution[];
  independentOrigins: string[];
}

/** ICD 203 bands: upper bound of each word's range (https://www.dni.gov/files/documents/ICD/ICD-203.pdf). */
export const ICD203: { word: Likelihood; min: number; max: number }[] = [
  { word: 'ALMOST_NO_CHANCE', min: 0, max: 0.05 },
  { word: 'VERY_UNLIKELY', min: 0.05, max: 0.2 },
  { word: 'UNLIKELY', min: 0.2, max: 0.45 },
  { word: 'ROUGHLY_EVEN_CHANCE', min: 0.45, max: 0.55 },
  { word: 'LIKELY', min: 0.55, max: 0.8 },
  { word: 'VERY_LIKELY', min: 0.8, max: 0.95 },
  { word: 'ALMOST_CERTAIN', min: 0.95, max: 1 },
];

/** The ICD 203 word for a probability; a value on a boundary takes the lower band. */
export function likelihoodOf(p: number): { word: Likelihood; band: string } {
  const b = ICD203.find((x) => p <= x.max) ?? ICD203[ICD203.length - 1];
  const pct = (v: number) => Math.round(v * 100);
  const lo = b.word === 'ALMOST_NO_CHANCE' ? 1 : pct(b.min);
  const hi = b.word === 'ALMOST_CERTAIN' ? 99 : pct(b.max);
  return { word: b.word, band: `${lo}-${hi} %` };
}

/** Weight of a set of sources: the best reliability among them (F, cannot be judged, when none). */
export function sourceWeight(sources: SourceRef[]): { weight: number; best: Reliability } {
  const best = sources
    .map((s) => s.reliability)
    .reduce<Reliability>(
      (a, b) => (RELIABILITY_WEIGHT[b] > RELIABILITY_WEIGHT[a] ? b : a),
      sources.length ? sources[0].reliability : 'F',
    );
  return { weight: RELIABILITY_WEIGHT[best], best };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Weight of a claim: best source reliability x claim credibility (6, cannot be judged, when unrated). */
export function claimWeight(c: ClaimInput): number {
  return round(sourceWeight(c.sources).weight * CREDIBILITY_WEIGHT[c.credibility ?? 6]);
}

/** Mean of the numeric ratings (not-applicable left out); null when nothing applicable. */
export function consensus(ratings: RatingInput[]): number | null {
  const vals = ratings
    .filter((r) => r.rating !== 'not-applicable')
    .map((r) => RATING_VALUE[r.rating as Exclude<AchRating, 'not-applicable'>]);
  return vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null;
}

/** The contributions to one hypothesis' score (they add up to the score). */
export function contributions(h: HypothesisInput): Contribution[] {
  const out: Contribution[] = [];
  for (const stance of ['supports', 'disputes'] as const) {
    const byActor = new Map<string, ClaimInput[]>();
    for (const c of h.claims.filter((x) => x.stance === stance))
      byActor.set(c.claimantId, [...(byActor.get(c.claimantId) ?? []), c]);
    for (const [actorId, claims] of [...byActor].sort(([a], [b]) => a.localeCompare(b))) {
      const strongest = claims.reduce((best, c) => (claimWeight(c) > claimWeight(best) ? c : best));
      const weight = claimWeight(strongest);
      const { best } = sourceWeight(strongest.sources);
      out.push({
        kind: stance === 'supports' ? 'SUPPORT' : 'DISPUTE',
        actorId,
        claimId: strongest.id,
        weight,
        points: stance === 'supports' ? weight : -weight,
        reason: `${strongest.claimantName} ${stance === 'supports' ? 'supports' : 'disputes'} it (${claims.length} claim${claims.length > 1 ? 's' : ''}; strongest reported by a source rated ${best}, information credibility ${strongest.credibility ?? '6 (not rated)'})`,
      });
    }
  }
  for (const e of [...h.evidence].sort((a, b) => a.id.localeCompare(b.id))) {
    const c = consensus(e.ratings);
    if (c === null || c === 0) continue;
    const weight = round(sourceWeight(e.sources).weight * CREDIBILITY_WEIGHT[e.credibility]);
    const factor = c < 0 ? INCONSISTENCY_FACTOR : 1;
    out.push({
      kind: c > 0 ? 'CONSISTENT_EVIDENCE' : 'INCONSISTENT_EVIDENCE',
      evidenceId: e.id,
      weight,
      points: round(c * weight * factor),
      reason: `${e.tag} ${e.title}: consensus rating ${c.toFixed(2)} from ${e.ratings.length} rating(s)${c < 0 ? `, inconsistency counted x${INCONSISTENCY_FACTOR}` : ''}`,
    });
  }
  return out;
}

/** Distinct origins behind the supporting claims (circular reporting counted once). */
export function independentOrigins(h: HypothesisInput): string[] {
  return [
    ...new Set(
      h.claims
        .filter((c) => c.stance === 'supports')
        .flatMap((c) => c.sources.map((s) => s.origin)),
    ),
  ].sort();
}

function confidenceOf(
  h: HypothesisInput,
  origins: string[],
): { confidence: Confidence; reason: string } {
  const credible = h.evidence.filter(
    (e) => e.credibility <= 2 && (consensus(e.ratings) ?? 0) !== 0,
  ).length;
  const rated = h.evidence.filter((e) => consensus(e.ratings) !== null).length;
  const reason = `${origins.length} independent origin(s) of support, ${credible} item(s) of credible (1-2) diagnostic evidence, ${rated} rated item(s)`;
  if (origins.length >= 4 && credible >= 2) return { confidence: 'HIGH', reason };
  if (origins.length >= 2 && rated >= 1) return { confidence: 'MODERATE', reason };
  return { confidence: 'LOW', reason };
}

/**
 * Assesses and ranks the hypotheses of one incident. Deterministic: ties in score break by
 * hypothesis id. Probabilities are a softmax over the scores (they sum to 1 across the set).
 */
export function assess(hypotheses: HypothesisInput[]): AssessmentResult[] {
  const scored = hypotheses.map((h) => {
    const explanation = contributions(h);
    const score = round(explanation.reduce((s, c) => s + c.points, 0));
    return { h, explanation, score };
  });
  const max = Math.max(...scored.map((s) => s.score), 0);
  const z = scored.reduce((s, x) => s + Math.exp(x.score - max), 0);
  const ranked = [...scored].sort((a, b) => b.score - a.score || a.h.id.localeCompare(b.h.id));
  return ranked.map((s, i) => {
    const probability = round(Math.exp(s.score - max) / z);
    const { word, band } = likelihoodOf(probability);
    const origins = independentOrigins(s.h);
    const { confidence, reason } = confidenceOf(s.h, origins);
    return {
      hypothesisId: s.h.id,
      rank: i + 1,
      score: s.score,
      probability,
      likelihood: word,
      likelihoodBand: band,
      confidence,
      confidenceReason: reason,
      explanation: s.explanation,
      independentOrigins: origins,
    };
  });
}
