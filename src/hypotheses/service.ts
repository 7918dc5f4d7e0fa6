import {
  AssessmentResult,
  ClaimInput,
  EvidenceInput,
  HypothesisInput,
  SourceRef,
  Candidate,
  CriticalItemResult,
  assess,
  criticalItems,
} from '../analysis';
import { toDate } from '../db';
import { AppError, ErrorCode, badInput } from '../errors';
import { Context, memo } from '../graph/context';
import { asOfDay, todayIso } from '../graph/dates';
import { Entity, fromRow } from '../graph/entities';
import { ClaimRow, EXISTING_IDS, HYPOTHESES_BUNDLE, RatingRow, SourceRow } from './queries';
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
  evidenceIds: string[];
}

/** A hypothesis with everything beneath it for one as-of date and exclusion set. */
export interface AssessedHypothesis extends Entity {
  _claims: LoadedClaim[];
  _suspects: Entity[];
  _assessment: AssessmentResult;
}

/** Where a source's information comes from: the relayed actor, else the carried source's origin, else the publisher. */
function originOf(row: SourceRow, byId: Map<string, SourceRow>, seen = new Set<string>()): string {
  if (row.relays) return row.relays;
  const carried = row.carries ? byId.get(row.carries) : undefined;
  if (carried && !seen.has(String(carried.source.props.id))) {
    seen.add(String(carried.source.props.id));
    return originOf(carried, byId, seen);
  }
  return row.publisher ?? String(row.source.props.id);
}

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

function sourceRef(row: SourceRow, byId: Map<string, SourceRow>): SourceRef {
  const p = row.source.props;
  return {
    id: String(p.id),
    reliability: p.reliability as SourceRef['reliability'],
    origin: originOf(row, byId),
    root: rootOf(row, byId),
  };
}

async function checkExclude(ctx: Context, exclude: Exclude | null | undefined): Promise<void> {
  if (!exclude) return;
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
  claims: ClaimRow[];
  ratings: RatingRow[];
}

/** One hypothesis built from the bundle with exclusions applied: entities for the API, inputs for the scoring. */
export interface PreparedHypothesis {
  entity: Entity;
  suspects: Entity[];
  claims: LoadedClaim[];
  /** Rating entities by id (for the ACH matrix). */
  ratings: Map<string, Entity>;
  /** Evidence entities by id. */
  evidence: Map<string, Entity>;
  input: HypothesisInput;
}

/** The bundle of an incident as of a day: ONE statement, memoized per request. */
function loadBundle(ctx: Context, incidentId: string, day: string | null): Promise<BundleRow[]> {
  return memo(ctx, `bundle|${incidentId}|${day}`, () =>
    ctx.db.read(HYPOTHESES_BUNDLE, {
      incident: incidentId,
      asOf: day ? toDate(day) : null,
      effective: toDate(day ?? todayIso()),
    }),
  );
}

/** Applies the exclusions to the bundle and builds the scoring inputs (pure JS, no database). */
export function prepare(rows: BundleRow[], exclude?: Exclude | null): PreparedHypothesis[] {
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
  return rows.map((r) => {
    const claims: LoadedClaim[] = [];
    const inputs: ClaimInput[] = [];
    for (const c of r.claims) {
      const claimant = fromRow(c.claimant);
      const sources = c.sources.filter((s) => !xSources.has(String(s.source.props.id)));
      if (xClaimants.has(claimant.id) || sources.length === 0) continue;
      const claim = fromRow(c.claim);
      const stance = c.stance === 'SUPPORTS' ? 'supports' : 'disputes';
      claims.push({
        claim,
        stance,
        claimant,
        sources: sources.map((s) => ({ ...fromRow(s.source), _publisherName: s.publisherName })),
        evidenceIds: c.evidence,
      });
      inputs.push({
        id: claim.id,
        stance,
        claimantId: claimant.id,
        claimantName: String(claimant.name),
        claimantKind: typeof claimant.kind === 'string' ? claimant.kind : undefined,
        credibility: typeof claim.credibility === 'number' ? claim.credibility : null,
        sources: sources.map((s) => sourceRef(s, allSources)),
      });
    }
    const evidence = new Map<string, EvidenceInput>();
    const ratingEntities = new Map<string, Entity>();
    const evidenceEntities = new Map<string, Entity>();
    for (const g of r.ratings) {
      const e = fromRow(g.evidence);
      const rater = fromRow(g.rater);
      const sources = g.sources.filter((s) => !xSources.has(String(s.source.props.id)));
      if (xEvidence.has(e.id) || xClaimants.has(rater.id) || sources.length === 0) continue;
      const item = evidence.get(e.id) ?? {
        id: e.id,
        tag: String(e.tag),
        title: String(e.title),
        credibility: Number(e.credibility),
        sources: sources.map((s) => sourceRef(s, allSources)),
        ratings: [],
      };
      const rating = fromRow(g.rating);
      item.ratings.push({
        id: rating.id,
        rating: rating.rating as EvidenceInput['ratings'][number]['rating'],
        raterId: rater.id,
      });
      evidence.set(e.id, item);
      ratingEntities.set(rating.id, rating);
      evidenceEntities.set(e.id, e);
    }
    return {
      entity: fromRow(r.hypothesis),
      suspects: r.suspects.map(fromRow),
      claims,
      ratings: ratingEntities,
      evidence: evidenceEntities,
      input: {
        id: String(r.hypothesis.props.id),
        suspects: r.suspects.map((x) => String(x.props.id)),
        claims: inputs,
        evidence: [...evidence.values()],
      },
    };
  });
}

/** Everything the analysis of an incident needs, as of a day, with exclusions applied. */
export interface Prepared {
  rows: BundleRow[];
  hyps: PreparedHypothesis[];
  assessed: AssessedHypothesis[];
}

/**
 * Loads (one bundle statement, plus one id check when `exclude` is given), filters and assesses
 * the hypotheses of an incident as of a date; memoized per request.
 */
export function prepared(
  ctx: Context,
  incidentId: string,
  asOf: string | null | undefined,
  exclude?: Exclude | null,
): Promise<Prepared> {
  const day = asOfDay(asOf);
  const key = `hyp|${incidentId}|${day}|${JSON.stringify(exclude ?? {})}`;
  return memo(ctx, key, async () => {
    await checkExclude(ctx, exclude);
    const rows = await loadBundle(ctx, incidentId, day);
    const hyps = prepare(rows, exclude);
    if (!hyps.length) return { rows, hyps, assessed: [] };
    ctx.loaders.prime(
      rows
        .flatMap((r) => [
          ...r.claims.flatMap((c) => [c.claimant, ...c.sources.map((s) => s.source)]),
          ...r.ratings.flatMap((g) => [g.rater, g.evidence, ...g.sources.map((s) => s.source)]),
        ])
        .map(fromRow),
    );
    const results = new Map(assess(hyps.map((h) => h.input)).map((a) => [a.hypothesisId, a]));
    for (const h of hyps) {
      ctx.loaders.prime([
        h.entity,
        ...h.suspects,
        ...h.claims.flatMap((c) => [c.claim, c.claimant, ...c.sources]),
        ...h.ratings.values(),
        ...h.evidence.values(),
      ]);
    }
    const assessed = hyps
      .map((h) => ({
        ...h.entity,
        _claims: h.claims,
        _suspects: h.suspects,
        _assessment: results.get(h.entity.id)!,
      }))
      .sort((a, b) => a._assessment.rank - b._assessment.rank);
    return { rows, hyps, assessed };
  });
}

/** The ranked, assessed hypotheses of an incident as of a date, with items excluded. */
export async function assessedHypotheses(
  ctx: Context,
  incidentId: string,
  asOf: string | null | undefined,
  exclude?: Exclude | null,
): Promise<AssessedHypothesis[]> {
  return (await prepared(ctx, incidentId, asOf, exclude)).assessed;
}

/** The assessed form of a hypothesis reached without an incident context (e.g. through `node`). */
export async function assessedHypothesis(
  ctx: Context,
  hypothesis: Entity,
  incidentId: string,
): Promise<AssessedHypothesis> {
  const all = await assessedHypotheses(ctx, incidentId, null);
  const found = all.find((h) => h.id === hypothesis.id);
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

/** The critical items of an incident as of a date, from the single bundle (leave-one-out in JS). */
export async function criticalItemsOf(
  ctx: Context,
  incidentId: string,
  asOf: string | null | undefined,
): Promise<(CriticalItemResult & { baseline: AssessedHypothesis[] })[]> {
  const base = await prepared(ctx, incidentId, asOf);
  const found = criticalItems(
    base.hyps.map((h) => h.input),
    candidatesOf(base.rows),
    (c) => prepare(base.rows, { [EXCLUDE_FIELD[c.kind]]: [c.id] }).map((h) => h.input),
  );
  return found.map((f) => ({ ...f, baseline: base.assessed }));
}
