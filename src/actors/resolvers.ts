import type { Context } from '../graph/context';
import { ClaimListArgs, claimsPage } from '../claims';
import { HypothesisListArgs, hypothesesPage } from '../hypotheses';
import type { Entity } from '../graph/entities';
import { LIST_LIMITS, OrderBy, boolParam, idsParam, instantParam, listPage } from '../graph/lists';
import { type PageArgs, sliceConnection } from '../graph/paging';
import {
  ACTORS_LIST,
  ACTOR_AFFILIATIONS,
  ACTOR_ALIASES,
  ACTOR_INCIDENTS,
  ACTOR_INVOLVEMENTS,
  ACTOR_MEMBERS,
  ALIAS_ACTORS,
} from './queries';
import { ActorKind, graphqlEnum } from '../model';

const claimsOf = (ids: unknown, ctx: Context) =>
  ctx.loaders.entity.loadMany((ids as string[]) ?? []);

/** An `ActorFilter` as the GraphQL layer passes it. */
interface ActorFilter {
  kinds?: string[] | null;
  countries?: string[] | null;
  unverified?: boolean | null;
  recordedAfter?: Date | null;
}

type ActorListArgs = PageArgs & {
  filter?: ActorFilter | null;
  orderBy?: OrderBy<keyof typeof ACTORS_LIST> | null;
};

export const actorResolvers = {
  InvolvementRole: {
    SUSPECT: 'suspect',
    CLAIMANT: 'claimant',
    RATER: 'rater',
    PARTICIPANT: 'participant',
    PUBLISHER: 'publisher',
  },
  ActorKind: graphqlEnum(ActorKind),
  Query: {
    actor: async (_: unknown, { id }: { id: string }, ctx: Context) => {
      const e = await ctx.loaders.entity.load(id);
      return e?.__typename === 'Actor' ? e : null;
    },
    actors: (_: unknown, args: ActorListArgs, ctx: Context) =>
      listPage(
        ctx,
        ACTORS_LIST,
        {
          kinds: idsParam(args.filter?.kinds),
          countries: idsParam(args.filter?.countries),
          unverified: boolParam(args.filter?.unverified),
          recordedAfter: instantParam(args.filter?.recordedAfter),
        },
        args.orderBy,
        { field: 'NAME' },
        args,
      ),
  },
  Actor: {
    aliases: async (a: Entity, _: unknown, ctx: Context) =>
      (await ctx.loaders.relation(ACTOR_ALIASES, a.id)).map((x) => ({
        name: x.rel.name,
        refersTo: x.node.__typename === 'Actor' ? x.node : null,
        claimIds: x.rel.claims,
      })),
    affiliations: async (a: Entity, _: unknown, ctx: Context) =>
      (await ctx.loaders.relation(ACTOR_AFFILIATIONS, a.id)).map((x) => ({
        member: a,
        organisation: x.node,
        role: x.rel.role ?? null,
        claimIds: x.rel.claims,
      })),
    // every organisation's members in one batched statement, paged in memory (keyset cursors)
    members: async (a: Entity, args: PageArgs, ctx: Context) =>
      sliceConnection(
        (await ctx.loaders.relation(ACTOR_MEMBERS, a.id)).map((x) => ({
          member: x.node,
          organisation: a,
          role: x.rel.role ?? null,
          claimIds: x.rel.claims,
        })),
        (m) => [String(m.member.name ?? '').toLowerCase(), m.member.id],
        args,
        LIST_LIMITS,
      ),
    claims: (a: Entity, args: ClaimListArgs, ctx: Context) =>
      claimsPage(ctx, args, { claimants: [a.id] }),
    incidents: (a: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(ACTOR_INCIDENTS, a.id),
    involvements: async (a: Entity, args: { roles?: string[] | null }, ctx: Context) =>
      (await ctx.loaders.relation(ACTOR_INVOLVEMENTS, a.id))
        .map((x) => ({ incident: x.node, roles: (x.rel.roles as string[]).sort() }))
        .filter((x) => !args.roles || x.roles.some((r) => args.roles!.includes(r))),
    suspectedIn: (a: Entity, args: HypothesisListArgs, ctx: Context) =>
      hypothesesPage(ctx, args, { suspects: [a.id] }),
    unverified: (a: Entity) => a.unverified === true,
  },
  AliasLink: {
    claims: (l: { claimIds: unknown }, _: unknown, ctx: Context) => claimsOf(l.claimIds, ctx),
  },
  Affiliation: {
    claims: (l: { claimIds: unknown }, _: unknown, ctx: Context) => claimsOf(l.claimIds, ctx),
  },
  Alias: { actors: (a: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(ALIAS_ACTORS, a.id) },
};
