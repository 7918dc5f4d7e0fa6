import fs from 'node:fs';
import path from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { mergeResolvers } from '@graphql-tools/merge';
import gql from 'graphql-tag';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { actorResolvers } from '../actors';
import { adminResolvers } from '../auth';
import { artifactResolvers, overlapResolvers } from '../artifacts';
import { claimResolvers } from '../claims';
import { costResolvers } from '../cost';
import { ROOT } from '../config';
import type { Context } from '../graph/context';
import { DateTimeScalar, LocalDateScalar, PartialDateScalar } from '../graph/dates';
import type { Entity } from '../graph/entities';
import { analysisResolvers, hypothesisResolvers } from '../hypotheses';
import { incidentResolvers } from '../incidents';
import { locationResolvers } from '../locations';
import { mutationResolvers } from '../mutations';
import { searchResolvers } from '../search';
import { evidenceResolvers } from '../evidence';
import { sourceResolvers } from '../sources';
import { stixBridgeResolvers, stixBundleResolvers } from '../stix';

export const SDL_DIR = path.join(ROOT, 'schema');

/** The SDL files in `schema/`, parsed. */
export function loadTypeDefs(dir = SDL_DIR): DocumentNode[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => gql(fs.readFileSync(path.join(dir, f), 'utf8')));
}

const nodeResolvers = {
  DateTime: DateTimeScalar,
  LocalDate: LocalDateScalar,
  PartialDate: PartialDateScalar,
  Node: { __resolveType: (e: Entity) => e.__typename },
  Recorded: { __resolveType: (e: Entity) => e.__typename },
  // inherited by every implementing type (inheritResolversFromInterfaces)
  Annotated: {
    __resolveType: (e: Entity) => e.__typename,
    unverified: (e: Entity) => e.unverified === true,
  },
  Query: {
    node: (_: unknown, { id }: { id: string }, ctx: Context) => ctx.loaders.entity.load(id),
  },
};

/** Every domain's resolvers, merged. */
export const resolvers = mergeResolvers([
  nodeResolvers,
  incidentResolvers,
  hypothesisResolvers,
  analysisResolvers,
  claimResolvers,
  actorResolvers,
  sourceResolvers,
  evidenceResolvers,
  searchResolvers,
  mutationResolvers,
  adminResolvers,
  stixBundleResolvers,
  costResolvers,
  stixBridgeResolvers,
  artifactResolvers,
  overlapResolvers,
  locationResolvers,
]);

/**
 * Builds the executable schema from `schema/*.graphql` and the resolvers. A resolver for a
 * type or field the SDL lacks is an error here, so SDL and code cannot drift apart silently.
 */
export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers,
    resolverValidationOptions: {
      requireResolversToMatchSchema: 'error',
      requireResolversForResolveType: 'error',
    },
    inheritResolversFromInterfaces: true,
  });
}
