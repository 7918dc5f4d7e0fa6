/**
 * W1 (the flagship query) and W2 (search): GraphQL over HTTP against "the floor", the same data
 * fetched by one hand-written Cypher statement through neo4j-driver (no GraphQL, no HTTP).
 * Measured side by side in one run, interleaved, medians reported.
 *
 *   npm run bench:w1 [-- --runs 200 --warmup 30]
 *
 * Uses NEO4J_URI when set, otherwise the local dev Neo4j (started if needed, seed loaded).
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config';
import { int } from 'neo4j-driver';
import { connect, migrate, toDate } from '../src/db';
import { HYPOTHESES_BUNDLE } from '../src/hypotheses';
import { loadSeed } from '../src/seed';
import { FULLTEXT_SEARCH } from '../src/search/queries';
import { startApp } from '../src/server';

const FLAGSHIP = `query Flagship($id: ID!) {
  incident(id: $id) {
    hypotheses {
      id statement
      suspects { id name }
      supporters { actor { id name } claims { id text statedAt sources { id title publisher url publishedAt reliability } } }
      opponents { actor { id name } claims { id text statedAt sources { id title publisher url publishedAt reliability } } }
      assessment { rank likelihood confidence score explanation { kind points reason } }
    }
  }
}`;
const SEARCH = `query Search($text: String!) { search(text: $text, first: 20) { score node { id } } }`;

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function p99(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))];
}

async function main(): Promise<void> {
  const runs = arg('runs', 200);
  const warmup = arg('warmup', 30);
  const config = loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'silent' });
  const conn = await connect(config);
  await migrate(conn.db());
  await loadSeed(conn.db());
  const app = await startApp(conn, config);
  const post = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  };
  const today = new Date().toISOString().slice(0, 10);
  const workloads: Record<string, () => Promise<unknown>> = {
    'W1 GraphQL over HTTP': () => post(FLAGSHIP, { id: 'sony-pictures-2014' }),
    'W1 floor (one Cypher statement, driver only)': () =>
      conn.db().read(HYPOTHESES_BUNDLE, {
        incident: 'sony-pictures-2014',
        asOf: null,
        effective: toDate(today),
      }),
    'W2 GraphQL over HTTP': () => post(SEARCH, { text: 'Guardians of Peace' }),
    'W2 floor (full-text call, driver only)': () =>
      conn.db().read(FULLTEXT_SEARCH, { query: 'Guardians of Peace', limit: int(20) }),
  };
  const times: Record<string, number[]> = Object.fromEntries(
    Object.keys(workloads).map((k) => [k, []]),
  );
  for (let i = 0; i < warmup + runs; i++) {
    for (const [name, fn] of Object.entries(workloads)) {
      const t0 = performance.now();
      await fn();
      if (i >= warmup) times[name].push(performance.now() - t0);
    }
    if (process.stderr.isTTY) process.stderr.write(`\r${i + 1}/${warmup + runs}`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  console.log(`runs: ${runs} (after ${warmup} warm-up), interleaved; times in ms`);
  console.log('| workload | median | p99 |');
  console.log('| --- | --- | --- |');
  for (const [name, xs] of Object.entries(times))
    console.log(`| ${name} | ${median(xs).toFixed(2)} | ${p99(xs).toFixed(2)} |`);
  const r1 =
    median(times['W1 GraphQL over HTTP']) /
    median(times['W1 floor (one Cypher statement, driver only)']);
  const r2 =
    median(times['W2 GraphQL over HTTP']) / median(times['W2 floor (full-text call, driver only)']);
  console.log(`\nW1 GraphQL-over-HTTP / floor (medians): ${r1.toFixed(2)}x`);
  console.log(`W2 GraphQL-over-HTTP / floor (medians): ${r2.toFixed(2)}x`);
  await app.stop();
  await conn.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
