import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDate, isDateTime, isLocalDateTime, isTime, isDuration } from 'neo4j-driver';
import { Piscina } from 'piscina';
import type { CriticalItemResult } from '../analysis';
import type { BundleRow, Exclude } from './service';

/**
 * A worker_threads pool (piscina) for the analysis work that takes tens of milliseconds of CPU
 * (leave-one-out over every source, claimant and item of evidence): it runs off the event loop,
 * so other requests keep being served meanwhile. Created on first use; `WORKER_THREADS` sets its
 * size (default: cores - 1, at least 1). From source (npm start, jest) the worker is loaded
 * through tsx (worker-boot.cjs); from a compiled build, worker.js directly.
 */
let pool: Piscina | undefined;

function workerFile(): string {
  const compiled = path.join(__dirname, 'worker.js');
  return fs.existsSync(compiled) ? compiled : path.join(__dirname, 'worker-boot.cjs');
}

function thePool(): Piscina {
  pool ??= new Piscina({
    filename: workerFile(),
    minThreads: 0,
    maxThreads: Number(process.env.WORKER_THREADS) || Math.max(1, os.availableParallelism() - 1),
    idleTimeout: 30_000,
  });
  return pool;
}

/** Bundle rows as plain data for the worker: Neo4j temporal values become their ISO strings. */
export function plainRows(rows: BundleRow[]): BundleRow[] {
  return JSON.parse(
    JSON.stringify(rows, (_k, v: unknown) =>
      v &&
      typeof v === 'object' &&
      (isDate(v) || isDateTime(v) || isLocalDateTime(v) || isTime(v) || isDuration(v))
        ? String(v)
        : v,
    ),
  ) as BundleRow[];
}

/** Leave-one-out over `rows` (with `exclude` left out first) on a worker thread. */
export function runLeaveOneOut(
  rows: BundleRow[],
  day: string | null,
  exclude?: Exclude | null,
): Promise<CriticalItemResult[]> {
  return thePool().run({ rows: plainRows(rows), day, exclude: exclude ?? null });
}

/** Starts the pool and loads the worker's code now, so the first request does not wait for it. */
export function warmWorkers(): void {
  void runLeaveOneOut([], null).catch(() => undefined);
}

/** Stops the worker threads (server shutdown, end of tests). */
export async function closeWorkers(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.destroy();
}
