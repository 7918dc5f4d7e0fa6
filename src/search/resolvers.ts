import neo4j from 'neo4j-driver';
import { CLAIM_SOURCES } from '../claims';
import { badInput } from '../errors';
import type { Context } from '../graph/context';
import { Entity, fromRow } from '../graph/entities';
import { decodeKey, encodeKey, pageSize } from '../graph/paging';
import { MAX_SEARCH_TEXT, luceneLiteral } from './lucene';
import { graphqlEnum } from '../model';
import { FULLTEXT_SEARCH, MAX_HOPS, MAX_PATHS, SEARCHED_LABELS, SHORTEST_PATHS } from './queries';

/** How a step reads, from `from` to `to`, by relationship type. */
const VERB: Record<string, string> = {
  KNOWN_AS: 'is known as',
  PART_OF: 'is part of',
  SUBJECT: 'is about',
  OBJECT: 'names',
  BY: 'is by',
  SUPPORTS: 'supports',
  DISPUTES: 'disputes',
  SUSPECTS: 'suspects',
  ABOUT: 'is a hypothesis about',
  BASED_ON: 'rests on',
  OBSERVED_IN: 'was observed in',
  RELATED_TO: 'is related to',
  INVOLVES: 'involves',
  IN: 'happened in',
  RATES: 'rates',
  AGAINST: 'is rated against',
  USES: 'uses',
  COMMUNICATES_WITH: 'communicates with',
  INDICATES: 'indicates',
  VARIANT_OF: 'is a variant of',
  DROPS: 'drops',
  RESOLVES_TO: 'resolves to',
  TARGETS: 'targets',
};

/** How an entity reads in a step's description: its name, or a short form of long texts. */
function label(e: Entity): string {
  const short = (t: unknown) => {
    const s = String(t);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  };
  if (e.__typename === 'Hypothesis')
    return `hypothesis ${String(e.tag ?? e.id)} ("${short(e.statement)}")`;
  if (e.__typename === 'Claim') return `claim "${short(e.text)}"`;
  return String(e.name ?? e.title ?? e.tag ?? e.id);
}

/**
 * The shortest paths between two entities (at most `first`, 1-10), and whether more paths of
 * the same bound exist: the statement asks for one path more than it returns.
 */
async function findPaths(
  ctx: Context,
  args: { from: string; to: string; maxHops?: number | null; first?: number | null },
) {
  const hops = args.maxHops ?? 4;
  if (!Number.isInteger(hops) || hops < 1 || hops > MAX_HOPS)
    throw badInput('maxHops', `must be between 1 and ${MAX_HOPS}`);
  const first = pageSize(args.first, MAX_PATHS, MAX_PATHS);
  if (args.from === args.to) throw badInput('to', 'must differ from `from`');
  const rows = await ctx.db.read(SHORTEST_PATHS[hops - 1], { from: args.from, to: args.to });
  const paths = rows.slice(0, first).map((r) => {
    const nodes = r.nodes.map(fromRow);
    ctx.loaders.prime(nodes);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const steps = r.rels.map((rel, i) => {
      const from = nodes[i];
      const to = nodes[i + 1];
      const claimIds = [
        ...((rel.props.claims as string[] | undefined) ?? []),
        ...[from, to].filter((n) => n.__typename === 'Claim').map((n) => n.id),
      ];
      const s = byId.get(rel.from) ?? from;
      const o = byId.get(rel.to) ?? to;
      return {
        from,
        to,
        relationship: rel.type,
        description: `${label(s)} ${VERB[rel.type] ?? rel.type} ${label(o)}`,
        claimIds: [...new Set(claimIds)],
      };
    });
    return { length: r.rels.length, nodes, steps };
  });
  return { paths, truncated: rows.length > first, limit: first, maxHops: hops };
}

export const searchResolvers = {
  Query: {
    search: async (
      _: unknown,
      args: { text: string; types?: string[] | null; first?: number | null; after?: string | null },
      ctx: Context,
    ) => {
      const first = pageSize(args.first, 20, 100);
      if (args.text.length > MAX_SEARCH_TEXT)
        throw badInput('text', `must be at most ${MAX_SEARCH_TEXT} characters`);
      const query = luceneLiteral(args.text);
      if (!query) throw badInput('text', 'must contain at least one word (a letter or a digit)');
      const after = decodeKey(args.after, 'after');
      const afterScore = after ? Number(after[0]) : null;
      if (after && !Number.isFinite(afterScore))
        throw badInput('after', 'is not a cursor returned by this API');
      // Slices need Cypher integers: a JS number goes over Bolt as a float (5.0) and is refused.
      const [row] = await ctx.db.read(FULLTEXT_SEARCH, {
        query,
        exact: args.text.trim().toLowerCase(),
        types: args.types ? [...args.types] : null,
        first: neo4j.int(first),
        afterScore,
        afterId: after ? after[1] : null,
      });
      const rows = row?.rows ?? [];
      const page = rows.slice(0, first).map((r) => ({ score: r.score, node: fromRow(r.node) }));
      const edges = page.map((r) => ({ cursor: encodeKey([String(r.score), r.node.id]), node: r }));
      return {
        edges,
        nodes: page,
        pageInfo: {
          hasNextPage: rows.length > first,
          hasPreviousPage: Boolean(row?.hasBefore),
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges[edges.length - 1]?.cursor ?? null,
        },
        totalCount: Number(row?.total ?? 0),
      };
    },
    suspectLinks: async (
      _: unknown,
      args: { from: string; to: string; maxHops?: number | null },
      ctx: Context,
    ) => (await findPaths(ctx, { ...args, first: MAX_PATHS })).paths,
    suspectPaths: (
      _: unknown,
      args: { from: string; to: string; maxHops?: number | null; first?: number | null },
      ctx: Context,
    ) => findPaths(ctx, args),
  },
  SearchType: graphqlEnum(SEARCHED_LABELS),
  PathStep: {
    claims: (s: { claimIds: string[] }, _: unknown, ctx: Context) =>
      ctx.loaders.entity.loadMany(s.claimIds),
    sources: async (s: { claimIds: string[] }, _: unknown, ctx: Context) => {
      const lists = await Promise.all(s.claimIds.map((id) => ctx.loaders.nodes(CLAIM_SOURCES, id)));
      const seen = new Map<string, Entity>();
      for (const e of lists.flat()) seen.set(e.id, e);
      return [...seen.values()];
    },
  },
};
