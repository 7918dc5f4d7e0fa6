import { toDate } from '../db';
import { AppError, ErrorCode, badInput } from '../errors';
import type { Context } from '../graph/context';
import { todayIso } from '../graph/dates';
import { asOfParam } from '../graph/dates';
import {
  overlap,
  rankCandidates,
  type OverlapTerm,
  type ProfileItem,
  type Specificity,
} from '../analysis';
import { CANDIDATES, OVERLAP, type ProfileRow } from './queries';

const params = (asOf: string | null | undefined) => ({
  asOf: asOfParam(asOf),
  effective: toDate(asOf ?? todayIso()),
});

const specificity = (actors: number, rows: ProfileRow[]): Specificity => {
  const df = new Map(rows.map((r) => [r.id, Number(r.df)]));
  return { actors: Number(actors), df: (id) => df.get(id) ?? 0 };
};

const items = (rows: ProfileRow[]): ProfileItem[] =>
  rows.map((r) => ({ id: r.id, kind: r.kind, name: r.name }));

/** A term as served: the artifact (loaded by id), its points, weight and reason. */
const term = (ctx: Context) => (t: OverlapTerm) => ({
  artifact: () => ctx.loaders.entity.load(t.artifact),
  points: t.points,
  weight: t.weight,
  actorCount: t.actorCount,
  reason: t.reason,
});

function checkEnd(argument: string, labels: string[] | null, id: string): void {
  if (!labels)
    throw new AppError(ErrorCode.NOT_FOUND, `${argument}: no entity has id "${id}"`, { argument });
  if (!labels.includes('Actor') && !labels.includes('Incident'))
    throw badInput(
      argument,
      `"${id}" is not an actor or an incident (overlap compares actors and incidents)`,
    );
}

const byKind = (m: Record<string, number>) =>
  Object.entries(m)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, count]) => ({ kind, count }));

export const overlapResolvers = {
  Query: {
    /** One statement: both profiles and the counts; the score is computed here. */
    overlap: async (
      _: unknown,
      args: { a: string; b: string; asOf?: string | null },
      ctx: Context,
    ) => {
      if (args.a === args.b) throw badInput('b', 'must differ from `a`');
      const [row] = await ctx.db.read(OVERLAP, { a: args.a, b: args.b, ...params(args.asOf) });
      checkEnd('a', row.aLabels, args.a);
      checkEnd('b', row.bLabels, args.b);
      const r = overlap(items(row.a), items(row.b), specificity(row.actors, [...row.a, ...row.b]));
      const terms = r.explanation.map(term(ctx));
      return {
        a: () => ctx.loaders.entity.load(args.a),
        b: () => ctx.loaders.entity.load(args.b),
        score: r.score,
        method:
          'weighted Jaccard: sum of the specificity weights of the shared artifacts over that of all artifacts of either side',
        byKind: byKind(r.byKind),
        explanation: terms,
        shared: terms,
      };
    },
  },
  Incident: {
    /** One statement: the incident's profile and the actors sharing any of it; ranked here. */
    candidates: async (
      i: { id: string },
      args: { asOf?: string | null; first?: number | null },
      ctx: Context,
    ) => {
      const first = args.first ?? 10;
      if (!Number.isInteger(first) || first < 1 || first > 100)
        throw badInput('first', 'must be between 1 and 100');
      const [row] = await ctx.db.read(CANDIDATES, { incident: i.id, ...params(args.asOf) });
      const sets = new Map(row.candidates.map((c) => [c.actor, new Set(c.shared)]));
      const ranked = rankCandidates(
        items(row.profile),
        sets,
        specificity(row.actors, row.profile),
        first,
      );
      return ranked.map((c) => {
        const terms = c.explanation.map(term(ctx));
        return {
          actor: () => ctx.loaders.entity.load(c.actor),
          score: c.score,
          rank: c.rank,
          byKind: byKind(c.byKind),
          explanation: terms,
          shared: terms,
        };
      });
    },
  },
};
