/**
 * The benchmark harness (issue 15): ours (with and without the analysis cache), the hand-written
 * floor (in-process and behind a bare node:http handler) and the peer (`@neo4j/graphql` 7, given
 * ratings and evidence), side by side in ONE run on one database, after asserting that all of
 * them return the same claims per hypothesis. Writes docs/benchmarks.md (between the bench
 * markers) and the chart docs/benchmarks-throughput.svg.
 *
 *   npm run bench [-- --quick] [--rounds 1000] [--duration 8] [--soak 60] [--incidents 10000]
 *                 [--sizes 100] [--keep] [--no-profile] [--no-write] [--stix-objects 25000]
 *                 [--no-stix] [--no-replicas] [--only-replicas]
 *
 * Starts what it needs: the bench Neo4j (.neo4j/bench, port BENCH_NEO4J_PORT, default 7689) with
 * the Sony seed and --incidents synthetic incidents (loaded when absent, bench/synth.ts), and one
 * Neo4j per growth size (.neo4j/bench-<size>, the next ports). Servers run in their own process
 * (bench/serve.ts) in production mode with request logging to files in a temporary folder; the
 * load generators (bench/load.ts) run here. Phases:
 *   1. cold: the first request to each freshly started server;
 *   2. equality: ours, floor and peer give the same claim ids per hypothesis (Sony + 20 incidents);
 *   3. latency rounds: every workload once per round, in a shuffled order, a new random incident
 *      each round (so ours-with-cache sees first reads there, and repeats on Sony);
 *   4. closed loop at 1/16/64 connections (W1 on Zipf-skewed incidents) for every server;
 *   5. the mixed load at 64 connections (80% W1 Zipf, 10% search, 10% writes spread over
 *      incidents; each write read back by the same connection's next request);
 *   6. open loop at constant rates, latency per request kind;
 *   7. soak: the mixed load for --soak seconds, per 5 s window;
 *   8. a CPU profile of our server (cache off) under W1, Neo4j PROFILE of the statements;
 *   9. STIX import (bench/stix-bench.ts): an ATT&CK-shaped bundle of --stix-objects (25,000;
 *      --no-stix to skip) into an empty Neo4j (the port after the growth sizes) and into the
 *      corpus: STIX objects/s, graph writes/s, peak RSS.
 *  10. replicas (bench/replicas.ts): W1 throughput with 1 and 2 API processes behind a
 *      round-robin proxy (bench/proxy.ts) on the one Neo4j, cache off and on, written into
 *      docs/scaling.md (--only-replicas: this phase alone; --no-replicas: skipped).
 * The latency rounds include the technical half (issue 13): W7 `overlap` of a group and an
 * incident, W8 `Incident.candidates`, ours against a floor that counts at request time what ours
 * precomputes (bench/technical.ts); the synthetic corpus carries techniques, tools and malware.
 *
 * `--only W7,W8` keeps the latency rounds of the workloads whose name starts with one of those
 * prefixes, skips phases 4-9 and writes nothing: e.g. 1,000 samples of the technical workloads,
 *   npm run bench -- --only W7,W8 --rounds 1000 --round-seconds 3600 --sizes 0
 */
import { ChildProcess, execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { Driver, int } from 'neo4j-driver';
import { cliPrincipal } from '../src/auth';
import { ROOT, loadConfig } from '../src/config';
import {
  Connection,
  connect,
  cypher,
  localPassword,
  migrate,
  startLocalNeo4j,
  stopLocalNeo4j,
  toDate,
} from '../src/db';
import { CANDIDATES } from '../src/artifacts/queries';
import { createApiKey } from '../src/mutations';
import { loadSeed } from '../src/seed';
import { BundleRow, HYPOTHESES_BUNDLE, trajectoryFrom } from '../src/hypotheses';
import { FULLTEXT_SEARCH, SHORTEST_PATHS } from '../src/search/queries';
import { FLOOR_W1, floorW1 } from './floor';
import { Req, Sample, closedLoop, openLoop, quantile, zipf } from './load';
import { PEER_FLAGSHIP, PEER_SEARCH } from './peer';
import { replicaBench, replicaReport, writeScaling } from './replicas';
import { stixImportBench, stixReport } from './stix-bench';
import {
  CANDIDATES_QUERY,
  FLOOR_CANDIDATES,
  OVERLAP_QUERY,
  floorCandidates,
  floorOverlap,
  oursCandidates,
  oursOverlap,
  sameRanking,
} from './technical';
import { loadSynth, prng } from './synth';

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
function opt(name: string, def: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
}
const QUICK = flag('quick');
/** Phase 10 alone (`--only-replicas`), or skipped (`--no-replicas`). */
const ONLY_REPLICAS = flag('only-replicas');
const REPLICAS = !flag('no-replicas');
const ROUNDS = Number(opt('rounds', QUICK ? '60' : '1000'));
/** Time budget of the latency rounds: rounds stop at ROUNDS or when it is spent (s). */
const ROUND_SECONDS = Number(opt('round-seconds', QUICK ? '60' : '420'));
const WARMUP = Number(opt('warmup', QUICK ? '5' : '20'));
const INCIDENTS = Number(opt('incidents', QUICK ? '1000' : '10000'));
const SIZES = opt('sizes', '100')
  .split(',')
  .filter(Boolean)
  .map(Number)
  .filter((n) => n > 0 && n < INCIDENTS && !ONLY_REPLICAS);
const DURATION = Number(opt('duration', QUICK ? '3' : '8'));
const SOAK = Number(opt('soak', QUICK ? '15' : '60'));
const RATES = opt('rates', QUICK ? '50,100' : '50,100,200,400')
  .split(',')
  .map(Number);
const SEED = Number(opt('seed', '42'));
/** Time budget of the supernode suspectLinks samples (s): they stop at 1,000 samples or then. */
const W3_SECONDS = Number(opt('w3-seconds', QUICK ? '30' : '600'));
const KEEP = flag('keep');
/** Objects of the STIX import bundle (0: no STIX import figures). */
const STIX_OBJECTS = flag('no-stix') ? 0 : Number(opt('stix-objects', QUICK ? '5000' : '25000'));
const PROFILE = !flag('no-profile');
const WRITE = !flag('no-write') && !opt('only', '');
const PORT0 = Number(process.env.BENCH_NEO4J_PORT ?? 7689);
/** Workload name prefixes to keep (`--only W7,W8`): latency rounds only, nothing written. */
const ONLY = opt('only', '').split(',').filter(Boolean);
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const LOGS = fs.mkdtempSync(path.join(os.tmpdir(), 'attribution-bench-'));

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
const SEARCH = `query Search($text: String!) { search(text: $text, first: 20) { nodes { score node { id } } } }`;
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
const TRAJECTORY_FROM = '2014-06-01';
const TRAJECTORY = `query W5($id: ID!, $from: LocalDate) { incident(id: $id) {
  trajectory(from: $from) { date hypotheses { hypothesis { id } rank probability likelihood } } } }`;
const CREATE_CLAIM = `mutation W6($i: CreateClaimInput!) { createClaim(input: $i) { claim { id } userErrors { field path code message } } }`;
const SONY = 'sony-pictures-2014';
const SEARCH_TEXT = 'Guardians of Peace';
const WHAT_IF_EXCLUDE = { sources: ['src-s02-fbi-update', 'src-s20-cbs-traced'] };
const LINK_PAIRS: [string, string][] = [
  ['guardians-of-peace', 'dprk'],
  ['syn-group-7', 'syn-state-3'],
  ['syn-group-1', 'syn-state-0'],
];

const COUNT_SYN = cypher<{ n: number }>(
  'benchCountSyn',
  `MATCH (i:Incident) WHERE i.id STARTS WITH 'syn-inc-' RETURN count(i) AS n`,
);
const COUNT_SYN_TECH = cypher<{ n: number }>(
  'benchCountSynTech',
  `MATCH (i:Incident {id: 'syn-inc-0'})<-[:OBSERVED_IN]-(:Artifact) RETURN count(*) AS n`,
);
const COUNT_ALL = cypher<{ nodes: number; rels: number }>(
  'benchCountAll',
  `CALL { MATCH (n) RETURN count(n) AS nodes } CALL { MATCH ()-[r]->() RETURN count(r) AS rels }
   RETURN nodes, rels`,
);

// ---------------------------------------------------------------------------------------------
// Statistics and formatting

const median = (xs: number[]) => quantile(xs, 0.5);
const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const p99s = (xs: number[]) => (xs.length >= 1000 ? f(quantile(xs, 0.99)) : `n/a (${xs.length})`);
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : 'n/a');
const table = (head: string[], rows: (string | number)[][], right = new Set<number>()) => [
  `| ${head.join(' | ')} |`,
  `| ${head.map((_, i) => (right.has(i) ? '---:' : '---')).join(' | ')} |`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];

function shuffle<T>(xs: T[], rnd: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

// ---------------------------------------------------------------------------------------------
// Databases and servers

interface Target {
  size: number;
  uri: string;
  /** The password of that Neo4j (its random local one unless NEO4J_PASSWORD is set). */
  password: string;
  home?: string;
  /** The process id of the local Neo4j (its CPU seconds in the STIX phase). */
  pid?: number;
  started: boolean;
  conn: Connection;
  nodes: number;
  rels: number;
}

async function openTarget(size: number, port: number, home: string): Promise<Target> {
  const env = {
    ...process.env,
    LOG_LEVEL: 'silent',
    NEO4J_LOCAL_PAGECACHE: process.env.NEO4J_LOCAL_PAGECACHE ?? '2g',
    // 2g: reloading the seed (one transaction) into the loaded corpus needs more than the
    // 716 MiB of transaction memory a 1g heap allows (MemoryPoolOutOfMemoryError).
    NEO4J_LOCAL_HEAP: process.env.NEO4J_LOCAL_HEAP ?? '2g',
    NEO4J_TX_TIMEOUT_MS: '300000',
  };
  const base = loadConfig(env);
  const password = base.NEO4J_PASSWORD ?? localPassword(home);
  const local = await startLocalNeo4j({
    home,
    port,
    password,
    heap: base.NEO4J_LOCAL_HEAP,
    pagecache: base.NEO4J_LOCAL_PAGECACHE,
    log: (l) => log(`neo4j ${path.relative(ROOT, home)}: ${l}`),
  });
  const conn = await connect(
    loadConfig({ ...env, NEO4J_URI: local.uri, NEO4J_PASSWORD: password }),
  );
  await migrate(conn.db());
  await loadSeed(conn.db());
  const n = Number((await conn.db().read(COUNT_SYN))[0].n);
  // A corpus loaded before the technical layer existed is loaded again (MERGE: idempotent).
  const technical = Number((await conn.db().read(COUNT_SYN_TECH))[0].n) > 0;
  if (n < size || !technical) {
    const from = technical ? Math.floor(n / 100) * 100 : 0;
    log(`loading synthetic incidents ${from}..${size} into ${local.uri} (seed ${SEED})...`);
    await loadSynth(conn.db(), { incidents: size, seed: SEED }, from, size, 100);
  }
  const [all] = await conn.db().read(COUNT_ALL);
  return {
    // The corpus as loaded: a database kept from a bigger run holds more than asked (a quick
    // run on the 10,000-incident database is a run on 10,000 incidents, and says so).
    size: Math.max(size, n),
    uri: local.uri,
    password,
    home,
    pid: local.pid,
    started: local.started,
    conn,
    nodes: Number(all.nodes),
    rels: Number(all.rels),
  };
}

interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  startMs: number;
}
/** Every server process this run started (stopped at the end, or on a signal). */
const servers: Server[] = [];

async function startServer(
  name: string,
  kind: 'ours' | 'peer' | 'floor',
  target: Pick<Target, 'uri' | 'password'>,
  env: Record<string, string> = {},
): Promise<Server> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'serve.ts'), kind, target.uri],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        BENCH_LOG_FILE: path.join(LOGS, `${name.replace(/[^a-z0-9]+/gi, '-')}.log`),
        NEO4J_PASSWORD: target.password,
        ...env,
      },
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 120 s`)), 120_000);
    readline.createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before listening`));
    });
  });
  return { name, url, child, startMs: performance.now() - t0 };
}

async function stopServer(s: Server | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null) return;
  const gone = new Promise<void>((resolve) => s.child.once('exit', () => resolve()));
  s.child.kill('SIGTERM');
  await Promise.race([gone, new Promise((r) => setTimeout(r, 20_000))]);
}

/** Deletes what the write workloads created (an auto-commit transaction, batched inside). */
async function cleanWrites(driver: Driver): Promise<void> {
  const session = driver.session();
  try {
    await session.run(
      `MATCH (n:Entity) WHERE n.id STARTS WITH 'syn-w6-' CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`,
    );
  } finally {
    await session.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Requests

const gql = (query: string, variables: Record<string, unknown>) =>
  JSON.stringify({ query, variables });

async function post(url: string, body: string): Promise<{ text: string; statements: number }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await res.text();
  if (res.status !== 200 || text.includes('"errors"'))
    throw new Error(`${url}: ${res.status} ${text.slice(0, 300)}`);
  return { text, statements: Number(res.headers.get('x-cypher-statements') ?? NaN) };
}

/**
 * Waits until the server answers `body` within a second again (at most `limitS` seconds), and
 * returns how long that took: after an open loop above capacity the server still works through
 * what it accepted, and the next phase must not measure that backlog.
 */
async function drain(url: string, body: string, limitS = 180): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < limitS * 1000) {
    const start = performance.now();
    const ok = await post(url, body).then(
      () => true,
      () => false,
    );
    if (ok && performance.now() - start < 1000) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return (performance.now() - t0) / 1000;
}

/** One way of answering W1: how to ask, and how to read the claim ids per hypothesis. */
interface Side {
  name: string;
  req: (id: string) => Req;
  /** In-process sides run without HTTP. */
  direct?: (id: string) => Promise<unknown>;
  claims: (answer: unknown) => Map<string, string[]>;
}

// Answers are walked field by field; a loose type keeps that readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const ours = (name: string, url: string): Side => ({
  name,
  req: (id) => ({ kind: 'W1', url, body: gql(FLAGSHIP, { id }) }),
  claims: (a) =>
    new Map(
      ((a as Json).data.incident.hypotheses as Json[]).map((h) => [
        h.id,
        [...h.supporters, ...h.opponents].flatMap((p: Json) => p.claims.map((c: Json) => c.id)),
      ]),
    ),
});
const floorClaims = (rows: unknown) =>
  new Map(
    (rows as Json[]).map((h) => [
      h.id,
      [...h.supporters, ...h.opponents].flatMap((p: Json) => p.claims.map((c: Json) => c.id)),
    ]),
  );
const peer = (url: string): Side => ({
  name: 'peer',
  req: (id) => ({ kind: 'W1', url, body: gql(PEER_FLAGSHIP, { id }) }),
  claims: (a) =>
    new Map(
      ((a as Json).data.incidents[0]?.hypotheses ?? []).map((h: Json) => [
        h.id,
        [...h.supportingClaims, ...h.disputingClaims].map((c: Json) => c.id),
      ]),
    ),
});

const sameClaims = (a: Map<string, string[]>, b: Map<string, string[]>) =>
  a.size === b.size &&
  [...a].every(
    ([h, ids]) => JSON.stringify([...ids].sort()) === JSON.stringify([...(b.get(h) ?? [])].sort()),
  );

// ---------------------------------------------------------------------------------------------
// Profiles

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
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

function summariseProfile(file: string): {
  functions: string[][];
  areas: string[][];
  samples: number;
} {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
  };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const total = prof.samples.length;
  const fn = new Map<string, number>();
  const ar = new Map<string, number>();
  for (const s of prof.samples) {
    const n = byId.get(s)!;
    const u = n.callFrame.url.replace(/^file:\/\//, '');
    const short = u.includes('node_modules/')
      ? u.slice(u.lastIndexOf('node_modules/') + 13)
      : u.startsWith(ROOT)
        ? path.relative(ROOT, u)
        : u || '(native)';
    const name = `${n.callFrame.functionName || '(anonymous)'} ${short}${u ? `:${n.callFrame.lineNumber + 1}` : ''}`;
    fn.set(name, (fn.get(name) ?? 0) + 1);
    const a = area(n.callFrame.url, n.callFrame.functionName);
    ar.set(a, (ar.get(a) ?? 0) + 1);
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, h]) => [name.replace(/\|/g, '\\|'), `${((100 * h) / total).toFixed(1)}%`]);
  return { functions: top(fn, 15), areas: top(ar, 12), samples: total };
}

async function planOf(driver: Driver, text: string, params: Record<string, unknown>) {
  const session = driver.session({ defaultAccessMode: 'READ' });
  try {
    const t0 = performance.now();
    const res = await session.run(`PROFILE ${text}`, params);
    const ms = performance.now() - t0;
    let dbHits = 0;
    type P = { dbHits: number; children: P[] };
    const walk = (p: P) => {
      dbHits += Number(p.dbHits);
      p.children.forEach(walk);
    };
    walk(res.summary.profile as unknown as P);
    return { dbHits, rows: res.records.length, ms };
  } finally {
    await session.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The chart: throughput against connections

function throughputSvg(
  series: { name: string; colour: string; points: [number, number][] }[],
  note: string,
): string {
  const W = 760;
  const H = 400;
  const m = { l: 60, r: 230, t: 40, b: 56 };
  const xsAll = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort(
    (a, b) => a - b,
  );
  const top = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[1]))) * 1.1;
  const step = [10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000].find((x) => top / x <= 6) ?? 5000;
  const ticks = Math.ceil(top / step);
  const X = (c: number) =>
    m.l + (xsAll.indexOf(c) / Math.max(1, xsAll.length - 1)) * (W - m.l - m.r);
  const Y = (v: number) => H - m.b - (v / (ticks * step)) * (H - m.t - m.b);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.l}" y="22" font-size="14">W1 throughput (req/s) against concurrent connections, Zipf-skewed incidents</text>`,
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`,
  ];
  for (let i = 0; i <= ticks; i++)
    out.push(
      `<line x1="${m.l - 4}" y1="${Y(step * i)}" x2="${W - m.r}" y2="${Y(step * i)}" stroke="#ddd"/>`,
      `<text x="${m.l - 8}" y="${Y(step * i) + 4}" text-anchor="end">${step * i}</text>`,
    );
  for (const c of xsAll)
    out.push(`<text x="${X(c)}" y="${H - m.b + 18}" text-anchor="middle">${c}</text>`);
  out.push(
    `<text x="${(m.l + W - m.r) / 2}" y="${H - m.b + 36}" text-anchor="middle">connections (closed loop)</text>`,
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 6}" text-anchor="middle" font-size="10">${note}</text>`,
  );
  series.forEach((s, i) => {
    out.push(
      `<polyline points="${s.points.map(([c, v]) => `${X(c).toFixed(1)},${Y(v).toFixed(1)}`).join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2"/>`,
      ...s.points.map(([c, v]) => `<circle cx="${X(c)}" cy="${Y(v)}" r="3.5" fill="${s.colour}"/>`),
      `<rect x="${W - m.r + 12}" y="${m.t + 20 * i - 9}" width="12" height="12" fill="${s.colour}"/>`,
      `<text x="${W - m.r + 30}" y="${m.t + 20 * i + 1}">${s.name}</text>`,
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
  // Asked before the run: phase 10 writes docs/scaling.md, which would make every run "dirty".
  const dirty = execSync('git status --porcelain', { cwd: ROOT }).toString().trim()
    ? ' (with uncommitted changes)'
    : '';
  const targets: Target[] = [];
  const out: string[] = [];
  const print = (...lines: string[]) => out.push(...(lines.length ? lines : ['']));
  const rnd = prng(SEED * 104729);
  try {
    const main = await openTarget(INCIDENTS, PORT0, path.join(ROOT, '.neo4j', 'bench'));
    log(`main corpus: ${main.size} synthetic incidents + the Sony seed; logs in ${LOGS}`);
    targets.push(main);
    for (const [i, size] of SIZES.entries())
      targets.push(
        await openTarget(size, PORT0 + 1 + i, path.join(ROOT, '.neo4j', `bench-${size}`)),
      );
    await cleanWrites(main.conn.driver);
    const [component] = (
      await main.conn.driver.executeQuery(
        'CALL dbms.components() YIELD name, versions, edition RETURN *',
      )
    ).records;
    const driver = main.conn.driver;
    const today = new Date().toISOString().slice(0, 10);

    // Phase 10 (run last, or alone with --only-replicas): W1 throughput with 1 and 2 API
    // processes behind a round-robin proxy on this one Neo4j, into docs/scaling.md.
    const replicaPhase = async () => {
      const pick = zipf(main.size, 1.0, prng(SEED * 7331));
      const order = shuffle(
        Array.from({ length: main.size }, (_, i) => i),
        prng(SEED * 17),
      );
      const rows = await replicaBench({
        start: async (name, env) => {
          const s = await startServer(name, 'ours', main, env);
          servers.push(s);
          return s;
        },
        stop: (s) => stopServer(s as Server),
        request: (url) => ({
          kind: 'W1',
          url,
          body: gql(FLAGSHIP, { id: `syn-inc-${order[pick()]}` }),
        }),
        duration: DURATION,
        connections: [16, 64],
        log,
      });
      const markdown = replicaReport(rows, {
        command: `npm run bench -- ${argv.join(' ')}`.trim(),
        commit: execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim(),
        corpus: `${main.size.toLocaleString('en')} synthetic incidents + the Sony seed (${main.nodes.toLocaleString('en')} nodes)`,
        load: os
          .loadavg()
          .map((x) => x.toFixed(2))
          .join(' '),
        duration: DURATION,
      });
      process.stdout.write(`${markdown}\n`);
      if (WRITE) {
        await writeScaling(markdown);
        log('wrote the replica figures into docs/scaling.md');
      }
    };
    if (ONLY_REPLICAS) {
      await replicaPhase();
      return;
    }

    // Phase 1: servers, and the first request to each (cold: a new process).
    log('starting servers (production mode, request logs to files)...');
    const cold: { name: string; startMs: number; firstMs: number; secondMs: number }[] = [];
    const start = async (name: string, kind: 'ours' | 'peer' | 'floor', t: Target, env = {}) => {
      const s = await startServer(name, kind, t, env);
      servers.push(s);
      return s;
    };
    const oursC = await start('ours (cache)', 'ours', main);
    const oursN = await start('ours (no cache)', 'ours', main, { CACHE_MAX_BYTES: '0' });
    const peerS = await start('peer', 'peer', main);
    const floorS = await start('floor (HTTP)', 'floor', main);
    const sides: Side[] = [
      ours('ours (cache)', oursC.url),
      ours('ours (no cache)', oursN.url),
      {
        name: 'floor (HTTP)',
        req: (id) => ({ kind: 'W1', url: floorS.url, body: JSON.stringify({ id }) }),
        claims: (a) => floorClaims((a as { data: unknown }).data),
      },
      {
        name: 'floor (in-process)',
        req: () => {
          throw new Error('in-process');
        },
        direct: (id) => floorW1(driver, id, today),
        claims: floorClaims,
      },
      peer(peerS.url),
    ];
    const sideServer: Record<string, Server> = {
      'ours (cache)': oursC,
      'ours (no cache)': oursN,
      'floor (HTTP)': floorS,
      peer: peerS,
    };
    const answer = async (side: Side, id: string): Promise<unknown> =>
      side.direct
        ? side.direct(id)
        : JSON.parse((await post(side.req(id).url, side.req(id).body)).text);
    for (const side of sides.filter((s) => !s.direct)) {
      const id = `syn-inc-${Math.floor(rnd() * main.size)}`;
      const a = performance.now();
      await answer(side, id);
      const b = performance.now();
      await answer(side, id);
      cold.push({
        name: side.name,
        startMs: sideServer[side.name].startMs,
        firstMs: b - a,
        secondMs: performance.now() - b,
      });
    }

    // Phase 2: the same claims everywhere.
    log('asserting equal claim-id sets per hypothesis (ours, floor, peer)...');
    const checkIds = [
      SONY,
      ...Array.from({ length: 20 }, () => `syn-inc-${Math.floor(rnd() * main.size)}`),
    ];
    let checkedHyps = 0;
    for (const id of checkIds) {
      const ref = sides[1].claims(await answer(sides[1], id));
      for (const side of sides) {
        const got = side.claims(await answer(side, id));
        if (!sameClaims(ref, got))
          throw new Error(
            `${side.name} answers other claims than ours for ${id}: ${JSON.stringify([...got])} vs ${JSON.stringify([...ref])}`,
          );
      }
      checkedHyps += ref.size;
    }
    // The technical half: ours and the request-time floor rank the same candidates with the
    // same scores, and give the same overlap (Sony and 20 random incidents).
    log('asserting equal candidates and overlap (ours, request-time floor)...');
    const groupOf = (r: number) =>
      `syn-group-${Math.floor(prng(SEED * 6007 + r)() * Math.max(20, Math.round(main.size / 20)))}`;
    let checkedCandidates = 0;
    for (const [k, id] of checkIds.entries()) {
      const ours = oursCandidates(
        JSON.parse((await post(oursN.url, gql(CANDIDATES_QUERY, { id }))).text),
      );
      const floor = await floorCandidates(driver, id);
      if (!sameRanking(ours, floor))
        throw new Error(
          `candidates of ${id}: ours ${JSON.stringify(ours)} vs floor ${JSON.stringify(floor)}`,
        );
      checkedCandidates += ours.length;
      const g = groupOf(k);
      const o = oursOverlap(
        JSON.parse((await post(oursN.url, gql(OVERLAP_QUERY, { a: g, b: id }))).text),
      );
      const fo = await floorOverlap(driver, g, id);
      if (Math.abs(o - fo) > 1e-9) throw new Error(`overlap ${g}/${id}: ours ${o} vs floor ${fo}`);
    }
    const bytes = async (side: Side, id: string) =>
      side.direct
        ? JSON.stringify(await side.direct(id)).length
        : (await post(side.req(id).url, side.req(id).body)).text.length;
    const sizes = await Promise.all(
      sides.map(async (s) => [s.name, await bytes(s, SONY)] as const),
    );

    // W5, the consensus over time (Incident.trajectory, Sony June 2014 to today): ours over
    // HTTP, and the floor in-process (the one bundle statement, then the same pure computation).
    // Both must give the same points before any timing.
    const trajectoryFloor = async () => {
      const rows = (await main.conn.db().read(HYPOTHESES_BUNDLE, {
        incident: SONY,
        asOf: null,
        effective: toDate('0001-01-01'),
      })) as unknown as BundleRow[];
      return trajectoryFrom(rows, TRAJECTORY_FROM, today).map((p) => ({
        date: p.date,
        hypotheses: p.assessments.map(
          (a) => `${a.hypothesisId}:${a.rank}:${a.probability}:${a.likelihood}`,
        ),
      }));
    };
    const trajectoryOurs = async (url: string) => {
      const body = JSON.parse(
        (await post(url, gql(TRAJECTORY, { id: SONY, from: TRAJECTORY_FROM }))).text,
      ) as {
        data: {
          incident: {
            trajectory: {
              date: string;
              hypotheses: {
                hypothesis: { id: string };
                rank: number;
                probability: number;
                likelihood: string;
              }[];
            }[];
          };
        };
      };
      return body.data.incident.trajectory.map((p) => ({
        date: p.date,
        hypotheses: p.hypotheses.map(
          (x) => `${x.hypothesis.id}:${x.rank}:${x.probability}:${x.likelihood}`,
        ),
      }));
    };
    const trajectoryRef = JSON.stringify(await trajectoryFloor());
    for (const url of [oursC.url, oursN.url])
      if (JSON.stringify(await trajectoryOurs(url)) !== trajectoryRef)
        throw new Error('W5: ours answers another trajectory than the floor');
    const trajectoryDates = (JSON.parse(trajectoryRef) as unknown[]).length;

    // Phase 3: latency rounds, shuffled.
    interface Workload {
      name: string;
      group: string;
      run: (round: number) => Promise<unknown>;
    }
    const synOf = (size: number, round: number) =>
      `syn-inc-${Math.floor(prng(SEED * 7919 + round)() * size)}`;
    const workloads: Workload[] = [];
    for (const side of sides) {
      const run = (id: string) =>
        side.direct ? side.direct(id) : post(side.req(id).url, side.req(id).body);
      workloads.push(
        {
          name: `W1 Sony / ${side.name}`,
          group: 'W1 Sony (warm: the same incident every round)',
          run: () => run(SONY),
        },
        {
          name: `W1 syn / ${side.name}`,
          group: `W1 on a random incident of ${main.size.toLocaleString('en')} (a new one each round)`,
          run: (r) => run(synOf(main.size, r)),
        },
      );
    }
    workloads.push(
      {
        name: 'W2 search / ours (cache)',
        group: 'W2 search',
        run: () => post(oursC.url, gql(SEARCH, { text: SEARCH_TEXT })),
      },
      {
        name: 'W2 search / floor (in-process)',
        group: 'W2 search',
        run: () =>
          main.conn.db().read(FULLTEXT_SEARCH, {
            query: `"Guardians" AND "of" AND "Peace"`,
            exact: SEARCH_TEXT.toLowerCase(),
            types: null,
            afterId: null,
            afterScore: null,
            first: int(20),
          }),
      },
      {
        name: 'W2 search / peer',
        group: 'W2 search',
        run: () => post(peerS.url, gql(PEER_SEARCH, { text: SEARCH_TEXT })),
      },
      {
        name: 'W4 what-if Sony / ours (cache)',
        group: 'W4 what-if',
        run: () => post(oursC.url, gql(WHAT_IF, { id: SONY, exclude: WHAT_IF_EXCLUDE })),
      },
      {
        name: 'W4 what-if Sony / ours (no cache)',
        group: 'W4 what-if',
        run: () => post(oursN.url, gql(WHAT_IF, { id: SONY, exclude: WHAT_IF_EXCLUDE })),
      },
      {
        name: 'W5 trajectory Sony / ours (cache)',
        group: 'W5 trajectory',
        run: () => post(oursC.url, gql(TRAJECTORY, { id: SONY, from: TRAJECTORY_FROM })),
      },
      {
        name: 'W5 trajectory Sony / ours (no cache)',
        group: 'W5 trajectory',
        run: () => post(oursN.url, gql(TRAJECTORY, { id: SONY, from: TRAJECTORY_FROM })),
      },
      {
        name: 'W5 trajectory Sony / floor (in-process)',
        group: 'W5 trajectory',
        run: () => trajectoryFloor(),
      },
    );
    // The supernode pair is measured on its own below (1,000 samples one request at a time);
    // the Sony pair runs in every round (the ordinary synthetic pair is PROFILEd).
    for (const [from, to] of LINK_PAIRS.slice(0, 1))
      workloads.push(
        {
          name: `W3 ${from}→${to} / ours`,
          group: 'W3 suspectLinks',
          run: () => post(oursC.url, gql(LINKS, { from, to })),
        },
        {
          name: `W3 ${from}→${to} / floor (in-process)`,
          group: 'W3 suspectLinks',
          run: () => main.conn.db().read(SHORTEST_PATHS[3], { from, to }),
        },
      );
    // The technical half, cache off (each request does its database work).
    workloads.push(
      {
        name: 'W7 overlap group×incident / ours (no cache)',
        group: 'W7 overlap',
        run: (r) => post(oursN.url, gql(OVERLAP_QUERY, { a: groupOf(r), b: synOf(main.size, r) })),
      },
      {
        name: 'W7 overlap group×incident / floor (request-time counts, in-process)',
        group: 'W7 overlap',
        run: (r) => floorOverlap(driver, groupOf(r), synOf(main.size, r)),
      },
      {
        name: 'W8 candidates / ours (no cache)',
        group: 'W8 candidates',
        run: (r) => post(oursN.url, gql(CANDIDATES_QUERY, { id: synOf(main.size, r) })),
      },
      {
        name: 'W8 candidates / floor (request-time counts, in-process)',
        group: 'W8 candidates',
        run: (r) => floorCandidates(driver, synOf(main.size, r)),
      },
      {
        name: 'W8 candidates Sony / ours (no cache)',
        group: 'W8 candidates',
        run: () => post(oursN.url, gql(CANDIDATES_QUERY, { id: SONY })),
      },
    );
    // Growth: W1 on the smaller corpora, cache off (the cache would hide the database's work).
    const growthServers: Record<number, Server> = {};
    for (const t of targets.slice(1)) {
      growthServers[t.size] = await start(`ours (no cache) ${t.size}`, 'ours', t, {
        CACHE_MAX_BYTES: '0',
      });
      const url = growthServers[t.size].url;
      workloads.push({
        name: `W1 syn ${t.size} / ours (no cache)`,
        group: 'growth',
        run: (r) => post(url, gql(FLAGSHIP, { id: synOf(t.size, r) })),
      });
    }
    if (ONLY.length)
      workloads.splice(
        0,
        workloads.length,
        ...workloads.filter((w) => ONLY.some((p) => w.name.startsWith(p))),
      );
    const times = new Map<string, number[]>(workloads.map((w) => [w.name, []]));
    const stmts = new Map<string, Set<number>>(workloads.map((w) => [w.name, new Set()]));
    const failed = new Map<string, string[]>(workloads.map((w) => [w.name, []]));
    log(
      `latency: ${WARMUP} warm-up + ${ROUNDS} rounds of ${workloads.length} workloads, shuffled each round`,
    );
    const t3 = performance.now();
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      for (const w of shuffle(workloads, rnd)) {
        if (failed.get(w.name)!.length >= 3) continue;
        const a = performance.now();
        try {
          const r = await w.run(round);
          const ms = performance.now() - a;
          if (round >= WARMUP) {
            times.get(w.name)!.push(ms);
            const n = (r as { statements?: number } | undefined)?.statements;
            if (typeof n === 'number' && Number.isFinite(n)) stmts.get(w.name)!.add(n);
          }
        } catch (err) {
          failed.get(w.name)!.push(String(err).slice(0, 160));
          log(`${w.name} failed: ${String(err).slice(0, 160)}`);
        }
      }
      if (performance.now() - t3 > ROUND_SECONDS * 1000 && round >= WARMUP) {
        log(
          `  latency rounds stopped by the time budget (${ROUND_SECONDS} s) after ${round + 1 - WARMUP} measured rounds`,
        );
        break;
      }
      if ((round + 1) % 50 === 0)
        log(
          `  round ${round + 1}/${WARMUP + ROUNDS} (${((performance.now() - t3) / 1000).toFixed(0)} s)`,
        );
    }
    const T = (name: string) => times.get(name) ?? [];
    const latencySection = () => {
      print(
        `### Latency, one request at a time (up to ${ROUNDS} rounds or ${ROUND_SECONDS} s after ${WARMUP} warm-up, all workloads once per round in a shuffled order; ms)`,
        '',
        'p99 is given only where 1,000 samples or more stand behind it.',
        '',
      );
      const groups = [...new Set(workloads.map((w) => w.group))];
      const latRows: (string | number)[][] = [];
      for (const g of groups)
        for (const wl of workloads.filter((x) => x.group === g)) {
          const xs = T(wl.name);
          latRows.push([
            wl.name,
            f(median(xs)),
            p99s(xs),
            xs.length,
            [...(stmts.get(wl.name) ?? [])].sort().join(', ') || '-',
            failed.get(wl.name)!.length,
          ]);
        }
      print(
        ...table(
          ['workload / side', 'p50', 'p99', 'samples', 'statements (ours)', 'failures'],
          latRows,
          new Set([1, 2, 3]),
        ),
        '',
      );
    };
    if (ONLY.length) {
      print(
        `## Latency of ${ONLY.join(', ')} (\`npm run bench -- ${argv.join(' ')}\`, commit ${execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim()}, ${new Date().toISOString().slice(0, 16)}Z)`,
        '',
        `Corpus: ${main.size.toLocaleString('en')} synthetic incidents + the seed (${main.nodes.toLocaleString('en')} nodes, ${main.rels.toLocaleString('en')} relationships). Load average ${load0.map((x) => x.toFixed(2)).join(' ')} at the start, ${os
          .loadavg()
          .map((x) => x.toFixed(2))
          .join(
            ' ',
          )} at the end. Same answers first: ${checkIds.length} incidents' candidates (${checkedCandidates} ranked actors) and overlaps equal between ours and the floor.`,
        '',
      );
      latencySection();
      process.stdout.write(`${out.join('\n')}\n`);
      return;
    }
    {
      const [from, to] = LINK_PAIRS[2];
      const name = `W3 ${from}→${to} / ours`;
      const xs: number[] = [];
      times.set(name, xs);
      stmts.set(name, new Set());
      failed.set(name, []);
      workloads.push({ name, group: 'W3 suspectLinks', run: async () => undefined });
      const until = performance.now() + W3_SECONDS * 1000;
      log(`W3 into the supernode: 1,000 requests one at a time (at most ${W3_SECONDS} s)...`);
      while (performance.now() < until && xs.length < 1000) {
        const a = performance.now();
        try {
          await post(oursC.url, gql(LINKS, { from, to }));
          xs.push(performance.now() - a);
        } catch (err) {
          failed.get(name)!.push(String(err).slice(0, 160));
          break;
        }
      }
    }

    // Phase 4: closed loop, W1 on Zipf-skewed incidents.
    const zipfRnd = prng(SEED * 31337);
    const perm = shuffle(
      Array.from({ length: main.size }, (_, i) => i),
      prng(SEED * 17),
    );
    const zipfPick = zipf(main.size, 1.0, zipfRnd);
    const hot = () => `syn-inc-${perm[zipfPick()]}`;
    const levels = [1, 16, 64];
    const closed: Record<string, Record<number, Sample[]>> = {};
    const floorInProcessLoop = async (conns: number): Promise<Sample[]> => {
      const samples: Sample[] = [];
      const a = performance.now();
      const end = a + DURATION * 1000;
      await Promise.all(
        Array.from({ length: conns }, async () => {
          while (performance.now() < end) {
            const s = performance.now();
            const rows = await floorW1(driver, hot(), today);
            const e = performance.now();
            samples.push({
              kind: 'W1',
              ms: e - s,
              bytes: JSON.stringify(rows).length,
              ok: true,
              at: e - a,
            });
          }
        }),
      );
      return samples;
    };
    for (const c of levels) {
      log(`closed loop, ${c} connection(s), ${DURATION} s per server...`);
      for (const side of shuffle(sides, rnd)) {
        closed[side.name] ??= {};
        closed[side.name][c] = side.direct
          ? await floorInProcessLoop(c)
          : await closedLoop(c, DURATION, () => side.req(hot()));
      }
    }
    const rps = (xs: Sample[]) => xs.filter((s) => s.ok).length / DURATION;

    // Phase 5 and 7: mixed load (and soak) on ours, writes spread over incidents, each read back.
    const { key } = await createApiKey(
      { db: main.conn.db(), principal: cliPrincipal() },
      { name: `bench W6 ${new Date().toISOString()}`, role: 'analyst', actor: null },
    );
    let w = 0;
    const mixRnd = prng(SEED * 4099);
    const mixedNext =
      (url: string) =>
      (_conn: number, last?: { req: Req; text: string }): Req => {
        // A write is read back by the same connection's very next request.
        if (last?.req.kind === 'write') {
          const claim = /"id":"([^"]+)"/.exec(last.text)?.[1];
          const inc = (
            JSON.parse(last.req.body) as { variables: { i: { hypothesis: string } } }
          ).variables.i.hypothesis.replace(/-h\d+$/, '');
          return {
            kind: 'read-after-write',
            url,
            body: gql(FLAGSHIP, { id: inc }),
            check: (t) => !!claim && t.includes(`"${claim}"`),
          };
        }
        const x = mixRnd();
        if (x < 0.8) return { kind: 'W1', url, body: gql(FLAGSHIP, { id: hot() }) };
        if (x < 0.9)
          return { kind: 'search', url, body: gql(SEARCH, { text: `Group ${(w % 50) + 1}` }) };
        w += 1;
        const inc = `syn-inc-${Math.floor(mixRnd() * main.size)}`;
        return {
          kind: 'write',
          url,
          headers: { authorization: `Bearer ${key}` },
          body: gql(CREATE_CLAIM, {
            i: {
              id: `syn-w6-${process.pid}-${w}`,
              claimant: 'syn-analyst-1',
              stance: 'SUPPORTS',
              hypothesis: `${inc}-h0`,
              statedAt: '2020-01-01',
              sources: [`${inc}-s0`],
              text: `Bench claim ${w}.`,
              textKind: 'PARAPHRASE',
            },
          }),
        };
      };
    const mixed: Record<string, Sample[]> = {};
    for (const s of [oursC, oursN]) {
      log(`mixed load on ${s.name}, 64 connections, ${DURATION * 2} s...`);
      mixed[s.name] = await closedLoop(64, DURATION * 2, mixedNext(s.url));
    }

    // Phase 6: open loop at constant rates on ours (cache), the mixed load.
    const open: Record<number, Sample[]> = {};
    for (const r of RATES) {
      log(`open loop on ours (cache), mixed load at ${r} req/s for ${DURATION} s...`);
      const next = mixedNext(oursC.url);
      open[r] = await openLoop(r, DURATION, () => next(0));
      const drained = await drain(oursC.url, gql(FLAGSHIP, { id: 'syn-inc-0' }));
      if (drained > 2) log(`  ours (cache) answered within 1 s again ${f(drained)} s later`);
    }

    // Phase 7: soak.
    log(`soak: mixed load at 64 connections for ${SOAK} s on ours (cache)...`);
    const soak = await closedLoop(64, SOAK, mixedNext(oursC.url));

    // Phase 8: profiles.
    let profile: ReturnType<typeof summariseProfile> | undefined;
    let profiledRps = NaN;
    if (PROFILE) {
      const file = path.join(LOGS, 'ours-w1.cpuprofile');
      log('profiling ours (no cache) under W1, 16 connections...');
      const s = await startServer('ours (profiled)', 'ours', main, {
        BENCH_CPU_PROFILE: file,
        CACHE_MAX_BYTES: '0',
      });
      await closedLoop(4, 2, () => sides[1].req(hot()));
      s.child.kill('SIGUSR2');
      await new Promise((r) => setTimeout(r, 500));
      profiledRps = rps(
        await closedLoop(16, DURATION, () => ({ ...sides[1].req(hot()), url: `${s.url}` })),
      );
      await stopServer(s);
      if (fs.existsSync(file)) profile = summariseProfile(file);
    }
    const synId = synOf(main.size, 0);
    const plans: [string, Awaited<ReturnType<typeof planOf>>][] = [
      ['W1 floor statement, Sony', await planOf(driver, FLOOR_W1, { id: SONY, today })],
      [`W1 floor statement, ${synId}`, await planOf(driver, FLOOR_W1, { id: synId, today })],
      [
        `W8 candidates statement, ${synId}`,
        await planOf(driver, CANDIDATES.text, {
          incident: synId,
          asOf: null,
          effective: toDate(today),
        }),
      ],
      [
        `W8 floor statement (request-time counts), ${synId}`,
        await planOf(driver, FLOOR_CANDIDATES, {
          incident: synId,
          asOf: null,
          effective: toDate(today),
        }),
      ],
      ...(await Promise.all(
        LINK_PAIRS.map(
          async ([from, to]) =>
            [
              `W3 ${from}→${to} (4 hops)`,
              await planOf(driver, SHORTEST_PATHS[3].text, { from, to }),
            ] as [string, Awaited<ReturnType<typeof planOf>>],
        ),
      )),
    ];
    await cleanWrites(main.conn.driver);

    // Phase 9: STIX import, into an empty database and into the corpus (bench/stix-bench.ts).
    const stix = STIX_OBJECTS
      ? await stixImportBench({
          objects: STIX_OBJECTS,
          emptyPort: PORT0 + 1 + SIZES.length,
          loaded: {
            uri: main.uri,
            password: main.password,
            label: `the ${main.size.toLocaleString('en')}-incident corpus`,
            pid: main.pid,
          },
          log,
        })
      : [];

    if (REPLICAS) await replicaPhase();

    // ------------------------------------------------------------------------------------------
    // Report
    const load1 = os.loadavg();
    const commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
    const peerVersion = (
      JSON.parse(
        fs.readFileSync(path.join(ROOT, 'node_modules/@neo4j/graphql/package.json'), 'utf8'),
      ) as { version: string }
    ).version;
    const machine = `${os.cpus().length} vCPU (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`;
    const lc = loadConfig({
      ...process.env,
      NEO4J_LOCAL_PAGECACHE: process.env.NEO4J_LOCAL_PAGECACHE ?? '2g',
    });
    print(
      `## The run of ${new Date().toISOString().slice(0, 16)}Z (\`npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}\`, commit ${commit}${dirty})`,
      '',
      `Machine: ${machine}, shared: load average (1, 5, 15 min) ${load0.map((x) => x.toFixed(2)).join(' ')} at the start and ${load1.map((x) => x.toFixed(2)).join(' ')} at the end; Neo4j, the servers and the load generator share these cores with whatever else runs. ` +
        `Node ${process.version}; ${component.get('name')} ${component.get('versions')[0]} ${component.get('edition')} (the project's embedded launcher, heap ${lc.NEO4J_LOCAL_HEAP}, page cache ${lc.NEO4J_LOCAL_PAGECACHE}); @neo4j/graphql ${peerVersion}. ` +
        `Servers in production mode (NODE_ENV=production), each logging one JSON line per request to a file; ours with the analysis cache (CACHE_MAX_BYTES default, 64 MiB) and without (0). Run took ${((Date.now() - t0) / 1000).toFixed(0)} s.`,
      '',
      ...table(
        ['corpus', 'Neo4j', 'nodes', 'relationships'],
        targets.map((t) => [
          `${t.size.toLocaleString('en')} synthetic incidents + Sony`,
          t.uri,
          t.nodes.toLocaleString('en'),
          t.rels.toLocaleString('en'),
        ]),
        new Set([2, 3]),
      ),
      '',
      `**Same answer first.** Before timing, ours (both), the floor (both) and the peer answered W1 for Sony and 20 random incidents (${checkedHyps} hypotheses) with the same claim ids per hypothesis. W1 answer sizes on Sony: ${sizes.map(([n, b]) => `${n} ${b.toLocaleString('en')} B`).join(', ')} (ours carries the assessment and its explanation; floor and peer carry the ratings and evidence it is computed from).`,
      '',
      `**W5, the consensus over time.** \`Incident.trajectory(from: "${TRAJECTORY_FROM}")\` for Sony up to ${today}: ${trajectoryDates} dates from one load of the record; ours (both) gave the same date, rank, probability and likelihood for every hypothesis at every date as the floor (the bundle statement and the same pure computation, in-process) before timing.`,
      '',
    );

    latencySection();

    print(
      '### Cold and warm',
      '',
      ...table(
        [
          'server',
          'process start to listening (ms)',
          'first W1 after start (ms)',
          'second W1, same incident (ms)',
        ],
        cold.map((c) => [c.name, f(c.startMs, 0), f(c.firstMs), f(c.secondMs)]),
        new Set([1, 2, 3]),
      ),
      '',
      `First read of an incident not read before: the "random incident" rows above (a new incident each round; for ours with the cache, a miss). Warm: the Sony rows (the same incident every round; for ours with the cache, a hit after the first round).`,
      '',
    );

    print(
      `### W1 throughput, closed loop (${DURATION} s per server and level, Zipf-skewed incidents of ${main.size.toLocaleString('en')}, servers in a shuffled order)`,
      '',
    );
    const closedRows: (string | number)[][] = [];
    for (const side of sides)
      for (const c of levels) {
        const xs = closed[side.name][c].filter((s) => s.ok).map((s) => s.ms);
        closedRows.push([
          side.name,
          c,
          f(rps(closed[side.name][c])),
          f(median(xs)),
          p99s(xs),
          closed[side.name][c].filter((s) => !s.ok).length,
        ]);
      }
    print(
      ...table(
        ['server', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'errors'],
        closedRows,
        new Set([1, 2, 3, 4, 5]),
      ),
      '',
    );
    const colours = ['#d62728', '#ff9896', '#2ca02c', '#98df8a', '#1f77b4'];
    const svg = throughputSvg(
      sides.map((s, i) => ({
        name: s.name,
        colour: colours[i],
        points: levels.map((c) => [c, rps(closed[s.name][c])] as [number, number]),
      })),
      `${machine}; commit ${commit}; ${new Date().toISOString().slice(0, 10)}`,
    );
    print('![W1 throughput against connections](benchmarks-throughput.svg)', '');

    const kinds = (xs: Sample[], secs: number) =>
      [...new Set(xs.map((s) => s.kind))].sort().map((k) => {
        const ys = xs.filter((s) => s.kind === k);
        const ok = ys.filter((s) => s.ok).map((s) => s.ms);
        return [k, f(ys.length / secs), f(median(ok)), p99s(ok), ys.length - ok.length];
      });
    print(
      `### Mixed load at 64 connections (${DURATION * 2} s; 80% W1 on Zipf-skewed incidents, 10% search, 10% createClaim spread uniformly over incidents, each write read back by the same connection's next request)`,
      '',
    );
    const mixedRows: (string | number)[][] = [];
    for (const [name, xs] of Object.entries(mixed)) {
      const ok = xs.filter((s) => s.ok).map((s) => s.ms);
      const notVisible = xs.filter(
        (s) => s.kind === 'read-after-write' && s.why === 'check failed',
      ).length;
      mixedRows.push([
        name,
        'all',
        f(xs.length / (DURATION * 2)),
        f(median(ok)),
        p99s(ok),
        xs.length - ok.length,
        notVisible,
      ]);
      for (const k of kinds(xs, DURATION * 2))
        mixedRows.push([name, k[0], k[1], k[2], k[3], k[4], '']);
    }
    print(
      ...table(
        [
          'server',
          'kind',
          'req/s',
          'p50 ms',
          'p99 ms',
          'errors',
          'writes not visible to the next read',
        ],
        mixedRows,
        new Set([2, 3, 4, 5, 6]),
      ),
      '',
    );

    print(
      `### Open loop: the mixed load started at a constant rate on ours (cache), ${DURATION} s per rate (latency from when each request was due)`,
      '',
    );
    const openRows: (string | number)[][] = [];
    for (const r of RATES) {
      const xs = open[r];
      const ok = xs.filter((s) => s.ok).map((s) => s.ms);
      openRows.push([
        r,
        'all',
        f(ok.length / DURATION),
        f(median(ok)),
        p99s(ok),
        xs.length - ok.length,
      ]);
      for (const k of kinds(xs, DURATION)) openRows.push([r, ...k]);
    }
    print(
      ...table(
        ['offered req/s', 'kind', 'answered req/s', 'p50 ms', 'p99 ms', 'errors'],
        openRows,
        new Set([0, 2, 3, 4, 5]),
      ),
      '',
    );

    print(
      `### Soak: the mixed load at 64 connections for ${SOAK} s on ours (cache), per 5 s window`,
      '',
    );
    const soakRows: (string | number)[][] = [];
    for (let a = 0; a < SOAK * 1000; a += 5000) {
      const xs = soak.filter((s) => s.at >= a && s.at < a + 5000);
      const ok = xs.filter((s) => s.ok).map((s) => s.ms);
      const w1 = xs.filter((s) => s.kind === 'W1' && s.ok);
      soakRows.push([
        `${a / 1000}-${a / 1000 + 5}`,
        f(xs.length / 5),
        f(xs.filter((s) => s.kind === 'write').length / 5),
        f(median(ok)),
        f(quantile(ok, 0.99)),
        f(w1.reduce((n, s) => n + s.bytes, 0) / Math.max(1, w1.length), 0),
        xs.length - ok.length,
      ]);
    }
    const soakOk = soak.filter((s) => s.ok).map((s) => s.ms);
    print(
      ...table(
        [
          'seconds',
          'req/s',
          'writes/s',
          'p50 ms',
          'p99 ms (window)',
          'mean W1 answer bytes',
          'errors',
        ],
        soakRows,
        new Set([1, 2, 3, 4, 5, 6]),
      ),
      '',
      `Whole soak: ${soak.length} requests, ${f(soak.length / SOAK)} req/s, p50 ${f(median(soakOk))} ms, p99 ${p99s(soakOk)} ms, ${soak.length - soakOk.length} errors, ${soak.filter((s) => s.why === 'check failed').length} writes not visible to the next read.`,
      '',
    );

    // Targets.
    const p50 = (name: string) => median(T(name));
    const r16 = (name: string) => rps(closed[name][16]);
    const bestPeer = r16('peer');
    const m64 = mixed['ours (cache)'];
    const m64ok = m64.filter((s) => s.ok).map((s) => s.ms);
    const m64rps = m64.length / (DURATION * 2);
    const w3 = T(`W3 ${LINK_PAIRS[2][0]}→${LINK_PAIRS[2][1]} / ours`);
    const growth = targets
      .slice(1)
      .map((t) => [t.size, median(T(`W1 syn ${t.size} / ours (no cache)`))] as const);
    const g1x = growth[0]?.[1] ?? NaN;
    const g100 = p50('W1 syn / ours (no cache)');
    const holds = (ok: boolean) => (ok ? 'yes' : '**no**');
    const targetRows = [
      [
        'W1 throughput ≥ 1.5x the peer, cache on (16 connections)',
        `${ratio(r16('ours (cache)'), bestPeer)} (${f(r16('ours (cache)'))} vs ${f(bestPeer)} req/s)`,
        holds(r16('ours (cache)') >= 1.5 * bestPeer),
      ],
      [
        'W1 throughput ≥ 1.0x the peer, cache off (16 connections)',
        `${ratio(r16('ours (no cache)'), bestPeer)} (${f(r16('ours (no cache)'))} vs ${f(bestPeer)} req/s)`,
        holds(r16('ours (no cache)') >= bestPeer),
      ],
      [
        'W1 p50 over HTTP ≤ 1.2x the floor over HTTP, cache off',
        `random incidents ${ratio(p50('W1 syn / ours (no cache)'), p50('W1 syn / floor (HTTP)'))} (${f(p50('W1 syn / ours (no cache)'))} vs ${f(p50('W1 syn / floor (HTTP)'))} ms); Sony ${ratio(p50('W1 Sony / ours (no cache)'), p50('W1 Sony / floor (HTTP)'))}`,
        holds(p50('W1 syn / ours (no cache)') <= 1.2 * p50('W1 syn / floor (HTTP)')),
      ],
      [
        'mixed load at 64 connections: ≥ 300 req/s, p99 ≤ 300 ms, no error, writes visible',
        `${f(m64rps)} req/s, p99 ${p99s(m64ok)} ms, ${m64.length - m64ok.length} errors, ${m64.filter((s) => s.why === 'check failed').length} writes not visible`,
        holds(m64rps >= 300 && quantile(m64ok, 0.99) <= 300 && m64.length === m64ok.length),
      ],
      [
        'suspectLinks into the supernode: p99 ≤ 300 ms',
        `p99 ${p99s(w3)} ms, p50 ${f(median(w3))} ms (${w3.length} samples)`,
        holds(w3.length >= 1000 && quantile(w3, 0.99) <= 300),
      ],
      [
        'W1 at 100x corpus ≤ 1.2x W1 at 1x (cache off, p50)',
        `${ratio(g100, g1x)} (${f(g100)} ms at ${main.size.toLocaleString('en')} vs ${f(g1x)} ms at ${growth[0]?.[0] ?? '?'})`,
        holds(g100 <= 1.2 * g1x),
      ],
    ];
    print(
      '### Targets (issue 15)',
      '',
      ...table(['target', 'measured (this run)', 'holds'], targetRows),
      '',
    );

    if (profile) {
      print(
        `### CPU profile of ours (no cache) under W1 (16 connections, ${DURATION} s, ${f(profiledRps)} req/s while profiled, ${profile.samples} samples): self time`,
        '',
        ...table(['package or folder', 'self'], profile.areas, new Set([1])),
        '',
        ...table(['function', 'self'], profile.functions, new Set([1])),
        '',
      );
    }
    if (stix.length) print(...stixReport(stix, STIX_OBJECTS));
    print(
      '### Neo4j PROFILE of the statements',
      '',
      ...table(
        ['statement', 'db hits', 'rows', 'ms (with PROFILE)'],
        plans.map(([n, p]) => [n, p.dbHits.toLocaleString('en'), p.rows, f(p.ms)]),
        new Set([1, 2, 3]),
      ),
      '',
    );

    const report = out.join('\n');
    process.stdout.write(`${report}\n`);
    if (WRITE) {
      const doc = path.join(ROOT, 'docs', 'benchmarks.md');
      const text = fs.readFileSync(doc, 'utf8');
      const begin = '<!-- bench:begin (written by npm run bench) -->';
      const end = '<!-- bench:end -->';
      const a = text.indexOf(begin);
      const b = text.indexOf(end);
      const next =
        a >= 0 && b > a
          ? `${text.slice(0, a + begin.length)}\n\n${report}\n${text.slice(b)}`
          : `${text}\n${begin}\n\n${report}\n${end}\n`;
      fs.writeFileSync(doc, next);
      fs.writeFileSync(path.join(ROOT, 'docs', 'benchmarks-throughput.svg'), svg);
      log('wrote docs/benchmarks.md and docs/benchmarks-throughput.svg');
    }
  } finally {
    await Promise.all(servers.map(stopServer));
    for (const t of targets) {
      await t.conn.close({ stopLocal: false });
      if (t.started && !KEEP && t.home) await stopLocalNeo4j(t.home, log);
    }
  }
}

// Ctrl-C or SIGTERM still stops the server processes this run started.
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.once(sig, () => {
    log(`${sig}: stopping the servers this run started`);
    for (const s of servers) s.child.kill('SIGTERM');
    process.exit(130);
  });

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
