/**
 * Incident.trajectory (issue 17): the Sony consensus from June 2014 to today, measured three
 * ways in ONE run, interleaved in shuffled order each round:
 *   - api:       `incident { trajectory(from: "2014-06-01") }` over HTTP (one bundle statement);
 *   - floor:     the bundle statement through neo4j-driver + the same pure computation
 *                (trajectoryFrom), no GraphQL, no HTTP;
 *   - per-date:  the naive way, one `ranking(asOf: d)` request per date of the trajectory.
 * All three give the same rankings (asserted before timing).
 *
 *   npm run bench:trajectory [-- --runs 1000 --warmup 20]
 *
 * Uses NEO4J_URI when set, otherwise the local dev Neo4j (started if needed, seed loaded). The
 * per-date variant is slow by design; it runs every 20th round only (--per-date-every).
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config';
import { connect, migrate, toDate } from '../src/db';
import { BundleRow, HYPOTHESES_BUNDLE, trajectoryFrom } from '../src/hypotheses';
import { loadSeed } from '../src/seed';
import { startApp } from '../src/server';

const argv = process.argv.slice(2);
function opt(name: string, def: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
}
const RUNS = Number(opt('runs', '1000'));
const WARMUP = Number(opt('warmup', '20'));
const PER_DATE_EVERY = Number(opt('per-date-every', '20'));
const FROM = '2014-06-01';
const SONY = 'sony-pictures-2014';

const TRAJECTORY = `query($id: ID!, $from: LocalDate) { incident(id: $id) {
  trajectory(from: $from) { date hypotheses { hypothesis { id } rank probability } } } }`;
const HYPS = `query($id: ID!, $asOf: LocalDate) { incident(id: $id) {
  ranking(asOf: $asOf) { hypotheses { hypothesis { id } rank probability } } } }`;

type Ranking = { date: string; ranks: string };

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

function shuffle<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

const fmt = (id: string, rank: number, p: number) => `${id}:${rank}:${p.toFixed(6)}`;

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, PORT: '0', NODE_ENV: 'test' });
  const conn = await connect(config);
  await migrate(conn.db());
  await loadSeed(conn.db());
  const app = await startApp(conn, config);
  const today = new Date().toISOString().slice(0, 10);

  const post = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const res = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!;
  };

  const api = async (): Promise<Ranking[]> => {
    const d = await post<{
      incident: {
        trajectory: {
          date: string;
          hypotheses: { hypothesis: { id: string }; rank: number; probability: number }[];
        }[];
      };
    }>(TRAJECTORY, { id: SONY, from: FROM });
    return d.incident.trajectory.map((p) => ({
      date: p.date,
      ranks: p.hypotheses.map((h) => fmt(h.hypothesis.id, h.rank, h.probability)).join(' '),
    }));
  };
  const floor = async (): Promise<Ranking[]> => {
    const rows = (await conn.db().read(HYPOTHESES_BUNDLE, {
      incident: SONY,
      asOf: null,
      effective: toDate('0001-01-01'),
    })) as unknown as BundleRow[];
    return trajectoryFrom(rows, FROM, today).map((p) => ({
      date: p.date,
      ranks: p.assessments.map((a) => fmt(a.hypothesisId, a.rank, a.probability)).join(' '),
    }));
  };
  let dates: string[] = [];
  const perDate = async (): Promise<Ranking[]> =>
    Promise.all(
      dates.map(async (date) => {
        const d = await post<{
          incident: {
            ranking: {
              hypotheses: { hypothesis: { id: string }; rank: number; probability: number }[];
            };
          };
        }>(HYPS, { id: SONY, asOf: date });
        return {
          date,
          ranks: d.incident.ranking.hypotheses
            .map((h) => fmt(h.hypothesis.id, h.rank, h.probability))
            .join(' '),
        };
      }),
    );

  // Same answer from all three before any timing.
  const reference = await api();
  dates = reference.map((p) => p.date);
  for (const [name, fn] of [
    ['floor', floor],
    ['per-date', perDate],
  ] as const) {
    const got = JSON.stringify(await fn());
    if (got !== JSON.stringify(reference)) throw new Error(`${name} disagrees with the API`);
  }

  const variants: Record<string, () => Promise<unknown>> = { api, floor, 'per-date': perDate };
  const times: Record<string, number[]> = { api: [], floor: [], 'per-date': [] };
  const total = WARMUP + RUNS;
  for (let i = 0; i < total; i++) {
    for (const name of shuffle(Object.keys(variants))) {
      if (name === 'per-date' && i % PER_DATE_EVERY !== 0) continue;
      const t0 = performance.now();
      await variants[name]();
      if (i >= WARMUP) times[name].push(performance.now() - t0);
    }
    if (i % 100 === 0) process.stderr.write(`[bench:trajectory] round ${i}/${total}\n`);
  }
  await app.stop();
  await conn.close({ stopLocal: false });

  console.log(
    `Sony trajectory ${FROM} → ${today}: ${dates.length} dates; ${RUNS} rounds after ${WARMUP} warm-up (per-date every ${PER_DATE_EVERY}th round)`,
  );
  console.log('| variant | samples | p50 ms | p90 ms | p99 ms |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, xs] of Object.entries(times)) {
    if (!xs.length) continue;
    console.log(
      `| ${name} | ${xs.length} | ${quantile(xs, 0.5).toFixed(2)} | ${quantile(xs, 0.9).toFixed(2)} | ${quantile(xs, 0.99).toFixed(2)} |`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
