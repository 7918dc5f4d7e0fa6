/**
 * STIX import throughput: imports a bundle (make one with bench/stix-generate.ts) under a unique
 * id prefix, prints STIX objects/s, graph writes/s (nodes + relationships written) and peak RSS,
 * then deletes what it imported (unless --keep). Runs against NEO4J_URI (or the local Neo4j).
 *
 *   npx tsx bench/stix-import.ts <bundle.json> [--batch-size 2000] [--keep-bytes N] [--keep]
 *     [--statements] [--capture rows.jsonl]
 *
 * --statements: also the time spent in each named Cypher statement (the write passes' share of
 * the wall time), to see which statement the import waits on. --keep-bytes: the import's
 * `keepBytes` (files up to this size are parsed once and kept in memory; larger ones are read
 * again by each write pass). --capture: writes the rows of every node and relationship the import
 * creates, per transaction, to a JSON-lines file that bench/stix-floor.ts replays as bare
 * statements (the floor: the same writes without the importer).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { loadConfig } from '../src/config';
import { WriteTx, connect, cypher, migrate } from '../src/db';
import { importStix } from '../src/stix';
import { processCpuSeconds } from './stix-bench';

const CLEAN = cypher<{ n: number }>(
  'benchStixClean',
  `MATCH (n:Entity) WHERE n.id STARTS WITH $prefix
   WITH n LIMIT 2000 DETACH DELETE n RETURN count(*) AS n`,
);

async function main() {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'))!;
  const bs = args.indexOf('--batch-size');
  const batchSize = bs >= 0 ? Number(args[bs + 1]) : undefined;
  const kb = args.indexOf('--keep-bytes');
  const keepBytes = kb >= 0 ? Number(args[kb + 1]) : undefined;
  const prefix = `bench-${randomUUID().slice(0, 8)}/`;
  const statements = new Map<string, { n: number; ms: number }>();
  if (args.includes('--statements')) {
    const run = WriteTx.prototype.run;
    WriteTx.prototype.run = async function (this: WriteTx, query, params) {
      const t = performance.now();
      try {
        return await run.call(this, query, params);
      } finally {
        const s = statements.get(query.name) ?? { n: 0, ms: 0 };
        s.n += 1;
        s.ms += performance.now() - t;
        statements.set(query.name, s);
      }
    } as typeof run;
  }
  const cap = args.indexOf('--capture');
  const captured = cap >= 0 ? capture(args[cap + 1]) : undefined;
  const conn = await connect(loadConfig());
  try {
    // The schema's constraints and indexes (idempotent): an empty database gets them first.
    await migrate(conn.db());
    const t0 = process.hrtime.bigint();
    const cpu0 = ((cpu) => (cpu.user + cpu.system) / 1e6)(process.cpuUsage());
    // The Neo4j process's CPU over the same window, when the bench names it (a local Neo4j).
    const neo4jPid = Number(process.env.BENCH_NEO4J_PID ?? 0);
    const neo0 = neo4jPid ? processCpuSeconds(neo4jPid) : undefined;
    let lastPhase = '';
    const r = await importStix(conn.db(), [file], {
      idPrefix: prefix,
      batchSize,
      keepBytes,
      onProgress: (p) => {
        if (p.phase !== lastPhase)
          process.stderr.write(
            `${p.phase} at ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s\n`,
          );
        lastPhase = p.phase;
      },
    });
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    await captured?.();
    const rssMb = process.resourceUsage().maxRSS / 1024;
    console.log(
      JSON.stringify(
        {
          file,
          batchSize,
          read: r.read,
          created: r.created,
          coverage: r.coverage,
          derivedCreated: r.derived.created,
          graphWrites: r.graphWrites,
          parsedOnce: r.parsedOnce,
          seconds: +secs.toFixed(1),
          objectsPerSecond: Math.round(r.read / secs),
          graphWritesPerSecond: Math.round(
            (r.graphWrites.nodes + r.graphWrites.relationships) / secs,
          ),
          peakRssMb: Math.round(rssMb),
          neo4jCpuSeconds: ((neo1) =>
            neo0 !== undefined && neo1 !== undefined ? +(neo1 - neo0).toFixed(1) : undefined)(
            neo4jPid ? processCpuSeconds(neo4jPid) : undefined,
          ),
          nodeCpuSeconds: +(
            ((cpu) => (cpu.user + cpu.system) / 1e6)(process.cpuUsage()) - cpu0
          ).toFixed(1),
          heapCollections: r.heapCollections,
          phaseSeconds: Object.fromEntries(
            Object.entries(r.phaseMs).map(([k, v]) => [k, +(v / 1000).toFixed(2)]),
          ),
          ...(statements.size
            ? {
                statements: Object.fromEntries(
                  [...statements]
                    .sort((a, b) => b[1].ms - a[1].ms)
                    .map(([k, v]) => [k, { n: v.n, seconds: +(v.ms / 1000).toFixed(2) }]),
                ),
              }
            : {}),
        },
        null,
        2,
      ),
    );
    if (!args.includes('--keep')) {
      let n = 0;
      for (;;) {
        const [{ n: d }] = (await conn.db().write((tx) => tx.run(CLEAN, { prefix }))).records;
        n += d;
        if (d === 0) break;
      }
      process.stderr.write(`cleaned up ${n} node(s) under ${prefix}\n`);
    }
  } finally {
    await conn.close();
  }
}

/**
 * Records, per write transaction, the rows of the statements that create nodes and relationships
 * (claim links included, as the relationships they create) as JSON lines `{tx, kind, rows}`.
 * Temporal values are written as their ISO strings (the floor stores strings of the same size).
 */
function capture(file: string): () => Promise<void> {
  const out = fs.createWriteStream(file);
  const txs = new WeakMap<WriteTx, number>();
  let next = 0;
  const plain = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v) && v.constructor !== Object
      ? String(v)
      : Array.isArray(v)
        ? v.map(plain)
        : v;
  const props = (p: Record<string, unknown> = {}) =>
    Object.fromEntries(Object.entries(p).map(([k, v]) => [k, plain(v)]));
  const run = WriteTx.prototype.run;
  WriteTx.prototype.run = async function (this: WriteTx, query, params = {}) {
    let tx = txs.get(this);
    if (tx === undefined) txs.set(this, (tx = next++));
    const rows = (params.rows ?? []) as Record<string, unknown>[];
    let line: unknown;
    if (query.name === 'stixImportCreateNodes')
      line = {
        kind: 'nodes',
        rows: rows.map((r) => ({
          labels: r.labels,
          props: {
            ...props(r.props as Record<string, unknown>),
            ...props(params.stamp as Record<string, unknown>),
          },
        })),
      };
    else if (query.name === 'stixImportCreateLinks' || query.name.startsWith('stixImportMerge'))
      line = {
        kind: 'rels',
        rows: rows.map((r) => ({
          ...r,
          type: r.type ?? query.name.replace('stixImportMerge', ''),
        })),
      };
    else if (query.name.startsWith('claimLinkMerge'))
      line = {
        kind: 'rels',
        rows: rows.map((r) => ({
          type: query.name.replace('claimLinkMerge', ''),
          from: r.from,
          to: r.to,
          props: { ...(r.props as object), ...(r.prov as object), claims: r.claims },
        })),
      };
    if (line) out.write(JSON.stringify({ tx, ...(line as object) }) + '\n');
    return run.call(this, query, params);
  } as typeof run;
  return () => new Promise((resolve) => out.end(resolve));
}

void main();
