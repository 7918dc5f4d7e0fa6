import { AsyncLocalStorage } from 'node:async_hooks';
import neo4j, {
  BookmarkManager,
  Driver,
  EagerResult,
  ManagedTransaction,
  RecordShape,
  routing,
} from 'neo4j-driver';
import type { Config } from '../config';
import { AppError, ErrorCode, translateDbError } from '../errors';

/**
 * A named, parameterized Cypher statement whose records have the shape `T`. Queries live as
 * constants in each domain's `queries.ts`; user input only ever reaches Cypher as `$parameters`.
 */
export interface Query<T extends RecordShape = RecordShape> {
  readonly name: string;
  readonly text: string;
  /** Phantom field carrying the record shape; never set. */
  readonly _shape?: T;
}

/** Declares a named Cypher statement (see {@link Query}). */
export function cypher<T extends RecordShape>(name: string, text: string): Query<T> {
  return { name, text };
}

/** Opens a driver for the configured server; `neo4j://` URIs route across a cluster. */
export function createDriver(
  uri: string,
  config: Pick<Config, 'NEO4J_USER'> & { NEO4J_PASSWORD?: string } & Partial<
      Pick<Config, 'NEO4J_POOL_SIZE' | 'NEO4J_ACQUISITION_TIMEOUT_MS'>
    >,
): Driver {
  if (config.NEO4J_PASSWORD === undefined)
    throw new Error(
      `No password for ${uri}: set NEO4J_PASSWORD (or use connect(), which reads the local Neo4j's).`,
    );
  return neo4j.driver(uri, neo4j.auth.basic(config.NEO4J_USER, config.NEO4J_PASSWORD), {
    disableLosslessIntegers: true,
    maxConnectionPoolSize: config.NEO4J_POOL_SIZE ?? 100,
    connectionAcquisitionTimeout: config.NEO4J_ACQUISITION_TIMEOUT_MS ?? 10_000,
    connectionTimeout: 3_000,
    maxTransactionRetryTime: 2_000,
    logging: { level: 'error', logger: () => undefined },
  });
}

/**
 * The {@link Db} whose transaction the current code runs in (it holds a statement slot, so the
 * statements it nests never wait for another). ONE instance for the process: Node 20 keeps every
 * AsyncLocalStorage that ever ran in a list and calls each of them on every promise created
 * afterwards, so one per Db (per request) made every promise cost more with each request served
 * (a third of the server's CPU after a few thousand requests; the analysis cache, which reads in
 * a transaction, was slower than no cache).
 */
const holding = new AsyncLocalStorage<Db>();

/**
 * What one unit of work may make the database do. A request's Db gets all of them (from the
 * configuration and the request's deadline); the CLI and the seed run without.
 */
export interface DbLimits {
  /** Statements at most; one more is refused with BUDGET_EXCEEDED. */
  maxStatements?: number;
  /** Statements running at once at most; the others wait their turn. */
  maxConcurrent?: number;
  /** Aborted when the request ends (deadline passed, client gone): no statement starts after. */
  signal?: AbortSignal;
  /** Epoch ms of the request's deadline: no transaction is given longer than what is left. */
  deadlineAt?: number;
}

/**
 * Database access for one unit of work (one GraphQL request, one seed run). It counts the
 * statements it runs, so tests can prove that a request's database work is bounded, and enforces
 * the unit's {@link DbLimits}: a statement budget, a cap on concurrent statements, and the
 * request's deadline (no statement starts once it passed or the client left, and each
 * transaction's timeout ends at the deadline at the latest, so Neo4j stops the work itself).
 * Reads and writes share the driver's bookmark manager, so in a cluster every read of this
 * process comes after the writes it has acknowledged: a writer sees its write at once, in the
 * next request too. https://neo4j.com/docs/javascript-manual/current/bookmarks/
 */
export class Db {
  statements = 0;
  readonly statementNames: string[] = [];
  private readonly bookmarkManager: BookmarkManager;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly driver: Driver,
    readonly database: string,
    readonly txTimeoutMs: number,
    readonly limits: DbLimits = {},
  ) {
    this.bookmarkManager = driver.executeQueryBookmarkManager;
  }

  /**
   * Streams one read statement's records to `each`, one at a time as they arrive (bulk exports):
   * nothing is held in memory. Auto-commit, without retries, so no record is handed over twice;
   * no transaction timeout, since a bulk export of a large graph takes as long as it takes.
   */
  async stream<T extends RecordShape>(
    query: Query<T>,
    params: Record<string, unknown>,
    each: (row: T) => Promise<void>,
  ): Promise<void> {
    this.count(query);
    const release = await this.slot();
    const session = this.driver.session({
      database: this.database,
      defaultAccessMode: neo4j.session.READ,
      bookmarkManager: this.bookmarkManager,
    });
    try {
      for await (const record of session.run(query.text, params))
        await each(record.toObject() as T);
    } catch (err) {
      throw translateDbError(err);
    } finally {
      await session.close();
      release();
    }
  }

  /** Runs one read statement in a read transaction (routed to a reader in a cluster). */
  async read<T extends RecordShape>(
    query: Query<T>,
    params: Record<string, unknown> = {},
  ): Promise<T[]> {
    this.count(query);
    const release = await this.slot();
    try {
      const res: EagerResult<T> = await this.driver.executeQuery<EagerResult<T>>(
        query.text,
        params,
        {
          database: this.database,
          routing: routing.READ,
          bookmarkManager: this.bookmarkManager,
          transactionConfig: { timeout: this.timeout(), metadata: { query: query.name } },
        },
      );
      return res.records.map((r) => r.toObject());
    } catch (err) {
      throw translateDbError(err);
    } finally {
      release();
    }
  }

  /**
   * Runs `work` in one write transaction: everything it writes commits together or not at all.
   * The driver retries the whole function on transient failures, so `work` must be repeatable.
   * `timeoutMs` overrides the transaction timeout for bulk work (the seed, an import).
   */
  async write<R>(work: (tx: WriteTx) => Promise<R>, opts: { timeoutMs?: number } = {}): Promise<R> {
    const release = await this.slot();
    const session = this.driver.session({
      database: this.database,
      defaultAccessMode: neo4j.session.WRITE,
      bookmarkManager: this.bookmarkManager,
    });
    try {
      return await holding.run(this, () =>
        session.executeWrite((tx) => work(new WriteTx(tx, this)), {
          timeout: opts.timeoutMs ?? this.timeout(),
        }),
      );
    } catch (err) {
      throw translateDbError(err);
    } finally {
      await session.close();
      release();
    }
  }

  /**
   * Runs `work` in ONE read transaction: its statements read from one server (a cluster member
   * that has at least this process's bookmarks), so values read together agree, e.g. a revision
   * and the data it stands for. Routed to a reader in a cluster.
   */
  async readTx<R>(work: (tx: ReadTx) => Promise<R>): Promise<R> {
    const release = await this.slot();
    const session = this.driver.session({
      database: this.database,
      defaultAccessMode: neo4j.session.READ,
      bookmarkManager: this.bookmarkManager,
    });
    try {
      return await holding.run(this, () =>
        session.executeRead((tx) => work(new WriteTx(tx, this)), { timeout: this.timeout() }),
      );
    } catch (err) {
      throw translateDbError(err);
    } finally {
      await session.close();
      release();
    }
  }

  /** Refuses new work once the request is over; otherwise the time a transaction may take. */
  private timeout(): number {
    this.checkAlive();
    const { deadlineAt } = this.limits;
    if (deadlineAt === undefined) return this.txTimeoutMs;
    const left = deadlineAt - Date.now();
    if (left <= 0) throw ended();
    return Math.max(1, Math.min(this.txTimeoutMs, left));
  }

  private checkAlive(): void {
    const { signal, deadlineAt } = this.limits;
    if (signal?.aborted || (deadlineAt !== undefined && Date.now() >= deadlineAt)) throw ended();
  }

  /** Waits for a free statement slot (at most `maxConcurrent` run at once). */
  private async slot(): Promise<() => void> {
    this.checkAlive();
    if (holding.getStore() === this) return () => undefined; // nested in a transaction holding one
    const max = this.limits.maxConcurrent;
    if (max !== undefined && this.running >= max)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      this.waiting.shift()?.();
    };
  }

  /** @internal */
  count(query: Query): void {
    this.checkAlive();
    const max = this.limits.maxStatements;
    if (max !== undefined && this.statements >= max)
      throw new AppError(
        ErrorCode.BUDGET_EXCEEDED,
        `This request needs more than ${max} database statements (QUERY_MAX_STATEMENTS); ask for less at once.`,
        { limit: 'maxStatements', max },
      );
    this.statements += 1;
    this.statementNames.push(query.name);
  }
}

/** The error for work asked after the request ended (its deadline passed or the client left). */
function ended(): AppError {
  return new AppError(
    ErrorCode.TIMEOUT,
    'The request ended (deadline or client gone); its work was stopped.',
    { http: { status: 503, headers: new Map([['retry-after', '1']]) } },
  );
}

/** A statement runner inside one transaction (a write one, or a read one from {@link Db.readTx}). */
export class WriteTx {
  constructor(
    private readonly tx: ManagedTransaction,
    private readonly db: Db,
  ) {}

  /** Runs one statement; returns its records and the update counters Neo4j reports. */
  async run<T extends RecordShape>(
    query: Query<T>,
    params: Record<string, unknown> = {},
  ): Promise<{ records: T[]; updates: number }> {
    this.db.count(query);
    const res = await this.tx.run<T>(query.text, params);
    const u = res.summary.counters.updates();
    const updates =
      u.nodesCreated +
      u.nodesDeleted +
      u.relationshipsCreated +
      u.relationshipsDeleted +
      u.propertiesSet +
      u.labelsAdded +
      u.labelsRemoved;
    return { records: res.records.map((r) => r.toObject()), updates };
  }
}

/** A statement runner inside one read transaction (same runner; the session forbids writes). */
export type ReadTx = WriteTx;
