import { cypher } from '../src/db';
import type { Connection } from '../src/db';
import { linkTypeOf } from '../src/model';
import { SEED_DIR, SeedData, readSeed } from '../src/seed';
import { testConnect } from './helpers';

/**
 * The technical half of the seed against ../shared/sony-case/TECHNICAL-FACTS.md (not read here:
 * the project never reads ../shared). The tables below restate, from that sheet, what the seed
 * must hold; each technical record names the F-/U- facts it rests on (`facts`).
 */

/** TA14-353A's SMB worm tool and its components (F-04 to F-09). */
const TA14_353A = [
  'SMB Worm Tool',
  'Listening Implant',
  'Lightweight Backdoor',
  'Proxy Tool',
  'Destructive Hard Drive Tool',
  'Destructive Target Cleaning Tool',
];
/** The C2 addresses of the FBI alert (F-21) and of Kaspersky/Talos (F-24, F-25). */
const FBI_IPS = ['88.53.215.64', '217.96.33.164', '203.131.222.102'];
const OTHER_IPS = ['58.185.154.99', '200.87.126.116', '208.105.226.235', '212.31.102.100'];
/** Every hash the sheet publishes (F-26 to F-29, F-35, F-37, F-38). */
const HASHES = [
  'd1c27ee7ce18675974edf42d4eea25c6',
  '760c35a80d758f032d02cf4db12d3e55',
  '7e2561eb67a6ead09f727d98b71c01f18985bbb9',
  'e2ecec43da974db02f624ecadc94baf1d21fd1a5c4990c15863bb9929f781a0a',
  '0753f8a7ae38fdb830484d0d737f975884499b9335e70b7d22b7d4ab149c01b5',
  '558b020ce2c80710605ed30678b6fd0c',
  '5d0ffbc8389f27b0649696f0ef5b3cfe',
  '9c7c7149387a1c79679a87dd1ba755bc',
  'ac21c8ad899727137c4b94458d7aa8d8',
];
/** The techniques of the Sony attack the sheet gives with a source loaded here (F-44 to F-62). */
const SONY_TECHNIQUES = [
  'T1485', 'T1561.002', 'T1561.001', 'T1021.002', 'T1110.001', 'T1078', 'T1566.001', 'T1047',
  'T1543.003', 'T1489', 'T1529', 'T1491.001', 'T1573.001', 'T1090', 'T1571', 'T1005',
]; // prettier-ignore
/** The malware of the linked incidents (F-13, F-15 to F-18). */
const LINKED_MALWARE: Record<string, string[]> = {
  'darkseoul-2013': ['DarkSeoul wiper'],
  'bangladesh-bank-2016': ['evtdiag.exe', 'msoutc.exe'],
  'wannacry-2017': ['WannaCry', 'Volgmer', 'Destover'],
};
/** The dated technical-link claims of section 5 the seed carries, by fact id. */
const DATED_LINK_FACTS = ['F-64', 'F-65', 'F-73', 'F-74', 'F-75', 'F-76', 'F-77'];

let seed: SeedData;
const byId = new Map<string, { name: string; kind?: string }>();

beforeAll(() => {
  seed = readSeed(SEED_DIR);
  for (const x of [...seed.artifacts, ...seed.actors, ...seed.incidents]) byId.set(x.id, x);
});

const observedIn = (incident: string) =>
  seed.links
    .filter((l) => l.link === 'observed-in' && l.to === incident)
    .map((l) => seed.artifacts.find((a) => a.id === l.from)!);

describe('the technical half of the seed (TECHNICAL-FACTS.md)', () => {
  it('holds the TA14-353A tool family, each observed in the Sony attack per US-CERT', () => {
    const sony = observedIn('sony-pictures-2014').map((a) => a.name);
    for (const name of TA14_353A) expect(sony).toContain(name);
    const claims = seed.links.filter(
      (l) => l.claimant === 'us-cert' && l.sources.includes('src-t01-ta14-353a'),
    );
    expect(claims.length).toBeGreaterThanOrEqual(TA14_353A.length);
  });

  it('holds every published IP address and hash, the FBI ones linked to the wiper by the FBI', () => {
    const values = seed.artifacts.map((a) => a.value);
    for (const ip of [...FBI_IPS, ...OTHER_IPS]) expect(values).toContain(ip);
    const hashes = seed.artifacts.flatMap((a) => Object.values(a.hashes ?? {}));
    expect(hashes.sort()).toEqual([...HASHES].sort());
    for (const ip of FBI_IPS) {
      const l = seed.links.find((x) => x.to === `ip-${ip.replace(/\./g, '-')}`);
      expect({ ip, claimant: l?.claimant, from: l?.from, statedAt: l?.statedAt }).toEqual({
        ip,
        claimant: 'fbi',
        from: 'malware-destover',
        statedAt: '2014-12-01',
      });
    }
  });

  it('holds the techniques of the attack, each with its ATT&CK id and observed in Sony by a named party', () => {
    const sony = observedIn('sony-pictures-2014').filter((a) => a.kind === 'attack-pattern');
    expect(new Set(sony.flatMap((a) => a.externalIds ?? []))).toEqual(new Set(SONY_TECHNIQUES));
  });

  it('holds the malware of DarkSeoul, the Bangladesh Bank theft and WannaCry', () => {
    for (const [incident, names] of Object.entries(LINKED_MALWARE)) {
      const seen = observedIn(incident).map((a) => a.name);
      for (const n of names)
        expect({ incident, seen: seen.includes(n), n }).toEqual({ incident, seen: true, n });
    }
  });

  it('carries the dated technical-link claims of vendors and researchers', () => {
    const facts = new Set(seed.links.flatMap((l) => l.facts));
    for (const f of DATED_LINK_FACTS) expect(facts).toContain(f);
  });

  it('gives every technical item a source and a fact id, every link claim a date or an explicit unknown', () => {
    for (const x of [...seed.artifacts, ...seed.links]) {
      expect(x.sources.length).toBeGreaterThan(0);
      expect(x.facts.every((f) => /^[FU]-\d{2}$/.test(f))).toBe(true);
    }
    for (const l of seed.links) expect(l.statedAt).toMatch(/^(\d{4}(-\d{2}(-\d{2})?)?|unknown)$/);
  });

  it('carries the UNVERIFIED flags: every item resting on a U- fact is unverified, with a note', () => {
    const flagged = [...seed.artifacts, ...seed.links].filter((x) =>
      x.facts.some((f) => f.startsWith('U-')),
    );
    expect(flagged.length).toBeGreaterThanOrEqual(7);
    for (const x of flagged)
      expect({ id: x.id, unverified: x.unverified, note: !!x.note }).toEqual({
        id: x.id,
        unverified: true,
        note: true,
      });
  });

  it('links evidence to the artifacts it is about (E1: the wiper and DarkSeoul; E2: the IP addresses)', () => {
    const e1 = seed.evidence.find((e) => e.id === 'sony-e01-malware-code')!;
    const e2 = seed.evidence.find((e) => e.id === 'sony-e02-ip-addresses')!;
    expect(e1.about).toEqual(['malware-destover', 'malware-darkseoul-wiper']);
    expect(e2.about?.map((a) => byId.get(a)?.name)).toEqual(FBI_IPS);
  });
});

const LINK = cypher<{ claims: string[]; count: number | null; actors: number | null }>(
  'testTechnicalLink',
  `MATCH (a:Entity {id: $from})-[r]->(b:Entity {id: $to}) WHERE type(r) = $type
   OPTIONAL MATCH (s:ModelStat {id: 'artifact-users'})
   RETURN r.claims AS claims, b.actorCount AS count, s.actors AS actors`,
);
const LABELS_OF = cypher<{ labels: string[] }>(
  'testArtifactLabels',
  'MATCH (n:Artifact {id: $id}) RETURN labels(n) AS labels',
);

describe('the technical half in the database', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await testConnect();
  });
  afterAll(() => conn.close());

  it('materialises each technical link once, carrying the ids of every claim asserting it', async () => {
    const groups = new Map<string, string[]>();
    for (const l of seed.links) {
      const key = `${linkTypeOf(l.link)}|${l.from}|${l.to}`;
      groups.set(key, [...(groups.get(key) ?? []), l.id]);
    }
    for (const [key, ids] of groups) {
      const [type, from, to] = key.split('|');
      const rows = await conn.db().read(LINK, { type, from, to });
      expect({ key, claims: rows.map((r) => [...r.claims].sort()) }).toEqual({
        key,
        claims: [[...ids].sort()],
      });
    }
  });

  it('labels artifacts with :Artifact and their kind, and keeps the specificity counts', async () => {
    const [{ labels }] = await conn.db().read(LABELS_OF, { id: 'malware-destover' });
    expect(labels.sort()).toEqual(['Artifact', 'Entity', 'Malware']);
    const [row] = await conn
      .db()
      .read(LINK, { type: 'USES', from: 'lazarus-group', to: 'technique-t1485' });
    expect(row.count).toBe(1);
    expect(row.actors).toBeGreaterThanOrEqual(1);
  });
});
