import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import neo4j from 'neo4j-driver';
import type { Db } from '../db';
import { ImportContext, type TypeCounts } from './context';
import {
  type Batching,
  type InputFile,
  type Progress,
  type Stamp,
  type WriteStats,
  linksPass,
  nodesPass,
  readPass,
  settle,
} from './passes';
import { HeapGovernor } from './memory';
import { IMPORT_AUDIT, IMPORT_AUDIT_DONE } from './queries';

export type { TypeCounts } from './context';

/** The default time limit of an import's write transactions (bulk work, like the seed's). */
const IMPORT_TX_TIMEOUT_MS = 120_000;
export type ImportProgress = Progress;

export interface ImportOptions {
  /** Prefix for the ids of nodes made from STIX ids (default none); tests use it to stay apart. */
  idPrefix?: string;
  /** Objects per write transaction (default 2000, measured: docs/stix-mapping.md). */
  batchSize?: number;
  /**
   * Time limit of each write transaction (default: the larger of 120 s and the connection's
   * limit): a batch is bulk work, never cut by the API's 15 s request limit.
   */
  txTimeoutMs?: number;
  onProgress?: (p: Progress) => void;
  /** Readable used for the input `-` (default process.stdin). */
  stdin?: Readable;
  /**
   * The operator vouches that the bundle is this tool's own export: our ids
   * (`x_attribution_id`, `x_attribution_hypothesis`) are honoured and the import may link and
   * add claims to existing (native) nodes. Off by default: an import then only ever adds.
   */
  trust?: boolean;
  /** Who runs the import (audit entry and provenance stamp); default `cli (<user>)`. */
  operator?: { id: string; name: string; role?: string };
  /** Up to this many bytes of input are parsed once and kept in memory (default 96 MiB). */
  keepBytes?: number;
  /**
   * Between batches, a full garbage collection whenever the heap has grown to 1.5 times what
   * was live (and past 160 MB): peak RSS stays near what the import holds (src/stix/memory.ts).
   * Default on.
   */
  boundHeap?: boolean;
}

export interface ImportReport {
  /** The id of this import: its audit entry, and `importId` on everything it created. */
  importId: string;
  files: string[];
  /** Name, size and sha256 of each file read. */
  inputs: { name: string; bytes: number; sha256: string }[];
  trusted: boolean;
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  /** Per STIX type (relationships as `relationship/<relationship_type>`). */
  byType: Record<string, TypeCounts>;
  /** Where the objects went: mapped into the model, or kept as StixObject nodes. */
  coverage: { mapped: number; kept: number; dropped: number; ratio: number };
  /** Nodes derived from objects (alias claims, hypotheses, cited sources, alias names, producers). */
  derived: { created: number; updated: number };
  /** Database updates (nodes, relationships and properties written): 0 when nothing changed. */
  dbUpdates: number;
  /** Graph writes: nodes created or updated, relationships written (the bench's second unit). */
  graphWrites: { nodes: number; relationships: number };
  /** Links the import did not write because an end is a native node (no --trust). */
  nativeLinksRefused: number;
  warnings: { total: number; byKind: Record<string, number>; samples: string[] };
  batches: number;
  /** Whether the objects were parsed once and kept (else read again for writing). */
  parsedOnce: boolean;
  ms: number;
  /**
   * Where the time went: the read pass (parse, validate, index, required references; the audit
   * entry), the nodes and links passes, and the end (revisions of the created incidents, result).
   */
  phaseMs: { read: number; nodes: number; links: number; done: number };
  /** Full garbage collections the heap bound ran between batches. */
  heapCollections: number;
}

/**
 * Imports STIX 2.0/2.1 bundles (files, or `-` for stdin); see docs/stix-mapping.md and
 * src/stix/README.md. One streaming read validates and indexes every object of every file: a
 * malformed bundle (JSON, STIX fields, our custom fields, a reference to a missing object)
 * stops the import before a single write, naming file, object and field. Then one audit entry,
 * and the nodes and links passes, batch by batch. Idempotent by STIX id: a newer `modified`
 * updates what an earlier import created (never the API-owned fields); native nodes (seed,
 * API) are never touched, and without `trust` never linked to.
 */
export async function importStix(
  db: Db,
  inputs: string[],
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const t0 = Date.now();
  const batching: Batching = {
    size: opts.batchSize ?? 2000,
    timeoutMs: opts.txTimeoutMs ?? Math.max(IMPORT_TX_TIMEOUT_MS, db.txTimeoutMs),
    memory: opts.boundHeap === false ? undefined : new HeapGovernor(),
  };
  const files: InputFile[] = inputs.map((input) =>
    input === '-'
      ? { name: '<stdin>', stream: opts.stdin ?? process.stdin }
      : { name: input, path: input, bytes: fs.statSync(input).size },
  );
  const size = files.reduce((n, f) => n + (f.bytes ?? 0), 0);
  const keep = files.some((f) => f.stream) || size <= (opts.keepBytes ?? 96 * 1024 * 1024);
  const ctx = new ImportContext(opts.idPrefix ?? '', opts.trust === true);

  const kept = await readPass(db, ctx, files, keep, opts.onProgress);

  const user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  const operator = opts.operator ?? { id: 'cli', name: `cli (${user})`, role: 'admin' };
  const importId = `import-${randomUUID()}`;
  const stamp: Stamp = {
    importId,
    importedBy: operator.name,
    importedAt: neo4j.types.DateTime.fromStandardDate(new Date()),
  };
  const inputsDone = files.map((f) => ({ name: f.name, bytes: f.bytes!, sha256: f.sha256! }));
  await db.write((tx) =>
    tx.run(IMPORT_AUDIT, {
      props: {
        id: importId,
        at: stamp.importedAt,
        principal: operator.id,
        principalName: operator.name,
        role: operator.role ?? 'admin',
        operation: 'importStix',
        arguments: JSON.stringify({ files: inputsDone, trust: ctx.trust }),
        ids: [],
      },
    }),
  );
  const stats: WriteStats = {
    dbUpdates: 0,
    nodesWritten: 0,
    relsWritten: 0,
    batches: 0,
    nativeLinksRefused: 0,
  };
  const t1 = Date.now();
  let t2 = t1;
  try {
    await nodesPass(db, ctx, files, kept, batching, stamp, stats, opts.onProgress);
    t2 = Date.now();
    await linksPass(db, ctx, files, kept, batching, stamp, stats, opts.onProgress);
  } catch (err) {
    // What the committed batches wrote is there: its revisions and counts follow it anyway.
    await settle(db, ctx, batching).catch(() => undefined);
    throw err;
  }
  const t3 = Date.now();
  await settle(db, ctx, batching);

  const sum = (k: keyof TypeCounts) => Object.values(ctx.byType).reduce((n, c) => n + c[k], 0);
  let mapped = 0;
  let generic = 0;
  for (const e of ctx.index.values())
    if (e.family === 'generic') generic += 1;
    else mapped += 1;
  const read = sum('read');
  const report: ImportReport = {
    importId,
    files: files.map((f) => f.name),
    inputs: inputsDone,
    trusted: ctx.trust,
    read,
    created: sum('created'),
    updated: sum('updated'),
    unchanged: sum('unchanged'),
    skipped: sum('skipped'),
    byType: Object.fromEntries(Object.entries(ctx.byType).sort(([a], [b]) => (a < b ? -1 : 1))),
    coverage: {
      mapped,
      kept: generic,
      dropped: ctx.index.size - mapped - generic,
      ratio: ctx.index.size ? (mapped + generic) / ctx.index.size : 1,
    },
    derived: ctx.derived,
    dbUpdates: stats.dbUpdates,
    graphWrites: { nodes: stats.nodesWritten, relationships: stats.relsWritten },
    nativeLinksRefused: stats.nativeLinksRefused,
    warnings: ctx.warnings,
    batches: stats.batches,
    parsedOnce: kept !== null,
    ms: Date.now() - t0,
    phaseMs: { read: t1 - t0, nodes: t2 - t1, links: t3 - t2, done: Date.now() - t3 },
    heapCollections: batching.memory?.collections ?? 0,
  };
  await db.write((tx) =>
    tx.run(IMPORT_AUDIT_DONE, {
      id: importId,
      result: JSON.stringify({
        read: report.read,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        derived: report.derived,
        coverage: report.coverage,
        nativeLinksRefused: report.nativeLinksRefused,
        warnings: report.warnings.total,
        ms: report.ms,
      }),
    }),
  );
  return report;
}
