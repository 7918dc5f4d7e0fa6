import type { Context } from '../graph/context';
import { partialDate } from '../graph/dates';
import type { Entity } from '../graph/entities';
import {
  LIST_LIMITS,
  OrderBy,
  boolParam,
  dayParam,
  idsParam,
  instantParam,
  listPage,
} from '../graph/lists';
import { type PageArgs, sliceConnection } from '../graph/paging';
import { AchRating, EvidenceKind, graphqlEnum } from '../model';
import {
  EVIDENCE_CLAIMS,
  EVIDENCE_INCIDENT,
  EVIDENCE_LIST,
  EVIDENCE_RATINGS,
  EVIDENCE_SOURCES,
  RATING_HYPOTHESIS,
  RATING_RATER,
  RATING_SOURCES,
} from './queries';

/** An `EvidenceFilter` as the GraphQL layer passes it. */

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

/** `Evidence`, `EvidenceRating`, their enums and `Query.evidence`. */
export const evidenceResolvers = {
  AchRating: graphqlEnum(AchRating),
  EvidenceKind: graphqlEnum(EvidenceKind),
  Query: {
    evidence: (_: unknown, args: EvidenceListArgs, ctx: Context) => evidencePage(ctx, args),
  },
  Evidence: {
    reportedAtPrecision: (e: Entity) => e.reportedAtPrecision ?? 'unknown',
    reported: (e: Entity) => partialDate(e.reportedAt, e.reportedAtPrecision),
    sources: (e: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(EVIDENCE_SOURCES, e.id),
    incident: (e: Entity, _: unknown, ctx: Context) => ctx.loaders.one(EVIDENCE_INCIDENT, e.id),
    claims: (e: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(EVIDENCE_CLAIMS, e.id),
    // every evidence's ratings in one batched statement, paged in memory (keyset cursors)
    ratings: async (e: Entity, args: PageArgs, ctx: Context) =>
      sliceConnection(
        await ctx.loaders.nodes(EVIDENCE_RATINGS, e.id),
        (r) => [r.ratedAt == null ? '~' : String(r.ratedAt), r.id],
        args,
        LIST_LIMITS,
      ),
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
