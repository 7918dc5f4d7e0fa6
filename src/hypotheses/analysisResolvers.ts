import { AchCellResult, AssessmentResult, RATING_VALUE, achMatrix } from '../analysis';
import type { Context } from '../graph/context';
import type { Entity } from '../graph/entities';
import { Exclude, criticalItemsOf, prepared } from './service';

/** The rating word nearest a consensus value (ties toward neutral). */
function ratingWord(c: number | null): string | null {
  if (c === null) return null;
  const r = Math.sign(c) * Math.floor(Math.abs(c) + 0.5 - 1e-9);
  return Object.entries(RATING_VALUE).find(([, v]) => v === r)![0];
}

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

const ranked = (a: AssessmentResult, hyp: Map<string, Entity>) => ({
  hypothesis: hyp.get(a.hypothesisId),
  rank: a.rank,
  score: a.score,
  probability: a.probability,
  likelihood: a.likelihood,
  confidence: a.confidence,
});

/** `Incident.ach` and `Incident.criticalItems`: computed from the one hypotheses bundle. */
export const analysisResolvers = {
  Incident: {
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
        hyp: new Map(p.assessed.map((h) => [h.id, h])),
        ev: new Map(p.hyps.flatMap((h) => [...h.evidence])),
        rating: new Map(p.hyps.flatMap((h) => [...h.ratings])),
      };
      return {
        hypotheses: p.assessed,
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
          return {
            kind: f.kind,
            id: f.id,
            item: await ctx.loaders.entity.load(f.id),
            top: hyp.get(f.topId),
            ranking: f.ranking.map((a) => ranked(a, hyp)),
          };
        }),
      );
    },
  },
};
