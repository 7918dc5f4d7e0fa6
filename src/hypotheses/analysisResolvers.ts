import { CellResult, MarginalResult, RATING_STEPS, sensitivity } from '../analysis';
import type { Context } from '../graph/context';
import { fromRow, type Entity } from '../graph/entities';
import { groupActors, positions } from './resolvers';
import {
  AssessedHypothesis,
  AssessmentResult,
  Exclude,
  Prepared,
  assessmentsOf,
  criticalItemsOf,
  prepared,
} from './service';
import { loadFullBundle, trajectoryOf } from './trajectory';

/** The rating word nearest a value in steps (ties toward neutral). */
function ratingWord(c: number | null): string | null {
  if (c === null) return null;
  const r = Math.sign(c) * Math.floor(Math.abs(c) + 0.5 - 1e-9);
  return Object.entries(RATING_STEPS).find(([, v]) => v === r)![0];
}

const EXCLUDE_FIELD = { SOURCE: 'sources', CLAIMANT: 'claimants', EVIDENCE: 'evidence' } as const;

interface Lookup {
  hyp: Map<string, Entity>;
  ev: Map<string, Entity>;
  rating: Map<string, Entity>;
  claim: Map<string, Entity>;
}

function lookup(p: Prepared): Lookup {
  return {
    hyp: new Map(p.assessed.map((h) => [h.entity.id, h.entity])),
    ev: new Map(p.hyps.flatMap((h) => [...h.evidence])),
    rating: new Map(p.hyps.flatMap((h) => [...h.ratings])),
    claim: new Map(p.hyps.flatMap((h) => h.claims.map((c) => [c.claim.id, c.claim] as const))),
  };
}

const cell = (c: CellResult, l: Lookup) => ({
  hypothesis: l.hyp.get(c.hypothesisId),
  evidence: l.ev.get(c.evidenceId),
  consensus: c.origin === 'MISSING' ? null : c.steps,
  rating: c.origin === 'MISSING' ? null : ratingWord(c.steps),
  bits: c.bits,
  origin: c.origin,
  disagreement: c.disagreement,
  ratings: c.readingIds.map((id) => l.rating.get(id)).filter(Boolean),
});

const marginal = (m: MarginalResult | null, l: Lookup, ctx: Context) =>
  m && {
    ...m,
    // A thunk, loaded only when asked: an unasked load would run after the response, unawaited.
    sponsor: () => (m.sponsor ? ctx.loaders.entity.load(m.sponsor) : null),
    hypotheses: m.hypothesisIds.map((id) => l.hyp.get(id)).filter(Boolean),
  };

const empty = { cells: 0, rated: 0, byAnalysts: 0, missing: 0, share: 1 };

/** Where a ranking comes from: the arguments that reproduce it. */
interface RankingKey {
  incident: string;
  asOf: string | null;
  exclude: Exclude | null;
}

/** One entry of a ranking (a value: `RankedHypothesis`), from its assessment. */
interface RankedValue {
  hypothesis: Entity;
  rank: number;
  score: number;
  probability: number;
  likelihood: string;
  confidence: string;
  assessment: AssessmentResult;
  /** The arguments that reproduce this ranking (to load what lies beneath an entry). */
  replay: RankingKey;
}

const ranked = (a: AssessmentResult, hyp: Map<string, Entity>, key: RankingKey): RankedValue => ({
  hypothesis: hyp.get(a.hypothesisId)!,
  rank: a.rank,
  score: a.score,
  probability: a.probability,
  likelihood: a.likelihood,
  confidence: a.confidence,
  assessment: a,
  replay: key,
});

/** The assessed hypothesis behind a ranking entry (the same memoized computation). */
async function assessedOf(r: RankedValue, ctx: Context): Promise<AssessedHypothesis> {
  const p = await prepared(ctx, r.replay.incident, r.replay.asOf, r.replay.exclude);
  return p.assessed.find((h) => h.entity.id === r.hypothesis.id)!;
}

/** `Incident.ranking` for these arguments, as a value. */
async function rankingOf(ctx: Context, key: RankingKey) {
  const p = await prepared(ctx, key.incident, key.asOf, key.exclude);
  const hyp = new Map<string, Entity>(p.assessed.map((h) => [h.entity.id, h.entity]));
  const x = key.exclude ?? {};
  return {
    asOf: key.asOf,
    excluded: {
      sources: await ctx.loaders.entity.loadMany(x.sources ?? []),
      claimants: await ctx.loaders.entity.loadMany(x.claimants ?? []),
      evidence: await ctx.loaders.entity.loadMany(x.evidence ?? []),
    },
    hypotheses: p.assessed.map((h) => ranked(h.assessment, hyp, key)),
  };
}

/** `Incident.ranking`, `Incident.judgment`, `Incident.ach` and `Incident.criticalItems`: from the one hypotheses bundle. */
export const analysisResolvers = {
  RankedHypothesis: {
    supporters: async (r: RankedValue, _: unknown, ctx: Context) =>
      positions(await assessedOf(r, ctx), 'supports', ctx),
    opponents: async (r: RankedValue, _: unknown, ctx: Context) =>
      positions(await assessedOf(r, ctx), 'disputes', ctx),
    independentOrigins: (r: RankedValue, _: unknown, ctx: Context) =>
      groupActors(r.assessment.independentOrigins, ctx),
  },
  Incident: {
    ranking: (i: Entity, args: { asOf?: string | null; exclude?: Exclude | null }, ctx: Context) =>
      rankingOf(ctx, { incident: i.id, asOf: args.asOf ?? null, exclude: args.exclude ?? null }),
    judgment: async (
      i: Entity,
      args: { asOf?: string | null; exclude?: Exclude | null },
      ctx: Context,
    ) => {
      const p = await prepared(ctx, i.id, args.asOf, args.exclude);
      const r = p.judged();
      if (!r)
        return {
          method: 'evidence-lr',
          key: null,
          marginals: [],
          technicalOnly: null,
          confidence: 'LOW',
          confidenceReason: 'no hypotheses recorded',
          factors: {
            supportingGroups: 0,
            criticalGroups: 0,
            coverage: 1,
            largestShare: 1,
            meanChallenges: 0,
            challengedShare: 0,
            unavailableShare: 0,
            sensitivityBands: 1,
            crossesEven: false,
          },
          steps: [],
          sensitivity: null,
          coverage: empty,
        };
      const l = lookup(p);
      const j = r.judgment;
      return {
        method: j.method,
        key: marginal(j.key, l, ctx),
        marginals: j.marginals.map((m) => marginal(m, l, ctx)),
        technicalOnly: marginal(j.technicalOnly, l, ctx),
        confidence: j.confidence,
        confidenceReason: j.confidenceReason,
        factors: j.factors,
        steps: j.steps.map((s) => ({
          ...s,
          evidence: s.kind === 'ITEM' ? l.ev.get(s.members[0]) : null,
          claims: s.kind === 'GROUP' ? s.members.map((id) => l.claim.get(id)).filter(Boolean) : [],
        })),
        // The whole grid is computed only when asked for (the rubric uses the one-at-a-time variants).
        sensitivity: () => sensitivity(p.input, r, { grid: true }),
        coverage: r.coverage,
      };
    },
    ach: async (
      i: Entity,
      args: { asOf?: string | null; exclude?: Exclude | null },
      ctx: Context,
    ) => {
      const p = await prepared(ctx, i.id, args.asOf, args.exclude);
      const r = p.result;
      if (!r)
        return {
          hypotheses: [],
          ranking: rankingOf(ctx, {
            incident: i.id,
            asOf: args.asOf ?? null,
            exclude: args.exclude ?? null,
          }),
          rows: [],
          columns: [],
          disagreements: [],
          coverage: empty,
        };
      const l = lookup(p);
      const order = p.assessed.map((h) => h.entity.id);
      const ordered = (cells: CellResult[]) =>
        order.map((id) => cells.find((c) => c.hypothesisId === id)!);
      const rows = [...r.rows].sort(
        (a, b) =>
          a.tag.localeCompare(b.tag, 'en', { numeric: true }) ||
          a.evidenceId.localeCompare(b.evidenceId),
      );
      const cells = rows.flatMap((row) => row.cells);
      return {
        hypotheses: p.assessed.map((h) => h.entity),
        ranking: rankingOf(ctx, {
          incident: i.id,
          asOf: args.asOf ?? null,
          exclude: args.exclude ?? null,
        }),
        rows: rows.map((row) => ({
          evidence: l.ev.get(row.evidenceId),
          weight: row.weight,
          diagnosticity: row.diagnosticity,
          evidenceClass: row.evidenceClass,
          ratedCells: row.ratedCells,
          cells: ordered(row.cells).map((c) => cell(c, l)),
          challenges: row.challenges.map((c) => ({
            group: c.groupKey,
            strength: c.strength,
            raters: () => ctx.loaders.entity.loadMany(c.raterIds),
          })),
        })),
        columns: order.map((id) => {
          const mine = cells.filter((c) => c.hypothesisId === id);
          const against = mine.filter((c) => c.origin !== 'MISSING' && c.bits < 0);
          return {
            hypothesis: l.hyp.get(id),
            bits: Math.round(mine.reduce((s, c) => s + c.bits, 0) * 1e6) / 1e6,
            weightedInconsistency: Math.round(-against.reduce((s, c) => s + c.bits, 0) * 1e6) / 1e6,
            inconsistentItems: against.length,
            missingCells: mine.filter((c) => c.origin === 'MISSING').length,
          };
        }),
        disagreements: cells
          .filter((c) => c.disagreement > 0)
          .sort(
            (a, b) =>
              b.disagreement - a.disagreement ||
              a.evidenceId.localeCompare(b.evidenceId) ||
              a.hypothesisId.localeCompare(b.hypothesisId),
          )
          .map((c) => cell(c, l)),
        coverage: r.coverage,
      };
    },
    criticalItems: async (
      i: Entity,
      args: { asOf?: string | null; exclude?: Exclude | null },
      ctx: Context,
    ) => {
      const found = await criticalItemsOf(ctx, i.id, args.asOf, args.exclude);
      const base = await prepared(ctx, i.id, args.asOf, args.exclude);
      return Promise.all(
        found.map(async (f) => {
          const hyp = new Map<string, Entity>(f.baseline.map((h) => [h.entity.id, h.entity]));
          const key: RankingKey = {
            incident: i.id,
            asOf: args.asOf ?? null,
            exclude: {
              ...args.exclude,
              [EXCLUDE_FIELD[f.kind]]: [...(args.exclude?.[EXCLUDE_FIELD[f.kind]] ?? []), f.id],
            },
          };
          const results = assessmentsOf(f.ranking, base.input);
          return {
            kind: f.kind,
            id: f.id,
            item: await ctx.loaders.entity.load(f.id),
            top: hyp.get(f.topId)!,
            keyProbability: f.ranking.key?.probability ?? null,
            ranking: f.ranking.hypotheses.map((a) =>
              ranked(
                { ...results.get(a.hypothesisId)!, confidence: f.ranking.judgment.confidence },
                hyp,
                key,
              ),
            ),
          };
        }),
      );
    },
    trajectory: async (
      i: Entity,
      args: { from?: string | null; to?: string | null; exclude?: Exclude | null },
      ctx: Context,
    ) => {
      const points = await trajectoryOf(ctx, i.id, args);
      // The hypotheses come with the bundle already loaded (memoized): no statement of their own.
      const hyps = new Map(
        (await loadFullBundle(ctx, i.id)).map((r) => {
          const e = fromRow(r.hypothesis);
          return [e.id, e];
        }),
      );
      return points.map((p) => ({
        date: p.date,
        changes: p.changes,
        hypotheses: p.assessments.map((a) => ({
          hypothesis: hyps.get(a.hypothesisId),
          rank: a.rank,
          score: a.score,
          probability: a.probability,
          likelihood: a.likelihood,
          likelihoodBand: a.likelihoodBand,
          // A thunk: the sensitivity runs behind it happen only when a query asks for it.
          confidence: () => a.confidence,
        })),
      }));
    },
  },
};
