import { ClaimListArgs, claimsPage } from '../claims';
import type { Context } from '../graph/context';
import { partialDate } from '../graph/dates';
import type { Entity } from '../graph/entities';
import { FactKey } from '../graph/facts';
import { OrderBy, dayParam, idsParam, instantParam, listPage } from '../graph/lists';
import type { PageArgs } from '../graph/paging';
import {
  SOURCE_CARRIES,
  SOURCE_EVIDENCE,
  SOURCE_PUBLISHER,
  SOURCE_RELAYS,
  SOURCES_LIST,
} from './queries';

type SourceListArgs = PageArgs & {
  filter?: {
    publishers?: string[] | null;
    reliabilities?: string[] | null;
    publishedFrom?: string | null;
    publishedTo?: string | null;
    recordedAfter?: Date | null;
  } | null;
  orderBy?: OrderBy<keyof typeof SOURCES_LIST> | null;
};

/** A source's publisher name, when read with the source (the hypotheses bundle). */
export const PUBLISHER_NAME = new FactKey<string>('publisherName');

export const sourceResolvers = {
  Query: {
    source: async (_: unknown, { id }: { id: string }, ctx: Context) => {
      const e = await ctx.loaders.entity.load(id);
      return e?.__typename === 'Source' ? e : null;
    },
    sources: (_: unknown, args: SourceListArgs, ctx: Context) => {
      const f = args.filter ?? {};
      return listPage(
        ctx,
        SOURCES_LIST,
        {
          publishers: idsParam(f.publishers),
          reliabilities: idsParam(f.reliabilities),
          publishedFrom: dayParam(f.publishedFrom),
          publishedTo: dayParam(f.publishedTo),
          recordedAfter: instantParam(f.recordedAfter),
        },
        args.orderBy,
        { field: 'PUBLISHED_AT' },
        args,
      );
    },
  },
  Source: {
    publisher: async (s: Entity, _: unknown, ctx: Context) =>
      ctx.facts.get(PUBLISHER_NAME, s) ??
      (await ctx.loaders.one(SOURCE_PUBLISHER, s.id))?.name ??
      '',
    publisherActor: (s: Entity, _: unknown, ctx: Context) =>
      ctx.loaders.one(SOURCE_PUBLISHER, s.id),
    relays: (s: Entity, _: unknown, ctx: Context) => ctx.loaders.one(SOURCE_RELAYS, s.id),
    carries: (s: Entity, _: unknown, ctx: Context) => ctx.loaders.one(SOURCE_CARRIES, s.id),
    claims: (s: Entity, args: ClaimListArgs, ctx: Context) =>
      claimsPage(ctx, args, { sources: [s.id] }),
    evidence: (s: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(SOURCE_EVIDENCE, s.id),
    publishedAtPrecision: (s: Entity) => s.publishedAtPrecision ?? 'unknown',
    published: (s: Entity) => partialDate(s.publishedAt, s.publishedAtPrecision),
    unverified: (s: Entity) => s.unverified === true,
  },
};
