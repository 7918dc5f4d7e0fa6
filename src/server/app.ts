import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { Config } from '../config';
import type { Connection } from '../db';
import { schemaApplied } from '../db';
import { ErrorCode } from '../errors';
import { Context, createContext } from '../graph/context';
import { buildSchema } from './schema';

const CLIENT_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Shapes errors for clients: known codes pass through; anything unexpected is masked as
 * INTERNAL_SERVER_ERROR outside development (graphql-yoga's mask-error idea); never a stack.
 */
export function formatError(config: Config) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const code = String(formatted.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR);
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
    return { ...formatted, extensions };
  };
}

export interface App {
  server: http.Server;
  apollo: ApolloServer<Context>;
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the HTTP server: GraphQL at /graphql, /healthz (process) and /readyz (Neo4j reachable,
 * schema applied). Fails with a clear message when the port is taken.
 */
export async function startApp(conn: Connection, config: Config): Promise<App> {
  const app = express();
  const server = http.createServer(app);
  const apollo = new ApolloServer<Context>({
    schema: buildSchema(),
    formatError: formatError(config),
    includeStacktraceInErrorResponses: false,
    introspection: config.NODE_ENV !== 'production',
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      {
        async requestDidStart() {
          return {
            async willSendResponse({ contextValue, response }) {
              response.http.headers.set('x-cypher-statements', String(contextValue.db.statements));
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      const ok = await schemaApplied(conn.db());
      res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'schema not applied' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, { context: async () => createContext(conn.db(), config) }),
  );

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
    apollo,
    url: `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}/graphql`,
    stop: () => apollo.stop(),
  };
}
