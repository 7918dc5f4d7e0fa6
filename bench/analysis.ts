/**
 * The analysis computation itself (issue 5), without the database or GraphQL: ranking
 * (prepare + assessCase with and without the sensitivity grid), and leave-one-out critical items, on the Sony bundle
 * loaded once. Medians over repeated runs, in one process.
 *
 *   npm run bench:analysis [-- --runs 200 --asOf 2014-12-20]
 *
 * Uses NEO4J_URI when set, otherwise the local dev Neo4j (started if needed, seed loaded).
 */
import { performance } from 'node:perf_hooks';
import { assessCase, criticalItems } from '../src/analysis';
import { loadConfig } from '../src/config';
import { connect, migrate, toDate } from '../src/db';
import { BundleRow, HYPOTHESES_BUNDLE, candidatesOf, prepare } from '../src/hypotheses';
import { loadSeed } from '../src/seed';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  const runs = Number(arg('runs') ?? 200);
  const asOf = arg('asOf') ?? null;
  const conn = await connect(loadConfig());
  await migrate(conn.db());
  await loadSeed(conn.db());
  const today = new Date().toISOString().slice(0, 10);
  const rows = (await conn.db().read(HYPOTHESES_BUNDLE, {
    incident: 'sony-pictures-2014',
    asOf: asOf ? toDate(asOf) : null,
    effective: toDate(asOf ?? today),
  })) as unknown as BundleRow[];
  await conn.close({ stopLocal: false });

  const field = { SOURCE: 'sources', CLAIMANT: 'claimants', EVIDENCE: 'evidence' } as const;
  const candidates = candidatesOf(rows);
  const day = asOf;
  const { input } = prepare(rows, null, day);
  const work: Record<string, () => unknown> = {
    'assess (prepare + assessCase, no sensitivity)': () =>
      assessCase(prepare(rows, null, day).input, { sensitivity: 'none' }),
    'assess with the one-at-a-time sensitivity (what the API computes)': () => assessCase(input),
    'assess with the whole sensitivity grid': () => assessCase(input, { sensitivity: 'grid' }),
    [`critical items (leave-one-out over ${candidates.length} items)`]: () =>
      criticalItems(
        input,
        candidates,
        (c) => prepare(rows, { [field[c.kind]]: [c.id] }, day).input,
      ),
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(work).map((k) => [k, []]));
  for (let i = 0; i < runs + 20; i++) {
    for (const [name, fn] of Object.entries(work)) {
      const t0 = performance.now();
      fn();
      if (i >= 20) times[name].push(performance.now() - t0);
    }
  }
  const claims = rows.reduce((n, r) => n + r.claims.length, 0);
  const ratings = rows.reduce((n, r) => n + r.ratings.length, 0);
  console.log(
    `Sony as of ${asOf ?? 'today'}: ${rows.length} hypotheses, ${claims} claims, ${ratings} ratings; ${runs} runs after 20 warm-up`,
  );
  console.log('| computation | median ms | p90 ms |');
  console.log('| --- | --- | --- |');
  for (const [name, xs] of Object.entries(times)) {
    const s = [...xs].sort((a, b) => a - b);
    console.log(
      `| ${name} | ${median(xs).toFixed(3)} | ${s[Math.floor(s.length * 0.9)].toFixed(3)} |`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
