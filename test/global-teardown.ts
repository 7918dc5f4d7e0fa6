import path from 'node:path';
import { ROOT } from '../src/config';
import { stopLocalNeo4j } from '../src/db';

/** Stops the test Neo4j if the setup started it (NEO4J_TEST_KEEP=1 keeps it for fast re-runs). */
export default async function globalTeardown(): Promise<void> {
  if (process.env.TEST_LOCAL_NEO4J_STARTED === '1' && process.env.NEO4J_TEST_KEEP !== '1') {
    await stopLocalNeo4j(path.join(ROOT, '.neo4j', 'test'));
  }
}
