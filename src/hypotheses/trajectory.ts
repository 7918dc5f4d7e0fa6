// The consensus over time (`Incident.trajectory`): the ranking of an incident's hypotheses at
// every date where its record changes, from ONE load of the bundle for all dates. The bundle is
// loaded once with nothing filtered by date (retracted claims included), then cut in memory at
// each date exactly as the bundle statement cuts it for `asOf`, and scored by the same method.
import { assessCase, type CaseAssessment, type HypothesisResult } from '../analysis';
import { toDate, toIsoDate } from '../db';
import { badInput } from '../errors';
import { Context, memo } from '../graph/context';
import { todayIso } from '../graph/dates';
import type { NodeRow } from '../graph/entities';
import { HYPOTHESES_BUNDLE, type SourceRow } from './queries';
import { BundleRow, Exclude, checkExclude, prepare } from './service';

/** A day before any record: with it as `$effective`, the bundle keeps every retracted claim. */
const BEFORE_ALL = '0001-01-01';

const day = (n: NodeRow, key: string): string | null => toIsoDate(n.props[key]);

/** The whole record of an incident, every date and retraction included: ONE statement. */
export function loadFullBundle(ctx: Context, incidentId: string): Promise<BundleRow[]> {
  return memo(ctx, `bundle-all|${incidentId}`, () =>
    ctx.db.read(HYPOTHESES_BUNDLE, {
      incident: incidentId,
      asOf: null,
      effective: toDate(BEFORE_ALL),
    }),
  );
}

/**
 * The bundle as the statement returns it for `asOf: date`: claims known by then and not yet
 * retracted, ratings and rated evidence known by then. Undated items never count on a date.
 */
export function bundleAt(rows: BundleRow[], date: string): BundleRow[] {
  const known = (n: NodeRow) => {
    const d = day(n, 'knownFrom');
    return d !== null && d <= date;
  };
  // Sources published after the day are not cited yet (undated ones always are).
  const published = <T extends { sources: SourceRow[] }>(x: T): T => ({
    ...x,
    sources: x.sources.filter((s) => {
      const d = day(s.source, 'publishedAt');
      return d === null || d <= date;
    }),
  });
  return rows.map((r) => ({
    ...r,
    claims: r.claims
      .filter((c) => {
        const retracted = day(c.claim, 'retractedAt');
        return known(c.claim) && (retracted === null || retracted > date);
      })
      .map(published),
    ratings: r.ratings.filter((g) => known(g.rating) && known(g.evidence)).map(published),
  }));
}

/**
 * Every date on which the record changes (a claim, rating or evidence known, a retraction, a
 * cited source published), sorted, with how many changes fell on it.
 */
export function changeDates(rows: BundleRow[]): Map<string, number> {
  const count = new Map<string, number>();
  const add = (d: string | null) => {
    if (d) count.set(d, (count.get(d) ?? 0) + 1);
  };
  const seen = new Set<string>();
  const once = (n: NodeRow, key: string) => {
    const id = `${String(n.props.id)}|${key}`;
    if (seen.has(id)) return;
    seen.add(id);
    add(day(n, key));
  };
  // A source published after the item citing it was known adds to the record on its own day.
  const cited = (item: NodeRow, sources: SourceRow[]) => {
    const from = day(item, 'knownFrom');
    for (const s of sources) {
      const d = day(s.source, 'publishedAt');
      const id = `${String(item.props.id)}|${String(s.source.props.id)}`;
      if (from === null || d === null || d <= from || seen.has(id)) continue;
      seen.add(id);
      add(d);
    }
  };
  for (const r of rows) {
    for (const c of r.claims) {
      once(c.claim, 'knownFrom');
      once(c.claim, 'retractedAt');
      cited(c.claim, c.sources);
    }
    for (const g of r.ratings) {
      once(g.rating, 'knownFrom');
      once(g.evidence, 'knownFrom');
      cited(g.evidence, g.sources);
    }
  }
  return new Map([...count].sort((a, b) => a[0].localeCompare(b[0])));
}

/** One date of the trajectory: the record as it stood at the end of `date`. */
export interface TrajectoryPointResult {
  date: string;
  /** How many claims, ratings, evidence items, retractions and cited sources entered the record that day. */
  changes: number;
  /** One assessment per hypothesis, best first, with that day's confidence in the judgment. */
  assessments: (HypothesisResult & { confidence: CaseAssessment['judgment']['confidence'] })[];
}

/** Scores the record at each date (pure: no database). */
export function trajectoryFrom(
  rows: BundleRow[],
  from: string,
  to: string,
  exclude?: Exclude | null,
): TrajectoryPointResult[] {
  const changes = changeDates(rows);
  const dates = [from, ...[...changes.keys()].filter((d) => d > from && d <= to)];
  return dates.map((date) => {
    const { hyps, input } = prepare(bundleAt(rows, date), exclude, date);
    if (!hyps.length) return { date, changes: changes.get(date) ?? 0, assessments: [] };
    // Ranking and probabilities are cheap; the confidence needs the sensitivity runs (four
    // times the work), so it is computed only when a point's confidence is read, once per date.
    const result = assessCase(input, { sensitivity: 'none' });
    let judged: CaseAssessment | null = null;
    const confidence = () => (judged ??= assessCase(input)).judgment.confidence;
    const assessments = result.hypotheses
      .map((h) =>
        Object.defineProperty({ ...h }, 'confidence', { enumerable: true, get: confidence }),
      )
      .sort((a, b) => a.rank - b.rank) as TrajectoryPointResult['assessments'];
    return { date, changes: changes.get(date) ?? 0, assessments };
  });
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `Incident.trajectory(from, to, exclude)`: `from` defaults to the first date of the record,
 * `to` to today. One bundle statement (plus one id check when `exclude` is given).
 */
export async function trajectoryOf(
  ctx: Context,
  incidentId: string,
  args: { from?: string | null; to?: string | null; exclude?: Exclude | null },
): Promise<TrajectoryPointResult[]> {
  for (const name of ['from', 'to'] as const) {
    const v = args[name];
    if (v !== null && v !== undefined && !DAY.test(String(v)))
      throw badInput(name, 'must be a date as YYYY-MM-DD');
  }
  const to = args.to ? String(args.to) : todayIso();
  if (args.from && String(args.from) > to)
    throw badInput('from', `must not be after \`to\` (${to})`);
  await checkExclude(ctx, args.exclude);
  const rows = await loadFullBundle(ctx, incidentId);
  const first = [...changeDates(rows).keys()][0];
  const from = args.from ? String(args.from) : first && first < to ? first : to;
  return trajectoryFrom(rows, from, to, args.exclude);
}
