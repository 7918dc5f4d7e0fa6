import { JSONObjectResolver } from 'graphql-scalars';
import { requireRole } from '../auth';
import type { Context } from '../graph/context';
import { exportStix } from './export';

/** `Query.stixBundle`: the STIX export over GraphQL (schema/stix.graphql). */
export const stixBundleResolvers = {
  JSONObject: JSONObjectResolver,
  Query: {
    stixBundle: async (_: unknown, { incident }: { incident?: string | null }, ctx: Context) => {
      // The whole graph at once is an export, not a query: admins only (issue 16).
      if (incident === undefined || incident === null)
        requireRole(ctx.principal, 'admin', 'stixBundle without `incident` (every incident)');
      else if ((await ctx.loaders.entity.load(incident))?.__typename !== 'Incident') return null;
      return exportStix(ctx.db, incident ? { incident } : {});
    },
  },
};
