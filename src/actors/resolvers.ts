import type { Context } from '../graph/context';
import { Entity, fromRow } from '../graph/entities';
import { connection, decodeCursor, pageSize } from '../graph/paging';
import {
  ACTOR_AFFILIATIONS,
  ACTOR_ALIASES,
  ACTOR_CLAIMS_PAGE,
  ACTOR_INCIDENTS,
  ACTOR_MEMBERS,
  ALIAS_ACTORS,
} from './queries';
import { ActorKind, graphqlEnum } from '../model';

const claimsOf = (ids: unknown, ctx: Context) =>
  ctx.loaders.entity.loadMany((ids as string[]) ?? []);

export const actorResolvers = {
  ActorKind: graphqlEnum(ActorKind),
  Query: {
    actor: async (_: unknown, { id }: { id: string }, ctx: Context) => {
      const e = await ctx.loaders.entity.load(id);
      return e?.__typename === 'Actor' ? e : null;
    },
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
    members: async (a: Entity, _: unknown, ctx: Context) =>
      (await ctx.loaders.relation(ACTOR_MEMBERS, a.id)).map((x) => ({
        member: x.node,
        organisation: a,
        role: x.rel.role ?? null,
        claimIds: x.rel.claims,
      })),
    claims: async (
      a: Entity,
      args: { first?: number | null; after?: string | null },
      ctx: Context,
    ) => {
      const size = pageSize(args.first, 50, 100);
      const skip = decodeCursor(args.after);
      const [row] = await ctx.db.read(ACTOR_CLAIMS_PAGE, { actor: a.id, skip, limit: size });
      return connection((row?.claims ?? []).map(fromRow), skip, size, row?.total ?? 0);
    },
    incidents: (a: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(ACTOR_INCIDENTS, a.id),
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
