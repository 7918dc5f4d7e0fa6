/**
 * Hostile clients, work that outlives its request (issue 16): the deadline used to answer 503
 * while the resolvers kept issuing statements. Now the request's AbortSignal stops new
 * statements, every transaction's timeout ends at the deadline, a request has a statement
 * budget and a cap on concurrent statements (enforced in Db), and a saturated pool answers
 * SERVICE_UNAVAILABLE.
 */
import type { Driver, RecordShape } from 'neo4j-driver';
import { loadConfig } from '../src/config';
import { Connection, Db, DbLimits, Query, createDriver, cypher } from '../src/db';
import { ErrorCode } from '../src/errors';
import { startApp } from '../src/server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A statement that keeps Neo4j busy for a while (tens of milliseconds). */
const BUSY = cypher('testBusy', 'UNWIND range(1, 400000) AS x RETURN count(x) AS n');

/**
 * A Db that records when each statement started (the moment Db counts it), and whose reads each
 * run {@link BUSY} first: slow statements, whatever the machine's speed.
 */
class WatchedDb extends Db {
  readonly starts: number[] = [];
  override count(query: Parameters<Db['count']>[0]): void {
    super.count(query);
    this.starts.push(Date.now());
  }
  override async read<T extends RecordShape>(
    query: Query<T>,
    params?: Record<string, unknown>,
  ): Promise<T[]> {
    if (query !== BUSY) await super.read(BUSY);
    return super.read(query, params);
  }
}

/** A connection whose Dbs are watched, so a test can see what a request did after its answer. */
function watched(config: ReturnType<typeof loadConfig>) {
  const driver: Driver = createDriver(process.env.NEO4J_URI!, config);
  const dbs: WatchedDb[] = [];
  const conn: Connection = {
    driver,
    db: (limits?: DbLimits) => {
      const db = new WatchedDb(driver, config.NEO4J_DATABASE, config.NEO4J_TX_TIMEOUT_MS, limits);
      dbs.push(db);
      return db;
    },
    close: () => driver.close(),
  };
  return { conn, dbs };
}

async function serve(env: Record<string, string>) {
  const config = loadConfig({ ...process.env, PORT: '0', NODE_ENV: 'test', ...env });
  const { conn, dbs } = watched(config);
  const app = await startApp(conn, config);
  const post = async (
    query: string,
    variables?: Record<string, unknown>,
    signal?: AbortSignal,
    authorization?: string,
  ) => {
    const res = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query, variables }),
      signal,
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        data?: Record<string, unknown> | null;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      },
    };
  };
  return {
    config,
    dbs,
    driver: conn.driver,
    post,
    close: async () => {
      await app.stop();
      await conn.close();
    },
  };
}

/** Waits until no Db started a statement for `quiet` ms. */
async function settle(dbs: WatchedDb[], quiet = 1500) {
  let last = -1;
  for (;;) {
    const n = dbs.reduce((s, d) => s + d.starts.length, 0);
    if (n === last) return;
    last = n;
    await sleep(quiet);
  }
}

/** Many statements: 25 replays of each of the 5 seed incidents (one bundle statement each). */
const REPLAYS = 25;
const MANY = `{ incidents(first: 5) { edges { node { ${Array.from(
  { length: REPLAYS },
  (_, i) => `h${i}: hypotheses(asOf: "2014-11-${String(i + 1).padStart(2, '0')}") { id }`,
).join(' ')} } } } }`;
/** What MANY needs when it runs to the end: the page, then one bundle per incident and day. */
const NEEDED = 2 * (1 + 5 * REPLAYS); // each with its BUSY statement

describe('hostile clients: deadlines, statement budgets, pool', () => {
  it('stops the work at the deadline: no statement starts after the 503', async () => {
    const s = await serve({ REQUEST_TIMEOUT_MS: '2000', QUERY_MAX_CONCURRENT_STATEMENTS: '1' });
    try {
      const r = await s.post(MANY);
      // Either the deadline answered first (503), or Db refused the next statement first.
      expect(r.status).toBe(503);
      expect(r.body.errors?.map((e) => e.extensions?.code)).toContain(ErrorCode.TIMEOUT);
      await settle(s.dbs);
      const db = s.dbs.find((d) => d.starts.length > 0)!;
      // It ran only the statements that started before its deadline.
      expect(db.starts.length).toBeGreaterThan(0);
      expect(db.starts.length).toBeLessThan(NEEDED);
      expect(Math.max(...db.starts)).toBeLessThanOrEqual(db.limits.deadlineAt!);
      expect(db.limits.signal?.aborted).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('stops the work when the client goes away', async () => {
    const s = await serve({ QUERY_MAX_CONCURRENT_STATEMENTS: '1' });
    try {
      const abort = new AbortController();
      const gone = s.post(MANY, undefined, abort.signal).catch((e: Error) => e);
      // Hang up as soon as the request has started its database work.
      while (!s.dbs.some((d) => d.starts.length > 0)) await sleep(5);
      abort.abort();
      expect(await gone).toMatchObject({ name: 'AbortError' });
      await settle(s.dbs);
      const db = s.dbs.find((d) => d.starts.length > 0)!;
      expect(db.limits.signal?.aborted).toBe(true);
      expect(db.starts.length).toBeLessThan(NEEDED);
    } finally {
      await s.close();
    }
  });

  it('enforces a statement budget per request (BUDGET_EXCEEDED) and caps concurrent statements', async () => {
    const s = await serve({ QUERY_MAX_STATEMENTS: '10', QUERY_MAX_CONCURRENT_STATEMENTS: '2' });
    try {
      const r = await s.post(MANY);
      expect(r.status).toBe(200);
      const codes = new Set(r.body.errors?.map((e) => e.extensions?.code));
      expect(codes).toEqual(new Set([ErrorCode.BUDGET_EXCEEDED]));
      expect(r.body.errors?.[0].message).toMatch(/more than 10 database statements/);
      const db = s.dbs.find((d) => d.starts.length > 0)!;
      expect(db.statements).toBe(10);
    } finally {
      await s.close();
    }
    // Concurrency: each statement reports the server's clock at its start and end; at most 2
    // overlap although the resolvers ask for 8 at once.
    const config = loadConfig();
    const { conn } = watched(config);
    try {
      const db = new Db(conn.driver, config.NEO4J_DATABASE, config.NEO4J_TX_TIMEOUT_MS, {
        maxConcurrent: 2,
      });
      const SPAN = cypher<{ start: number; end: number }>(
        'testSpan',
        `WITH datetime.realtime().epochMillis AS start
         UNWIND range(1, 300000) AS x WITH start, count(x) AS n
         RETURN start, datetime.realtime().epochMillis AS end`,
      );
      const spans = (await Promise.all(Array.from({ length: 8 }, () => db.read(SPAN)))).map(
        ([row]) => row,
      );
      const overlap = Math.max(
        ...spans.map((a) => spans.filter((b) => b.start <= a.start && a.start < b.end).length),
      );
      expect(overlap).toBeLessThanOrEqual(2);
      expect(db.statements).toBe(8);
    } finally {
      await conn.close();
    }
  });

  it('lets a statement nested in a transaction skip only its own Db queue (one AsyncLocalStorage for all)', async () => {
    // The slot a transaction holds is known through ONE process-wide AsyncLocalStorage naming
    // the Db (one per Db made every later promise slower: Node calls each one ever run). A
    // statement nested in A's transaction runs at once although A's only slot is taken; B's
    // statements inside A's transaction still queue behind B's own cap.
    const config = loadConfig();
    const driver = createDriver(process.env.NEO4J_URI!, config);
    try {
      const a = new Db(driver, config.NEO4J_DATABASE, config.NEO4J_TX_TIMEOUT_MS, {
        maxConcurrent: 1,
      });
      const b = new Db(driver, config.NEO4J_DATABASE, config.NEO4J_TX_TIMEOUT_MS, {
        maxConcurrent: 1,
      });
      const ONE = cypher<{ n: number }>('testOne', 'RETURN 1 AS n');
      let releaseB!: () => void;
      const bBusy = b.readTx(() => new Promise<void>((r) => (releaseB = r)));
      await sleep(50);
      const order: string[] = [];
      const nested = a.readTx(async () => {
        await a.read(ONE); // own slot: no wait
        order.push('a nested');
        const fromB = b.read(ONE).then(() => order.push('b after its slot freed'));
        await sleep(100);
        order.push('b still waiting');
        releaseB();
        await fromB;
      });
      await Promise.all([nested, bBusy]);
      expect(order).toEqual(['a nested', 'b still waiting', 'b after its slot freed']);
    } finally {
      await driver.close();
    }
  });

  it('answers SERVICE_UNAVAILABLE, not INTERNAL_SERVER_ERROR, when the pool has no free connection', async () => {
    const s = await serve({ NEO4J_POOL_SIZE: '1', NEO4J_ACQUISITION_TIMEOUT_MS: '300' });
    // Hold the server's only connection in an open transaction.
    const session = s.driver.session({ database: s.config.NEO4J_DATABASE });
    const tx = await session.beginTransaction();
    try {
      await tx.run('RETURN 1');
      const r = await s.post('{ incident(id: "sony-pictures-2014") { name } }');
      expect(r.body.errors?.map((e) => e.extensions?.code)).toEqual([
        ErrorCode.SERVICE_UNAVAILABLE,
      ]);
      expect(r.body.errors?.[0].message).toMatch(/busy/);
      // With a key, the key is checked first: the same outage is a 503, not a 500.
      const keyed = await s.post(
        '{ __typename }',
        undefined,
        undefined,
        `Bearer ${'k'.repeat(40)}`,
      );
      expect(keyed.status).toBe(503);
      expect(keyed.body.errors?.map((e) => e.extensions?.code)).toEqual([
        ErrorCode.SERVICE_UNAVAILABLE,
      ]);
    } finally {
      await tx.rollback();
      await session.close();
    }
    try {
      const again = await s.post('{ incident(id: "sony-pictures-2014") { name } }');
      expect(again.body.errors).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});
