import { AchCellResult, AssessmentResult, RATING_VALUE, achMatrix } from '../analysis';
import type { Context } from '../graph/context';
import type { Entity } from '../graph/entities';
import { positions } from './resolvers';
import { AssessedHypothesis, Exclude, criticalItemsOf, prepared } from './service';

/** The rating word nearest a consensus value (ties toward neutral). */
function ratingWord(c: number | null): string | null {
  if (c === null) return null;
  const r = Math.sign(c) * Math.floor(Math.abs(c) + 0.5 - 1e-9);
  return Object.entries(RATING_VALUE).find(([, v]) => v === r)![0];
}

const EXCLUDE_FIELD = { SOURCE: 'sources', CLAIMANT: 'claimants', EVIDENCE: 'evidence' } as const;

interface Lookup {
  hyp: Map<string, Entity>;
  ev: Map<string, Entity>;
  rating: Map<string, Entity>;
}

const cell = (c: AchCellResult, l: Lookup) => ({
  hypothesis: l.hyp.get(c.hypothesisId),
  evidence: l.ev.get(c.evidenceId),
  consensus: c.consensus,
  rating: ratingWord(c.consensus),
  disagreement: c.disagreement,
  ratings: c.ratings.map((r) => l.rating.get(r.id)),
});

/** A hypothesis without what one replay attached to it: the same value on every path. */
function plainHypothesis(h: Entity): Entity {
  const out: Entity = { id: h.id, __typename: h.__typename };
  for (const [k, v] of Object.entries(h)) if (!k.startsWith('_')) out[k] = v;
  return out;
}

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
  _key: RankingKey;
}

const ranked = (a: AssessmentResult, hyp: Map<string, Entity>, key: RankingKey): RankedValue => ({
  hypothesis: plainHypothesis(hyp.get(a.hypothesisId)!),
  rank: a.rank,
  score: a.score,
  probability: a.probability,
  likelihood: a.likelihood,
  confidence: a.confidence,
  assessment: a,
  _key: key,
});

/** The assessed hypothesis behind a ranking entry (the same memoized computation). */
async function assessedOf(r: RankedValue, ctx: Context): Promise<AssessedHypothesis> {
  const p = await prepared(ctx, r._key.incident, r._key.asOf, r._key.exclude);
  return p.assessed.find((h) => h.id === r.hypothesis.id)!;
}

/** `Incident.ranking` for these arguments, as a value. */
async function rankingOf(ctx: Context, key: RankingKey) {
  const p = await prepared(ctx, key.incident, key.asOf, key.exclude);
  const hyp = new Map<string, Entity>(p.assessed.map((h) => [h.id, h]));
  const x = key.exclude ?? {};
  return {
    asOf: key.asOf,
    excluded: {
      sources: await ctx.loaders.entity.loadMany(x.sources ?? []),
      claimants: await ctx.loaders.entity.loadMany(x.claimants ?? []),
      evidence: await ctx.loaders.entity.loadMany(x.evidence ?? []),
    },
    hypotheses: p.assessed.map((h) => ranked(h._assessment, hyp, key)),
  };
}

/** `Incident.ranking`, `Incident.ach` and `Incident.criticalItems`: from the one hypotheses bundle. */
export const analysisResolvers = {
  RankedHypothesis: {
    supporters: async (r: RankedValue, _: unknown, ctx: Context) =>
      positions(await assessedOf(r, ctx), 'supports'),
    opponents: async (r: RankedValue, _: unknown, ctx: Context) =>
      positions(await assessedOf(r, ctx), 'disputes'),
    independentOrigins: (r: RankedValue, _: unknown, ctx: Context) =>
      ctx.loaders.entity.loadMany(r.assessment.independentOrigins),
  },
  Incident: {
    ranking: (i: Entity, args: { asOf?: string | null; exclude?: Exclude | null }, ctx: Context) =>
      rankingOf(ctx, { incident: i.id, asOf: args.asOf ?? null, exclude: args.exclude ?? null }),
    ach: async (
      i: Entity,
      args: { asOf?: string | null; exclude?: Exclude | null },
      ctx: Context,
    ) => {
      const p = await prepared(ctx, i.id, args.asOf, args.exclude);
      const order = new Map(p.assessed.map((h, k) => [h.id, k]));
      const inputs = p.hyps.map((h) => h.input).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
      const m = achMatrix(inputs);
      const l: Lookup = {
        hyp: new Map(p.assessed.map((h) => [h.id, plainHypothesis(h)])),
        ev: new Map(p.hyps.flatMap((h) => [...h.evidence])),
        rating: new Map(p.hyps.flatMap((h) => [...h.ratings])),
      };
      return {
        hypotheses: p.assessed,
        ranking: rankingOf(ctx, {
          incident: i.id,
          asOf: args.asOf ?? null,
          exclude: args.exclude ?? null,
        }),
        rows: m.rows.map((r) => ({
          evidence: l.ev.get(r.evidenceId),
          weight: r.weight,
          diagnosticity: r.diagnosticity,
          cells: r.cells.map((c) => cell(c, l)),
        })),
        columns: m.columns.map((c) => ({
          hypothesis: l.hyp.get(c.hypothesisId),
          weightedInconsistency: c.weightedInconsistency,
          inconsistentItems: c.inconsistentItems,
        })),
        disagreements: m.disagreements.map((c) => cell(c, l)),
      };
    },
    criticalItems: async (i: Entity, args: { asOf?: string | null }, ctx: Context) => {
      const found = await criticalItemsOf(ctx, i.id, args.asOf);
      return Promise.all(
        found.map(async (f) => {
          const hyp = new Map<string, Entity>(f.baseline.map((h) => [h.id, h]));
          const key: RankingKey = {
            incident: i.id,
            asOf: args.asOf ?? null,
            exclude: { [EXCLUDE_FIELD[f.kind]]: [f.id] },
          };
          return {
            kind: f.kind,
            id: f.id,
            item: await ctx.loaders.entity.load(f.id),
            top: plainHypothesis(hyp.get(f.topId)!),
            ranking: f.ranking.map((a) => ranked(a, hyp, key)),
          };
        }),
      );
    },
  },
};
