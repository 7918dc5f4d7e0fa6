import type { Context } from '../graph/context';
import type { Entity } from '../graph/entities';
import {
  EVIDENCE_RATINGS,
  EVIDENCE_SOURCES,
  RATING_HYPOTHESIS,
  RATING_RATER,
  RATING_SOURCES,
  SOURCE_CARRIES,
  SOURCE_PUBLISHER,
  SOURCE_RELAYS,
} from './queries';
import { AchRating, graphqlEnum } from '../model';

export const sourceResolvers = {
  AchRating: graphqlEnum(AchRating),
  Source: {
    publisher: async (s: Entity, _: unknown, ctx: Context) =>
      (s._publisherName as string | undefined) ??
      (await ctx.loaders.one(SOURCE_PUBLISHER, s.id))?.name ??
      '',
    publisherActor: (s: Entity, _: unknown, ctx: Context) =>
      ctx.loaders.one(SOURCE_PUBLISHER, s.id),
    relays: (s: Entity, _: unknown, ctx: Context) => ctx.loaders.one(SOURCE_RELAYS, s.id),
    carries: (s: Entity, _: unknown, ctx: Context) => ctx.loaders.one(SOURCE_CARRIES, s.id),
    publishedAtPrecision: (s: Entity) => s.publishedAtPrecision ?? 'unknown',
    unverified: (s: Entity) => s.unverified === true,
  },
  Evidence: {
    reportedAtPrecision: (e: Entity) => e.reportedAtPrecision ?? 'unknown',
    sources: (e: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(EVIDENCE_SOURCES, e.id),
    ratings: (e: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(EVIDENCE_RATINGS, e.id),
    unverified: (e: Entity) => e.unverified === true,
  },
  EvidenceRating: {
    hypothesis: (r: Entity, _: unknown, ctx: Context) => ctx.loaders.one(RATING_HYPOTHESIS, r.id),
    ratedBy: (r: Entity, _: unknown, ctx: Context) => ctx.loaders.one(RATING_RATER, r.id),
    sources: (r: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(RATING_SOURCES, r.id),
  },
};
