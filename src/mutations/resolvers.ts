import { LIST_KEYS, ROLES, requireRole, type Role } from '../auth';
import type { Context } from '../graph/context';
import type { Entity } from '../graph/entities';
import { HYPOTHESIS_OPINIONS } from './queries';
import * as service from './service';
import { OpinionValue, graphqlEnum } from '../model';

type Service = (c: service.Caller, input: unknown) => Promise<unknown>;

/** A mutation resolver: the role is checked before the input is even looked at. */
const op =
  (name: string, role: Role, run: Service) =>
  (_: unknown, args: { input: unknown }, ctx: Context) => {
    requireRole(ctx.principal, role, name);
    return run(ctx, args.input);
  };

export const mutationResolvers = {
  Role: graphqlEnum(ROLES),
  OpinionValue: graphqlEnum(OpinionValue),
  Mutation: {
    createIncident: op('createIncident', 'analyst', service.createIncident),
    createActor: op('createActor', 'analyst', service.createActor),
    addAlias: op('addAlias', 'analyst', service.addAlias),
    addAffiliation: op('addAffiliation', 'analyst', service.addAffiliation),
    createSource: op('createSource', 'analyst', service.createSource),
    createHypothesis: op('createHypothesis', 'analyst', service.createHypothesis),
    createClaim: op('createClaim', 'analyst', service.createClaim),
    retractClaim: op('retractClaim', 'analyst', service.retractClaim),
    createEvidence: op('createEvidence', 'analyst', service.createEvidence),
    rateEvidence: op('rateEvidence', 'analyst', service.rateEvidence),
    addOpinion: op('addOpinion', 'analyst', service.addOpinion),
    createApiKey: op('createApiKey', 'admin', service.createApiKey),
    revokeApiKey: op('revokeApiKey', 'admin', service.revokeApiKey),
    correctText: op('correctText', 'admin', service.correctText),
  },
  Query: {
    viewer: (_: unknown, __: unknown, ctx: Context) => ctx.principal,
    auditLog: (
      _: unknown,
      args: {
        first?: number | null;
        after?: string | null;
        operation?: string | null;
        principal?: string | null;
      },
      ctx: Context,
    ) => service.auditLog(ctx, args),
    apiKeys: async (_: unknown, __: unknown, ctx: Context) => {
      requireRole(ctx.principal, 'admin', 'apiKeys');
      return (await ctx.db.read(LIST_KEYS)).map((r) => service.keyView(r.key));
    },
  },
  Hypothesis: {
    opinions: async (h: Entity, _: unknown, ctx: Context) =>
      (await ctx.loaders.nodes(HYPOTHESIS_OPINIONS, h.id)).map((o) => ({
        ...o,
        __typename: 'Opinion',
      })),
  },
  Opinion: {
    hypothesis: (o: Entity, _: unknown, ctx: Context) =>
      ctx.loaders.entity.load(String(o.hypothesis)),
    analyst: (o: Entity, _: unknown, ctx: Context) =>
      o.analyst ? ctx.loaders.entity.load(String(o.analyst)) : null,
  },
};
