import http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import type { GraphQLFormattedError } from 'graphql';
import type { DestinationStream, Logger } from 'pino';
import { OidcVerifier, authenticate } from '../auth';
import { Admission, CacheSet } from '../cache';
import type { Config } from '../config';
import type { Connection, Db } from '../db';
import { schemaApplied } from '../db';
import { ErrorCode } from '../errors';
import { RateLimits, addressOf, costPlugin } from '../cost';
import { Context, createContext } from '../graph/context';
import { closeWorkers, warmWorkers } from '../hypotheses';
import {
  admit,
  createLogger,
  deadline,
  errorBody,
  errorHandler,
  facts,
  requestLogger,
} from './http';
import { queryLimits } from './limits';
import { metricsHandler } from './metrics';
import { mountTaxii } from '../taxii';
import { mountWeb } from '../web';
import { buildSchema } from './schema';

const CLIENT_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** How long /readyz waits for Neo4j before answering 503. */
const READY_TIMEOUT_MS = 3000;

/**
 * Shapes errors for clients: known codes pass through; anything unexpected is masked as
 * INTERNAL_SERVER_ERROR outside development (graphql-yoga's mask-error idea); never a stack.
 */
export function formatError(config: Config) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    // graphql-js stops coercing variables after 50 errors with an error of its own, uncoded:
    // it is the client's input, like the 50 before it (found by test/property-inputs.test.ts).
    const tooManyVariableErrors = /^Too many errors processing variables/.test(formatted.message);
    const code = tooManyVariableErrors
      ? ErrorCode.BAD_USER_INPUT
      : String(formatted.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR);
    const { stacktrace: _drop, ...extensions } = (formatted.extensions ?? {}) as Record<
      string,
      unknown
    >;
    if (code === ErrorCode.INTERNAL_SERVER_ERROR || !CLIENT_CODES.has(code)) {
      return {
        message: config.NODE_ENV === 'production' ? 'Internal server error' : formatted.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
      };
    }
    return { ...formatted, extensions: { ...extensions, code } };
  };
}

export interface App {
  server: http.Server;
  /** The process's caches (bundles and assessments), keyed by incident revision. */
  caches: CacheSet;
  /** The gate of analyses under load (src/cache/admission.ts). */
  analysisGate: Admission;
  apollo: ApolloServer<Context>;
  url: string;
  logger: Logger;
  /** Stops taking connections, drains in-flight requests (SHUTDOWN_GRACE_MS at most), stops Apollo. */
  stop(): Promise<void>;
}

export interface AppOptions {
  /** Where the JSON log lines go (default stdout; silent when NODE_ENV=test and no stream). */
  logStream?: DestinationStream;
}

/**
 * Which HTTP request each GraphQL context belongs to, so the log line can carry GraphQL facts.
 * Keyed by the context's Db (one per request): Apollo shallow-clones the context object itself.
 */
const requestOf = new WeakMap<Db, http.IncomingMessage>();

/** Counts statements in a header and records the operation and its error codes for the log. */
const observe: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response, request, operationName }) {
        response.http.headers.set('x-cypher-statements', String(contextValue.db.statements));
        const req = requestOf.get(contextValue.db);
        if (!req) return;
        const errors = response.body.kind === 'single' ? response.body.singleResult.errors : [];
        facts(req).graphql = {
          operationName: operationName ?? request.operationName ?? undefined,
          errorCodes: [...new Set((errors ?? []).map((e) => String(e.extensions?.code)))],
          statements: contextValue.db.statements,
        };
      },
    };
  },
};

/**
 * Starts the HTTP server: GraphQL at /graphql, /healthz (process) and /readyz (Neo4j reachable,
 * schema applied). Fails with a clear message when the port is taken. Hardening (limits,
 * production mode, logs, deadlines) is described in docs/reliability.md.
 */
export async function startApp(
  conn: Connection,
  config: Config,
  options: AppOptions = {},
): Promise<App> {
  const production = config.NODE_ENV === 'production';
  const introspection = config.ENABLE_INTROSPECTION || !production;
  const logger = createLogger(config, options.logStream);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const server = http.createServer(app);
  // Slow clients may not hold a connection open for ever (slowloris).
  server.headersTimeout = Math.min(20_000, config.REQUEST_TIMEOUT_MS + 1000);
  server.requestTimeout = config.REQUEST_TIMEOUT_MS + 1000;

  const caches = new CacheSet(config.CACHE_MAX_BYTES);
  const requestGate = new Admission(
    'requests',
    config.REQUESTS_MAX_RUNNING,
    config.REQUESTS_MAX_QUEUED,
  );
  const analysisGate = new Admission(
    'analysis',
    config.ANALYSIS_MAX_RUNNING,
    config.ANALYSIS_MAX_QUEUED,
  );
  if (production) warmWorkers();
  const oidc =
    config.OIDC_ISSUER && config.OIDC_AUDIENCE
      ? new OidcVerifier({
          issuer: config.OIDC_ISSUER,
          audience: config.OIDC_AUDIENCE,
          jwksUri: config.OIDC_JWKS_URI,
          algorithms: config.OIDC_ALGORITHMS,
          clockToleranceSeconds: config.OIDC_CLOCK_TOLERANCE_S,
          roleClaim: config.OIDC_ROLE_CLAIM,
          actorClaim: config.OIDC_ACTOR_CLAIM,
        })
      : undefined;
  const limits = queryLimits(config);
  const rateLimits = new RateLimits(config);
  const apollo = new ApolloServer<Context>({
    schema: buildSchema(),
    formatError: formatError(config),
    includeStacktraceInErrorResponses: false,
    introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: limits.allowBatchedHttpRequests,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      ApolloServerPluginDrainHttpServer({
        httpServer: server,
        stopGracePeriodMillis: config.SHUTDOWN_GRACE_MS,
      }),
      // No landing page in any mode: Apollo's loads its Sandbox from Apollo's CDN; GraphiQL is
      // self-hosted at /graphiql. No usage reporting either, whatever APOLLO_KEY says.
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ...(limits.plugins as ApolloServerPlugin<Context>[]),
      costPlugin({
        config,
        limits: rateLimits,
        principal: (ctx) =>
          authenticate(ctx.db, requestOf.get(ctx.db)?.headers.authorization, process.env, oidc),
        address: (ctx) => addressOf(requestOf.get(ctx.db)?.socket.remoteAddress),
      }),
      observe,
    ],
  });
  await apollo.start();

  app.use(requestLogger(logger));
  app.use(deadline(config.REQUEST_TIMEOUT_MS));
  // Requests per client address; /healthz and /readyz stay free for probes.
  const perAddress = rateLimits.perAddress();
  app.use((req, res, next) =>
    req.path === '/healthz' || req.path === '/readyz' ? next() : perAddress(req, res, next),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/metrics', metricsHandler(caches, [requestGate, analysisGate]));
  app.get('/readyz', async (_req, res) => {
    try {
      const ok = await Promise.race([
        schemaApplied(conn.db()),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS).unref(),
        ),
      ]);
      res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'schema not applied' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });

  // GraphQL answers JSON only; the HTML pages (web explorer) get the full helmet set, CSP included.
  const graphqlHeaders = helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
  // The explorer's OpenID Connect sign-in fetches the issuer's discovery document and token
  // endpoint from the page: the issuer's origin joins `connect-src` (docs/sign-in.md).
  const pageHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        connectSrc: ["'self'", ...(config.OIDC_ISSUER ? [new URL(config.OIDC_ISSUER).origin] : [])],
      },
    },
  });
  app.use((req, res, next) =>
    req.path === '/graphql' || req.path.startsWith('/graphql/')
      ? graphqlHeaders(req, res, next)
      : pageHeaders(req, res, next),
  );

  const corsOrigins = config.CORS_ORIGINS;
  app.use(
    '/graphql',
    ...(corsOrigins.length
      ? [
          cors({
            origin: corsOrigins.includes('*') ? true : corsOrigins,
            methods: ['GET', 'POST', 'OPTIONS'],
            allowedHeaders: [
              'content-type',
              'authorization',
              'apollo-require-preflight',
              'x-request-id',
            ],
            exposedHeaders: ['x-request-id', 'x-cypher-statements', 'retry-after'],
            maxAge: 600,
          }),
        ]
      : []),
    // Load shedding: beyond REQUESTS_MAX_RUNNING + REQUESTS_MAX_QUEUED, 503 before the body is read.
    admit(requestGate),
    express.json({ limit: config.MAX_BODY_BYTES }),
    expressMiddleware(apollo, {
      // The principal is read after the query passed its limits (src/cost/plugin.ts), so a
      // refused query never reaches the database, not even to check its key.
      context: async ({ req }) => {
        const f = facts(req);
        const db = conn.db({
          maxStatements: config.QUERY_MAX_STATEMENTS,
          maxConcurrent: config.QUERY_MAX_CONCURRENT_STATEMENTS,
          signal: f.signal,
          deadlineAt: f.deadlineAt,
        });
        const ctx = createContext(db, config, undefined, caches, analysisGate);
        requestOf.set(ctx.db, req);
        return ctx;
      },
    }),
  );

  // What a browser client (the explorer) needs to sign in: the issuer, its public client, the API's
  // audience and the scopes (docs/sign-in.md); `{"enabled": false}` when sign-in is not configured
  // (API keys only), so the page asks without an error either way.
  app.get('/oidc/config.json', (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID) {
      res.json({ enabled: false });
      return;
    }
    res.json({
      enabled: true,
      issuer: config.OIDC_ISSUER,
      clientId: config.OIDC_CLIENT_ID,
      audience: config.OIDC_AUDIENCE,
      scope: 'openid profile api',
    });
  });

  mountTaxii(app, conn, config); // TAXII 2.1 feed (src/taxii: /taxii2/, /api/)
  mountWeb(app); // web explorer (src/web: / and /graphiql)

  app.use((_req, res) => {
    res.status(404).json(errorBody(ErrorCode.NOT_FOUND, 'No such page.'));
  });
  app.use(errorHandler(config));

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new Error(
            `Port ${config.PORT} on ${config.HOST} is already in use (is another \`npm start\` running?). Stop it or set PORT to a free port.`,
          ),
        );
      } else reject(err);
    });
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  return {
    server,
    caches,
    analysisGate,
    apollo,
    logger,
    url: `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}/graphql`,
    stop: async () => {
      // The drain plugin closes the server and waits for in-flight requests.
      await apollo.stop();
      await closeWorkers();
      logger.flush?.();
    },
  };
}
