/**
 * The judgment on an incident as of a date: the key marginal (e.g. "North Korean state behind
 * it") with its log-odds steps per unit (they sum to the change from the prior), the technical
 * evidence apart, confidence by the ICD 203 rubric, and the sensitivity panel.
 */
import {
  CONFIDENCE_RUBRIC as R,
  Likelihood,
  METHOD_VERSION,
  MethodParams,
  PARAMS,
  SENSITIVITY_RANGES,
} from './constants';
import type { CaseInput } from './inputs';
import {
  CoreResult,
  EvidenceClass,
  MarginalResult,
  UnitResult,
  bandIndex,
  evaluate,
  likelihoodOf,
  marginalBits,
  round,
} from './method';

export type Confidence = 'LOW' | 'MODERATE' | 'HIGH';

/** How much one unit (an item, or a dependency group of findings) moved the key judgment. */
export interface StepResult {
  key: string;
  label: string;
  kind: 'ITEM' | 'GROUP';
  evidenceClass: EvidenceClass;
  knownFrom: string | null;
  /** Change in the key judgment's log-odds (bits) when the unit is added after those before it (date order). */
  bits: number;
  /** Change in log-odds when the unit alone is left out (its weight given everything else). */
  leaveOutBits: number;
  /** Whether leaving it out alone flips the judgment across 50 % or moves it two or more ICD bands. */
  critical: boolean;
  members: string[];
}

export interface ConfidenceFactors {
  supportingGroups: number;
  criticalGroups: number;
  coverage: number;
  largestShare: number;
  meanChallenges: number;
  /** Share of the support carried by items a sceptic challenged. */
  challengedShare: number;
  unavailableShare: number;
  sensitivityBands: number;
  crossesEven: boolean;
}

export interface SensitivityVariant {
  name: string;
  label: string;
  value: number;
  probability: number;
  likelihood: Likelihood;
}

export interface SensitivityResult {
  low: number;
  high: number;
  lowWord: Likelihood;
  highWord: Likelihood;
  /** Every likelihood word the key judgment takes over the grid. */
  words: Likelihood[];
  /** The words it takes when one constant at a time moves over its range (the rubric uses these). */
  oneAtATimeWords: Likelihood[];
  /** One constant at a time, the others at their published values. */
  variants: SensitivityVariant[];
  /** Blank cells read as the least and the most favourable rating step for the key judgment. */
  blanksLow: number;
  blanksHigh: number;
  gridSize: number;
}

export interface JudgmentResult {
  method: string;
  key: MarginalResult | null;
  marginals: MarginalResult[];
  /** The key judgment from technical evidence alone (no findings, statements, motive). */
  technicalOnly: MarginalResult | null;
  steps: StepResult[];
  confidence: Confidence;
  confidenceReason: string;
  factors: ConfidenceFactors;
  sensitivity: SensitivityResult | null;
}

export interface CaseAssessment extends CoreResult {
  judgment: JudgmentResult;
}

/** Per-hypothesis log2 weights with a subset of units (all when `keep` is omitted). */
function logWeights(core: CoreResult, keep?: (u: UnitResult) => boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const h of core.hypotheses) {
    let s = Math.log2(h.prior);
    for (const u of core.units) if (!keep || keep(u)) s += u.bits[h.hypothesisId] ?? 0;
    out[h.hypothesisId] = s;
  }
  return out;
}

const toP = (bits: number) =>
  bits === Infinity ? 1 : bits === -Infinity ? 0 : 1 / (1 + 2 ** -bits);

function marginalFrom(
  core: CoreResult,
  key: MarginalResult,
  keep: (u: UnitResult) => boolean,
  label: string,
): MarginalResult {
  const b = marginalBits(logWeights(core, keep), key.hypothesisIds);
  const p = round(toP(b));
  const { word, band } = likelihoodOf(p);
  return {
    ...key,
    label,
    probability: p,
    likelihood: word,
    likelihoodBand: band,
    bits: round(b, 4),
  };
}

/** The key judgment's steps (date order, summing to the change from the prior) and leave-one-out effects. */
function stepsOf(core: CoreResult, key: MarginalResult): StepResult[] {
  const order = [...core.units].sort(
    (a, b) =>
      (a.knownFrom ?? '9999').localeCompare(b.knownFrom ?? '9999') || a.key.localeCompare(b.key),
  );
  const ids = key.hypothesisIds;
  const all = marginalBits(logWeights(core), ids);
  const pAll = toP(all);
  const lw: Record<string, number> = {};
  for (const h of core.hypotheses) lw[h.hypothesisId] = Math.log2(h.prior);
  let prev = marginalBits(lw, ids);
  return order.map((u) => {
    for (const h of core.hypotheses) lw[h.hypothesisId] += u.bits[h.hypothesisId] ?? 0;
    const now = marginalBits(lw, ids);
    const without = marginalBits(
      logWeights(core, (x) => x !== u),
      ids,
    );
    const pWithout = toP(without);
    const step = { bits: round(now - prev, 4), leaveOut: round(all - without, 4) };
    prev = now;
    return {
      key: u.key,
      label: u.label,
      kind: u.kind,
      evidenceClass: u.evidenceClass,
      knownFrom: u.knownFrom,
      bits: Number.isFinite(step.bits) ? step.bits : 0,
      leaveOutBits: Number.isFinite(step.leaveOut) ? step.leaveOut : 0,
      critical:
        (pAll - 0.5) * (pWithout - 0.5) < 0 ||
        Math.abs(bandIndex(round(pAll)) - bandIndex(round(pWithout))) >= 2,
      members: u.members,
    };
  });
}

/**
 * Sensitivity of the key judgment to the published constants (one at a time, and with `grid` the
 * whole grid of their ranges) and to the blank cells read one step either way.
 */
export function sensitivity(
  input: CaseInput,
  base: CoreResult,
  opts: { grid?: boolean } = {},
): SensitivityResult | null {
  const key = base.key;
  if (!key) return null;
  const isBase = (params: MethodParams) =>
    (Object.keys(PARAMS) as (keyof MethodParams)[]).every((k) => params[k] === PARAMS[k]);
  const pOf = (params: MethodParams) => {
    if (isBase(params)) return key.probability;
    const k = evaluate(input, params).marginals.find((m) => m.key === key.key);
    return k ? k.probability : 0;
  };
  const variants: SensitivityVariant[] = [];
  for (const r of SENSITIVITY_RANGES)
    for (const v of r.values) {
      const p = pOf({ ...PARAMS, [r.name]: v });
      variants.push({
        name: r.name,
        label: r.label,
        value: v,
        probability: p,
        likelihood: likelihoodOf(p).word,
      });
    }
  // The full grid of the ranges (only when asked: it is the costly part).
  let grid: MethodParams[] = [{ ...PARAMS }];
  for (const r of SENSITIVITY_RANGES)
    grid = grid.flatMap((g) => r.values.map((v) => ({ ...g, [r.name]: v })));
  const ps = opts.grid ? grid.map(pOf) : variants.map((v) => v.probability);
  // Blank cells at -1 or +1 step for the key judgment's hypotheses (the others the opposite way).
  const blanks = (dir: number) => {
    const lw = logWeights(base);
    for (const r of base.rows)
      for (const c of r.cells)
        if (c.origin === 'MISSING')
          lw[c.hypothesisId] +=
            (key.hypothesisIds.includes(c.hypothesisId) ? dir : -dir) *
            PARAMS.bitsPerStep *
            r.weight;
    return round(toP(marginalBits(lw, key.hypothesisIds)));
  };
  const blanksLow = blanks(-1);
  const blanksHigh = blanks(1);
  const all = [...ps, key.probability];
  const low = round(Math.min(...all));
  const high = round(Math.max(...all));
  const wordsOf = (xs: number[]) => [
    ...new Set([...xs].sort((a, b) => a - b).map((p) => likelihoodOf(p).word)),
  ];
  const words = wordsOf(all);
  const oneAtATimeWords = wordsOf([...variants.map((v) => v.probability), key.probability]);
  return {
    low,
    high,
    lowWord: likelihoodOf(low).word,
    highWord: likelihoodOf(high).word,
    words,
    oneAtATimeWords,
    variants,
    blanksLow,
    blanksHigh,
    gridSize: opts.grid ? grid.length : variants.length,
  };
}

/**
 * ICD 203 confidence in the key judgment (docs/scoring.md §4): from the independent supporting
 * groups, fragility (critical groups), coverage of the matrix, reliance on one group or on
 * unavailable material, sceptics' challenges, and the sensitivity range. The likelihood word and
 * the confidence never contradict: HIGH needs a judgment at least "very likely" (or at most
 * "very unlikely") that stays on one side of 50 % over the sensitivity grid; an even-chance
 * judgment is LOW.
 */
export function confidenceOf(
  core: CoreResult,
  steps: StepResult[],
  sens: SensitivityResult | null,
): { confidence: Confidence; reason: string; factors: ConfidenceFactors } {
  const key = core.key;
  const p = key?.probability ?? 0.5;
  const dir = p >= 0.5 ? 1 : -1;
  const supporting = steps.filter((s) => s.leaveOutBits * dir >= R.MIN_GROUP_BITS);
  const totalSupport = supporting.reduce((s, x) => s + x.leaveOutBits * dir, 0);
  const largest = supporting.reduce((m, x) => Math.max(m, x.leaveOutBits * dir), 0);
  const unreleased = new Set(core.units.filter((u) => u.unreleased).map((u) => u.key));
  const unavailable = supporting
    .filter((s) => unreleased.has(s.key))
    .reduce((s, x) => s + x.leaveOutBits * dir, 0);
  const challenged = supporting
    .filter(
      (s) =>
        s.kind === 'ITEM' &&
        core.rows.some((r) => `item:${r.evidenceId}` === s.key && r.challenges.length > 0),
    )
    .reduce((s, x) => s + x.leaveOutBits * dir, 0);
  const diagnostic = core.rows.filter((r) => r.diagnosticity > 0);
  const meanChallenges = diagnostic.length
    ? diagnostic.reduce((s, r) => s + r.challenges.reduce((t, c) => t + c.strength, 0), 0) /
      diagnostic.length
    : 0;
  const factors: ConfidenceFactors = {
    supportingGroups: supporting.length,
    criticalGroups: steps.filter((s) => s.critical).length,
    coverage: core.rows.length ? core.coverage.share : 0,
    largestShare: totalSupport > 0 ? round(largest / totalSupport, 3) : 1,
    meanChallenges: round(meanChallenges, 3),
    challengedShare: totalSupport > 0 ? round(challenged / totalSupport, 3) : 0,
    unavailableShare: totalSupport > 0 ? round(unavailable / totalSupport, 3) : 0,
    sensitivityBands: sens ? sens.oneAtATimeWords.length : 1,
    crossesEven: sens
      ? sens.variants.some((v) => (v.probability - 0.5) * (p - 0.5) < 0) ||
        (sens.blanksLow - 0.5) * (sens.blanksHigh - 0.5) < 0
      : false,
  };
  const word = likelihoodOf(p).word;
  const why = [
    `${factors.supportingGroups} independent group(s) of evidence support the judgment`,
    `${factors.criticalGroups} whose loss alone would overturn it or move it two bands`,
    core.rows.length
      ? `${Math.round(factors.coverage * 100)} % of the matrix rated`
      : 'no item of evidence on record',
    `the largest group carries ${Math.round(factors.largestShare * 100)} % of the support`,
    `${Math.round(factors.unavailableShare * 100)} % rests on unreleased material (unconfirmed or classified items, officials' conclusions)`,
    `${Math.round(factors.challengedShare * 100)} % on items a sceptic challenged`,
    sens
      ? `one constant at a time moves it over ${factors.sensitivityBands} ICD band(s) (the whole grid: ${Math.round(sens.low * 100)}-${Math.round(sens.high * 100)} %)`
      : 'no sensitivity computed',
  ].join('; ');
  const extreme = ['ALMOST_NO_CHANCE', 'VERY_UNLIKELY', 'VERY_LIKELY', 'ALMOST_CERTAIN'].includes(
    word,
  );
  if (
    word === 'ROUGHLY_EVEN_CHANCE' ||
    factors.supportingGroups < R.MODERATE_MIN_GROUPS ||
    factors.coverage < R.MODERATE_MIN_COVERAGE ||
    factors.crossesEven ||
    factors.criticalGroups > 1
  )
    return { confidence: 'LOW', reason: `${why}: thin, fragile or contested`, factors };
  if (
    extreme &&
    factors.supportingGroups >= R.HIGH_MIN_GROUPS &&
    factors.criticalGroups === 0 &&
    factors.coverage >= R.HIGH_MIN_COVERAGE &&
    factors.largestShare <= R.HIGH_MAX_GROUP_SHARE &&
    factors.challengedShare < R.HIGH_MAX_CHALLENGED_SHARE &&
    factors.unavailableShare < R.HIGH_MAX_UNAVAILABLE_SHARE &&
    factors.sensitivityBands <= R.HIGH_MAX_BANDS
  )
    return {
      confidence: 'HIGH',
      reason: `${why}: several independent, robust lines of evidence`,
      factors,
    };
  return {
    confidence: 'MODERATE',
    reason: `${why}: credible but partly corroborated or sensitive`,
    factors,
  };
}

/**
 * THE analysis entry point: one incident's inputs as of a date -> the ranked hypotheses with
 * their explanations, the matrix, the marginals and the judgment with its confidence. Callers
 * (the API, the cache, trajectories, rankings) wrap this one function.
 */
export function assessCase(
  input: CaseInput,
  opts: { sensitivity?: 'none' | 'variants' | 'grid' } = {},
): CaseAssessment {
  const core = evaluate(input, PARAMS);
  if (!core.key)
    return {
      ...core,
      judgment: {
        method: METHOD_VERSION,
        key: null,
        marginals: [],
        technicalOnly: null,
        steps: [],
        confidence: 'LOW',
        confidenceReason: 'no hypotheses',
        factors: {
          supportingGroups: 0,
          criticalGroups: 0,
          coverage: core.coverage.share,
          largestShare: 1,
          meanChallenges: 0,
          challengedShare: 0,
          unavailableShare: 0,
          sensitivityBands: 1,
          crossesEven: false,
        },
        sensitivity: null,
      },
    };
  // The rubric uses the one-at-a-time variants; the grid only widens the reported range.
  const steps = stepsOf(core, core.key);
  const mode = opts.sensitivity ?? 'variants';
  const sens = mode === 'none' ? null : sensitivity(input, core, { grid: mode === 'grid' });
  const { confidence, reason, factors } = confidenceOf(core, steps, sens);
  return {
    ...core,
    judgment: {
      method: METHOD_VERSION,
      key: core.key,
      marginals: core.marginals,
      technicalOnly: marginalFrom(
        core,
        core.key,
        (u) => u.evidenceClass === 'TECHNICAL',
        `${core.key.label} (technical evidence only)`,
      ),
      steps,
      confidence,
      confidenceReason: reason,
      factors,
      sensitivity: sens,
    },
  };
}
