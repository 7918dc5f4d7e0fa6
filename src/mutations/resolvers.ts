import { KEY_ROLES, ROLES } from '../auth';
import type { Context } from '../graph/context';
import type { Entity } from '../graph/entities';
import { LIST_LIMITS } from '../graph/lists';
import { type PageArgs, sliceConnection } from '../graph/paging';
import { runMutation, toUserErrors, type MutationDef } from './define';
import { CORRECTABLE_FIELDS, HYPOTHESIS_OPINIONS } from './queries';
import { MUTATIONS } from './table';
import { ArtifactKind, ObservableType, OpinionValue, Stance, graphqlEnum } from '../model';
import { HASH_ALGORITHMS } from './inputs';

/** The actor a key or viewer speaks for, as an object (`actor` holds its id). */
const actorOf = (o: { actor?: string | null }, _: unknown, ctx: Context) =>
  o.actor ? ctx.loaders.entity.load(o.actor) : null;

/** The SDL type of a mutation's payload: `createClaim` answers a `CreateClaimPayload`. */
export const payloadType = (name: string) => `${name[0].toUpperCase()}${name.slice(1)}Payload`;

/**
 * The resolver of a mutation, derived from its declaration: the payload's fields and an empty
 * `userErrors`, or `userErrors` alone when the input is at fault (nothing was written).
 * Authentication, authorization and outages stay top-level errors.
 */
const resolverOf =
  <I, O extends object>(def: MutationDef<I, O>) =>
  async (_: unknown, args: { input: unknown }, ctx: Context) => {
    const __typename = payloadType(def.name);
    try {
      return { __typename, ...(await runMutation(def, ctx, args.input)), userErrors: [] };
    } catch (err) {
      const userErrors = toUserErrors(err);
      if (!userErrors) throw err;
      return { __typename, userErrors };
    }
  };

export const mutationResolvers = {
  Role: graphqlEnum(ROLES),
  KeyRole: graphqlEnum(KEY_ROLES),
  HypothesisStance: graphqlEnum(Stance),
  TextField: graphqlEnum(CORRECTABLE_FIELDS),
  OpinionValue: graphqlEnum(OpinionValue),
  ArtifactKind: graphqlEnum(ArtifactKind),
  ObservableType: graphqlEnum(ObservableType),
  HashAlgorithm: graphqlEnum(HASH_ALGORITHMS),
  Viewer: { actor: actorOf },
  ApiKey: { actor: actorOf },
  Mutation: Object.fromEntries(MUTATIONS.map((def) => [def.name, resolverOf(def)])),
  MutationPayload: { __resolveType: (p: { __typename: string }) => p.__typename },
  Query: {
    viewer: (_: unknown, __: unknown, ctx: Context) => ctx.principal,
  },
  Hypothesis: {
    // every hypothesis's opinions in one batched statement, paged in memory (keyset cursors)
    opinions: async (h: Entity, args: PageArgs, ctx: Context) =>
      sliceConnection(
        (await ctx.loaders.nodes(HYPOTHESIS_OPINIONS, h.id)).map((o): Entity => ({
          ...o,
          __typename: 'Opinion',
        })),
        (o) => [o.createdAt == null ? '' : String(o.createdAt), o.id],
        args,
        LIST_LIMITS,
      ),
  },
  Opinion: {
    hypothesis: (o: Entity, _: unknown, ctx: Context) =>
      ctx.loaders.entity.load(String(o.hypothesis)),
    analyst: (o: Entity, _: unknown, ctx: Context) =>
      o.analyst ? ctx.loaders.entity.load(String(o.analyst)) : null,
  },
};
