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
import { HYPOTHESES_BUNDLE } from './queries';
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
  return rows.map((r) => ({
    ...r,
    claims: r.claims.filter((c) => {
      const retracted = day(c.claim, 'retractedAt');
      return known(c.claim) && (retracted === null || retracted > date);
    }),
    ratings: r.ratings.filter((g) => known(g.rating) && known(g.evidence)),
  }));
}

/** Every date on which the record changes (a claim, rating or evidence known, a retraction), sorted. */
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
  for (const r of rows) {
    for (const c of r.claims) {
      once(c.claim, 'knownFrom');
      once(c.claim, 'retractedAt');
    }
    for (const g of r.ratings) {
      once(g.rating, 'knownFrom');
      once(g.evidence, 'knownFrom');
    }
  }
  return new Map([...count].sort((a, b) => a[0].localeCompare(b[0])));
}

/** One date of the trajectory: the record as it stood at the end of `date`. */
export interface TrajectoryPointResult {
  date: string;
  /** How many claims, ratings, evidence items and retractions entered the record that day. */
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
    const result = assessCase(input);
    const confidence = result.judgment.confidence;
    const assessments = result.hypotheses
      .map((h) => ({ ...h, confidence }))
      .sort((a, b) => a.rank - b.rank);
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
