import type { Context } from '../graph/context';
import { Entity, relationQuery } from '../graph/entities';
import { OrderBy, idsParam, instantParam, listPage } from '../graph/lists';
import type { PageArgs } from '../graph/paging';
import { HYPOTHESES_LIST } from './queries';
import { COUNTED_SOURCES } from '../claims';
import { PUBLISHER_NAME } from '../sources';
import { ASSESSED, AssessedHypothesis, LoadedClaim, assessedHypothesis } from './service';

/** A `HypothesisFilter` as the GraphQL layer passes it. */
export interface HypothesisFilter {
  incidents?: string[] | null;
  suspects?: string[] | null;
  supportedBy?: string[] | null;
  disputedBy?: string[] | null;
  recordedAfter?: Date | null;
}

export type HypothesisListArgs = PageArgs & {
  filter?: HypothesisFilter | null;
  orderBy?: OrderBy<keyof typeof HYPOTHESES_LIST> | null;
};

/**
 * One page of hypotheses. The entities are plain (no assessment attached): `assessment` and the
 * positions are computed only when selected, on the whole record.
 */
export function hypothesesPage(
  ctx: Context,
  args: HypothesisListArgs,
  fixed: Partial<HypothesisFilter> = {},
) {
  const f = { ...(args.filter ?? {}) };
  const suspects = fixed.suspects
    ? fixed.suspects.filter((s) => !f.suspects || f.suspects.includes(s))
    : idsParam(f.suspects);
  return listPage(
    ctx,
    HYPOTHESES_LIST,
    {
      incidents: idsParam(f.incidents),
      suspects,
      supportedBy: idsParam(f.supportedBy),
      disputedBy: idsParam(f.disputedBy),
      recordedAfter: instantParam(f.recordedAfter),
    },
    args.orderBy,
    { field: 'STARTED_AT' },
    args,
  );
}

const INCIDENT_OF_HYPOTHESIS = relationQuery('hypothesisIncident', '(n)-[:ABOUT]->(m:Incident)');

/** A hypothesis's assessment: the one it was returned with, else on the whole record. */
export async function assessed(
  h: Entity,
  ctx: Context,
): Promise<AssessedHypothesis & { pathDependent?: boolean }> {
  const given = ctx.facts.get(ASSESSED, h);
  if (given) return given;
  const incident = await ctx.loaders.one(INCIDENT_OF_HYPOTHESIS, h.id);
  return assessedHypothesis(ctx, h, incident!.id);
}

/** `use(assessment)` at once when the hypothesis carries it, else once it is loaded. */
function withAssessed<T>(
  h: Entity,
  ctx: Context,
  use: (a: AssessedHypothesis & { pathDependent?: boolean }) => T,
): T | Promise<T> {
  const given = ctx.facts.get(ASSESSED, h);
  return given ? use(given) : assessed(h, ctx).then(use);
}

const HYPOTHESIS_SUSPECTS = relationQuery(
  'hypothesisSuspects',
  '(n)-[:SUSPECTS]->(m:Actor)',
  'm.name',
);

/** A position: an actor, its claims of one stance, their origins and the sources counted. */
export interface PositionValue {
  actor: Entity;
  claims: Entity[];
  origins: string[];
  countedSources: Entity[];
}

/**
 * One entry per actor, with all that actor's claims of the stance, oldest first; strongest
 * position first. `pathDependent` (only the deprecated `Incident.hypotheses(asOf, exclude)`)
 * also makes each claim's own `sources` the counted ones; elsewhere a Claim is the same value
 * however it is reached, and the counted sources are on the position.
 */
export function positions(
  h: AssessedHypothesis,
  stance: 'supports' | 'disputes',
  ctx: Context,
  pathDependent = false,
): PositionValue[] {
  const byActor = new Map<string, PositionValue>();
  for (const c of h.claims.filter((x: LoadedClaim) => x.stance === stance)) {
    const p = byActor.get(c.claimant.id) ?? {
      actor: c.claimant,
      claims: [],
      origins: [],
      countedSources: [],
    };
    // The claim's sources as counted here: as of the date asked, without excluded sources.
    p.claims.push(
      pathDependent ? ctx.facts.set(COUNTED_SOURCES, { ...c.claim }, c.sources) : c.claim,
    );
    for (const s of c.sources) {
      const publisher = c.publishers[s.id];
      if (publisher != null) ctx.facts.set(PUBLISHER_NAME, s, publisher);
      if (!p.countedSources.some((x) => x.id === s.id)) p.countedSources.push(s);
    }
    const origin = h.assessment.claimOrigins[c.claim.id] ?? c.claimant.id;
    if (!p.origins.includes(origin)) p.origins.push(origin);
    byActor.set(c.claimant.id, p);
  }
  const weight = new Map(
    h.assessment.explanation.filter((x) => x.actorId).map((x) => [x.actorId!, Math.abs(x.points)]),
  );
  return [...byActor.values()].sort(
    (a, b) =>
      (weight.get(b.actor.id) ?? 0) - (weight.get(a.actor.id) ?? 0) ||
      String(a.actor.name).localeCompare(String(b.actor.name)),
  );
}

/**
 * Dependency-group keys as actors: a group named after an actor (`norse`, `taia-global`) is that
 * actor; a government group (`gov:US`) is no single actor and is left out.
 */
export async function groupActors(ids: string[], ctx: Context): Promise<Entity[]> {
  const found = await ctx.loaders.entity.loadMany(ids);
  return found.filter((x): x is Entity => !!x && !(x instanceof Error));
}

export const hypothesisResolvers = {
  Query: {
    hypothesis: async (_: unknown, { id }: { id: string }, ctx: Context) => {
      const e = await ctx.loaders.entity.load(id);
      return e?.__typename === 'Hypothesis' ? e : null;
    },
    hypotheses: (_: unknown, args: HypothesisListArgs, ctx: Context) => hypothesesPage(ctx, args),
  },
  Hypothesis: {
    incident: (h: Entity, _: unknown, ctx: Context) =>
      ctx.loaders.one(INCIDENT_OF_HYPOTHESIS, h.id),
    suspects: (h: Entity, _: unknown, ctx: Context) =>
      ctx.facts.get(ASSESSED, h)?.suspects ?? ctx.loaders.nodes(HYPOTHESIS_SUSPECTS, h.id),
    // Synchronous when the hypothesis came with its assessment (Incident.hypotheses): no promise
    // per field; reached otherwise (node, lists), the assessment is loaded first.
    sponsor: (h: Entity, _: unknown, ctx: Context) => withAssessed(h, ctx, (a) => a.sponsor),
    supporters: (h: Entity, _: unknown, ctx: Context) =>
      withAssessed(h, ctx, (a) => positions(a, 'supports', ctx, a.pathDependent)),
    opponents: (h: Entity, _: unknown, ctx: Context) =>
      withAssessed(h, ctx, (a) => positions(a, 'disputes', ctx, a.pathDependent)),
    assessment: (h: Entity, _: unknown, ctx: Context) => withAssessed(h, ctx, (a) => a.assessment),
    independentOrigins: (h: Entity, _: unknown, ctx: Context) =>
      withAssessed(h, ctx, (a) => a.assessment.independentOrigins),
    independentOriginActors: async (h: Entity, _: unknown, ctx: Context) =>
      groupActors((await assessed(h, ctx)).assessment.independentOrigins, ctx),
  },
  Position: {
    originActors: (p: PositionValue, _: unknown, ctx: Context) => groupActors(p.origins, ctx),
  },
  Contribution: {
    origin: (c: { group: string }) =>
      c.group.startsWith('group:') ? c.group.slice('group:'.length) : null,
    actor: (c: { actorId?: string }, _: unknown, ctx: Context) =>
      c.actorId ? ctx.loaders.entity.load(c.actorId) : null,
    claim: (c: { claimId?: string }, _: unknown, ctx: Context) =>
      c.claimId ? ctx.loaders.entity.load(c.claimId) : null,
    evidence: (c: { evidenceId?: string }, _: unknown, ctx: Context) =>
      c.evidenceId ? ctx.loaders.entity.load(c.evidenceId) : null,
    originActor: async (c: { group: string }, _: unknown, ctx: Context) =>
      c.group.startsWith('group:')
        ? ((await groupActors([c.group.slice('group:'.length)], ctx))[0] ?? null)
        : null,
  },
};
