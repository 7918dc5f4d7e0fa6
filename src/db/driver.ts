import neo4j, {
  BookmarkManager,
  Driver,
  EagerResult,
  ManagedTransaction,
  RecordShape,
  routing,
} from 'neo4j-driver';
import type { Config } from '../config';
import { translateDbError } from '../errors';

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
  config: Pick<Config, 'NEO4J_USER' | 'NEO4J_PASSWORD'>,
): Driver {
  return neo4j.driver(uri, neo4j.auth.basic(config.NEO4J_USER, config.NEO4J_PASSWORD), {
    disableLosslessIntegers: true,
    maxConnectionPoolSize: 100,
    connectionAcquisitionTimeout: 10_000,
    connectionTimeout: 3_000,
    maxTransactionRetryTime: 2_000,
    logging: { level: 'error', logger: () => undefined },
  });
}

/**
 * Database access for one unit of work (one GraphQL request, one seed run). It counts the
 * statements it runs, so tests can prove that a request's database work is bounded. Reads and
 * writes share the driver's bookmark manager, so in a cluster every read of this process comes
 * after the writes it has acknowledged: a writer sees its write at once, in the next request too.
 * https://neo4j.com/docs/javascript-manual/current/bookmarks/
 */
export class Db {
  statements = 0;
  readonly statementNames: string[] = [];
  private readonly bookmarkManager: BookmarkManager;

  constructor(
    readonly driver: Driver,
    readonly database: string,
    readonly txTimeoutMs: number,
  ) {
    this.bookmarkManager = driver.executeQueryBookmarkManager;
  }

  /** Runs one read statement in a read transaction (routed to a reader in a cluster). */
  async read<T extends RecordShape>(
    query: Query<T>,
    params: Record<string, unknown> = {},
  ): Promise<T[]> {
    this.count(query);
    try {
      const res: EagerResult<T> = await this.driver.executeQuery<EagerResult<T>>(
        query.text,
        params,
        {
          database: this.database,
          routing: routing.READ,
          bookmarkManager: this.bookmarkManager,
          transactionConfig: { timeout: this.txTimeoutMs, metadata: { query: query.name } },
        },
      );
      return res.records.map((r) => r.toObject());
    } catch (err) {
      throw translateDbError(err);
    }
  }

  /**
   * Runs `work` in one write transaction: everything it writes commits together or not at all.
   * The driver retries the whole function on transient failures, so `work` must be repeatable.
   * `timeoutMs` overrides the transaction timeout for bulk work (the seed, an import).
   */
  async write<R>(work: (tx: WriteTx) => Promise<R>, opts: { timeoutMs?: number } = {}): Promise<R> {
    const session = this.driver.session({
      database: this.database,
      defaultAccessMode: neo4j.session.WRITE,
      bookmarkManager: this.bookmarkManager,
    });
    try {
      return await session.executeWrite((tx) => work(new WriteTx(tx, this)), {
        timeout: opts.timeoutMs ?? this.txTimeoutMs,
      });
    } catch (err) {
      throw translateDbError(err);
    } finally {
      await session.close();
    }
  }

  /**
   * Runs `work` in ONE read transaction: its statements read from one server (a cluster member
   * that has at least this process's bookmarks), so values read together agree, e.g. a revision
   * and the data it stands for. Routed to a reader in a cluster.
   */
  async readTx<R>(work: (tx: ReadTx) => Promise<R>): Promise<R> {
    const session = this.driver.session({
      database: this.database,
      defaultAccessMode: neo4j.session.READ,
      bookmarkManager: this.bookmarkManager,
    });
    try {
      return await session.executeRead((tx) => work(new WriteTx(tx, this)), {
        timeout: this.txTimeoutMs,
      });
    } catch (err) {
      throw translateDbError(err);
    } finally {
      await session.close();
    }
  }

  /** @internal */
  count(query: Query): void {
    this.statements += 1;
    this.statementNames.push(query.name);
  }
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
