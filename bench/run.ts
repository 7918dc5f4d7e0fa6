/**
 * The benchmark harness of issue 10: every workload, the floor, the peer and the growth sizes,
 * measured side by side in ONE run (latencies interleaved round by round), printed as markdown.
 *
 *   npm run bench [-- --runs 40 --warmup 5 --incidents 10000 --sizes 100,1000 --duration 8
 *                    --w5-incidents 200 --w5-runs 3 --svg docs/benchmarks-growth.svg
 *                    --keep --no-profile --quick]
 *
 * Starts what it needs: without NEO4J_URI, the bench Neo4j (.neo4j/bench, port 7689) with the
 * Sony seed and a synthetic corpus of --incidents (loaded when absent, through bench/synth.ts),
 * and for the growth sizes their own Neo4j (.neo4j/bench-<size>, ports 7690, 7691...). With
 * NEO4J_URI, that server only (no growth sizes). Our server and the peer (`@neo4j/graphql` 7,
 * bench/peer.ts) run as child processes (bench/serve.ts) on loopback; the floor (one Cypher
 * statement through neo4j-driver, no GraphQL, no HTTP) and the load generator (fetch and
 * autocannon) run here. Everything is bounded in count and time. Neo4j servers this run started
 * are stopped at the end unless --keep.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { int } from 'neo4j-driver';
import { cliPrincipal } from '../src/auth';
import { ROOT, loadConfig } from '../src/config';
import {
  Connection,
  connect,
  cypher,
  migrate,
  startLocalNeo4j,
  stopLocalNeo4j,
  toDate,
} from '../src/db';
import { HYPOTHESES_BUNDLE } from '../src/hypotheses';
import { createApiKey } from '../src/mutations';
import { loadSeed, writeSeed } from '../src/seed';
import { FULLTEXT_SEARCH, SHORTEST_PATHS } from '../src/search/queries';
import { PEER_FLAGSHIP, PEER_SEARCH } from './peer';
import { SynthOptions, loadSynth, prng, synthIncidents } from './synth';

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
function opt(name: string, def: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
}
const QUICK = flag('quick');
const RUNS = Number(opt('runs', QUICK ? '8' : '40'));
const WARMUP = Number(opt('warmup', QUICK ? '2' : '5'));
const INCIDENTS = Number(opt('incidents', QUICK ? '1000' : '10000'));
const SIZES = opt('sizes', QUICK ? '100' : '100,1000')
  .split(',')
  .filter(Boolean)
  .map(Number)
  .filter((n) => n > 0 && n < INCIDENTS);
const DURATION = Number(opt('duration', QUICK ? '3' : '8'));
const W5_INCIDENTS = Number(opt('w5-incidents', QUICK ? '50' : '200'));
const W5_RUNS = Number(opt('w5-runs', QUICK ? '1' : '3'));
const SEED = Number(opt('seed', '42'));
const SVG = opt('svg', '');
const KEEP = flag('keep');
const PROFILE = !flag('no-profile');
const SYN_CHUNK = 100;
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

// ---------------------------------------------------------------------------------------------
// Queries

const SOURCE = 'id title publisher url publishedAt reliability';
const FLAGSHIP = `query Flagship($id: ID!) {
  incident(id: $id) {
    hypotheses {
      id statement
      suspects { id name }
      supporters { actor { id name } claims { id text statedAt sources { ${SOURCE} } } }
      opponents { actor { id name } claims { id text statedAt sources { ${SOURCE} } } }
      assessment { rank likelihood confidence score explanation { kind points reason } }
    }
  }
}`;
const SEARCH = `query Search($text: String!) { search(text: $text, first: 20) { score node { id } } }`;
const LINKS = `query Links($from: ID!, $to: ID!) {
  suspectLinks(from: $from, to: $to, maxHops: 4) {
    length nodes { id } steps { relationship description claims { id } sources { id } }
  }
}`;
const WHAT_IF = `query WhatIf($id: ID!, $exclude: ExcludeInput) {
  incident(id: $id) {
    hypotheses(exclude: $exclude) {
      id statement
      assessment { rank likelihood confidence score explanation { kind points reason } }
    }
  }
}`;
const CREATE_CLAIM = `mutation W6($i: CreateClaimInput!) { createClaim(input: $i) { claim { id } userErrors { field path code message } } }`;
const SONY = 'sony-pictures-2014';
const SEARCH_TEXT = 'Guardians of Peace';
const WHAT_IF_EXCLUDE = { sources: ['src-s02-fbi-update', 'src-s20-cbs-traced'] };
/** [from, to, every]: the supernode pair is slow, so it runs in every 8th round only. */
const LINK_PAIRS: [string, string, number][] = [
  ['guardians-of-peace', 'dprk', 1],
  ['syn-group-7', 'syn-state-3', 4],
  ['syn-group-1', 'syn-state-0', 8],
];

const COUNT_SYN = cypher<{ n: number }>(
  'benchCountSyn',
  `MATCH (i:Incident) WHERE i.id STARTS WITH 'syn-inc-' RETURN count(i) AS n`,
);
const COUNT_ALL = cypher<{ nodes: number; rels: number }>(
  'benchCountAll',
  `CALL { MATCH (n) RETURN count(n) AS nodes } CALL { MATCH ()-[r]->() RETURN count(r) AS rels }
   RETURN nodes, rels`,
);

// ---------------------------------------------------------------------------------------------
// Statistics

function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  if (q === 0.5)
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return s[Math.min(s.length - 1, Math.ceil(s.length * q) - 1)];
}
const median = (xs: number[]) => quantile(xs, 0.5);
const p99 = (xs: number[]) => quantile(xs, 0.99);
const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : 'n/a');

// ---------------------------------------------------------------------------------------------
// Neo4j targets and servers

interface Server {
  kind: 'ours' | 'peer';
  url: string;
  child: ChildProcess;
}

interface Target {
  label: string;
  size: number;
  uri: string;
  home?: string;
  started: boolean;
  conn: Connection;
  nodes: number;
  rels: number;
  ours?: Server;
  peer?: Server;
}

interface LoadRow {
  what: string;
  incidents: number;
  nodes: number;
  rels: number;
  seconds: number;
  peakRssMiB: number;
  rssBeforeMiB: number;
}
const loads: LoadRow[] = [];

const synthOptions = (size: number): SynthOptions => ({ incidents: size, seed: SEED });

/** Samples this process's RSS every 25 ms while `work` runs: [result, peak MiB, before MiB]. */
async function withRss<T>(work: () => Promise<T>): Promise<[T, number, number]> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  try {
    const r = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return [r, peak / 2 ** 20, before / 2 ** 20];
  } finally {
    clearInterval(timer);
  }
}

async function openTarget(size: number, port: number | null, home: string | null): Promise<Target> {
  const env = { ...process.env, LOG_LEVEL: 'silent' };
  let uri = process.env.NEO4J_URI ?? '';
  let started = false;
  if (!uri) {
    const base = loadConfig(env);
    const local = await startLocalNeo4j({
      home: home!,
      port: port!,
      password: base.NEO4J_PASSWORD,
      log: (l) => log(`neo4j ${path.relative(ROOT, home!)}: ${l}`),
    });
    uri = local.uri;
    started = local.started;
  }
  const conn = await connect(loadConfig({ ...env, NEO4J_URI: uri }));
  await migrate(conn.db());
  await loadSeed(conn.db());
  const [have] = await conn.db().read(COUNT_SYN);
  const n = Number(have.n);
  if (n < size) {
    const from = Math.floor(n / SYN_CHUNK) * SYN_CHUNK;
    log(`loading synthetic incidents ${from}..${size} into ${uri} (seed ${SEED})...`);
    const t0 = performance.now();
    let last = 0;
    const [r, peak, before] = await withRss(() =>
      loadSynth(conn.db(), synthOptions(size), from, size, SYN_CHUNK, (done) => {
        if (process.stderr.isTTY && performance.now() - last > 2000) {
          last = performance.now();
          const rate = (done - from) / ((last - t0) / 1000);
          log(`  ${done}/${size} incidents, ${rate.toFixed(0)} inc/s`);
        }
      }),
    );
    loads.push({
      what: `corpus load, ${size}-incident corpus (incidents ${from}..${size})`,
      incidents: size - from,
      nodes: r.nodes,
      rels: r.relationships,
      seconds: r.seconds,
      peakRssMiB: peak,
      rssBeforeMiB: before,
    });
  }
  const [all] = await conn.db().read(COUNT_ALL);
  return {
    label: `${size.toLocaleString('en')} incidents`,
    size,
    uri,
    home: home ?? undefined,
    started,
    conn,
    nodes: Number(all.nodes),
    rels: Number(all.rels),
  };
}

/** Starts bench/serve.ts in a child process and waits for the URL it prints. */
async function startServer(
  kind: 'ours' | 'peer',
  uri: string,
  env: Record<string, string> = {},
): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'serve.ts'), kind, uri],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${kind} server did not start in 90 s`)),
      90_000,
    );
    const rl = readline.createInterface({ input: child.stdout! });
    rl.once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited with code ${code} before listening`));
    });
  });
  return { kind, url, child };
}

async function stopServer(s: Server | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null) return;
  const gone = new Promise<void>((resolve) => s.child.once('exit', () => resolve()));
  s.child.kill('SIGTERM');
  await Promise.race([gone, new Promise((r) => setTimeout(r, 20_000))]);
}

// ---------------------------------------------------------------------------------------------
// HTTP client

interface GqlAnswer {
  data?: Record<string, unknown>;
  errors?: unknown[];
}

/** POSTs one operation; throws on GraphQL errors; returns the Cypher statement count (ours). */
async function post(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  check?: (data: Record<string, unknown>) => boolean,
): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as GqlAnswer;
  if (body.errors || !body.data) throw new Error(`${url}: ${JSON.stringify(body.errors)}`);
  if (check && !check(body.data)) throw new Error(`${url}: unexpected answer`);
  return Number(res.headers.get('x-cypher-statements') ?? NaN);
}

const hasHypotheses = (d: Record<string, unknown>) =>
  ((d.incident as { hypotheses?: unknown[] } | null)?.hypotheses?.length ?? 0) > 0;
const peerHasHypotheses = (d: Record<string, unknown>) =>
  ((d.incidents as { hypotheses: unknown[] }[])[0]?.hypotheses?.length ?? 0) > 0;

// ---------------------------------------------------------------------------------------------
// Phase 1: interleaved latency rounds

interface Workload {
  name: string;
  run: (round: number) => Promise<number | void>;
  /** Runs only every `every`-th round (slow workloads), still interleaved with the others. */
  every?: number;
}
const times = new Map<string, number[]>();
const statements = new Map<string, Set<number>>();
/** Failed requests (timeouts...) per workload; a workload failing twice is dropped from the run. */
const failures = new Map<string, string[]>();

async function latencyRounds(workloads: Workload[]): Promise<void> {
  for (const w of workloads) {
    times.set(w.name, []);
    statements.set(w.name, new Set());
    failures.set(w.name, []);
  }
  const total = WARMUP + RUNS;
  for (let round = 0; round < total; round++) {
    // Rotate the order each round so no workload always runs right after another.
    const order = workloads.map((_, i) => workloads[(i + round) % workloads.length]);
    for (const w of order) {
      if (round % (w.every ?? 1) !== 0 || failures.get(w.name)!.length >= 2) continue;
      const t0 = performance.now();
      let n: number | void;
      try {
        n = await w.run(round);
      } catch (err) {
        const ms = performance.now() - t0;
        const why = err instanceof Error ? err.message : String(err);
        failures
          .get(w.name)!
          .push(`${why.includes('TIMEOUT') ? 'timeout' : 'error'} after ${ms.toFixed(0)} ms`);
        log(`\n${w.name} failed after ${ms.toFixed(0)} ms: ${why.slice(0, 200)}`);
        continue;
      }
      const ms = performance.now() - t0;
      if (round >= WARMUP) {
        times.get(w.name)!.push(ms);
        if (typeof n === 'number' && Number.isFinite(n)) statements.get(w.name)!.add(n);
      }
    }
    if (process.stderr.isTTY) process.stderr.write(`\r[bench] latency round ${round + 1}/${total}`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
}

/** A random synthetic incident of a corpus, the same for ours, floor and peer in one round. */
function incidentOf(size: number, round: number): string {
  return `syn-inc-${Math.floor(prng(SEED * 7919 + round)() * size)}`;
}

// ---------------------------------------------------------------------------------------------
// Phase 2: throughput (autocannon)

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  extra?: Record<string, number>;
}

/** The next request of a load: its kind (for the per-kind counts) and its GraphQL operation. */
type NextRequest = () => { kind: string; query: string; variables: Record<string, unknown> };

/** Runs autocannon for DURATION seconds; counts answers and failures (HTTP or GraphQL) by kind. */
async function cannon(
  url: string,
  connections: number,
  next: NextRequest,
  headers: Record<string, string> = {},
): Promise<LoadResult> {
  const done: Record<string, number> = {};
  const failed: Record<string, number> = {};
  const r = await autocannon({
    url,
    connections,
    duration: DURATION,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (req, ctx) => {
          const { kind, query, variables } = next();
          ctx.kind = kind;
          return {
            ...req,
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify({ query, variables }),
          };
        },
        onResponse: (status, body, ctx) => {
          const kind = String(ctx.kind);
          done[kind] = (done[kind] ?? 0) + 1;
          if (status !== 200 || body.includes('"errors"')) failed[kind] = (failed[kind] ?? 0) + 1;
        },
      },
    ],
  });
  const extra: Record<string, number> = {};
  for (const [k, n] of Object.entries(done)) extra[`${k}/s`] = n / r.duration;
  return {
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx + Object.values(failed).reduce((a, b) => a + b, 0),
    extra,
  };
}

/** A closed loop of `connections` concurrent floor statements for DURATION seconds. */
async function floorLoop(target: Target, connections: number): Promise<LoadResult> {
  const lat: number[] = [];
  const end = performance.now() + DURATION * 1000;
  const today = toDate(new Date().toISOString().slice(0, 10));
  let k = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const id = incidentOf(target.size, 100_000 + (k += 1));
        const s = performance.now();
        await target.conn
          .db()
          .read(HYPOTHESES_BUNDLE, { incident: id, asOf: null, effective: today });
        lat.push(performance.now() - s);
      }
    }),
  );
  return {
    rps: lat.length / ((performance.now() - t0) / 1000),
    p50: median(lat),
    p99: p99(lat),
    errors: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Phase 4: profiles

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

function shortUrl(url: string): string {
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = u.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@')
      ? `${rest[0]}/${rest[1]}/…/${rest.at(-1)}`
      : `${rest[0]}/…/${rest.at(-1)}`;
  }
  if (u.startsWith(ROOT)) return path.relative(ROOT, u);
  return u || '(native)';
}

function area(url: string, fn: string): string {
  const u = url.replace(/^file:\/\//, '');
  if (!u) return fn.startsWith('(') ? fn : '(native/V8)';
  if (u.startsWith('node:')) return 'node: core';
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = u.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (u.startsWith(ROOT)) return path.relative(ROOT, u).split('/').slice(0, 2).join('/');
  return u;
}

/** Self time of a .cpuprofile, by function and by package. */
function summariseProfile(file: string): { functions: string[]; areas: string[]; samples: number } {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
  };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const hits = new Map<number, number>();
  for (const s of prof.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
  const total = prof.samples.length;
  const fn = new Map<string, number>();
  const ar = new Map<string, number>();
  for (const [id, h] of hits) {
    const n = byId.get(id)!;
    const name = `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
    fn.set(name, (fn.get(name) ?? 0) + h);
    const a = area(n.callFrame.url, n.callFrame.functionName);
    ar.set(a, (ar.get(a) ?? 0) + h);
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, h]) => `| ${name.replace(/\|/g, '\\|')} | ${((100 * h) / total).toFixed(1)}% |`);
  return { functions: top(fn, 15), areas: top(ar, 12), samples: total };
}

interface PlanStats {
  dbHits: number;
  rows: number;
}

async function cypherProfile(
  target: Target,
  text: string,
  params: Record<string, unknown>,
): Promise<PlanStats> {
  const session = target.conn.driver.session({ defaultAccessMode: 'READ' });
  try {
    const res = await session.run(`PROFILE ${text}`, params);
    let dbHits = 0;
    type P = { dbHits: number; children: P[] };
    const walk = (p: P) => {
      dbHits += Number(p.dbHits);
      p.children.forEach(walk);
    };
    walk(res.summary.profile as unknown as P);
    return { dbHits, rows: res.records.length };
  } finally {
    await session.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Clean-up of what the write workloads add

async function autoCommit(target: Target, text: string, params: Record<string, unknown> = {}) {
  const session = target.conn.driver.session();
  try {
    return await session.run(text, params);
  } finally {
    await session.close();
  }
}

async function cleanWrites(target: Target): Promise<void> {
  await autoCommit(
    target,
    `MATCH (n:Entity) WHERE n.id STARTS WITH 'syn-w5-' OR n.id STARTS WITH 'syn-w6-'
     CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`,
  );
  await autoCommit(
    target,
    `MATCH (k:ApiKey) WHERE k.name STARTS WITH 'bench W6'
     OPTIONAL MATCH (a:AuditEntry) WHERE a.principal = k.id OR k.id IN a.ids
     WITH k, collect(a) AS entries
     FOREACH (a IN entries | DETACH DELETE a)
     DETACH DELETE k`,
  );
}

// ---------------------------------------------------------------------------------------------
// The chart

function growthSvg(
  rows: { size: number; ours: number; floor: number; peer: number }[],
  machine: string,
): string {
  const W = 720;
  const H = 380;
  const m = { l: 60, r: 200, t: 40, b: 50 };
  const xs = rows.map((r) => Math.log10(r.size));
  const x0 = Math.min(...xs) - 0.2;
  const x1 = Math.max(...xs) + 0.2;
  const top = Math.max(...rows.flatMap((r) => [r.ours, r.floor, r.peer])) * 1.1;
  const step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500].find((x) => top / x <= 6) ?? 1000;
  const ticks = Math.ceil(top / step);
  const ymax = ticks * step;
  const X = (v: number) => m.l + ((Math.log10(v) - x0) / (x1 - x0)) * (W - m.l - m.r);
  const Y = (v: number) => H - m.b - (v / ymax) * (H - m.t - m.b);
  const series: [keyof (typeof rows)[0], string, string][] = [
    ['ours', '#d62728', 'ours (GraphQL/HTTP)'],
    ['peer', '#1f77b4', '@neo4j/graphql 7 (HTTP)'],
    ['floor', '#2ca02c', 'floor (driver, no HTTP)'],
  ];
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.l}" y="20" font-size="14">W1 median latency (ms) against corpus size (synthetic incidents)</text>`,
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`,
  ];
  for (let i = 0; i <= ticks; i++) {
    const v = step * i;
    out.push(
      `<line x1="${m.l - 4}" y1="${Y(v)}" x2="${W - m.r}" y2="${Y(v)}" stroke="#ddd"/>`,
      `<text x="${m.l - 8}" y="${Y(v) + 4}" text-anchor="end">${v}</text>`,
    );
  }
  for (const r of rows)
    out.push(
      `<text x="${X(r.size)}" y="${H - m.b + 18}" text-anchor="middle">${r.size.toLocaleString('en')}</text>`,
    );
  out.push(
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" text-anchor="middle">incidents (log scale); ${machine}</text>`,
  );
  series.forEach(([key, colour, label], i) => {
    const pts = rows.map((r) => `${X(r.size).toFixed(1)},${Y(r[key]).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${pts}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const r of rows)
      out.push(`<circle cx="${X(r.size)}" cy="${Y(r[key])}" r="3.5" fill="${colour}"/>`);
    out.push(
      `<rect x="${W - m.r + 12}" y="${m.t + 20 * i - 9}" width="12" height="12" fill="${colour}"/>`,
      `<text x="${W - m.r + 30}" y="${m.t + 20 * i + 1}">${label}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const t0 = Date.now();
  const load0 = os.loadavg();
  const targets: Target[] = [];
  const servers: Server[] = [];
  const out: string[] = [];
  const print = (line = '') => out.push(line);
  try {
    // Databases: the main corpus (the "100x") and, on the local bench Neo4j, the growth sizes.
    log(`main corpus: ${INCIDENTS} synthetic incidents + the Sony seed`);
    const local = !process.env.NEO4J_URI;
    targets.push(
      await openTarget(
        INCIDENTS,
        local ? 7689 : null,
        local ? path.join(ROOT, '.neo4j', 'bench') : null,
      ),
    );
    if (local) {
      for (const [i, size] of SIZES.entries())
        targets.push(await openTarget(size, 7690 + i, path.join(ROOT, '.neo4j', `bench-${size}`)));
    } else if (SIZES.length) {
      log('NEO4J_URI is set: growth sizes need their own databases, so only the main size runs');
    }
    targets.sort((a, b) => a.size - b.size);
    const main = targets[targets.length - 1];
    await cleanWrites(main);
    const [component] = (
      await autoCommit(main, 'CALL dbms.components() YIELD name, versions, edition RETURN *')
    ).records;

    for (const t of targets) {
      log(`starting our server and the peer on ${t.uri}...`);
      t.ours = await startServer('ours', t.uri);
      t.peer = await startServer('peer', t.uri);
      servers.push(t.ours, t.peer);
    }
    const today = toDate(new Date().toISOString().slice(0, 10));
    const floorW1 = (t: Target, id: string) =>
      t.conn.db().read(HYPOTHESES_BUNDLE, { incident: id, asOf: null, effective: today });

    // Phase 1: latency, interleaved.
    const workloads: Workload[] = [
      {
        name: 'W1 Sony / ours',
        run: () => post(main.ours!.url, FLAGSHIP, { id: SONY }, hasHypotheses),
      },
      { name: 'W1 Sony / floor', run: async () => void (await floorW1(main, SONY)) },
      {
        name: 'W1 Sony / peer',
        run: async () =>
          void (await post(main.peer!.url, PEER_FLAGSHIP, { id: SONY }, peerHasHypotheses)),
      },
    ];
    for (const t of targets) {
      const id = (round: number) => incidentOf(t.size, round);
      workloads.push(
        {
          name: `W1 syn ${t.size} / ours`,
          run: (r) => post(t.ours!.url, FLAGSHIP, { id: id(r) }, hasHypotheses),
        },
        { name: `W1 syn ${t.size} / floor`, run: async (r) => void (await floorW1(t, id(r))) },
        {
          name: `W1 syn ${t.size} / peer`,
          run: async (r) =>
            void (await post(t.peer!.url, PEER_FLAGSHIP, { id: id(r) }, peerHasHypotheses)),
        },
      );
    }
    workloads.push(
      { name: 'W2 search / ours', run: () => post(main.ours!.url, SEARCH, { text: SEARCH_TEXT }) },
      {
        name: 'W2 search / floor',
        run: async () =>
          void (await main.conn.db().read(FULLTEXT_SEARCH, { query: SEARCH_TEXT, limit: int(20) })),
      },
      {
        name: 'W2 search / peer',
        run: async () => void (await post(main.peer!.url, PEER_SEARCH, { text: SEARCH_TEXT })),
      },
    );
    for (const [from, to, every] of LINK_PAIRS) {
      workloads.push(
        {
          name: `W3 ${from}→${to} / ours`,
          every,
          run: () =>
            post(main.ours!.url, LINKS, { from, to }, (d) => (d.suspectLinks as []).length > 0),
        },
        {
          name: `W3 ${from}→${to} / floor`,
          every,
          run: async () => void (await main.conn.db().read(SHORTEST_PATHS[3], { from, to })),
        },
      );
    }
    workloads.push({
      name: 'W4 what-if Sony / ours',
      run: () =>
        post(main.ours!.url, WHAT_IF, { id: SONY, exclude: WHAT_IF_EXCLUDE }, hasHypotheses),
    });
    log(
      `latency: ${WARMUP} warm-up + ${RUNS} rounds of ${workloads.length} workloads, interleaved`,
    );
    const bytes = async (url: string, query: string, variables: Record<string, unknown>) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.arrayBuffer()).byteLength;
    };
    const synOne = incidentOf(main.size, 0);
    const answerBytes = {
      oursSony: await bytes(main.ours!.url, FLAGSHIP, { id: SONY }),
      peerSony: await bytes(main.peer!.url, PEER_FLAGSHIP, { id: SONY }),
      oursSyn: await bytes(main.ours!.url, FLAGSHIP, { id: synOne }),
      peerSyn: await bytes(main.peer!.url, PEER_FLAGSHIP, { id: synOne }),
    };
    await latencyRounds(workloads);
    const P50 = (name: string) => median(times.get(name) ?? []);

    // Phase 2: W1 throughput, ours vs peer (alternating) and the floor, 16 connections.
    log(`W1 throughput: ours / peer / floor alternating, 16 connections, ${DURATION} s each, x2`);
    let flagshipK = 0;
    const flagshipReq: NextRequest = () => ({
      kind: 'W1',
      query: FLAGSHIP,
      variables: { id: incidentOf(main.size, 200_000 + (flagshipK += 1)) },
    });
    let peerK = 0;
    const peerReq: NextRequest = () => ({
      kind: 'W1',
      query: PEER_FLAGSHIP,
      variables: { id: incidentOf(main.size, 200_000 + (peerK += 1)) },
    });
    const tput: Record<'ours' | 'peer' | 'floor', LoadResult[]> = { ours: [], peer: [], floor: [] };
    for (let rep = 0; rep < 2; rep++) {
      tput.ours.push(await cannon(main.ours!.url, 16, flagshipReq));
      tput.peer.push(await cannon(main.peer!.url, 16, peerReq));
      tput.floor.push(await floorLoop(main, 16));
    }
    const mrps = (k: 'ours' | 'peer' | 'floor') => median(tput[k].map((r) => r.rps));

    // Phase 3: W6 mixed read/write over HTTP on ours (80% W1, 10% search, 10% createClaim).
    const { key, apiKey } = await createApiKey(
      { db: main.conn.db(), principal: cliPrincipal() },
      { name: `bench W6 ${new Date().toISOString()}`, role: 'analyst', actor: null },
    );
    void apiKey;
    let w = 0;
    const mixRnd = prng(SEED * 31);
    const mixed: NextRequest = () => {
      const x = mixRnd();
      if (x < 0.8) return flagshipReq();
      if (x < 0.9)
        return { kind: 'search', query: SEARCH, variables: { text: `Group ${(w % 50) + 1}` } };
      w += 1;
      const inc = Math.floor(mixRnd() * main.size);
      return {
        kind: 'write',
        query: CREATE_CLAIM,
        variables: {
          i: {
            id: `syn-w6-${process.pid}-${w}`,
            claimant: `syn-analyst-${w % 30}`,
            stance: w % 3 ? 'SUPPORTS' : 'DISPUTES',
            hypothesis: `syn-inc-${inc}-h0`,
            statedAt: '2024-06-01',
            text: `Bench claim ${w}`,
            textKind: 'PARAPHRASE',
            sources: [`syn-inc-${inc}-s0`],
          },
        },
      };
    };
    const w6: [number, LoadResult][] = [];
    for (const c of [1, 16, 64]) {
      log(`W6 mixed read/write at ${c} connections, ${DURATION} s...`);
      w6.push([c, await cannon(main.ours!.url, c, mixed, { authorization: `Bearer ${key}` })]);
    }
    await cleanWrites(main);

    // Phase 4: W5 bulk import of chunks (then deleted), through the same batched writer.
    const w5: LoadRow[] = [];
    for (let r = 0; r < W5_RUNS; r++) {
      const from = 5_000_000 + r * W5_INCIDENTS;
      const data = JSON.parse(
        JSON.stringify(synthIncidents(synthOptions(main.size), from, from + W5_INCIDENTS)).replace(
          /"syn-inc-/g,
          '"syn-w5-inc-',
        ),
      ) as ReturnType<typeof synthIncidents>;
      const [rep, peak, before] = await withRss(async () => {
        const s = performance.now();
        const report = await writeSeed(main.conn.db(), data);
        return { ...report, seconds: (performance.now() - s) / 1000 };
      });
      w5.push({
        what: `W5 chunk ${r + 1} into the ${main.size}-incident corpus`,
        incidents: W5_INCIDENTS,
        nodes: rep.nodes,
        rels: rep.relationships,
        seconds: rep.seconds,
        peakRssMiB: peak,
        rssBeforeMiB: before,
      });
      await cleanWrites(main);
    }

    // Phase 5: where the time goes: a CPU profile of our server under W1, and Neo4j's PROFILE.
    let profile: ReturnType<typeof summariseProfile> | undefined;
    let profiled: LoadResult | undefined;
    if (PROFILE) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attribution-bench-prof-'));
      const file = path.join(dir, 'ours-w1.cpuprofile');
      log(`profiling our server under W1 (16 connections, ${DURATION} s after a warm-up): ${file}`);
      const s = await startServer('ours', main.uri, { BENCH_CPU_PROFILE: file });
      for (let i = 0; i < 30; i++) {
        const { query, variables } = flagshipReq();
        await post(s.url, query, variables);
      }
      s.child.kill('SIGUSR2');
      await new Promise((r) => setTimeout(r, 500));
      profiled = await cannon(s.url, 16, flagshipReq);
      await stopServer(s);
      if (fs.existsSync(file)) profile = summariseProfile(file);
    }
    const synId = incidentOf(main.size, 0);
    const plans = {
      'W1 floor, Sony': await cypherProfile(main, HYPOTHESES_BUNDLE.text, {
        incident: SONY,
        asOf: null,
        effective: today,
      }),
      [`W1 floor, ${synId}`]: await cypherProfile(main, HYPOTHESES_BUNDLE.text, {
        incident: synId,
        asOf: null,
        effective: today,
      }),
      ...Object.fromEntries(
        await Promise.all(
          LINK_PAIRS.map(
            async ([from, to]) =>
              [
                `W3 ${from}→${to} (4 hops)`,
                await cypherProfile(main, SHORTEST_PATHS[3].text, { from, to }),
              ] as const,
          ),
        ),
      ),
    };
    for (const t of targets.slice(0, -1)) {
      const id = incidentOf(t.size, 0);
      plans[`W1 floor, ${id} (${t.size} corpus)`] = await cypherProfile(t, HYPOTHESES_BUNDLE.text, {
        incident: id,
        asOf: null,
        effective: today,
      });
    }
    plans[`W1 floor, ${synId} (${main.size} corpus)`] = plans[`W1 floor, ${synId}`];
    delete plans[`W1 floor, ${synId}`];

    // ------------------------------------------------------------------------------------------
    // Report
    const load1 = os.loadavg();
    const machine = `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`;
    print(`## Run of ${new Date().toISOString().slice(0, 16)}Z`);
    print();
    print(
      `Machine: ${machine} (${os.cpus()[0]?.model ?? '?'}), load average ${load0.map((x) => x.toFixed(2)).join(' ')} at the start and ${load1.map((x) => x.toFixed(2)).join(' ')} at the end. ` +
        `Node ${process.version}; ${component.get('name')} ${component.get('versions')[0]} ${component.get('edition')}; ` +
        `@neo4j/graphql ${(JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@neo4j/graphql/package.json'), 'utf8')) as { version: string }).version}. ` +
        `Options: --runs ${RUNS} --warmup ${WARMUP} --incidents ${INCIDENTS} --sizes ${SIZES.join(',') || '(none)'} --duration ${DURATION} --w5-incidents ${W5_INCIDENTS} --w5-runs ${W5_RUNS}.`,
    );
    print();
    print('Corpora (each with the Sony seed):');
    print();
    print('| corpus | Neo4j | nodes | relationships |');
    print('| --- | --- | ---: | ---: |');
    for (const t of targets)
      print(
        `| ${t.label} | ${t.uri} | ${t.nodes.toLocaleString('en')} | ${t.rels.toLocaleString('en')} |`,
      );
    print();
    print(
      `### Latency: one request at a time, ${RUNS} rounds after ${WARMUP} warm-up, every workload once per round (order rotated); ms`,
    );
    print();
    print(
      '| workload | ours p50 | ours p99 | floor p50 | floor p99 | peer p50 | peer p99 | ours / floor | ours / peer | statements per request (ours) | samples ours/floor/peer, failures |',
    );
    print('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    const rowOf = (label: string, base: string) => {
      const o = times.get(`${base} / ours`) ?? [];
      const fl = times.get(`${base} / floor`) ?? [];
      const pe = times.get(`${base} / peer`) ?? [];
      const st = [...(statements.get(`${base} / ours`) ?? [])].sort((a, b) => a - b);
      const failed = ['ours', 'floor', 'peer'].flatMap((k) =>
        (failures.get(`${base} / ${k}`) ?? []).map((x) => `${k}: ${x}`),
      );
      const n = [o, fl, pe].map((x) => (x.length ? String(x.length) : '-')).join('/');
      print(
        `| ${label} | ${f(median(o))} | ${f(p99(o))} | ${f(median(fl))} | ${f(p99(fl))} | ${f(median(pe))} | ${f(p99(pe))} | ${ratio(median(o), median(fl))} | ${ratio(median(o), median(pe))} | ${st.join(', ') || 'n/a'} | ${n}${failed.length ? `; ${failed.join('; ')}` : ''} |`,
      );
    };
    rowOf('W1 flagship, Sony', 'W1 Sony');
    for (const t of [...targets].reverse())
      rowOf(`W1 flagship, random incident of ${t.label}`, `W1 syn ${t.size}`);
    rowOf(`W2 search "${SEARCH_TEXT}" (peer: actors only)`, 'W2 search');
    for (const [from, to] of LINK_PAIRS)
      rowOf(`W3 suspectLinks ${from} → ${to}, 4 hops`, `W3 ${from}→${to}`);
    rowOf('W4 what-if, Sony, 2 sources excluded', 'W4 what-if Sony');
    print();
    print(
      `W1 answer sizes: Sony ${answerBytes.oursSony} bytes (ours, with the assessment and its explanation) vs ${answerBytes.peerSony} (peer); ${synOne} ${answerBytes.oursSyn} vs ${answerBytes.peerSyn}.`,
    );
    print();
    print(
      `### Growth: W1 on a random synthetic incident, medians (ms), measured in the same rounds`,
    );
    print();
    print('| corpus | ours | floor | peer | ours / floor | ours vs smallest corpus |');
    print('| --- | ---: | ---: | ---: | ---: | ---: |');
    const small = P50(`W1 syn ${targets[0].size} / ours`);
    const growthRows = targets.map((t) => ({
      size: t.size,
      ours: P50(`W1 syn ${t.size} / ours`),
      floor: P50(`W1 syn ${t.size} / floor`),
      peer: P50(`W1 syn ${t.size} / peer`),
    }));
    for (const r of growthRows)
      print(
        `| ${r.size.toLocaleString('en')} incidents | ${f(r.ours)} | ${f(r.floor)} | ${f(r.peer)} | ${ratio(r.ours, r.floor)} | ${ratio(r.ours, small)} |`,
      );
    print();
    print(
      `### W1 throughput, 16 concurrent connections, random incidents of the ${main.label} corpus (${DURATION} s per run, 2 runs each, alternating)`,
    );
    print();
    print('| server | req/s (median of 2) | runs | p50 ms | p99 ms | errors |');
    print('| --- | ---: | --- | ---: | ---: | ---: |');
    for (const k of ['ours', 'peer', 'floor'] as const) {
      const rs = tput[k];
      print(
        `| ${k === 'ours' ? 'ours (GraphQL over HTTP)' : k === 'peer' ? '@neo4j/graphql 7 (HTTP)' : 'floor (driver, 16 concurrent loops in the bench process)'} | ${f(mrps(k))} | ${rs.map((r) => f(r.rps)).join(', ')} | ${f(median(rs.map((r) => r.p50)))} | ${f(median(rs.map((r) => r.p99)))} | ${rs.reduce((n, r) => n + r.errors, 0)} |`,
      );
    }
    print();
    print(
      `Ours / peer throughput: **${ratio(mrps('ours'), mrps('peer'))}**; ours / floor throughput: ${ratio(mrps('ours'), mrps('floor'))}.`,
    );
    print();
    print(
      `### W6 mixed read/write over HTTP (ours; each request drawn at random: 80% W1 on a random incident, 10% search, 10% createClaim as an analyst; ${DURATION} s per level)`,
    );
    print();
    print('| connections | req/s | writes/s | p50 ms | p99 ms | errors |');
    print('| ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [c, r] of w6)
      print(
        `| ${c} | ${f(r.rps)} | ${f(r.extra?.['write/s'] ?? 0)} | ${f(r.p50)} | ${f(r.p99)} | ${r.errors} |`,
      );
    print();
    print('### W5 bulk import through the batched seed writer (one transaction per chunk)');
    print();
    print(
      '| what | incidents | nodes | relationships | seconds | relationships/s | objects/s | RSS before → peak (MiB) |',
    );
    print('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const l of [...loads, ...w5])
      print(
        `| ${l.what} | ${l.incidents} | ${l.nodes} | ${l.rels} | ${f(l.seconds, 2)} | ${f(l.rels / l.seconds, 0)} | ${f((l.nodes + l.rels) / l.seconds, 0)} | ${f(l.rssBeforeMiB, 0)} → ${f(l.peakRssMiB, 0)} |`,
      );
    print();
    print(
      `Bench process peak RSS over the whole run (resourceUsage().maxRSS): ${f(process.resourceUsage().maxRSS / 1024, 0)} MiB.`,
    );
    print();
    print('### Targets (issue 10)');
    print();
    const w1r = P50('W1 Sony / ours') / P50('W1 Sony / floor');
    const w1rs = P50(`W1 syn ${main.size} / ours`) / P50(`W1 syn ${main.size} / floor`);
    const grow = growthRows.at(-1)!.ours / growthRows[0].ours;
    const w5med = median(w5.map((l) => (l.nodes + l.rels) / l.seconds));
    const stmts = [
      ...new Set(
        [...statements.entries()]
          .filter(([k]) => k.startsWith('W1') && k.endsWith('/ ours'))
          .flatMap(([, v]) => [...v]),
      ),
    ];
    print('| target | measured | holds |');
    print('| --- | --- | --- |');
    print(
      `| W1 p50 over HTTP ≤ 1.5 × floor | Sony ${w1r.toFixed(2)}x; synthetic (${main.label}) ${w1rs.toFixed(2)}x | ${w1r <= 1.5 && w1rs <= 1.5 ? 'yes' : 'no'} |`,
    );
    print(
      `| W1 throughput ≥ peer's | ${ratio(mrps('ours'), mrps('peer'))} | ${mrps('ours') >= mrps('peer') ? 'yes' : 'no'} |`,
    );
    print(
      `| W1 at 100x ≤ 1.5 × W1 at 1x | ${growthRows.at(-1)!.size} vs ${growthRows[0].size} incidents: ${grow.toFixed(2)}x | ${growthRows.length > 1 && growthRows.at(-1)!.size >= 100 * growthRows[0].size ? (grow <= 1.5 ? 'yes' : 'no') : `${grow <= 1.5 ? 'yes' : 'no'} (only ${growthRows.at(-1)!.size / growthRows[0].size}x measured)`} |`,
    );
    print(
      `| constant Cypher statements per request (W1) | ${stmts.sort((a, b) => a - b).join(', ') || 'n/a'} on every W1 request | ${stmts.length === 1 ? 'yes' : 'no'} |`,
    );
    print(
      `| import ≥ 20,000 objects/s | ${f(w5med, 0)} objects/s (W5 median) | ${w5med >= 20_000 ? 'yes' : 'no'} |`,
    );
    print();
    print('### Neo4j PROFILE of the floor statements (total db hits, rows)');
    print();
    print('| statement | db hits | rows |');
    print('| --- | ---: | ---: |');
    for (const [k, v] of Object.entries(plans))
      print(`| ${k} | ${v.dbHits.toLocaleString('en')} | ${v.rows} |`);
    if (profile && profiled) {
      print();
      print(
        `### CPU profile of our server under W1 (16 connections, ${DURATION} s, ${f(profiled.rps)} req/s while profiled, ${profile.samples} samples): self time`,
      );
      print();
      print('| package or folder | self |');
      print('| --- | ---: |');
      profile.areas.forEach((l) => print(l));
      print();
      print('| function | self |');
      print('| --- | ---: |');
      profile.functions.forEach((l) => print(l));
    }
    print();
    print(`Run took ${((Date.now() - t0) / 1000).toFixed(0)} s.`);
    console.log(out.join('\n'));
    if (SVG && growthRows.length > 1) {
      fs.writeFileSync(path.resolve(SVG), growthSvg(growthRows, machine));
      log(`chart written to ${SVG}`);
    }
  } finally {
    for (const s of servers) await stopServer(s);
    for (const t of targets) {
      await t.conn.close({ stopLocal: false });
      if (t.started && t.home && !KEEP) await stopLocalNeo4j(t.home, log);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
