import path from 'node:path';
import { ROOT, loadConfig } from '../src/config';
import { connect, migrate, neo4jPassword } from '../src/db';
import { loadSeed } from '../src/seed';

/**
 * Gets the Neo4j the integration tests run against: NEO4J_URI when set, otherwise the project's
 * own local Neo4j on a test port and data folder of its own (a dev database is never touched).
 * Applies the schema and loads the seed, then hands the URI to the test workers.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.NEO4J_URI) {
    process.env.NEO4J_LOCAL_PORT = process.env.NEO4J_TEST_PORT ?? '7688';
    process.env.NEO4J_LOCAL_HOME = path.join(ROOT, '.neo4j', 'test');
  }
  // Rate limits count per server process; the suites that test them turn them on themselves.
  process.env.RATE_LIMIT_REQUESTS ??= '0';
  process.env.RATE_LIMIT_POINTS ??= '0';
  // The suites check answers, not speed (npm run bench measures that), and share two cores with
  // Neo4j and each other: their servers get two minutes per statement and per request, so a busy
  // machine slows a test down instead of failing it. The suites that test these limits set them.
  process.env.NEO4J_TX_TIMEOUT_MS ??= '120000';
  process.env.REQUEST_TIMEOUT_MS ??= '120000';
  // Setup is bulk work on a cold database (the seed, planning the revision bump): two minutes too.
  const config = loadConfig(process.env);
  const t0 = Date.now();
  const conn = await connect(config, (l) => process.stderr.write(`[test-neo4j] ${l}\n`));
  if (conn.local) {
    process.env.NEO4J_URI = conn.local.uri;
    // The workers connect with the local Neo4j's random password (kept in its data folder).
    process.env.NEO4J_PASSWORD = neo4jPassword(config);
    process.env.TEST_NEO4J_LOCAL = '1';
    // Each jest project runs this setup; only the one that started Neo4j marks it for teardown.
    if (conn.local.started) process.env.TEST_LOCAL_NEO4J_STARTED = '1';
  }
  // The projects' setup files pick the URI form: bolt:// (integration) or neo4j:// (routing).
  process.env.TEST_BOLT_URI ??= process.env.NEO4J_URI;
  await migrate(conn.db());
  await loadSeed(conn.db());
  await conn.close({ stopLocal: false });
  process.stderr.write(`[test-neo4j] ready in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
}
