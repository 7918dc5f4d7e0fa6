import type { ApolloServerPlugin } from '@apollo/server';
import {
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  DocumentNode,
  getVariableValues,
} from 'graphql';
import type { Principal } from '../auth';
import type { Config } from '../config';
import { ErrorCode } from '../errors';
import type { Context } from '../graph/context';
import { MAX_LIST_ARGUMENT, analyzeCost } from './analyze';
import { RateLimits } from './rateLimits';

export interface CostPluginOptions {
  config: Pick<Config, 'QUERY_MAX_COST'>;
  limits: RateLimits;
  /**
   * Who is asking. Called after the cost checks, so a refused query never reaches the database
   * (checking an API key reads it).
   */
  principal(ctx: Context): Promise<Principal>;
  /** The caller's address (`ip:...`), the rate-limit key of anonymous callers. */
  address(ctx: Context): string;
}

/** What `extensions.cost` of every response holds. */
export interface CostExtension {
  /** The estimate the request was admitted (or refused) on; null when it never got that far. */
  requestedQueryCost: number | null;
  /** The cost of what was returned (list sizes as returned). */
  actualQueryCost: number;
  /** The most a query may cost (QUERY_MAX_COST). */
  maximumQueryCost: number;
  /** Cypher statements the request ran. */
  statements: number;
  /** The caller's rate-limit standing after this request; null when limits are off. */
  rateLimit: {
    limit: number;
    remaining: number;
    used: number;
    resetAt: string;
  } | null;
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const out: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) out[d.name.value] = d;
  return out;
}

function refuse(message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...extensions, http: { status: 400 } },
  });
}

/**
 * Errors thrown before execution answer HTTP 500 in Apollo unless they carry a status: an
 * outage met while checking a key is a 503 (SERVICE_UNAVAILABLE or TIMEOUT), like the rest.
 */
function withStatus(err: unknown): unknown {
  if (!(err instanceof GraphQLError) || err.extensions.http) return err;
  const code = err.extensions.code;
  if (code !== ErrorCode.SERVICE_UNAVAILABLE && code !== ErrorCode.TIMEOUT) return err;
  return new GraphQLError(err.message, {
    extensions: {
      ...err.extensions,
      http: { status: 503, headers: new Map([['retry-after', '1']]) },
    },
  });
}

interface Analysed {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/**
 * Cost in the open (schema/cost.graphql, docs/reliability.md). Before execution: estimates the
 * operation's cost from the schema's `@cost`/`@listSize` declarations; refuses it (HTTP 400,
 * GRAPHQL_VALIDATION_FAILED, `extensions.limit`) over QUERY_MAX_COST or when it repeats a field
 * declared `@oncePerOperation`; then authenticates the caller and charges the cost to its rate
 * limit (429 RATE_LIMITED past it). After: `extensions.cost` on every response, with the
 * requested and the actual cost (list sizes as returned) and the statements run.
 */
export function costPlugin(options: CostPluginOptions): ApolloServerPlugin<Context> {
  const max = options.config.QUERY_MAX_COST;
  return {
    async requestDidStart() {
      let analysed: Analysed | undefined;
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          const coerced = getVariableValues(
            schema,
            operation.variableDefinitions ?? [],
            request.variables ?? {},
          );
          if (coerced.errors) return; // execution reports them, before any resolver runs
          const input: Analysed = {
            schema,
            operation,
            fragments: fragmentsOf(document),
            variables: coerced.coerced,
          };
          analysed = input;
          const { cost, repeated, longLists } = analyzeCost(input);
          contextValue.cost = { requested: cost, rateLimit: null };
          if (longLists.length)
            throw new GraphQLError(
              `${longLists[0]}: at most ${MAX_LIST_ARGUMENT} items in a list argument.`,
              {
                extensions: {
                  code: ErrorCode.BAD_USER_INPUT,
                  argument: longLists[0],
                  http: { status: 400 },
                },
              },
            );
          if (repeated.length)
            throw refuse(
              `${repeated.join(', ')} may be asked at most once per operation (it is expensive); send one operation per request.`,
              { limit: 'oncePerOperation', fields: repeated },
            );
          if (cost > max)
            throw refuse(
              `Query cost limit of ${max} exceeded, found ${cost} (the costs are declared in the schema with @cost and @listSize); ask for fewer or smaller lists.`,
              { limit: 'maxCost', cost, max },
            );
          const principal = await options.principal(contextValue).catch((err: unknown) => {
            throw withStatus(err);
          });
          contextValue.principal = principal;
          contextValue.cost.rateLimit = await options.limits.charge(
            principal.id ? `key:${principal.id}` : options.address(contextValue),
            Math.max(1, cost),
          );
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          let actual = 0;
          if (analysed && result.data !== undefined) {
            try {
              actual = analyzeCost({ ...analysed, data: result.data }).cost;
            } catch {
              actual = 0;
            }
          }
          const rl = contextValue.cost?.rateLimit ?? null;
          const cost: CostExtension = {
            requestedQueryCost: contextValue.cost?.requested ?? null,
            actualQueryCost: actual,
            maximumQueryCost: max,
            statements: contextValue.db.statements,
            rateLimit: rl && {
              limit: rl.limit,
              remaining: rl.remaining,
              used: rl.used,
              resetAt: rl.resetAt.toISOString(),
            },
          };
          result.extensions = { ...result.extensions, cost };
        },
      };
    },
  };
}
