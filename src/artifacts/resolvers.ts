import DataLoader from 'dataloader';
import type { Context } from '../graph/context';
import { asOfParam, todayIso } from '../graph/dates';
import { fromRow, type Entity } from '../graph/entities';
import { OrderBy, idsParam, instantParam, listPage } from '../graph/lists';
import type { PageArgs } from '../graph/paging';
import { toDate, type Query } from '../db';
import {
  ARTIFACT_LABELS,
  TECHNICAL_LINK_TYPES,
  graphqlEnum,
  isArtifactLabel,
  linkTypeOf,
} from '../model';
import type { TechnicalLink } from '../model';
import {
  ACTOR_ARTIFACTS,
  ARTIFACT_EVIDENCE,
  ARTIFACT_LINKS,
  ARTIFACT_SEEN_IN,
  ARTIFACT_SOURCES,
  ARTIFACT_USED_BY,
  ARTIFACTS_LIST,
  INCIDENT_ARTIFACTS,
  type EdgeItem,
} from './queries';

/** An edge as served: the other end, the link, and the claims and sources behind it. */
export interface Edge {
  node: Entity;
  relation: string;
  direction: 'OUTGOING' | 'INCOMING';
  claims: Entity[];
  sources: Entity[];
}

type EdgeQuery = Query<{ id: string; items: EdgeItem[] }>;
const loaders = new WeakMap<Context, Map<string, DataLoader<string, Edge[]>>>();

/**
 * The edges of `id` over `query` as of `asOf`, batched per request: one statement per query
 * and date, whatever the number of entities asked for in the same tick.
 */
export function loadEdges(
  ctx: Context,
  query: EdgeQuery,
  id: string,
  asOf: string | null | undefined,
): Promise<Edge[]> {
  let byKey = loaders.get(ctx);
  if (!byKey) loaders.set(ctx, (byKey = new Map()));
  const day = asOf ?? '';
  const key = `${query.name}|${day}`;
  let loader = byKey.get(key);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const rows = await ctx.db.read(query, {
        ids: [...ids],
        asOf: asOfParam(asOf),
        effective: toDate(day || todayIso()),
      });
      const byId = new Map(
        rows.map((r) => [
          r.id,
          r.items.map((i) => ({
            node: fromRow(i.node),
            relation: i.relation,
            direction: i.direction,
            claims: i.claims.map(fromRow),
            sources: i.sources.map(fromRow),
          })),
        ]),
      );
      return ids.map((i) => byId.get(i) ?? []);
    });
    byKey.set(key, loader);
  }
  return loader.load(id);
}

const edgeOf = (field: 'artifact' | 'actor' | 'incident') => (e: Edge) => ({
  ...e,
  [field]: e.node,
});

/** The incident's artifacts, grouped as its technical profile. */
export function technicalProfile(edges: Edge[]) {
  const byLabel = (label: string) =>
    edges.filter((e) => e.node.__typename === label).map(edgeOf('artifact'));
  const tactics = new Map<string, Edge[]>();
  for (const e of edges.filter((x) => x.node.__typename === 'AttackPattern')) {
    const list = (e.node.tactics as string[] | undefined)?.length
      ? (e.node.tactics as string[])
      : ['unassigned'];
    for (const t of list) tactics.set(t, [...(tactics.get(t) ?? []), e]);
  }
  return {
    tactics: [...tactics.entries()]
      .sort(([a], [b]) => TACTIC_ORDER.indexOf(a) - TACTIC_ORDER.indexOf(b))
      .map(([tactic, list]) => ({ tactic, techniques: list.map(edgeOf('artifact')) })),
    malware: byLabel('Malware'),
    tools: byLabel('Tool'),
    infrastructure: byLabel('Infrastructure'),
    observables: byLabel('Observable'),
    other: [...byLabel('Indicator'), ...byLabel('Vulnerability')],
  };
}

/** ATT&CK Enterprise tactics in kill-chain order (unknown ones last). */
export const TACTIC_ORDER = [
  'reconnaissance',
  'resource-development',
  'initial-access',
  'execution',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  'credential-access',
  'discovery',
  'lateral-movement',
  'collection',
  'command-and-control',
  'exfiltration',
  'impact',
  'unassigned',
];

const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);

const artifactFields = {
  aliases: (a: Entity) => list(a.aliases),
  externalIds: (a: Entity) => list(a.externalIds),
  facts: (a: Entity) => list(a.facts),
  unverified: (a: Entity) => a.unverified === true,
  firstReportedAtPrecision: (a: Entity) => a.firstReportedAtPrecision ?? 'unknown',
  sources: (a: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(ARTIFACT_SOURCES, a.id),
  evidence: (a: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(ARTIFACT_EVIDENCE, a.id),
  usedBy: async (a: Entity, args: { asOf?: string | null }, ctx: Context) =>
    (await loadEdges(ctx, ARTIFACT_USED_BY, a.id, args.asOf)).map(edgeOf('actor')),
  seenIn: async (a: Entity, args: { asOf?: string | null }, ctx: Context) =>
    (await loadEdges(ctx, ARTIFACT_SEEN_IN, a.id, args.asOf)).map(edgeOf('incident')),
  links: (a: Entity, args: { asOf?: string | null }, ctx: Context) =>
    loadEdges(ctx, ARTIFACT_LINKS, a.id, args.asOf),
};

/** `Query.artifacts` arguments as the GraphQL layer passes them. */
type ArtifactListArgs = PageArgs & {
  filter?: {
    stixTypes?: string[] | null;
    externalIds?: string[] | null;
    incidents?: string[] | null;
    usedBy?: string[] | null;
    recordedAfter?: Date | null;
  } | null;
  orderBy?: OrderBy<keyof typeof ARTIFACTS_LIST> | null;
};

export const artifactResolvers = {
  TechnicalLinkType: graphqlEnum(TECHNICAL_LINK_TYPES),
  Artifact: { __resolveType: (e: Entity) => e.__typename },
  ...Object.fromEntries(ARTIFACT_LABELS.map((l) => [l, artifactFields])),
  AttackPattern: {
    ...artifactFields,
    attackId: (a: Entity) => list(a.externalIds).find((x) => /^T\d{4}/.test(x)) ?? null,
    tactics: (a: Entity) => list(a.tactics),
  },
  Observable: { ...artifactFields, hashes: (a: Entity) => list(a.hashes) },
  Query: {
    artifacts: (_: unknown, args: ArtifactListArgs, ctx: Context) => {
      const f = args.filter ?? {};
      return listPage(
        ctx,
        ARTIFACTS_LIST,
        {
          stixTypes: idsParam(f.stixTypes),
          externalIds: idsParam(f.externalIds),
          incidents: idsParam(f.incidents),
          usedBy: idsParam(f.usedBy),
          recordedAfter: instantParam(f.recordedAfter),
        },
        args.orderBy,
        { field: 'NAME' },
        args,
      );
    },
    artifact: async (_: unknown, { id }: { id: string }, ctx: Context) => {
      const e = await ctx.loaders.entity.load(id);
      return e && isArtifactLabel(e.__typename) ? e : null;
    },
  },
  Incident: {
    artifacts: async (i: Entity, args: { asOf?: string | null }, ctx: Context) =>
      (await loadEdges(ctx, INCIDENT_ARTIFACTS, i.id, args.asOf)).map(edgeOf('artifact')),
    technicalProfile: async (i: Entity, args: { asOf?: string | null }, ctx: Context) =>
      technicalProfile(await loadEdges(ctx, INCIDENT_ARTIFACTS, i.id, args.asOf)),
  },
  Actor: {
    artifacts: async (a: Entity, args: { asOf?: string | null }, ctx: Context) =>
      (await loadEdges(ctx, ACTOR_ARTIFACTS, a.id, args.asOf)).map(edgeOf('artifact')),
  },
  Claim: {
    link: (c: Entity) => (c.link ? linkTypeOf(c.link as TechnicalLink) : null),
  },
};
