import {
  AssessmentResult,
  ClaimInput,
  EvidenceInput,
  HypothesisInput,
  SourceRef,
  assess,
} from '../analysis';
import { toDate } from '../db';
import { AppError, ErrorCode, badInput } from '../errors';
import { Context, memo } from '../graph/context';
import { asOfDay, todayIso } from '../graph/dates';
import { Entity, fromRow } from '../graph/entities';
import { EXISTING_IDS, HYPOTHESES_BUNDLE, SourceRow } from './queries';

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

function sourceRef(row: SourceRow, byId: Map<string, SourceRow>): SourceRef {
  const p = row.source.props;
  return {
    id: String(p.id),
    reliability: p.reliability as SourceRef['reliability'],
    origin: originOf(row, byId),
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

/**
 * Loads, filters and assesses the hypotheses of an incident as of a date, with items excluded.
 * One bundle statement (plus one id check when `exclude` is given); memoized per request.
 */
export function assessedHypotheses(
  ctx: Context,
  incidentId: string,
  asOf: Date | null | undefined,
  exclude?: Exclude | null,
): Promise<AssessedHypothesis[]> {
  const day = asOfDay(asOf);
  if (asOf && Number.isNaN(asOf.getTime())) throw badInput('asOf', 'is not a valid date');
  const key = `hyp|${incidentId}|${day}|${JSON.stringify(exclude ?? {})}`;
  return memo(ctx, key, async () => {
    await checkExclude(ctx, exclude);
    const rows = await ctx.db.read(HYPOTHESES_BUNDLE, {
      incident: incidentId,
      asOf: day ? toDate(day) : null,
      effective: toDate(day ?? todayIso()),
    });
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

    const hyps = rows.map((r) => {
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
          sources: sources.map((s) => fromRow(s.source)),
          evidenceIds: c.evidence,
        });
        inputs.push({
          id: claim.id,
          stance,
          claimantId: claimant.id,
          claimantName: String(claimant.name),
          credibility: typeof claim.credibility === 'number' ? claim.credibility : null,
          sources: sources.map((s) => sourceRef(s, allSources)),
        });
      }
      const evidence = new Map<string, EvidenceInput>();
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
      }
      const input: HypothesisInput = {
        id: String(r.hypothesis.props.id),
        claims: inputs,
        evidence: [...evidence.values()],
      };
      return { entity: fromRow(r.hypothesis), suspects: r.suspects.map(fromRow), claims, input };
    });
    if (!hyps.length) return [];
    const results = new Map(assess(hyps.map((h) => h.input)).map((a) => [a.hypothesisId, a]));
    for (const h of hyps) {
      ctx.loaders.prime([
        h.entity,
        ...h.suspects,
        ...h.claims.flatMap((c) => [c.claim, c.claimant, ...c.sources]),
      ]);
    }
    return hyps
      .map((h) => ({
        ...h.entity,
        _claims: h.claims,
        _suspects: h.suspects,
        _assessment: results.get(h.entity.id)!,
      }))
      .sort((a, b) => a._assessment.rank - b._assessment.rank);
  });
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
