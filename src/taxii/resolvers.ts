import { JSONObjectResolver } from 'graphql-scalars';
import type { Context } from '../graph/context';
import { exportStix } from '../stix/export';
import { TAXII_INCIDENTS } from './queries';

/** `Query.stixBundle`: the STIX export over GraphQL (schema/stix.graphql). */
export const stixBundleResolvers = {
  JSONObject: JSONObjectResolver,
  Query: {
    stixBundle: async (_: unknown, { incident }: { incident?: string | null }, ctx: Context) => {
      if (incident !== undefined && incident !== null) {
        const known = await ctx.db.read(TAXII_INCIDENTS);
        if (!known.some((i) => i.id === incident)) return null;
      }
      return exportStix(ctx.db, incident ? { incident } : {});
    },
  },
};
