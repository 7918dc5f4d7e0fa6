import { badInput } from '../errors';
import type { Context } from '../graph/context';
import { Entity, fromRow } from '../graph/entities';
import { ARTIFACT_LABELS } from '../model';
import { BY_STORED_STIX_ID, STIX_FACTS, nativeLookup, stixIdsOf, stixTypeOf } from './bridge';

/** Every GraphQL type that implements `Node`, each with `stixIds`. */
const NODE_TYPES = [
  'Incident',
  'Actor',
  'Alias',
  'Hypothesis',
  'Claim',
  'Event',
  'Source',
  'Evidence',
  'EvidenceRating',
  'Opinion',
  'Location',
  ...ARTIFACT_LABELS,
];

/** A node's STIX ids (one batched statement per request for all nodes asked). */
async function stixIds(e: Entity, _: unknown, ctx: Context): Promise<string[]> {
  const facts = await ctx.loaders.row(STIX_FACTS, e.id);
  return facts ? stixIdsOf(facts) : [];
}

/** The STIX bridge: `stixIds` on every node, `stixObject(stixId:)`, `nodes(ids:)`. */
export const stixBridgeResolvers = {
  ...Object.fromEntries(NODE_TYPES.map((t) => [t, { stixIds }])),
  Query: {
    nodes: (_: unknown, { ids }: { ids: string[] }, ctx: Context) => {
      if (ids.length > 100) throw badInput('ids', 'must hold at most 100 ids');
      return Promise.all(ids.map((id) => ctx.loaders.entity.load(id)));
    },
    stixObject: async (_: unknown, { stixId }: { stixId: string }, ctx: Context) => {
      const type = stixTypeOf(stixId);
      if (!type) throw badInput('stixId', 'is not a STIX id (`<type>--<UUID>`)');
      // an imported object's own id first, then the native ids the export gives (both indexed)
      const [stored] = await ctx.db.read(BY_STORED_STIX_ID, { stixId });
      if (stored) return fromRow(stored.node);
      const lookup = nativeLookup(type);
      if (!lookup) return null;
      const [native] = await ctx.db.read(lookup, { stixId });
      return native ? fromRow(native.node) : null;
    },
  },
};
