/**
 * Per-replica throughput for docs/scaling.md (issue 15), phase 10 of `npm run bench` (alone:
 * `npm run bench -- --only-replicas [--quick]`): W1 on Zipf-skewed incidents, closed loop, with
 * ONE API process reached directly, one behind a round-robin proxy (bench/proxy.ts, its own
 * process) and TWO behind it, every process on the same Neo4j, cache off (the API's own work on
 * every request) and on. Writes the table into docs/scaling.md between the replica markers.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import * as prettier from 'prettier';
import { ROOT } from '../src/config';
import { Req, Sample, closedLoop, quantile } from './load';

/** A server process the caller started (bench/run.ts's startServer). */
export interface ReplicaServer {
  url: string;
  child: ChildProcess;
}

export interface ReplicaOptions {
  /** Starts one API process (`ours`) with extra environment; the caller stops it with `stop`. */
  start: (name: string, env: Record<string, string>) => Promise<ReplicaServer>;
  stop: (s: ReplicaServer) => Promise<void>;
  /** W1 for one incident, to `url`. */
  request: (url: string) => Req;
  /** Seconds per measurement. */
  duration: number;
  /** Closed-loop connection counts. */
  connections: number[];
  log: (line: string) => void;
}

export interface ReplicaRow {
  cache: 'off' | 'on';
  setup: string;
  replicas: number;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  samples: number;
  errors: number;
  /** The most frequent reason of the failed requests (HTTP status, GraphQL code), if any. */
  why: string;
}

/** Starts the round-robin proxy (bench/proxy.ts) in front of `urls`. */
async function startProxy(urls: string[]): Promise<ReplicaServer> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'proxy.ts'), ...urls],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the proxy did not start in 60 s')), 60_000);
    readline.createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`the proxy exited with code ${code}`)));
  });
  return { url, child };
}

function row(
  cache: ReplicaRow['cache'],
  setup: string,
  replicas: number,
  connections: number,
  seconds: number,
  samples: Sample[],
): ReplicaRow {
  const ok = samples.filter((s) => s.ok).map((s) => s.ms);
  const reasons = new Map<string, number>();
  for (const s of samples)
    if (!s.ok) reasons.set(s.why ?? '?', (reasons.get(s.why ?? '?') ?? 0) + 1);
  const why = [...reasons].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  return {
    cache,
    setup,
    replicas,
    connections,
    rps: ok.length / seconds,
    p50: quantile(ok, 0.5),
    p99: quantile(ok, 0.99),
    samples: ok.length,
    errors: samples.length - ok.length,
    why,
  };
}

/**
 * Measures W1 throughput with 1 and 2 API processes on one Neo4j: for each cache mode, one
 * process direct, then the same process behind the proxy, then two behind it.
 */
export async function replicaBench(o: ReplicaOptions): Promise<ReplicaRow[]> {
  const rows: ReplicaRow[] = [];
  for (const cache of ['off', 'on'] as const) {
    const env: Record<string, string> = cache === 'off' ? { CACHE_MAX_BYTES: '0' } : {};
    const a = await o.start(`replica A (cache ${cache})`, env);
    const b = await o.start(`replica B (cache ${cache})`, env);
    const one = await startProxy([a.url]);
    const two = await startProxy([a.url, b.url]);
    try {
      // Warm both processes (JIT, pools) before anything is counted.
      await closedLoop(4, Math.min(3, o.duration), () => o.request(two.url));
      for (const c of o.connections) {
        for (const [setup, replicas, url] of [
          ['1 process, direct', 1, a.url],
          ['1 process behind the proxy', 1, one.url],
          ['2 processes behind the proxy', 2, two.url],
        ] as const) {
          o.log(`replicas: ${setup}, cache ${cache}, ${c} connections, ${o.duration} s...`);
          const samples = await closedLoop(c, o.duration, () => o.request(url));
          rows.push(row(cache, setup, replicas, c, o.duration, samples));
        }
      }
    } finally {
      for (const s of [two, one]) s.child.kill('SIGTERM');
      await o.stop(b);
      await o.stop(a);
    }
  }
  return rows;
}

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** The Markdown written into docs/scaling.md. */
export function replicaReport(
  rows: ReplicaRow[],
  about: { command: string; commit: string; corpus: string; load: string; duration: number },
): string {
  const lines = [
    `Measured by \`${about.command}\` (commit ${about.commit}, ${new Date().toISOString().slice(0, 16)}Z) on ` +
      `this machine: ${os.cpus().length} vCPU shared by Neo4j, the API processes, the proxy and the load ` +
      `generator; ${about.corpus}; load average ${about.load}. W1 (the flagship query) on Zipf-skewed ` +
      `incidents, closed loop, ${about.duration} s per row; p99 only with 1,000 samples or more.`,
    '',
    '| cache | setup | connections | req/s | p50 (ms) | p99 (ms) | samples | errors (most frequent) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.cache} | ${r.setup} | ${r.connections} | ${f(r.rps)} | ${f(r.p50)} | ${r.samples >= 1000 ? f(r.p99) : 'n/a'} | ${r.samples} | ${r.errors}${r.errors ? ` (${r.why.replace(/\|/g, '/').slice(0, 40)})` : ''} |`,
    ),
    '',
  ];
  for (const cache of ['off', 'on'] as const)
    for (const c of [...new Set(rows.map((r) => r.connections))]) {
      const get = (setup: string) =>
        rows.find((r) => r.cache === cache && r.connections === c && r.setup === setup)?.rps ?? NaN;
      const one = get('1 process behind the proxy');
      const two = get('2 processes behind the proxy');
      const direct = get('1 process, direct');
      lines.push(
        `- cache ${cache}, ${c} connections: 2 processes give ${f(two / one, 2)}x the throughput of 1 ` +
          `behind the same proxy (${f(two)} vs ${f(one)} req/s, ${f(two / 2)} req/s per replica); the proxy ` +
          `itself costs ${f(100 * (1 - one / direct), 0)}% of one process's direct throughput (${f(direct)} req/s).`,
      );
    }
  lines.push('');
  return lines.join('\n');
}

export const REPLICAS_BEGIN = '<!-- replicas:begin (written by npm run bench) -->';
export const REPLICAS_END = '<!-- replicas:end -->';

/**
 * Replaces what is between the replica markers of docs/scaling.md (appends them if missing),
 * formatted by the project's Prettier so `npm run lint` stays green after a bench run.
 */
export async function writeScaling(markdown: string): Promise<void> {
  const doc = path.join(ROOT, 'docs', 'scaling.md');
  const text = fs.readFileSync(doc, 'utf8');
  const a = text.indexOf(REPLICAS_BEGIN);
  const b = text.indexOf(REPLICAS_END);
  const next =
    a >= 0 && b > a
      ? `${text.slice(0, a + REPLICAS_BEGIN.length)}\n\n${markdown}\n${text.slice(b)}`
      : `${text}\n${REPLICAS_BEGIN}\n\n${markdown}\n${REPLICAS_END}\n`;
  const options = (await prettier.resolveConfig(doc)) ?? {};
  fs.writeFileSync(doc, await prettier.format(next, { ...options, filepath: doc }));
}
