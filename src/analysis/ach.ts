/**
 * The ACH matrix (Heuer, Psychology of Intelligence Analysis, ch. 8): hypotheses by evidence.
 * Pure functions over the same inputs the scoring uses.
 */
import {
  EvidenceInput,
  HypothesisInput,
  RatingInput,
  consensus,
  countedRatings,
  suspectsOf,
  evidenceWeight,
  ratingValues,
  round,
} from './score';

/** Population standard deviation of the applicable ratings: analysts' disagreement on a cell (0 with one rating or none). */
export function disagreement(ratings: RatingInput[]): number {
  const vals = ratingValues(ratings);
  if (vals.length < 2) return 0;
  const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
  return round(Math.sqrt(vals.reduce((s, v) => s + (v - mean) ** 2, 0) / vals.length));
}

/**
 * Diagnosticity of an item: the spread (max - min) of its consensus ratings across the
 * hypotheses, an unrated cell counting as neutral (0), as it does in the score. Zero when the
 * item bears equally on every hypothesis.
 */
export function diagnosticity(values: (number | null)[]): number {
  if (!values.length) return 0;
  const v = values.map((x) => x ?? 0);
  return round(Math.max(...v) - Math.min(...v));
}

export interface AchCellResult {
  hypothesisId: string;
  evidenceId: string;
  /** Mean applicable rating; null when unrated (or only not-applicable). */
  consensus: number | null;
  disagreement: number;
  ratings: RatingInput[];
}

export interface AchRowResult {
  evidenceId: string;
  tag: string;
  title: string;
  weight: number;
  diagnosticity: number;
  cells: AchCellResult[];
}

export interface AchColumnResult {
  hypothesisId: string;
  /** Sum over inconsistent cells of |consensus| x weight (reliability x credibility). */
  weightedInconsistency: number;
  inconsistentItems: number;
}

export interface AchMatrixResult {
  hypothesisIds: string[];
  rows: AchRowResult[];
  columns: AchColumnResult[];
  /** Cells where raters disagree (disagreement > 0), most disagreement first. */
  disagreements: AchCellResult[];
}

/** Builds the matrix (ratings by suspects of the incident left out, as in the score): one row per item of evidence rated against any hypothesis, one column per hypothesis (in the order given). */
export function achMatrix(hypotheses: HypothesisInput[]): AchMatrixResult {
  const suspects = suspectsOf(hypotheses);
  const items = new Map<string, EvidenceInput>();
  for (const h of hypotheses) for (const e of h.evidence) if (!items.has(e.id)) items.set(e.id, e);
  const rows = [...items.values()]
    .sort((a, b) => a.tag.localeCompare(b.tag, 'en', { numeric: true }) || a.id.localeCompare(b.id))
    .map((e): AchRowResult => {
      const cells = hypotheses.map((h): AchCellResult => {
        const ratings = countedRatings(
          h.evidence.find((x) => x.id === e.id)?.ratings ?? [],
          suspects,
        );
        return {
          hypothesisId: h.id,
          evidenceId: e.id,
          consensus: consensus(ratings),
          disagreement: disagreement(ratings),
          ratings,
        };
      });
      return {
        evidenceId: e.id,
        tag: e.tag,
        title: e.title,
        weight: evidenceWeight(e),
        diagnosticity: diagnosticity(cells.map((c) => c.consensus)),
        cells,
      };
    });
  const columns = hypotheses.map((h, i): AchColumnResult => {
    let w = 0;
    let n = 0;
    for (const r of rows) {
      const c = r.cells[i].consensus;
      if (c !== null && c < 0) {
        w += -c * r.weight;
        n += 1;
      }
    }
    return { hypothesisId: h.id, weightedInconsistency: round(w), inconsistentItems: n };
  });
  const disagreements = rows
    .flatMap((r) => r.cells)
    .filter((c) => c.disagreement > 0)
    .sort(
      (a, b) =>
        b.disagreement - a.disagreement ||
        a.evidenceId.localeCompare(b.evidenceId) ||
        a.hypothesisId.localeCompare(b.hypothesisId),
    );
  return { hypothesisIds: hypotheses.map((h) => h.id), rows, columns, disagreements };
}
