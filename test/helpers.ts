import { randomUUID } from 'node:crypto';
import { loadConfig } from '../src/config';
import { Connection, connect } from '../src/db';
import { App, startApp } from '../src/server';

/** A connection to the test Neo4j (global-setup put its URI in NEO4J_URI). */
export function testConnect(): Promise<Connection> {
  return connect(loadConfig());
}

/** A unique id prefix, so test files can run in parallel without touching each other's data. */
export function uid(prefix = 't'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface TestServer {
  conn: Connection;
  app: App;
  /** POSTs a GraphQL operation over HTTP; returns the parsed body, status and headers. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{
    status: number;
    body: {
      data?: T;
      errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
    };
    statements: number;
  }>;
  close(): Promise<void>;
}

/** Starts the real HTTP server on a free port against the test Neo4j. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const config = loadConfig({ ...process.env, PORT: '0', NODE_ENV: 'test', ...env });
  const conn = await connect(config);
  const app = await startApp(conn, config);
  return {
    conn,
    app,
    async gql(query, variables) {
      const res = await fetch(app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return {
        status: res.status,
        body: (await res.json()) as never,
        statements: Number(res.headers.get('x-cypher-statements')),
      };
    },
    async close() {
      await app.stop();
      await conn.close();
    },
  };
}
