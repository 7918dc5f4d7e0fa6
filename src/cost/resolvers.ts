import type { Context } from '../graph/context';

/** `Query.rateLimit` (schema/cost.graphql): the caller's standing, as GitHub's `rateLimit`. */
export const costResolvers = {
  Query: {
    rateLimit: (_: unknown, __: unknown, ctx: Context) => ctx.cost?.rateLimit ?? null,
  },
};
