import { ClaimListArgs, claimsPage } from '../claims';
import type { Context } from '../graph/context';
import { partialDate } from '../graph/dates';
import type { Entity } from '../graph/entities';
import { FactKey } from '../graph/facts';
import { OrderBy, boolParam, dayParam, idsParam, instantParam, listPage } from '../graph/lists';
import type { PageArgs } from '../graph/paging';
import {
  EVIDENCE_CLAIMS,
  EVIDENCE_INCIDENT,
  EVIDENCE_LIST,
  SOURCE_EVIDENCE,
  SOURCES_LIST,
  EVIDENCE_RATINGS,
  EVIDENCE_SOURCES,
  RATING_HYPOTHESIS,
  RATING_RATER,
  RATING_SOURCES,
  SOURCE_CARRIES,
  SOURCE_PUBLISHER,
  SOURCE_RELAYS,
} from './queries';
import { AchRating, EvidenceKind, graphqlEnum } from '../model';

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

/** An `EvidenceFilter` as the GraphQL layer passes it. */

/** A source's publisher name, when read with the source (the hypotheses bundle). */
export const PUBLISHER_NAME = new FactKey<string>('publisherName');

export interface EvidenceFilter {
  incidents?: string[] | null;
  kinds?: string[] | null;
  rated?: boolean | null;
  reportedFrom?: string | null;
  reportedTo?: string | null;
  recordedAfter?: Date | null;
}

export type EvidenceListArgs = PageArgs & {
  filter?: EvidenceFilter | null;
  orderBy?: OrderBy<keyof typeof EVIDENCE_LIST> | null;
};

/** One page of evidence (rated or not); `incident` narrows it to one incident's. */
export function evidencePage(ctx: Context, args: EvidenceListArgs, incident?: string) {
  const f = args.filter ?? {};
  const incidents = incident
    ? [incident].filter((i) => !f.incidents || f.incidents.includes(i))
    : idsParam(f.incidents);
  return listPage(
    ctx,
    EVIDENCE_LIST,
    {
      incidents,
      kinds: idsParam(f.kinds),
      rated: boolParam(f.rated),
      reportedFrom: dayParam(f.reportedFrom),
      reportedTo: dayParam(f.reportedTo),
      recordedAfter: instantParam(f.recordedAfter),
    },
    args.orderBy,
    { field: 'REPORTED_AT' },
    args,
  );
}

export const sourceResolvers = {
  AchRating: graphqlEnum(AchRating),
  EvidenceKind: graphqlEnum(EvidenceKind),
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
    evidence: (_: unknown, args: EvidenceListArgs, ctx: Context) => evidencePage(ctx, args),
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
  Evidence: {
    reportedAtPrecision: (e: Entity) => e.reportedAtPrecision ?? 'unknown',
    reported: (e: Entity) => partialDate(e.reportedAt, e.reportedAtPrecision),
    sources: (e: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(EVIDENCE_SOURCES, e.id),
    incident: (e: Entity, _: unknown, ctx: Context) => ctx.loaders.one(EVIDENCE_INCIDENT, e.id),
    claims: (e: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(EVIDENCE_CLAIMS, e.id),
    ratings: (e: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(EVIDENCE_RATINGS, e.id),
    unverified: (e: Entity) => e.unverified === true,
  },
  EvidenceRating: {
    ratedAtPrecision: (r: Entity) => r.ratedAtPrecision ?? 'unknown',
    rated: (r: Entity) => partialDate(r.ratedAt, r.ratedAtPrecision),
    hypothesis: (r: Entity, _: unknown, ctx: Context) => ctx.loaders.one(RATING_HYPOTHESIS, r.id),
    ratedBy: (r: Entity, _: unknown, ctx: Context) => ctx.loaders.one(RATING_RATER, r.id),
    sources: (r: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(RATING_SOURCES, r.id),
  },
};
