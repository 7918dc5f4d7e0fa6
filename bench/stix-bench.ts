/**
 * The STIX import figures of `npm run bench` (issue 14): an ATT&CK-shaped bundle
 * (bench/stix-generate.ts) imported into an EMPTY database (a Neo4j of its own, started fresh and
 * deleted after) and into a LOADED one (the bench corpus), each import in a process of its own
 * (bench/stix-import.ts) so that its peak RSS is its own. Reports STIX objects/s, graph writes/s
 * (nodes created or updated + relationships written) and peak RSS, with the load average.
 *
 *   npx tsx bench/stix-bench.ts [--objects 25000] [--empty-port 7690] [--loaded-uri bolt://...]
 *     [--loaded-pid <process id of that Neo4j, for its CPU seconds>]
 *
 * Standalone, the loaded database is NEO4J_URI (with NEO4J_PASSWORD) when given; run.ts passes
 * its main corpus.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../src/config';
import { localPassword, startLocalNeo4j, stopLocalNeo4j } from '../src/db';

const run = promisify(execFile);

export interface StixImportFigures {
  where: string;
  read: number;
  seconds: number;
  objectsPerSecond: number;
  graphWritesPerSecond: number;
  graphWrites: { nodes: number; relationships: number };
  peakRssMb: number;
  parsedOnce: boolean;
  /** CPU seconds of the import's own process (user + system). */
  nodeCpuSeconds?: number;
  /**
   * CPU seconds the Neo4j process spent during the timed import (when it is a local Neo4j whose
   * process id the bench passes as BENCH_NEO4J_PID).
   */
  neo4jCpuSeconds?: number;
  statements?: Record<string, { n: number; seconds: number }>;
}

/** One import in its own process (bench/stix-import.ts); its JSON figures. */
async function importOnce(
  file: string,
  where: string,
  db: { uri: string; password: string },
  batchSize?: number,
  neo4jPid?: number,
): Promise<StixImportFigures> {
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(__dirname, 'stix-import.ts'),
      file,
      '--statements',
      ...(batchSize ? ['--batch-size', String(batchSize)] : []),
    ],
    {
      cwd: ROOT,
      // A batch on a cold database under load can outlast the API's 15 s transaction limit.
      env: {
        ...process.env,
        NEO4J_URI: db.uri,
        NEO4J_PASSWORD: db.password,
        NEO4J_TX_TIMEOUT_MS: '300000',
        ...(neo4jPid ? { BENCH_NEO4J_PID: String(neo4jPid) } : {}),
        LOG_LEVEL: 'silent',
      },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 3_600_000,
    },
  );
  return { where, ...(JSON.parse(stdout) as Omit<StixImportFigures, 'where'>) };
}

export interface StixBenchOptions {
  objects: number;
  /** Port of the empty Neo4j this bench starts (and deletes after). */
  emptyPort: number;
  /** The loaded database (the bench corpus), if any. */
  loaded?: { uri: string; password: string; label: string; pid?: number };
  batchSize?: number;
  log: (line: string) => void;
}

/** Generates the bundle, imports it into an empty and a loaded database; the figures. */
export async function stixImportBench(o: StixBenchOptions): Promise<StixImportFigures[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attribution-stix-bench-'));
  const file = path.join(dir, `attack-shaped-${o.objects}.json`);
  const out: StixImportFigures[] = [];
  try {
    o.log(`STIX: generating an ATT&CK-shaped bundle of ${o.objects} objects...`);
    await run(process.execPath, [
      '--import',
      'tsx',
      path.join(__dirname, 'stix-generate.ts'),
      String(o.objects),
      file,
    ]);
    const home = path.join(ROOT, '.neo4j', 'bench-stix-empty');
    await stopLocalNeo4j(home, o.log);
    fs.rmSync(home, { recursive: true, force: true });
    o.log(`STIX: starting an empty Neo4j on port ${o.emptyPort}...`);
    const password = localPassword(home);
    const local = await startLocalNeo4j({ home, port: o.emptyPort, password, log: o.log });
    try {
      o.log('STIX: importing into the empty database...');
      // Neo4j's CPU is measured by the import over its timed window (not the schema migration
      // that precedes it on an empty database).
      out.push(
        await importOnce(
          file,
          'empty database',
          { uri: local.uri, password },
          o.batchSize,
          local.pid,
        ),
      );
    } finally {
      await stopLocalNeo4j(home, o.log);
      fs.rmSync(home, { recursive: true, force: true });
    }
    if (o.loaded) {
      o.log(`STIX: importing into ${o.loaded.label}...`);
      out.push(await importOnce(file, o.loaded.label, o.loaded, o.batchSize, o.loaded.pid));
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); undefined elsewhere. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks (USER_HZ 100)
  } catch {
    return undefined;
  }
}

/** Report lines (markdown) for the figures. */
export function stixReport(figures: StixImportFigures[], objects: number): string[] {
  return [
    `### STIX import (ATT&CK-shaped bundle of ${objects} objects, bench/stix-generate.ts)`,
    '',
    '| Into | STIX objects/s | graph writes/s | nodes + relationships | seconds | peak RSS (MB) | Neo4j CPU s | import CPU s | parsed once |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...figures.map(
      (f) =>
        `| ${f.where} | ${f.objectsPerSecond} | ${f.graphWritesPerSecond} | ${f.graphWrites.nodes} + ${f.graphWrites.relationships} | ${f.seconds} | ${f.peakRssMb} | ${f.neo4jCpuSeconds ?? '-'} | ${f.nodeCpuSeconds ?? '-'} | ${f.parsedOnce ? 'yes' : 'no'} |`,
    ),
    '',
    'Targets (issue 14): 20,000 objects/s into an empty database, 10,000 objects/s into the 10,000-incident corpus, peak RSS under 512 MB for a 45 MB file.',
    '',
  ];
}

async function main() {
  const argv = process.argv.slice(2);
  const opt = (name: string, def: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
  };
  const objects = Number(opt('objects', '25000'));
  const loadedUri = opt('loaded-uri', process.env.NEO4J_URI ?? '');
  const bs = opt('batch-size', '');
  const load0 = os.loadavg();
  const figures = await stixImportBench({
    objects,
    emptyPort: Number(opt('empty-port', String(Number(process.env.BENCH_NEO4J_PORT ?? 7689) + 9))),
    loaded: loadedUri
      ? {
          uri: loadedUri,
          password: process.env.NEO4J_PASSWORD ?? '',
          label: loadedUri,
          pid: Number(opt('loaded-pid', '0')) || undefined,
        }
      : undefined,
    batchSize: bs ? Number(bs) : undefined,
    log: (l) => process.stderr.write(`[stix-bench] ${l}\n`),
  });
  const load1 = os.loadavg();
  console.log(stixReport(figures, objects).join('\n'));
  console.log(
    `Load average (1, 5, 15 min): ${load0.map((x) => x.toFixed(2)).join(' ')} at the start, ${load1.map((x) => x.toFixed(2)).join(' ')} at the end; ${os.cpus().length} vCPU.`,
  );
  console.log(JSON.stringify(figures, null, 2));
}

if (require.main === module) void main();
