import type { Context } from '../graph/context';
import type { Entity } from '../graph/entities';
import { CLAIM_CLAIMANT, CLAIM_EVIDENCE, CLAIM_HYPOTHESIS, CLAIM_SOURCES } from './queries';
import { ClaimStance, DatePrecision, TextKind, graphqlEnum } from '../model';

export const claimResolvers = {
  Stance: graphqlEnum(ClaimStance),
  TextKind: graphqlEnum(TextKind),
  DatePrecision: graphqlEnum(DatePrecision),
  Claim: {
    statedAtPrecision: (c: Entity) => c.statedAtPrecision ?? 'unknown',
    claimant: (c: Entity, _: unknown, ctx: Context) => ctx.loaders.one(CLAIM_CLAIMANT, c.id),
    hypothesis: (c: Entity, _: unknown, ctx: Context) => ctx.loaders.one(CLAIM_HYPOTHESIS, c.id),
    /** Under a hypothesis, the sources the assessment counted (as of, exclusions applied); else all. */
    sources: (c: Entity, _: unknown, ctx: Context) =>
      (c._sources as Entity[] | undefined) ?? ctx.loaders.nodes(CLAIM_SOURCES, c.id),
    evidence: (c: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(CLAIM_EVIDENCE, c.id),
    unverified: (c: Entity) => c.unverified === true,
  },
};
