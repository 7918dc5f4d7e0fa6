/**
 * Back-test of the attribution method (docs/scoring.md §8): every incident of the seed, as of
 * each date on which its record changed (a claim, a rating or an item came on record) and
 * today, with the key judgment (e.g. P(North Korean state behind it)), its ICD 203 word, the
 * confidence, the top hypothesis and the sensitivity range; then the Brier score of the key
 * judgment against today's answer.
 *
 *   npm run backtest [-- --incident sony-pictures-2014 --dates 2014-12-18,2014-12-20]
 *
 * Uses NEO4J_URI when set, otherwise the local dev Neo4j (started if needed, seed loaded).
 */
import { assessCase } from '../src/analysis';
import { loadConfig } from '../src/config';
import { connect, migrate, toDate } from '../src/db';
import { BundleRow, HYPOTHESES_BUNDLE, prepare } from '../src/hypotheses';
import { loadSeed } from '../src/seed';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const INCIDENTS = [
  'sony-pictures-2014',
  'darkseoul-2013',
  'dprk-internet-outage-2014',
  'bangladesh-bank-2016',
  'wannacry-2017',
];

async function main(): Promise<void> {
  const conn = await connect(loadConfig());
  await migrate(conn.db());
  await loadSeed(conn.db());
  const today = new Date().toISOString().slice(0, 10);
  const only = arg('incident');
  const fixed = arg('dates')?.split(',');
  const showSteps = process.argv.includes('--steps');
  const pct = (p: number) => `${(p * 100).toFixed(1)} %`;
  for (const incident of only ? [only] : INCIDENTS) {
    const load = async (day: string | null) =>
      (await conn.db().read(HYPOTHESES_BUNDLE, {
        incident,
        asOf: day ? toDate(day) : null,
        effective: toDate(day ?? today),
      })) as unknown as BundleRow[];
    const all = await load(null);
    const days = new Set<string>();
    for (const r of all) {
      for (const c of r.claims)
        if (c.claim.props.knownFrom) days.add(String(c.claim.props.knownFrom));
      for (const g of r.ratings) {
        if (g.rating.props.knownFrom) days.add(String(g.rating.props.knownFrom));
        if (g.evidence.props.knownFrom) days.add(String(g.evidence.props.knownFrom));
      }
    }
    const dates: (string | null)[] = [...(fixed ?? [...days].sort()), null];
    const final = assessCase(prepare(all, null, null).input, { sensitivity: 'grid' });
    const truth = final.key && final.key.probability >= 0.5 ? 1 : 0;
    console.log(`\n### ${incident} (key judgment: ${final.key?.label ?? 'none'})\n`);
    console.log(
      '| as of | key judgment | ICD 203 | confidence | top hypothesis | sensitivity range | technical only |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    let brier = 0;
    for (const day of dates) {
      const rows = day ? await load(day) : all;
      const a = assessCase(prepare(rows, null, day).input, { sensitivity: 'grid' });
      const k = a.judgment.key;
      if (!k) continue;
      const top = a.hypotheses[0];
      const tag = (id: string) =>
        String(rows.find((r) => r.hypothesis.props.id === id)?.hypothesis.props.tag ?? id);
      const s = a.judgment.sensitivity;
      brier += (k.probability - truth) ** 2;
      console.log(
        `| ${day ?? 'today'} | ${pct(k.probability)} | ${k.likelihood} | ${a.judgment.confidence} | ${tag(top.hypothesisId)} ${pct(top.probability)} | ${s ? `${pct(s.low)}-${pct(s.high)}` : ''} | ${a.judgment.technicalOnly ? pct(a.judgment.technicalOnly.probability) : ''} |`,
      );
    }
    if (showSteps)
      for (const day of dates) {
        const rows = day ? await load(day) : all;
        const a = assessCase(prepare(rows, null, day).input);
        const k = a.judgment.key!;
        console.log(
          `\n#### as of ${day ?? 'today'}: ${pct(k.probability)} ${k.likelihood}, ${a.judgment.confidence} confidence\n`,
        );
        console.log(`${a.judgment.confidenceReason}.\n`);
        console.log(
          '| on record from | unit (item or dependency group) | bits added | bits if left out last | critical |',
        );
        console.log('| --- | --- | --- | --- | --- |');
        console.log(
          `| | prior (uniform over ${a.hypotheses.length} hypotheses) | ${k.priorBits.toFixed(2)} | | |`,
        );
        for (const st of a.judgment.steps)
          if (Math.abs(st.bits) >= 0.005 || Math.abs(st.leaveOutBits) >= 0.005)
            console.log(
              `| ${st.knownFrom ?? ''} | ${st.label} | ${st.bits >= 0 ? '+' : ''}${st.bits.toFixed(2)} | ${st.leaveOutBits >= 0 ? '+' : ''}${st.leaveOutBits.toFixed(2)} | ${st.critical ? 'yes' : ''} |`,
            );
        console.log(
          `| | **posterior log-odds** | **${k.bits.toFixed(2)}** = ${pct(k.probability)} | | |`,
        );
        const hs = a.hypotheses.map(
          (h) => `${h.hypothesisId.split('-')[1].toUpperCase()} ${pct(h.probability)}`,
        );
        console.log(`\nHypotheses: ${hs.join(', ')}.`);
      }
    console.log(
      `\nBrier score of the key judgment against today's answer over ${dates.length} dates: ${(brier / dates.length).toFixed(3)}`,
    );
  }
  await conn.close({ stopLocal: false });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
