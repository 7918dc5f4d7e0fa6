import {
  ActorSpec,
  CaseAssessment,
  CaseInput,
  Candidate,
  CriticalItemResult,
  FindingSpec,
  HypothesisResult,
  ItemSpec,
  SourceSpec,
  assessCase,
  criticalItems,
} from '../analysis';
import { toDate } from '../db';
import { AppError, ErrorCode, badInput } from '../errors';
import { Context, memo } from '../graph/context';
import { FactKey } from '../graph/facts';
import { asOfDay, todayIso } from '../graph/dates';
import { Entity, fromPlainRow } from '../graph/entities';
import { readRevisions } from '../revisions';
import { runLeaveOneOut } from './pool';
import {
  ClaimRow,
  EXISTING_IDS,
  HYPOTHESES_BUNDLE,
  HYPOTHESES_BUNDLE_AT_REVISION,
  PartRow,
  RatingRow,
  SourceRow,
} from './queries';
import type { NodeRow } from '../graph/entities';

/** Items left out of an assessment (what-if analysis). */
export interface Exclude {
  sources?: string[] | null;
  claimants?: string[] | null;
  evidence?: string[] | null;
}

/** A claim as loaded with its hypothesis, before grouping. */
export interface LoadedClaim {
  claim: Entity;
  stance: 'supports' | 'disputes';
  claimant: Entity;
  sources: Entity[];
  /** Publisher name per source id, read with the bundle. */
  publishers: Record<string, string | null>;
  evidenceIds: string[];
}

/** The assessment of one hypothesis as the API shows it: the method's result plus the judgment's confidence. */
export interface AssessmentResult extends HypothesisResult {
  method: string;
  confidence: CaseAssessment['judgment']['confidence'];
  confidenceReason: string;
  /** Distinct dependency groups behind its supporting claims. */
  independentOrigins: string[];
  singleOrigin: boolean;
  /** The dependency group each claim was credited to. */
  claimOrigins: Record<string, string>;
}

/** A hypothesis with everything beneath it for one as-of date and exclusion set. */
export interface AssessedHypothesis {
  /** The hypothesis node (a copy of its own: nothing is attached to it). */
  entity: Entity;
  claims: LoadedClaim[];
  suspects: Entity[];
  sponsor: Entity | null;
  assessment: AssessmentResult;
}

/**
 * The assessment a `Hypothesis` object was returned with (`Incident.hypotheses`); a hypothesis
 * without it is assessed on the whole record. `pathDependent`: the deprecated replay arguments
 * were given, so the claims beneath also count only the sources of that replay.
 */
export const ASSESSED = new FactKey<AssessedHypothesis & { pathDependent: boolean }>(
  'assessedHypothesis',
);

/** The upstream page of a source: follows `carries` to the end (cycles stop). */
function rootOf(row: SourceRow, byId: Map<string, SourceRow>): string {
  let id = String(row.source.props.id);
  let carries = row.carries;
  const seen = new Set([id]);
  while (carries && !seen.has(carries)) {
    id = carries;
    seen.add(id);
    carries = byId.get(id)?.carries ?? null;
  }
  return id;
}

function sourceSpec(row: SourceRow, byId: Map<string, SourceRow>): SourceSpec {
  return {
    id: String(row.source.props.id),
    fidelity: row.source.props.reliability as SourceSpec['fidelity'],
    root: rootOf(row, byId),
  };
}

/** A day as `YYYY-MM-DD` from a Neo4j date (or null). */
const dayOf = (v: unknown): string | null => (v == null ? null : String(v).slice(0, 10));

/**
 * Credibility as it stood on `day`: `credibilityBefore` (JSON, from the seed) lists earlier grades
 * `{until, credibility}`; the first whose `until` is after the day applies, else the current grade.
 */
export function credibilityAsOf(props: Record<string, unknown>, day: string | null): number | null {
  const current = typeof props.credibility === 'number' ? props.credibility : null;
  if (!day || typeof props.credibilityBefore !== 'string') return current;
  const before = JSON.parse(props.credibilityBefore) as { until: string; credibility: number }[];
  const hit = [...before].sort((a, b) => a.until.localeCompare(b.until)).find((b) => day < b.until);
  return hit ? hit.credibility : current;
}

function actorSpec(a: NodeRow, parts: PartRow[]): ActorSpec {
  const p = a.props;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    id: String(p.id),
    name: String(p.name),
    kind: str(p.kind),
    country: str(p.country),
    reliability: str(p.reliability) as ActorSpec['reliability'],
    access: str(p.access) as ActorSpec['access'],
    parts: parts.map((x) => ({ id: x.id, kind: x.kind, country: x.country })),
  };
}

/** The most ids one `exclude` list may hold (docs/reliability.md: every list argument capped). */
export const MAX_EXCLUDE_IDS = 100;

/** Rejects ids in `exclude` that name no entity (BAD_USER_INPUT naming the field). */
export async function checkExclude(
  ctx: Context,
  exclude: Exclude | null | undefined,
): Promise<void> {
  if (!exclude) return;
  for (const [field, ids] of Object.entries(exclude) as [string, string[] | null][])
    if ((ids?.length ?? 0) > MAX_EXCLUDE_IDS)
      throw badInput(`exclude.${field}`, `at most ${MAX_EXCLUDE_IDS} ids`);
  const all = [
    ...(exclude.sources ?? []),
    ...(exclude.claimants ?? []),
    ...(exclude.evidence ?? []),
  ];
  if (!all.length) return;
  const found = new Set((await ctx.db.read(EXISTING_IDS, { ids: all })).map((r) => r.id));
  for (const [field, ids] of Object.entries(exclude) as [string, string[] | null][]) {
    (ids ?? []).forEach((id, i) => {
      if (!found.has(id)) throw badInput(`exclude.${field}[${i}]`, `no entity has id "${id}"`);
    });
  }
}

/** One row of the hypotheses bundle. */
export interface BundleRow {
  hypothesis: NodeRow;
  suspects: NodeRow[];
  sponsor?: NodeRow | null;
  claims: ClaimRow[];
  ratings: RatingRow[];
}

/** One hypothesis built from the bundle with exclusions applied: entities for the API. */
export interface PreparedHypothesis {
  entity: Entity;
  suspects: Entity[];
  sponsor: Entity | null;
  claims: LoadedClaim[];
  /** Rating entities by id (for the ACH matrix). */
  ratings: Map<string, Entity>;
  /** Evidence entities by id. */
  evidence: Map<string, Entity>;
}

/**
 * The bundle of an incident as of a day: ONE statement, memoized per request. With the cache on,
 * it is shared across requests (and by every exclusion set) under the incident's revision, read
 * in the bundle's own statement, first, so the two agree (see {@link prepared}).
 */
function loadBundle(ctx: Context, incidentId: string, day: string | null): Promise<BundleRow[]> {
  return memo(ctx, `bundle|${incidentId}|${day}`, async () => {
    const effective = day ?? todayIso();
    const params = {
      incident: incidentId,
      asOf: day ? toDate(day) : null,
      effective: toDate(effective),
    };
    if (!ctx.caches.enabled) return ctx.db.read(HYPOTHESES_BUNDLE, params);
    const what = `${incidentId}|${day}|${effective}`;
    const revision = await revisionOf(ctx, incidentId);
    return ctx.caches.of<BundleRow[]>('bundle', 0.4).get(`${what}|r${revision}`, async () => {
      const at = await ctx.db.read(HYPOTHESES_BUNDLE_AT_REVISION, params);
      // No hypothesis, no row: the rows (none) are at least as new as the revision read first.
      const read = at[0]?.revision ?? revision;
      const rows: BundleRow[] = at.map(({ revision: _, ...row }) => row);
      const bytes = bytesOf(rows);
      bundleRevision.set(rows, read);
      bundleBytes.set(rows, bytes);
      return {
        value: rows,
        bytes,
        key: read === revision ? undefined : `${what}|r${read}`,
      };
    });
  });
}

/**
 * Applies the exclusions to the bundle and builds the method's input (pure JS, no database):
 * hypotheses, items of evidence with every reading, findings, and the actors behind them, with
 * credibility as it stood on `day` (null: today's grades).
 */
export function prepare(
  rows: BundleRow[],
  exclude?: Exclude | null,
  day: string | null = null,
): { hyps: PreparedHypothesis[]; input: CaseInput } {
  const xSources = new Set(exclude?.sources ?? []);
  const xClaimants = new Set(exclude?.claimants ?? []);
  const xEvidence = new Set(exclude?.evidence ?? []);
  const allSources = new Map<string, SourceRow>();
  for (const r of rows) {
    for (const c of r.claims)
      for (const s of c.sources) allSources.set(String(s.source.props.id), s);
    for (const g of r.ratings)
      for (const s of g.sources) allSources.set(String(s.source.props.id), s);
  }
  const actors = new Map<string, ActorSpec>();
  const items = new Map<string, ItemSpec>();
  const findings: FindingSpec[] = [];
  const hyps = rows.map((r): PreparedHypothesis => {
    const hid = String(r.hypothesis.props.id);
    const claims: LoadedClaim[] = [];
    for (const c of r.claims) {
      const claimant = fromPlainRow(c.claimant);
      const sources = c.sources.filter((s) => !xSources.has(String(s.source.props.id)));
      if (xClaimants.has(claimant.id) || sources.length === 0) continue;
      const claim = fromPlainRow(c.claim);
      const stance = c.stance === 'SUPPORTS' ? 'supports' : 'disputes';
      claims.push({
        claim,
        stance,
        claimant,
        sources: sources.map((s) => fromPlainRow(s.source)),
        publishers: Object.fromEntries(
          sources.map((s) => [String(s.source.props.id), s.publisherName]),
        ),
        evidenceIds: c.evidence,
      });
      actors.set(claimant.id, actorSpec(c.claimant, c.claimantParts ?? []));
      findings.push({
        id: claim.id,
        claimantId: claimant.id,
        stance,
        hypothesisId: hid,
        credibility: credibilityAsOf(c.claim.props, day),
        sources: sources.map((s) => sourceSpec(s, allSources)),
        basis: c.evidence.filter((e) => !xEvidence.has(e)),
        knownFrom: dayOf(c.claim.props.knownFrom),
      });
    }
    const ratingEntities = new Map<string, Entity>();
    const evidenceEntities = new Map<string, Entity>();
    for (const g of r.ratings) {
      const e = fromPlainRow(g.evidence);
      const rater = fromPlainRow(g.rater);
      const sources = g.sources.filter((s) => !xSources.has(String(s.source.props.id)));
      if (xEvidence.has(e.id) || xClaimants.has(rater.id) || sources.length === 0) continue;
      const item = items.get(e.id) ?? {
        id: e.id,
        tag: String(e.tag),
        title: String(e.title),
        kind: typeof e.kind === 'string' ? e.kind : null,
        credibility: credibilityAsOf(g.evidence.props, day) ?? 6,
        sources: sources.map((s) => sourceSpec(s, allSources)),
        readings: [],
        knownFrom: dayOf(g.evidence.props.knownFrom),
      };
      const rating = fromPlainRow(g.rating);
      item.readings.push({
        id: rating.id,
        hypothesisId: hid,
        rating: rating.rating as ItemSpec['readings'][number]['rating'],
        raterId: rater.id,
        knownFrom: dayOf(g.rating.props.knownFrom),
      });
      items.set(e.id, item);
      actors.set(rater.id, actorSpec(g.rater, g.raterParts ?? []));
      ratingEntities.set(rating.id, rating);
      evidenceEntities.set(e.id, e);
    }
    return {
      entity: fromPlainRow(r.hypothesis),
      suspects: r.suspects.map(fromPlainRow),
      sponsor: r.sponsor ? fromPlainRow(r.sponsor) : null,
      claims,
      ratings: ratingEntities,
      evidence: evidenceEntities,
    };
  });
  // Suspects too, so their spokesmen's statements can be recognised as theirs (self-serving).
  for (const r of rows)
    for (const x of r.suspects)
      if (!actors.has(String(x.props.id))) actors.set(String(x.props.id), actorSpec(x, []));
  const input: CaseInput = {
    hypotheses: rows.map((r) => ({
      id: String(r.hypothesis.props.id),
      tag: String(r.hypothesis.props.tag),
      prior: typeof r.hypothesis.props.prior === 'number' ? r.hypothesis.props.prior : null,
      suspects: r.suspects.map((x) => String(x.props.id)),
      sponsor: r.sponsor ? String(r.sponsor.props.id) : null,
      sponsorName: r.sponsor ? String(r.sponsor.props.name) : null,
    })),
    items: [...items.values()],
    findings,
    actors: [...actors.values()],
  };
  return { hyps, input };
}

/** Everything the analysis of an incident needs, as of a day, with exclusions applied. */
export interface Prepared {
  rows: BundleRow[];
  day: string | null;
  hyps: PreparedHypothesis[];
  input: CaseInput;
  /** Ranking, explanations and matrix (no sensitivity: cheap). */
  result: CaseAssessment | null;
  /** The full judgment with its confidence (the one-at-a-time sensitivity runs on first use). */
  judged: () => CaseAssessment | null;
  assessed: AssessedHypothesis[];
}

/** The API's per-hypothesis assessments from the method's result. */
export function assessmentsOf(
  result: CaseAssessment,
  input: CaseInput,
  judged: () => CaseAssessment = () => result,
): Map<string, AssessmentResult> {
  const out = new Map<string, AssessmentResult>();
  for (const h of result.hypotheses) {
    // The dependency groups behind its supporting claims (suspects and personas left out).
    const counted = new Set(
      h.explanation.filter((t) => t.claimId && t.kind !== 'SELF_SERVING').map((t) => t.claimId!),
    );
    const groups = [
      ...new Set(
        input.findings
          .filter(
            (f) =>
              f.hypothesisId === h.hypothesisId && f.stance === 'supports' && counted.has(f.id),
          )
          .map((f) => result.claimGroups[f.id]),
      ),
    ].sort();
    const a = {
      ...h,
      method: result.method,
      independentOrigins: groups,
      singleOrigin: groups.length <= 1,
      claimOrigins: result.claimGroups,
    } as AssessmentResult;
    // Confidence needs the sensitivity runs: computed when first read, once per request.
    Object.defineProperties(a, {
      confidence: { enumerable: true, get: () => judged().judgment.confidence },
      confidenceReason: { enumerable: true, get: () => judged().judgment.confidenceReason },
    });
    out.set(h.hypothesisId, a);
  }
  return out;
}

/**
 * Loads (one bundle statement, plus one id check when `exclude` is given), filters and assesses
 * the hypotheses of an incident as of a date; memoized per request. It passes the process's
 * analysis gate first ({@link Context.analysisGate}): under overload it waits in a bounded queue
 * or is refused with SERVICE_UNAVAILABLE; a cache hit never gets here.
 */
function computePrepared(
  ctx: Context,
  incidentId: string,
  asOf: string | null | undefined,
  exclude?: Exclude | null,
): Promise<Prepared> {
  const day = asOfDay(asOf);
  const key = `hyp|${incidentId}|${day}|${JSON.stringify(exclude ?? {})}`;
  return memo(ctx, key, () =>
    ctx.analysisGate.run(async () => {
      await checkExclude(ctx, exclude);
      const rows = await loadBundle(ctx, incidentId, day);
      const { hyps, input } = prepare(rows, exclude, day);
      if (!hyps.length)
        return { rows, day, hyps, input, result: null, judged: () => null, assessed: [] };
      const result = assessCase(input, { sensitivity: 'none' });
      let full: CaseAssessment | null = null;
      const judged = () => (full ??= assessCase(input));
      const results = assessmentsOf(result, input, judged);
      // The entities prepare() already built (no second conversion of the rows), indexed only
      // if this request asks for an entity by id.
      ctx.loaders.offer(function* () {
        for (const h of hyps) {
          yield h.entity;
          yield* h.suspects;
          for (const c of h.claims) yield* [c.claim, c.claimant, ...c.sources];
          yield* h.ratings.values();
          yield* h.evidence.values();
        }
      });
      const assessed = hyps
        .map((h): AssessedHypothesis => ({
          entity: { ...h.entity },
          claims: h.claims,
          suspects: h.suspects,
          sponsor: h.sponsor,
          assessment: results.get(h.entity.id)!,
        }))
        .sort((a, b) => a.assessment.rank - b.assessment.rank);
      return { rows, day, hyps, input, result, judged, assessed };
    }, ctx.db.limits.signal),
  );
}

/**
 * The ranked hypotheses of an incident as `Hypothesis` objects carrying their assessment as of
 * a date, with items excluded ({@link ASSESSED}). With `asOf` or `exclude` (the deprecated
 * replay of `Incident.hypotheses`) each is a fresh object, so the values beneath it belong to
 * this path only.
 */
export async function assessedHypotheses(
  ctx: Context,
  incidentId: string,
  asOf: string | null | undefined,
  exclude?: Exclude | null,
): Promise<Entity[]> {
  const pathDependent = !!(asOf || exclude);
  return (await prepared(ctx, incidentId, asOf, exclude)).assessed.map((a) =>
    ctx.facts.set(ASSESSED, pathDependent ? { ...a.entity } : a.entity, { ...a, pathDependent }),
  );
}

/** The assessed form of a hypothesis reached without an incident context (e.g. through `node`). */
export async function assessedHypothesis(
  ctx: Context,
  hypothesis: Entity,
  incidentId: string,
): Promise<AssessedHypothesis> {
  const all = (await prepared(ctx, incidentId, null)).assessed;
  const found = all.find((h) => h.entity.id === hypothesis.id);
  if (!found)
    throw new AppError(
      ErrorCode.INTERNAL_SERVER_ERROR,
      `hypothesis ${hypothesis.id} missing from its incident`,
    );
  return found;
}

/** Every item a leave-one-out can drop: the sources, claimants, raters and evidence in the bundle. */
export function candidatesOf(rows: BundleRow[]): Candidate[] {
  const sources = new Set<string>();
  const claimants = new Set<string>();
  const evidence = new Set<string>();
  for (const r of rows) {
    for (const c of r.claims) {
      claimants.add(String(c.claimant.props.id));
      for (const s of c.sources) sources.add(String(s.source.props.id));
    }
    for (const g of r.ratings) {
      claimants.add(String(g.rater.props.id));
      evidence.add(String(g.evidence.props.id));
      for (const s of g.sources) sources.add(String(s.source.props.id));
    }
  }
  const of = (kind: Candidate['kind'], ids: Set<string>) =>
    [...ids].sort().map((id) => ({ kind, id }));
  return [...of('SOURCE', sources), ...of('CLAIMANT', claimants), ...of('EVIDENCE', evidence)];
}

const EXCLUDE_FIELD = { SOURCE: 'sources', CLAIMANT: 'claimants', EVIDENCE: 'evidence' } as const;

/**
 * Leave-one-out over one bundle (pure, no database): the items whose removal changes the top
 * hypothesis. Runs in a worker thread (see {@link criticalItemsOf}); `day` is the as-of day.
 * With `exclude` (what-if), those items are left out first and the leave-one-out runs on the rest.
 */
export function leaveOneOut(
  rows: BundleRow[],
  day: string | null,
  exclude?: Exclude | null,
): CriticalItemResult[] {
  const left = new Set([
    ...(exclude?.sources ?? []),
    ...(exclude?.claimants ?? []),
    ...(exclude?.evidence ?? []),
  ]);
  return criticalItems(
    prepare(rows, exclude, day).input,
    candidatesOf(rows).filter((c) => !left.has(c.id)),
    (c) => {
      const field = EXCLUDE_FIELD[c.kind];
      return prepare(rows, { ...exclude, [field]: [...(exclude?.[field] ?? []), c.id] }, day).input;
    },
  );
}

/**
 * The critical items of an incident as of a date, from the single bundle: leave-one-out runs on
 * a worker thread (./pool.ts), so its tens of milliseconds of CPU never block the event loop,
 * and is cached like the assessment (same incident, revision, days).
 */
export async function criticalItemsOf(
  ctx: Context,
  incidentId: string,
  asOf: string | null | undefined,
  exclude?: Exclude | null,
): Promise<(CriticalItemResult & { baseline: AssessedHypothesis[] })[]> {
  const base = await prepared(ctx, incidentId, asOf, exclude);
  const day = asOfDay(asOf);
  const run = () => runLeaveOneOut(base.rows, day, exclude);
  let found: CriticalItemResult[];
  if (!ctx.caches.enabled) found = await run();
  else {
    const revision = bundleRevision.get(base.rows) ?? (await revisionOf(ctx, incidentId));
    const list = await ctx.caches
      .of<{ items: CriticalItemResult[] }>('criticalItems', 0.2)
      .get(
        `${incidentId}|${day}|${day ?? todayIso()}|${JSON.stringify(exclude ?? {})}|r${revision}`,
        async () => {
          const items = await run();
          return { value: { items }, bytes: 2 * JSON.stringify(items).length };
        },
      );
    found = list.items;
  }
  return found.map((f) => ({ ...f, baseline: base.assessed }));
}

/** The revision each loaded bundle was read at (in the bundle's own statement). */
const bundleRevision = new WeakMap<BundleRow[], number>();
/** The estimated bytes of each loaded bundle (measured once, for both caches). */
const bundleBytes = new WeakMap<BundleRow[], number>();

/** The incident's revision, read once per request (src/revisions). */
function revisionOf(ctx: Context, incidentId: string): Promise<number> {
  return memo(
    ctx,
    `rev|${incidentId}`,
    async () => (await readRevisions(ctx.db, [incidentId])).get(incidentId) ?? 0,
  );
}

/** Rough bytes of a bundle or what is built from it (twice the JSON size of the rows). */
function bytesOf(rows: BundleRow[]): number {
  return 2 * JSON.stringify(rows).length;
}

/**
 * THE analysis entry point (bundle -> assessments) that everything else calls, cached across
 * requests: keyed by incident, revision, as-of day, effective day (for retractions) and
 * exclusions, single-flight, LRU bounded in bytes (src/cache). Every request reads the
 * incident's current revision first (one small statement), so an answer cached before a write
 * is never served after it, whichever process made the write. A bundle read at a newer revision
 * than the caller's is kept under that newer revision. The cached value is shared by requests:
 * it is never mutated. With the cache off (CACHE_MAX_BYTES=0) this is the plain computation.
 */
export function prepared(
  ctx: Context,
  incidentId: string,
  asOf: string | null | undefined,
  exclude?: Exclude | null,
): Promise<Prepared> {
  if (!ctx.caches.enabled) return computePrepared(ctx, incidentId, asOf, exclude);
  const day = asOfDay(asOf);
  const what = `${incidentId}|${day}|${day ?? todayIso()}|${JSON.stringify(exclude ?? {})}`;
  return memo(ctx, `cached|${what}`, async () => {
    const revision = await revisionOf(ctx, incidentId);
    return ctx.caches.of<Prepared>('analysis', 0.4).get(`${what}|r${revision}`, async () => {
      const value = await computePrepared(ctx, incidentId, asOf, exclude);
      const read = bundleRevision.get(value.rows) ?? revision;
      return {
        value,
        bytes: bundleBytes.get(value.rows) ?? bytesOf(value.rows),
        key: read === revision ? undefined : `${what}|r${read}`,
      };
    });
  });
}
