import type { Driver } from 'neo4j-driver';
import type { Config } from '../config';
import { Db, DbLimits, createDriver } from './driver';
import { LocalNeo4j, localPassword, startLocalNeo4j, stopLocalNeo4j } from './local';

/**
 * The password for Neo4j: NEO4J_PASSWORD when set (required with NEO4J_URI), otherwise the local
 * Neo4j's random one, kept beside its data.
 */
export function neo4jPassword(config: Config): string {
  return config.NEO4J_PASSWORD ?? localPassword(config.NEO4J_LOCAL_HOME);
}

export interface Connection {
  driver: Driver;
  /** A fresh statement-counting handle; take one per unit of work (a request passes its limits). */
  db(limits?: DbLimits): Db;
  /** Set when the project's own local Neo4j is in use. */
  local?: LocalNeo4j;
  /** Closes the driver, and stops the local Neo4j if this connection started it. */
  close(opts?: { stopLocal?: boolean }): Promise<void>;
}

/**
 * Gets a Neo4j the way the README promises: the server at NEO4J_URI when set, otherwise the
 * project's own local Neo4j (started, or reused when already running from the same folder).
 */
export async function connect(config: Config, log?: (line: string) => void): Promise<Connection> {
  let local: LocalNeo4j | undefined;
  let uri = config.NEO4J_URI;
  const password = neo4jPassword(config);
  if (!uri) {
    local = await startLocalNeo4j({
      home: config.NEO4J_LOCAL_HOME,
      port: config.NEO4J_LOCAL_PORT,
      password,
      heap: config.NEO4J_LOCAL_HEAP,
      pagecache: config.NEO4J_LOCAL_PAGECACHE,
      log,
    });
    uri = local.uri;
  }
  const driver = createDriver(uri, { NEO4J_USER: config.NEO4J_USER, NEO4J_PASSWORD: password });
  await driver.verifyConnectivity({ database: config.NEO4J_DATABASE });
  return {
    driver,
    local,
    db: (limits) => new Db(driver, config.NEO4J_DATABASE, config.NEO4J_TX_TIMEOUT_MS, limits),
    async close(opts = {}) {
      await driver.close();
      if (local && (opts.stopLocal ?? local.started))
        await stopLocalNeo4j(config.NEO4J_LOCAL_HOME, log);
    },
  };
}
