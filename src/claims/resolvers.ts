import type { Context } from '../graph/context';
import { partialDate } from '../graph/dates';
import type { Entity } from '../graph/entities';
import { FactKey } from '../graph/facts';
import { OrderBy, boolParam, dayParam, idsParam, instantParam, listPage } from '../graph/lists';
import type { PageArgs } from '../graph/paging';
import { ClaimStance, DatePrecision, TextKind, graphqlEnum } from '../model';
import {
  CLAIMS_LIST,
  CLAIM_CLAIMANT,
  CLAIM_EVIDENCE,
  CLAIM_HYPOTHESIS,
  CLAIM_SOURCES,
} from './queries';

/** A `ClaimFilter` as the GraphQL layer passes it (enum values already mapped). */

/** The sources a claim was counted on in the replay that returned it (deprecated replay paths). */
export const COUNTED_SOURCES = new FactKey<Entity[]>('countedSources');

export interface ClaimFilter {
  claimants?: string[] | null;
  stances?: string[] | null;
  hypotheses?: string[] | null;
  incidents?: string[] | null;
  suspects?: string[] | null;
  sources?: string[] | null;
  statedFrom?: string | null;
  statedTo?: string | null;
  retracted?: boolean | null;
  recordedAfter?: Date | null;
}

export type ClaimOrderField = keyof typeof CLAIMS_LIST;

/** Arguments of every claim list. */
export type ClaimListArgs = PageArgs & {
  filter?: ClaimFilter | null;
  orderBy?: OrderBy<ClaimOrderField> | null;
};

/** The statement parameters of a claim filter; `fixed` narrows it further (an edge's owner). */
function claimParams(f: ClaimFilter | null | undefined, fixed: Partial<ClaimFilter> = {}) {
  const g = { ...(f ?? {}) };
  const and = (a: string[] | null | undefined, b: string[] | undefined) =>
    b === undefined ? idsParam(a) : a ? b.filter((x) => a.includes(x)) : b;
  return {
    claimants: and(g.claimants, fixed.claimants ?? undefined),
    stances: idsParam(g.stances),
    hypotheses: idsParam(g.hypotheses),
    incidents: idsParam(g.incidents),
    suspects: idsParam(g.suspects),
    sources: and(g.sources, fixed.sources ?? undefined),
    statedFrom: dayParam(g.statedFrom),
    statedTo: dayParam(g.statedTo),
    retracted: boolParam(g.retracted),
    recordedAfter: instantParam(g.recordedAfter),
  };
}

/** One page of claims for a filter (and an edge's fixed constraint, e.g. the actor's own claims). */
export function claimsPage(ctx: Context, args: ClaimListArgs, fixed: Partial<ClaimFilter> = {}) {
  return listPage(
    ctx,
    CLAIMS_LIST,
    claimParams(args.filter, fixed),
    args.orderBy,
    { field: 'STATED_AT' },
    args,
  );
}

export const claimResolvers = {
  Stance: graphqlEnum(ClaimStance),
  TextKind: graphqlEnum(TextKind),
  DatePrecision: graphqlEnum(DatePrecision),
  Query: {
    claim: async (_: unknown, { id }: { id: string }, ctx: Context) => {
      const e = await ctx.loaders.entity.load(id);
      return e?.__typename === 'Claim' ? e : null;
    },
    claims: (_: unknown, args: ClaimListArgs, ctx: Context) => claimsPage(ctx, args),
  },
  Claim: {
    statedAtPrecision: (c: Entity) => c.statedAtPrecision ?? 'unknown',
    stated: (c: Entity) => partialDate(c.statedAt, c.statedAtPrecision),
    retractedAtPrecision: (c: Entity) =>
      c.retractedAt ? (c.retractedAtPrecision ?? 'day') : 'unknown',
    retracted: (c: Entity) => partialDate(c.retractedAt, c.retractedAtPrecision ?? 'day'),
    claimant: (c: Entity, _: unknown, ctx: Context) => ctx.loaders.one(CLAIM_CLAIMANT, c.id),
    hypothesis: (c: Entity, _: unknown, ctx: Context) => ctx.loaders.one(CLAIM_HYPOTHESIS, c.id),
    /** Under a hypothesis, the sources the assessment counted (as of, exclusions applied); else all. */
    sources: (c: Entity, _: unknown, ctx: Context) =>
      ctx.facts.get(COUNTED_SOURCES, c) ?? ctx.loaders.nodes(CLAIM_SOURCES, c.id),
    evidence: (c: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(CLAIM_EVIDENCE, c.id),
    unverified: (c: Entity) => c.unverified === true,
  },
};
