/**
 * Synthetic corpus generator: a realistic shape (actors with aliases and affiliations, rival
 * hypotheses per incident, claims with sources, evidence with ACH ratings, skewed degrees: a few
 * state actors appear in thousands of incidents; a technical layer of techniques, malware and
 * tools that groups use and incidents show, with a realistic skew: a few techniques are used by
 * most groups, each group has malware of its own), deterministic from a seed, loaded through the
 * project's batched seed writer (one transaction per chunk of incidents) with a progress bar.
 *
 *   npm run synth -- --incidents 1000 [--seed 42] [--chunk 100]
 *
 * Ids start with `syn-` so the corpus sits beside the Sony seed. Uses NEO4J_URI when set,
 * otherwise the local bench Neo4j (.neo4j/bench, port BENCH_NEO4J_PORT, default 7689).
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SingleBar } from 'cli-progress';
import { ROOT, loadConfig } from '../src/config';
import { Db, connect, migrate } from '../src/db';
import { AchRating, EvidenceKind } from '../src/model';
import { SeedData, emptySeed, writeSeed } from '../src/seed';

/** mulberry32: a small, fast, deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RATINGS = AchRating.options;
const KINDS = EvidenceKind.options;
const REL = ['A', 'B', 'B', 'C', 'C', 'C', 'D', 'E', 'F'] as const;

export interface SynthOptions {
  incidents: number;
  seed: number;
}

/** How many states, groups and analysts a corpus of `o.incidents` incidents has. */
function sizes(o: SynthOptions) {
  return {
    nStates: 12,
    nGroups: Math.max(20, Math.round(o.incidents / 20)),
    nAnalysts: Math.max(30, Math.round(o.incidents / 10)),
  };
}

/** How many techniques, tools and shared malware families the technical layer has. */
export const TECH = { techniques: 150, tools: 40, sharedMalware: 30 } as const;

/**
 * What group `g` uses (deterministic from the seed): techniques with a popularity that falls
 * with their rank (technique 0 and 1 are used by about 90% of groups, technique 100 by under
 * 10%), tools likewise, a malware family of its own and sometimes a shared one.
 */
export function groupTradecraft(o: SynthOptions, g: number): string[] {
  const rnd = prng(o.seed * 7_000_003 + g);
  const out: string[] = [];
  for (let t = 0; t < TECH.techniques; t++)
    if (rnd() < Math.min(0.9, 2 / (t + 1) ** 0.7)) out.push(`syn-tech-${t}`);
  for (let t = 0; t < TECH.tools; t++)
    if (rnd() < Math.min(0.8, 1.2 / (t + 1) ** 0.8)) out.push(`syn-tool-${t}`);
  out.push(`syn-mal-own-${g}`);
  if (rnd() < 0.3) out.push(`syn-mal-${Math.floor(rnd() ** 2 * TECH.sharedMalware)}`);
  return out;
}

const KIND_OF = (id: string) =>
  id.startsWith('syn-tech-') ? 'attack-pattern' : id.startsWith('syn-tool-') ? 'tool' : 'malware';

/** Shared actors and publishers: generated once, before the incidents. */
export function synthCommon(o: SynthOptions): SeedData {
  const rnd = prng(o.seed);
  const { nStates, nGroups, nAnalysts } = sizes(o);
  const nMedia = 60;
  const d = emptySeed();
  for (let i = 0; i < nStates; i++)
    d.actors.push({ id: `syn-state-${i}`, name: `State ${i}`, kind: 'state' });
  for (let i = 0; i < nMedia; i++)
    d.actors.push({ id: `syn-media-${i}`, name: `Outlet ${i}`, kind: 'media' });
  for (let i = 0; i < nAnalysts; i++)
    d.actors.push({ id: `syn-analyst-${i}`, name: `Analyst firm ${i}`, kind: 'company' });
  d.sources.push({
    id: 'syn-src-registry',
    tag: 'S0',
    title: 'Synthetic registry',
    publisher: 'syn-media-0',
    publishedAt: '2010-01-01',
    url: null,
    reliability: 'B',
    reliabilityReason: 'synthetic',
  });
  for (let i = 0; i < nGroups; i++) {
    d.actors.push({ id: `syn-group-${i}`, name: `Group ${i}`, kind: 'group' });
    d.affiliations.push({
      id: `syn-aff-${i}`,
      actor: `syn-group-${i}`,
      organisation: `syn-state-${Math.floor(rnd() ** 2 * nStates)}`,
      claimant: `syn-analyst-${i % nAnalysts}`,
      statedAt: '2015-01-01',
      sources: ['syn-src-registry'],
    });
    if (rnd() < 0.4) {
      for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) {
        d.aliases.push({
          id: `syn-alias-${i}-${k}`,
          actor: `syn-group-${i}`,
          name: `Alias ${i}-${k}`,
          claimant: `syn-analyst-${(i + k) % nAnalysts}`,
          statedAt: '2016-01-01',
          sources: ['syn-src-registry'],
        });
      }
    }
  }
  // The technical layer: artifacts, and what each group uses (a claim by an analyst firm each).
  const artifact = (id: string, name: string, externalIds?: string[]) =>
    d.artifacts.push({
      id,
      kind: KIND_OF(id),
      name,
      ...(externalIds ? { externalIds } : {}),
      firstReportedAt: 'unknown',
      sources: ['syn-src-registry'],
      facts: ['F-00'],
    });
  for (let t = 0; t < TECH.techniques; t++)
    artifact(`syn-tech-${t}`, `Technique ${t}`, [`T${9000 + t}`]);
  for (let t = 0; t < TECH.tools; t++) artifact(`syn-tool-${t}`, `Tool ${t}`);
  for (let m = 0; m < TECH.sharedMalware; m++) artifact(`syn-mal-${m}`, `Shared malware ${m}`);
  for (let g = 0; g < nGroups; g++) {
    artifact(`syn-mal-own-${g}`, `Malware of group ${g}`);
    for (const a of groupTradecraft(o, g))
      d.links.push({
        id: `syn-uses-${g}-${a.slice(4)}`,
        claimant: `syn-analyst-${g % nAnalysts}`,
        statedAt: '2015-01-01',
        sources: ['syn-src-registry'],
        link: 'uses',
        from: `syn-group-${g}`,
        to: a,
        facts: ['F-00'],
      });
  }
  return d;
}

/**
 * The incidents from `from` to `to` (exclusive). Degrees are skewed: suspects and claimants are
 * drawn with a squared uniform, so low-numbered states and analysts take most of the links.
 */
export function synthIncidents(o: SynthOptions, from: number, to: number): SeedData {
  const d = emptySeed();
  const { nStates, nGroups, nAnalysts } = sizes(o);
  for (let n = from; n < to; n++) {
    const rnd = prng(o.seed * 1_000_003 + n);
    const pick = (k: number) => Math.floor(rnd() ** 2 * k);
    const year = 2005 + Math.floor(rnd() * 20);
    const day = (k: number) =>
      `${year}-${String(1 + ((k * 5) % 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    const inc = `syn-inc-${n}`;
    const sources: string[] = [];
    for (let s = 0; s < 5 + Math.floor(rnd() * 10); s++) {
      const id = `${inc}-s${s}`;
      sources.push(id);
      d.sources.push({
        id,
        tag: `S${s}`,
        title: `Report ${s} on incident ${n}`,
        publisher: `syn-media-${pick(60)}`,
        publishedAt: day(s),
        url: `https://example.org/${inc}/${s}`,
        reliability: REL[Math.floor(rnd() * REL.length)],
        reliabilityReason: 'synthetic',
      });
    }
    const src = () => sources[Math.floor(rnd() * sources.length)];
    d.incidents.push({
      id: inc,
      name: `Incident ${n}`,
      summary: `Synthetic incident ${n}`,
      startedAt: day(0),
      kind: 'synthetic',
      sources: [src()],
    });
    const nh = 3 + Math.floor(rnd() * 4);
    const hyps: string[] = [];
    for (let h = 0; h < nh; h++) {
      const hid = `${inc}-h${h}`;
      hyps.push(hid);
      const suspects = [
        ...new Set([
          rnd() < 0.6 ? `syn-state-${pick(nStates)}` : `syn-group-${pick(nGroups)}`,
          ...(rnd() < 0.5 ? [`syn-group-${pick(nGroups)}`] : []),
        ]),
      ];
      d.hypotheses.push({
        id: hid,
        tag: `H${h + 1}`,
        incident: inc,
        statement: `Hypothesis ${h + 1} for incident ${n}`,
        suspects,
      });
      for (let c = 0; c < 2 + Math.floor(rnd() * 9); c++) {
        d.claims.push({
          id: `${hid}-c${c}`,
          claimant: `syn-analyst-${pick(nAnalysts)}`,
          stance: rnd() < 0.6 ? 'supports' : 'disputes',
          hypothesis: hid,
          statedAt: day(c),
          text: `Claim ${c} on hypothesis ${h + 1} of incident ${n}`,
          textKind: 'paraphrase',
          sources: [...new Set([src(), src()])],
          credibility: 1 + Math.floor(rnd() * 6),
        });
      }
    }
    for (let e = 0; e < 3 + Math.floor(rnd() * 6); e++) {
      const eid = `${inc}-e${e}`;
      d.evidence.push({
        id: eid,
        tag: `E${e + 1}`,
        incident: inc,
        kind: KINDS[Math.floor(rnd() * KINDS.length)],
        title: `Evidence ${e + 1} of incident ${n}`,
        description: 'synthetic',
        reportedAt: day(e),
        sources: [src()],
        credibility: 1 + Math.floor(rnd() * 6),
        credibilityReason: 'synthetic',
        ratings: hyps.flatMap((h, k) =>
          Array.from({ length: 1 + Math.floor(rnd() * 2) }, (_, r) => ({
            id: `${eid}-r${k}-${r}`,
            hypothesis: h,
            rating: RATINGS[Math.floor(rnd() * RATINGS.length)],
            ratedBy: `syn-analyst-${pick(nAnalysts)}`,
            ratedAt: day(e),
            sources: [src()],
            rationale: 'synthetic',
          })),
        ),
      });
    }
    // What was found: most of one group's tradecraft (the group is drawn skewed, as suspects are),
    // plus a few popular techniques anyone uses.
    const found = groupTradecraft(o, pick(nGroups)).filter(() => rnd() < 0.6);
    for (let k = 0; k < 2; k++) found.push(`syn-tech-${Math.floor(rnd() ** 3 * TECH.techniques)}`);
    for (const a of new Set(found))
      d.links.push({
        id: `${inc}-obs-${a.slice(4)}`,
        claimant: `syn-analyst-${pick(nAnalysts)}`,
        statedAt: day(0),
        sources: [src()],
        link: 'observed-in',
        from: a,
        to: inc,
        text: `${a} was observed in incident ${n}.`,
        facts: ['F-00'],
      });
    for (let v = 0; v < 3 + Math.floor(rnd() * 4); v++) {
      d.events.push({
        id: `${inc}-v${v}`,
        incident: inc,
        date: day(v),
        title: `Event ${v}`,
        description: 'synthetic',
        kind: 'other',
        sources: [src()],
        actors: [{ actor: `syn-state-${pick(nStates)}`, role: 'mentioned' }],
      });
    }
  }
  return d;
}

export interface LoadReport {
  nodes: number;
  relationships: number;
  seconds: number;
}

/**
 * Loads incidents `from`..`to` (exclusive) of the corpus `o` through the batched seed writer, one
 * transaction per `chunk` incidents, after the shared actors and publishers. MERGE by id makes a
 * reload (or a resumed load) idempotent. `onChunk` is told how many incidents are done.
 */
export async function loadSynth(
  db: Db,
  o: SynthOptions,
  from: number,
  to: number,
  chunk = 100,
  onChunk?: (done: number) => void,
): Promise<LoadReport> {
  const t0 = performance.now();
  let nodes = 0;
  let relationships = 0;
  const common = await writeSeed(db, synthCommon(o));
  nodes += common.nodes;
  relationships += common.relationships;
  for (let i = from; i < to; i += chunk) {
    const r = await writeSeed(db, synthIncidents(o, i, Math.min(to, i + chunk)));
    nodes += r.nodes;
    relationships += r.relationships;
    onChunk?.(Math.min(to, i + chunk));
  }
  return { nodes, relationships, seconds: (performance.now() - t0) / 1000 };
}

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

async function main(): Promise<void> {
  const o: SynthOptions = { incidents: arg('incidents', 1000), seed: arg('seed', 42) };
  const chunk = arg('chunk', 100);
  if (!process.env.NEO4J_URI) {
    process.env.NEO4J_LOCAL_PORT = process.env.BENCH_NEO4J_PORT ?? '7689';
    process.env.NEO4J_LOCAL_HOME ??= path.join(ROOT, '.neo4j', 'bench');
  }
  const conn = await connect(loadConfig());
  try {
    await migrate(conn.db());
    const t0 = Date.now();
    const bar = new SingleBar(
      {
        format: 'synth [{bar}] {value}/{total} incidents | {rate} inc/s | ETA {eta}s',
        stream: process.stderr,
        noTTYOutput: false,
      },
      undefined,
    );
    const show = process.stderr.isTTY;
    if (show) bar.start(o.incidents, 0, { rate: '0' });
    const r = await loadSynth(conn.db(), o, 0, o.incidents, chunk, (done) => {
      if (show) bar.update(done, { rate: (done / ((Date.now() - t0) / 1000)).toFixed(0) });
    });
    if (show) bar.stop();
    console.log(
      `synth: ${o.incidents} incidents, ${r.nodes} nodes, ${r.relationships} relationships written in ${r.seconds.toFixed(1)} s (${Math.round(r.relationships / r.seconds)} relationships/s, ${Math.round((r.nodes + r.relationships) / r.seconds)} objects/s, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB)`,
    );
  } finally {
    await conn.close({ stopLocal: false });
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
