/**
 * Sensitivity (ACH step 6): which single items, left out alone, change the top-ranked hypothesis.
 * Pure: the caller supplies how to rebuild the inputs without an item.
 */
import { AssessmentResult, HypothesisInput, assess } from './score';

export type ItemKind = 'SOURCE' | 'CLAIMANT' | 'EVIDENCE';

export interface Candidate {
  kind: ItemKind;
  id: string;
}

export interface CriticalItemResult extends Candidate {
  /** The top-ranked hypothesis without the item. */
  topId: string;
  /** The full ranking without the item. */
  ranking: AssessmentResult[];
}

/**
 * Leave-one-out: for each candidate, rebuild the inputs without it (`without`), rank, and keep
 * the candidates whose removal alone changes the top-ranked hypothesis. Candidates are tried in
 * the order given; the result keeps that order.
 */
export function criticalItems(
  baseline: HypothesisInput[],
  candidates: Candidate[],
  without: (c: Candidate) => HypothesisInput[],
): CriticalItemResult[] {
  const base = assess(baseline);
  if (!base.length) return [];
  const top = base[0].hypothesisId;
  const out: CriticalItemResult[] = [];
  for (const c of candidates) {
    const ranking = assess(without(c));
    if (ranking.length && ranking[0].hypothesisId !== top)
      out.push({ ...c, topId: ranking[0].hypothesisId, ranking });
  }
  return out;
}
