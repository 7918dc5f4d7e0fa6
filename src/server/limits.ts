import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Config } from '../config';

/** The query limits in force, by name (as reported in `extensions.limit` when one is exceeded). */
export type QueryLimit = 'maxDepth' | 'maxCost' | 'maxAliases' | 'maxDirectives' | 'maxTokens';

/**
 * Reports a rejected query as a validation error naming the limit. Apollo gives every
 * validation error the code GRAPHQL_VALIDATION_FAILED and HTTP 400; `extensions.limit` says
 * which limit, and the message (graphql-armor's) says the limit and what the query had.
 */
function reject(limit: QueryLimit): {
  propagateOnRejection: false;
  onReject: ((ctx: ValidationContext | null, err: GraphQLError) => void)[];
} {
  return {
    propagateOnRejection: false,
    onReject: [
      (ctx, err) => ctx?.reportError(new GraphQLError(err.message, { extensions: { limit } })),
    ],
  };
}

/**
 * The graphql-armor protections for Apollo, from the configuration. Depth, cost, aliases and
 * directives are validation rules: a rejected query is never executed, so it never reaches
 * Neo4j. The token limit is enforced by graphql-js's own parser (`parseOptions.maxTokens`), which
 * stops lexing at the limit and answers GRAPHQL_PARSE_FAILED with HTTP 400 (armor's token plugin
 * throws from a hook that Apollo turns into a 500). Field suggestions ("Did you mean ...") are
 * hidden in production, where they would let a client map a schema with introspection off.
 */
export function queryLimits(config: Config) {
  const armor = new ApolloArmor({
    maxDepth: { n: config.QUERY_MAX_DEPTH, ignoreIntrospection: true, ...reject('maxDepth') },
    // The cost limit is src/cost: per-field costs declared in the schema (@cost, @listSize).
    costLimit: { enabled: false },
    maxAliases: { n: config.QUERY_MAX_ALIASES, ...reject('maxAliases') },
    maxDirectives: { n: config.QUERY_MAX_DIRECTIVES, ...reject('maxDirectives') },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: config.NODE_ENV === 'production' },
  });
  const { plugins, validationRules } = armor.protect();
  return {
    plugins,
    validationRules,
    parseOptions: { maxTokens: config.QUERY_MAX_TOKENS },
    allowBatchedHttpRequests: false as const,
  };
}
