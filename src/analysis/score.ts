/**
 * The scoring method (docs/scoring.md), as pure functions: no database, no GraphQL.
 *
 * - Claims are credited once per independent ORIGIN (the party the information comes from),
 *   not once per outlet that relays it: the origin's strongest claim counts, weighted by the
 *   reliability of the best source reporting it (Admiralty A-F) times the claim's information
 *   credibility (1-6). A news outlet whose claim is carried only by pages that also carry another
 *   party's claim of the same stance is an echo of that party (circular reporting).
 * - Each item of evidence adds its consensus ACH rating against the hypothesis, weighted by
 *   reliability x credibility; inconsistency counts double (Heuer: inconsistent evidence drives
 *   the ranking).
 * - The score is the sum of these contributions (the explanation); probabilities are a softmax
 *   with temperature 1/ln 2 (one full point of net weight doubles the odds); the ICD 203 word is
 *   read off the probability; confidence is judged separately, from how many independent origins
 *   and how much credible, diagnostic evidence the hypothesis rests on.
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
/** Softmax temperature: p ∝ exp(score / T) = 2^score, so one full point of net weight doubles the odds. */
export const TEMPERATURE = 1 / Math.LN2;

export interface SourceRef {
  id: string;
  reliability: Reliability;
  /** Who the information originates from (the relayed actor, else the publisher). */
  origin: string;
  /** The upstream page: this source, or the source it carries (followed to the end). */
  root?: string;
}

export interface ClaimInput {
  id: string;
  stance: 'supports' | 'disputes';
  claimantId: string;
  claimantName: string;
  /** Actor kind of the claimant (a `media` claimant may be an echo of another party). */
  claimantKind?: string;
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
  /** Actor ids the hypothesis names as suspects. */
  suspects?: string[];
  claims: ClaimInput[];
  evidence: EvidenceInput[];
}

export type ContributionKind =
  'SUPPORT' | 'DISPUTE' | 'CONSISTENT_EVIDENCE' | 'INCONSISTENT_EVIDENCE' | 'SELF_SERVING';

export interface Contribution {
  kind: ContributionKind;
  actorId?: string;
  claimId?: string;
  evidenceId?: string;
  /** For SUPPORT and DISPUTE: the independent origin credited. */
  origin?: string;
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
  /** Distinct origins behind the supporting claims. */
  independentOrigins: string[];
  /** True when all support traces back to one origin (or there is none). */
  singleOrigin: boolean;
  /** The origin each counted claim was credited to. */
  claimOrigins: Record<string, string>;
}

/** ICD 203 bands (https://www.dni.gov/files/documents/ICD/ICD-203.pdf). */
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

export const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Weight of a claim: best source reliability x claim credibility (6, cannot be judged, when unrated). */
export function claimWeight(c: ClaimInput): number {
  return round(sourceWeight(c.sources).weight * CREDIBILITY_WEIGHT[c.credibility ?? 6]);
}

/** Weight of an item of evidence: best source reliability x information credibility. */
export function evidenceWeight(e: EvidenceInput): number {
  return round(sourceWeight(e.sources).weight * CREDIBILITY_WEIGHT[e.credibility]);
}

/** Numeric values of the applicable ratings (not-applicable left out). */
export function ratingValues(ratings: RatingInput[]): number[] {
  return ratings
    .filter((r) => r.rating !== 'not-applicable')
    .map((r) => RATING_VALUE[r.rating as Exclude<AchRating, 'not-applicable'>]);
}

/** Mean of the numeric ratings (not-applicable left out); null when nothing applicable. */
export function consensus(ratings: RatingInput[]): number | null {
  const vals = ratingValues(ratings);
  return vals.length ? round(vals.reduce((a, b) => a + b, 0) / vals.length) : null;
}

/**
 * The independent origin of each claim. A claim's information comes from its claimant (the FBI
 * statement is the FBI's however many outlets relay it). A claim by a news outlet (`media`) whose
 * every source page (followed through `carries`) also carries a claim of the same stance by
 * another party is that party's claim reported again: it gets that party's origin.
 */
export function claimOrigins(claims: ClaimInput[]): Map<string, string> {
  const out = new Map<string, string>();
  const root = (s: SourceRef) => s.root ?? s.id;
  for (const c of claims) out.set(c.id, c.claimantId);
  for (const c of claims) {
    if (c.claimantKind !== 'media' || c.sources.length === 0) continue;
    const roots = new Set(c.sources.map(root));
    const others = claims
      .filter(
        (o) =>
          o.stance === c.stance &&
          o.claimantId !== c.claimantId &&
          o.claimantKind !== 'media' &&
          o.sources.some((s) => roots.has(root(s))),
      )
      .sort((a, b) => a.claimantId.localeCompare(b.claimantId));
    const covered = new Set(others.flatMap((o) => o.sources.map(root)));
    if (others.length && [...roots].every((r) => covered.has(r)))
      out.set(c.id, others[0].claimantId);
  }
  return out;
}

/**
 * Suspects' own statements and ratings are self-serving: a suspect denies (or blames others)
 * whether or not it did it, so they have no diagnosticity. They are listed at 0 points.
 */
export function suspectsOf(hypotheses: HypothesisInput[]): Set<string> {
  return new Set(hypotheses.flatMap((h) => h.suspects ?? []));
}

/** The ratings that count: not-applicable kept, ratings by suspects of the incident left out. */
export function countedRatings(ratings: RatingInput[], suspects: Set<string>): RatingInput[] {
  return ratings.filter((r) => !suspects.has(r.raterId));
}

/** The contributions to one hypothesis' score (they add up to the score). */
export function contributions(
  h: HypothesisInput,
  suspects: Set<string> = new Set(h.suspects ?? []),
): Contribution[] {
  const out: Contribution[] = [];
  for (const c of h.claims
    .filter((x) => suspects.has(x.claimantId))
    .sort((a, b) => a.id.localeCompare(b.id)))
    out.push({
      kind: 'SELF_SERVING',
      actorId: c.claimantId,
      claimId: c.id,
      origin: c.claimantId,
      weight: 0,
      points: 0,
      reason: `${c.claimantName} ${c.stance} it, but is itself a suspect in this incident: a self-serving statement, expected under every hypothesis, counts 0`,
    });
  const claims = h.claims.filter((x) => !suspects.has(x.claimantId));
  const origins = claimOrigins(claims);
  for (const stance of ['supports', 'disputes'] as const) {
    const byOrigin = new Map<string, ClaimInput[]>();
    for (const c of claims.filter((x) => x.stance === stance)) {
      const o = origins.get(c.id)!;
      byOrigin.set(o, [...(byOrigin.get(o) ?? []), c]);
    }
    for (const [origin, claims] of [...byOrigin].sort(([a], [b]) => a.localeCompare(b))) {
      const strongest = claims.reduce((best, c) => (claimWeight(c) > claimWeight(best) ? c : best));
      const weight = claimWeight(strongest);
      const { best } = sourceWeight(strongest.sources);
      const echoes = [
        ...new Set(claims.filter((c) => c.claimantId !== origin).map((c) => c.claimantName)),
      ];
      out.push({
        kind: stance === 'supports' ? 'SUPPORT' : 'DISPUTE',
        actorId: strongest.claimantId,
        claimId: strongest.id,
        origin,
        weight,
        points: stance === 'supports' ? weight : -weight,
        reason:
          `${strongest.claimantName} ${stance === 'supports' ? 'supports' : 'disputes'} it ` +
          `(origin ${origin}: ${claims.length} claim${claims.length > 1 ? 's' : ''} counted once; ` +
          `strongest reported by a source rated ${best}, information credibility ${strongest.credibility ?? '6 (not rated)'}` +
          `${echoes.length ? `; ${echoes.join(', ')} only relay${echoes.length > 1 ? '' : 's'} it` : ''})`,
      });
    }
  }
  for (const e of [...h.evidence].sort((a, b) => a.id.localeCompare(b.id))) {
    const ratings = countedRatings(e.ratings, suspects);
    const c = consensus(ratings);
    if (c === null || c === 0) continue;
    const weight = evidenceWeight(e);
    const factor = c < 0 ? INCONSISTENCY_FACTOR : 1;
    out.push({
      kind: c > 0 ? 'CONSISTENT_EVIDENCE' : 'INCONSISTENT_EVIDENCE',
      evidenceId: e.id,
      weight,
      points: round(c * weight * factor),
      reason: `${e.tag} ${e.title}: consensus rating ${c.toFixed(2)} from ${ratings.length} rating(s)${ratings.length < e.ratings.length ? ` (${e.ratings.length - ratings.length} by a suspect left out)` : ''}${c < 0 ? `, inconsistency counted x${INCONSISTENCY_FACTOR}` : ''}`,
    });
  }
  return out;
}

/** Distinct origins behind the supporting claims (circular reporting counted once). */
export function independentOrigins(
  h: HypothesisInput,
  suspects: Set<string> = new Set(h.suspects ?? []),
): string[] {
  const claims = h.claims.filter((c) => !suspects.has(c.claimantId));
  const origins = claimOrigins(claims);
  return [
    ...new Set(claims.filter((c) => c.stance === 'supports').map((c) => origins.get(c.id)!)),
  ].sort();
}

/** Weight at or above which a claim counts as good support: a B source with credibility 2 (0.8 x 0.8). */
export const GOOD_CLAIM_WEIGHT = 0.64;

/**
 * Analytic confidence, apart from likelihood: how good and how independent the evidence base is.
 * HIGH: at least 3 independent origins of good support (weight >= 0.64), at least 2 credible
 * (credibility 1-2) items of consistent evidence, and weighted inconsistency under half the
 * weighted consistency. LOW: at most one origin of support, or no consistent evidence, or
 * inconsistency outweighing consistency. MODERATE otherwise.
 */
export function confidenceOf(
  h: HypothesisInput,
  explanation: Contribution[] = contributions(h),
): { confidence: Confidence; reason: string } {
  const support = explanation.filter((c) => c.kind === 'SUPPORT');
  const origins = support.length;
  const good = support.filter((c) => c.weight >= GOOD_CLAIM_WEIGHT - 1e-9).length;
  const byId = new Map(h.evidence.map((e) => [e.id, e]));
  const consistent = explanation.filter((c) => c.kind === 'CONSISTENT_EVIDENCE');
  const inconsistent = explanation.filter((c) => c.kind === 'INCONSISTENT_EVIDENCE');
  const credible = consistent.filter((c) => byId.get(c.evidenceId!)!.credibility <= 2).length;
  const plus = round(consistent.reduce((s, c) => s + c.points, 0));
  const minus = round(-inconsistent.reduce((s, c) => s + c.points / INCONSISTENCY_FACTOR, 0));
  const reason =
    `${origins} independent origin(s) of support (${good} of good weight), ` +
    `${consistent.length} consistent item(s) of evidence (${credible} credible) weighing ${plus.toFixed(2)}, ` +
    `${inconsistent.length} inconsistent item(s) weighing ${minus.toFixed(2)}`;
  if (origins <= 1 || consistent.length === 0 || minus > plus)
    return { confidence: 'LOW', reason: `${reason}: thin, single-origin or contested` };
  if (good >= 3 && credible >= 2 && minus < plus / 2)
    return { confidence: 'HIGH', reason: `${reason}: well corroborated` };
  return { confidence: 'MODERATE', reason: `${reason}: partly corroborated` };
}

/** Softmax of scores with temperature `t`; an empty list gives an empty list. */
export function probabilities(scores: number[], t = TEMPERATURE): number[] {
  if (!scores.length) return [];
  const max = Math.max(...scores);
  const ex = scores.map((s) => Math.exp((s - max) / t));
  const z = ex.reduce((a, b) => a + b, 0);
  return ex.map((x) => round(x / z));
}

/**
 * Assesses and ranks the hypotheses of one incident. Deterministic: ties in score break by
 * hypothesis id. Probabilities are a softmax over the scores (they sum to 1 across the set).
 */
export function assess(hypotheses: HypothesisInput[]): AssessmentResult[] {
  const suspects = suspectsOf(hypotheses);
  const scored = hypotheses.map((h) => {
    const explanation = contributions(h, suspects);
    const score = round(explanation.reduce((s, c) => s + c.points, 0));
    return { h, explanation, score };
  });
  const ranked = [...scored].sort((a, b) => b.score - a.score || a.h.id.localeCompare(b.h.id));
  const probs = probabilities(ranked.map((s) => s.score));
  return ranked.map((s, i) => {
    const probability = probs[i];
    const { word, band } = likelihoodOf(probability);
    const origins = independentOrigins(s.h, suspects);
    const { confidence, reason } = confidenceOf(s.h, s.explanation);
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
      singleOrigin: origins.length <= 1,
      claimOrigins: Object.fromEntries([
        ...s.h.claims.map((c) => [c.id, c.claimantId]),
        ...claimOrigins(s.h.claims.filter((c) => !suspects.has(c.claimantId))),
      ]),
    };
  });
}
