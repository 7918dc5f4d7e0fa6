/**
 * Critical items (ACH step 6): which single sources, parties or items, left out alone, change the
 * top-ranked hypothesis or carry the key judgment across 50 %. Pure: the caller supplies how to
 * rebuild the inputs without an item.
 */
import type { CaseInput } from './inputs';
import { CaseAssessment, assessCase } from './judgment';

export type ItemKind = 'SOURCE' | 'CLAIMANT' | 'EVIDENCE';

export interface Candidate {
  kind: ItemKind;
  id: string;
}

export interface CriticalItemResult extends Candidate {
  /** The top-ranked hypothesis without the item. */
  topId: string;
  /** The whole assessment without the item. */
  ranking: CaseAssessment;
}

/**
 * Leave-one-out: for each candidate, rebuild the inputs without it (`without`), assess, and keep
 * the candidates whose removal alone changes the top-ranked hypothesis or moves the key judgment
 * to the other side of 50 %. Candidates are tried in the order given; the result keeps that order.
 */
export function criticalItems(
  baseline: CaseInput,
  candidates: Candidate[],
  without: (c: Candidate) => CaseInput,
): CriticalItemResult[] {
  const base = assessCase(baseline, { sensitivity: 'none' });
  if (!base.hypotheses.length) return [];
  const top = base.hypotheses[0].hypothesisId;
  const side = (a: CaseAssessment) => (a.key ? Math.sign(a.key.probability - 0.5) : 0);
  const out: CriticalItemResult[] = [];
  for (const c of candidates) {
    const ranking = assessCase(without(c), { sensitivity: 'none' });
    if (!ranking.hypotheses.length) continue;
    if (ranking.hypotheses[0].hypothesisId !== top || side(ranking) !== side(base))
      out.push({ ...c, topId: ranking.hypotheses[0].hypothesisId, ranking });
  }
  return out;
}
