import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { cypher, toIsoDate } from '../src/db';
import type { Connection } from '../src/db';
import {
  ARTIFACT_LABELS,
  ARTIFACT_LABEL_OF_KIND,
  CLAIM_LINK_TYPES,
  LABELS,
  PLAIN_REL_TYPES,
  aliasNodeId,
  nativeStixProps,
} from '../src/model';
import { SEED_DIR, SeedData, SeedError, likelihoodRatings, loadSeed, readSeed } from '../src/seed';
import { testConnect, uid } from './helpers';

const SONY = 'sony-pictures-2014';

const COUNT_IDS = Object.fromEntries(
  LABELS.map((label) => [
    label,
    cypher<{ n: number }>(
      `testSeedCount${label}`,
      `MATCH (n:${label}) WHERE n.id IN $ids RETURN count(n) AS n`,
    ),
  ]),
);
const EXISTING = cypher<{ id: string }>(
  'testSeedExisting',
  'MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id',
);
const CLAIMS = cypher<{
  id: string;
  stance: string;
  statedAt: unknown;
  precision: string;
  note: string | null;
  sources: number;
  claimants: number;
}>(
  'testSeedClaims',
  `MATCH (c:Claim) WHERE c.id IN $ids
   RETURN c.id AS id, c.stance AS stance, c.statedAt AS statedAt,
          c.statedAtPrecision AS precision, c.note AS note,
          COUNT { (c)-[:CITES]->(:Source) } AS sources,
          COUNT { (c)-[:BY]->(:Actor) } AS claimants`,
);
const HYPOTHESES = cypher<{ id: string; tag: string; supporters: number; incidents: number }>(
  'testSeedHypotheses',
  `MATCH (h:Hypothesis) WHERE h.id IN $ids
   RETURN h.id AS id, h.tag AS tag,
          COUNT { (:Claim)-[:SUPPORTS]->(h) } AS supporters,
          COUNT { (h)-[:ABOUT]->(:Incident) } AS incidents`,
);
const ORPHANS = cypher<{ id: string }>(
  'testSeedOrphans',
  'MATCH (n:Entity) WHERE n.id IN $ids AND NOT (n)--() RETURN n.id AS id',
);
const SONY_HYPOTHESES = cypher<{ tag: string }>(
  'testSeedSonyHypotheses',
  'MATCH (h:Hypothesis)-[:ABOUT]->(:Incident {id: $id}) RETURN h.tag AS tag ORDER BY tag',
);
const FIRST_CLAIM = cypher<{ id: string; statedAt: unknown; precision: string }>(
  'testSeedFirstClaim',
  `MATCH (c:Claim)-[:BY]->(:Actor {id: $actor}),
         (c)-[:SUPPORTS]->(:Hypothesis {tag: $tag})-[:ABOUT]->(:Incident {id: $incident})
   RETURN c.id AS id, c.statedAt AS statedAt, c.statedAtPrecision AS precision
   ORDER BY c.statedAt LIMIT 1`,
);
const SANCTION_TARGETS = cypher<{ event: string; id: string; name: string; kind: string }>(
  'testSeedSanctionTargets',
  `MATCH (e:Event {kind: 'sanction', date: date($date)})-[:IN]->(:Incident {id: $incident})
   MATCH (e)-[r:INVOLVES]->(a:Actor) WHERE 'target' IN r.roles
   RETURN e.id AS event, a.id AS id, a.name AS name, a.kind AS kind`,
);
const ACTORS_NAMED = cypher<{
  id: string;
  name: string;
  partOf: string[];
  sanctioned: number;
}>(
  'testSeedActorsNamed',
  `MATCH (a:Actor) WHERE toLower(replace(a.name, '-', ' ')) CONTAINS 'kim yong chol'
   RETURN a.id AS id, a.name AS name,
          [(a)-[:PART_OF]->(o:Actor) | o.id] AS partOf,
          COUNT { (:Event {kind: 'sanction'})-[r:INVOLVES]->(a) WHERE 'target' IN r.roles } AS sanctioned`,
);
const UNVERIFIED = cypher<{ id: string }>(
  'testSeedUnverified',
  'MATCH (n:Entity) WHERE n.id IN $ids AND n.unverified = true RETURN n.id AS id',
);
const NODE = cypher<{ labels: string[]; props: Record<string, unknown> }>(
  'testSeedNode',
  'MATCH (n:Entity {id: $id}) RETURN labels(n) AS labels, properties(n) AS props',
);
const DELETE_IDS = cypher('testSeedDelete', 'MATCH (n:Entity) WHERE n.id IN $ids DETACH DELETE n');
const PROPS = cypher<{ props: Record<string, unknown> }>(
  'testSeedProps',
  'MATCH (n:Entity {id: $id}) RETURN properties(n) AS props',
);
const RAW_INCIDENT = cypher(
  'testSeedRawIncident',
  "CREATE (:Entity:Incident {id: $id, name: 'Raw', summary: 'x', kind: 'outage', unverified: false})",
);

/** Every id the seed tree gives a node, by label (alias names become Alias nodes). */
function idsByLabel(d: SeedData): Record<string, string[]> {
  return {
    Incident: d.incidents.map((x) => x.id),
    Actor: d.actors.map((x) => x.id),
    Alias: [...new Set(d.aliases.filter((a) => !a.refersTo).map((a) => aliasNodeId(a.name)))],
    Hypothesis: d.hypotheses.map((x) => x.id),
    Claim: [...d.claims, ...d.aliases, ...d.affiliations, ...d.links].map((x) => x.id),
    Evidence: d.evidence.map((x) => x.id),
    Rating: d.evidence.flatMap((e) => [
      ...e.ratings.map((r) => r.id),
      ...likelihoodRatings(e, new Map(d.hypotheses.map((h) => [h.id, h.tag]))).map((r) => r.id),
    ]),
    Source: d.sources.map((x) => x.id),
    Event: d.events.map((x) => x.id),
    ...Object.fromEntries(
      ARTIFACT_LABELS.map((l) => [
        l,
        d.artifacts.filter((a) => ARTIFACT_LABEL_OF_KIND[a.kind] === l).map((a) => a.id),
      ]),
    ),
  };
}

let conn: Connection;
let seed: SeedData;
let ids: Record<string, string[]>;
let allIds: string[];

beforeAll(async () => {
  conn = await testConnect();
  seed = readSeed(SEED_DIR);
  ids = idsByLabel(seed);
  allIds = Object.values(ids).flat();
});

afterAll(async () => {
  await conn.close();
});

describe('the seed in the database', () => {
  it('holds one node per id in the files, for every label', async () => {
    const counts: Record<string, [number, number]> = {};
    for (const [label, list] of Object.entries(ids)) {
      const [{ n }] = await conn.db().read(COUNT_IDS[label], { ids: list });
      counts[label] = [n, list.length];
    }
    for (const [label, [inDb, inFiles]] of Object.entries(counts)) {
      expect({ label, inDb }).toEqual({ label, inDb: inFiles });
    }
    expect(counts.Incident[1]).toBe(5);
    expect(new Set(allIds).size).toBe(allIds.length);
  });

  it('changes nothing when loaded a second time', async () => {
    // A node written by raw Cypher (as other suites do, concurrently) lacks its STIX ids: the
    // load's backfill stores them and reports them apart from the seed's own changes.
    const raw = uid('seed-raw');
    await conn.db().write((tx) => tx.run(RAW_INCIDENT, { id: raw }));
    let report;
    let rawProps;
    try {
      report = await loadSeed(conn.db());
      [{ props: rawProps }] = await conn.db().read(PROPS, { id: raw });
    } finally {
      await conn.db().write((tx) => tx.run(DELETE_IDS, { ids: [raw] }));
    }
    expect(report.changes).toBe(0);
    // Its ids are stored (by this load, or by another suite's load at the same time).
    expect(rawProps).toMatchObject(nativeStixProps('Incident', raw));
    expect(report.nodes).toBe(allIds.length);
    // Batched: a statement per label and relationship type, not one per record.
    // (plus the specificity counts of the technical layer, the revision bump, the likelihood
    // ratings, and the check for nodes and links still lacking their native STIX ids: +2).
    expect(report.statements).toBeLessThanOrEqual(
      LABELS.length + PLAIN_REL_TYPES.length + CLAIM_LINK_TYPES.length + 4 + 2,
    );
  });

  it('gives every claim a claimant, at least one source and a date', async () => {
    const claims = await conn.db().read(CLAIMS, { ids: ids.Claim });
    expect(claims).toHaveLength(ids.Claim.length);
    expect(claims.filter((c) => c.sources < 1).map((c) => c.id)).toEqual([]);
    expect(claims.filter((c) => c.claimants !== 1).map((c) => c.id)).toEqual([]);
    const stances = claims.filter((c) => c.stance === 'supports' || c.stance === 'disputes');
    expect(stances).toHaveLength(seed.claims.length);

    const undated = claims.filter((c) => c.statedAt === null);
    // Only a claim explicitly marked "unknown", with a note saying why, may lack a date.
    for (const c of undated) {
      expect({ id: c.id, precision: c.precision }).toEqual({ id: c.id, precision: 'unknown' });
      expect(c.note ?? '').toMatch(/\S{3,}/);
    }
    expect(undated.length).toBeLessThanOrEqual(2);
    for (const c of claims.filter((x) => x.statedAt !== null)) {
      expect(['day', 'month', 'year']).toContain(c.precision);
    }
  });

  it('gives every hypothesis an incident and a supporting claim ("other or unknown" apart)', async () => {
    const hyps = await conn.db().read(HYPOTHESES, { ids: ids.Hypothesis });
    expect(hyps).toHaveLength(ids.Hypothesis.length);
    const other = new Set(
      seed.hypotheses.filter((h) => h.suspects.includes('other-or-unknown')).map((h) => h.tag),
    );
    expect([...other].sort()).toEqual(['BB-H0', 'DS-H0', 'H0', 'OUT-H0', 'WC-H0']);
    expect(hyps.filter((h) => h.supporters < 1 && !other.has(h.tag)).map((h) => h.tag)).toEqual([]);
    expect(hyps.filter((h) => h.incidents !== 1).map((h) => h.tag)).toEqual([]);
  });

  it('leaves no seed node without a relationship', async () => {
    expect(await conn.db().read(ORPHANS, { ids: allIds })).toEqual([]);
  });
});

describe('the Sony case', () => {
  it('has the incident with its exclusive set H1-H5 and H0 (other or unknown)', async () => {
    const hyps = await conn.db().read(SONY_HYPOTHESES, { id: SONY });
    expect(hyps.length).toBeGreaterThanOrEqual(6);
    expect(hyps.map((h) => h.tag)).toEqual(
      expect.arrayContaining(['H0', 'H1', 'H2', 'H3', 'H4', 'H5']),
    );
  });

  it("dates the FBI's first claim for H1 to 2014-12-19", async () => {
    const [first] = await conn.db().read(FIRST_CLAIM, { actor: 'fbi', tag: 'H1', incident: SONY });
    expect(toIsoDate(first.statedAt)).toBe('2014-12-19');
    expect(first.precision).toBe('day');
  });

  it('lists the RGB, KOMID, Korea Tangun and nine officials as targets of the 2015-01-02 sanctions', async () => {
    const targets = await conn.db().read(SANCTION_TARGETS, { date: '2015-01-02', incident: SONY });
    expect(new Set(targets.map((t) => t.event)).size).toBe(1);
    const orgs = targets.filter((t) => t.kind !== 'person');
    expect(orgs.map((t) => t.id).sort()).toEqual(['komid', 'korea-tangun', 'rgb']);
    const people = targets.filter((t) => t.kind === 'person').map((t) => t.name);
    expect(people.sort()).toEqual(
      [
        'Jang Song Chol',
        'Jang Yong Son',
        'Kang Ryong',
        'Kil Jong Hun',
        'Kim Kwang Chun',
        'Kim Kwang Yon',
        'Kim Kyu',
        'Kim Yong Chol (KOMID)',
        'Ryu Jin',
      ].sort(),
    );
  });

  it('keeps Gen. Kim Yong-chol (RGB chief) and Kim Yong Chol (KOMID) as two actors', async () => {
    const kims = await conn.db().read(ACTORS_NAMED);
    const byId = Object.fromEntries(kims.map((k) => [k.id, k]));
    expect(Object.keys(byId).sort()).toEqual(['gen-kim-yong-chol', 'kim-yong-chol-komid']);
    expect(byId['gen-kim-yong-chol'].partOf).toContain('rgb');
    expect(byId['gen-kim-yong-chol'].sanctioned).toBe(0);
    expect(byId['kim-yong-chol-komid'].sanctioned).toBe(1);
  });

  it('marks what the fact sheet calls UNVERIFIED with unverified: true', async () => {
    const marked = [
      ...seed.actors,
      ...seed.sources,
      ...seed.claims,
      ...seed.aliases,
      ...seed.affiliations,
      ...seed.evidence,
      ...seed.events,
      ...seed.incidents,
      ...seed.hypotheses,
      ...seed.artifacts,
      ...seed.links,
    ]
      .filter((r) => r.unverified)
      .map((r) => r.id)
      .sort();
    const inDb = (await conn.db().read(UNVERIFIED, { ids: allIds })).map((r) => r.id).sort();
    expect(inDb).toEqual(marked);

    // The fact sheet's UNVERIFIED items: the NYT report of 2015-01-18 (NSA access) and the
    // day of Taia's February 2015 report (Russian foothold, "Yama Tough").
    const sonyClaims = seed.claims.filter((c) =>
      seed.hypotheses.some((h) => h.id === c.hypothesis && h.incident === SONY),
    );
    const nyt = sonyClaims.filter(
      (c) => c.claimant === 'new-york-times' && c.statedAt === '2015-01-18',
    );
    const taia = sonyClaims.filter(
      (c) => c.claimant === 'taia-global' && c.statedAt.startsWith('2015-02'),
    );
    expect(nyt.length).toBeGreaterThanOrEqual(1);
    expect(taia.length).toBeGreaterThanOrEqual(1);
    for (const c of [...nyt, ...taia]) expect(inDb).toContain(c.id);
    for (const c of taia) expect(c.statedAt).toBe('2015-02'); // the day is not invented
    const e11 = seed.evidence.find((e) => e.incident === SONY && e.tag === 'E11');
    const e14 = seed.evidence.find((e) => e.incident === SONY && e.tag === 'E14');
    expect(inDb).toEqual(expect.arrayContaining([e11?.id, e14?.id]));
  });
});

const ANALYST_EDITS = cypher(
  'seedTestAnalystEdits',
  `MATCH (c:Claim {id: $claim}) SET c.retractionReason = 'analyst edit'
   WITH c MATCH (:Actor {id: $actor})-[r:KNOWN_AS]->() SET r.claims = r.claims + 'analyst-claim'`,
);
const ANALYST_VIEW = cypher<{ retractionReason: string; claims: string[] }>(
  'seedTestAnalystView',
  `MATCH (c:Claim {id: $claim}), (:Actor {id: $actor})-[r:KNOWN_AS]->()
   RETURN c.retractionReason AS retractionReason, r.claims AS claims`,
);

describe('broken seed files', () => {
  const tmpRoots: string[] = [];
  const created: string[] = [];

  /** A tiny valid tree: two actors, a source, an incident, a hypothesis, a claim. */
  function tinyTree() {
    const p = uid('seedt');
    const t = {
      actor: `${p}-actor`,
      publisher: `${p}-publisher`,
      source: `${p}-source`,
      incident: `${p}-incident`,
      hypothesis: `${p}-h1`,
      claim: `${p}-claim`,
      event: `${p}-event`,
    };
    const files: Record<string, Record<string, unknown>[]> = {
      'common/actors.yaml': [
        { id: t.actor, name: `Actor ${p}`, kind: 'agency', country: 'US' },
        { id: t.publisher, name: `Outlet ${p}`, kind: 'media' },
      ],
      'common/sources.yaml': [
        {
          id: t.source,
          tag: 'S1',
          title: 'A test page',
          publisher: t.publisher,
          originator: t.actor,
          publishedAt: '2014-12-19',
          url: 'https://example.org/test',
          reliability: 'B',
          reliabilityReason: 'Test outlet.',
        },
      ],
      'mini-case/incident.yaml': [
        {
          id: t.incident,
          name: 'A test incident',
          summary: 'Nothing happened.',
          startedAt: '2014-11',
          kind: 'test',
          sources: [t.source],
        },
      ],
      'mini-case/hypotheses.yaml': [
        {
          id: t.hypothesis,
          tag: 'H1',
          incident: t.incident,
          statement: 'The agency did it.',
          suspects: [t.actor],
        },
      ],
      'mini-case/claims.yaml': [
        {
          id: t.claim,
          claimant: t.actor,
          stance: 'supports',
          hypothesis: t.hypothesis,
          statedAt: '2014-12-19',
          text: 'We did it.',
          textKind: 'quote',
          sources: [t.source],
        },
      ],
      'mini-case/events.yaml': [
        {
          id: t.event,
          incident: t.incident,
          date: '2014-11-24',
          title: 'Something',
          description: 'Something happened.',
          kind: 'attack',
          actors: [{ actor: t.actor, role: 'attacker' }],
          sources: [t.source],
        },
      ],
    };
    return { ids: t, files };
  }

  function writeTree(files: Record<string, Record<string, unknown>[]>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-test-'));
    tmpRoots.push(root);
    for (const [rel, records] of Object.entries(files)) {
      fs.mkdirSync(path.join(root, path.dirname(rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), stringify(records));
    }
    return root;
  }

  /** Loads `dir`, expecting a SeedError; returns it, and checks nothing reached the database. */
  async function expectRejected(dir: string, treeIds: string[]): Promise<SeedError> {
    const db = conn.db();
    const err = await loadSeed(db, dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    created.push(...treeIds);
    expect(err).toBeInstanceOf(SeedError);
    expect(db.statements).toBe(0);
    expect(await conn.db().read(EXISTING, { ids: treeIds })).toEqual([]);
    return err as SeedError;
  }

  afterAll(async () => {
    for (const r of tmpRoots) fs.rmSync(r, { recursive: true, force: true });
    // Only ids this file made up; nothing should be there, but never leave test data behind.
    if (created.length) await conn.db().write((tx) => tx.run(DELETE_IDS, { ids: created }));
  });

  it('starts from a tiny tree that is valid', () => {
    const { ids: t, files } = tinyTree();
    const d = readSeed(writeTree(files));
    expect(d.claims.map((c) => c.id)).toEqual([t.claim]);
    expect(d.actors).toHaveLength(2);
  });

  it('rejects a missing required field, naming file, record and field', async () => {
    const { ids: t, files } = tinyTree();
    delete files['mini-case/claims.yaml'][0].text;
    const err = await expectRejected(writeTree(files), Object.values(t));
    expect(err.message).toContain(path.join('mini-case', 'claims.yaml'));
    expect(err.message).toContain(`record 0 (${t.claim})`);
    expect(err.message).toContain('field text');
    expect(err.problems).toEqual([
      expect.objectContaining({ record: 0, id: t.claim, field: 'text' }),
    ]);
  });

  it('rejects an unknown reference, naming file, record, field and the missing id', async () => {
    const { ids: t, files } = tinyTree();
    files['mini-case/claims.yaml'][0].hypothesis = `${t.hypothesis}-nope`;
    const err = await expectRejected(writeTree(files), Object.values(t));
    expect(err.message).toContain(path.join('mini-case', 'claims.yaml'));
    expect(err.message).toContain(`record 0 (${t.claim})`);
    expect(err.message).toContain('field hypothesis');
    expect(err.message).toContain(`unknown hypothesis "${t.hypothesis}-nope"`);
  });

  it('rejects an impossible date (2015-02-30), naming file, record and field', async () => {
    const { ids: t, files } = tinyTree();
    files['mini-case/events.yaml'][0].date = '2015-02-30';
    const err = await expectRejected(writeTree(files), Object.values(t));
    expect(err.message).toContain(path.join('mini-case', 'events.yaml'));
    expect(err.message).toContain(`record 0 (${t.event})`);
    expect(err.message).toContain('field date');
    expect(err.message).toMatch(/YYYY-MM-DD/);
  });

  it('rejects a duplicate id, naming both places', async () => {
    const { ids: t, files } = tinyTree();
    files['mini-case/claims.yaml'].push({ ...files['mini-case/claims.yaml'][0], id: t.actor });
    const err = await expectRejected(writeTree(files), Object.values(t));
    expect(err.message).toContain(path.join('mini-case', 'claims.yaml'));
    expect(err.message).toContain(`record 1 (${t.actor})`);
    expect(err.message).toContain('field id');
    expect(err.message).toContain(`duplicate id "${t.actor}"`);
    expect(err.message).toContain(path.join('common', 'actors.yaml'));
  });

  it('rolls the whole load back when an id collides in the database with another kind', async () => {
    const { ids: t, files } = tinyTree();
    const before = await conn.db().read(NODE, { id: 'fbi' });
    expect(before).toHaveLength(1);
    // A source whose id is already an actor's: valid on paper, refused by the :Entity
    // constraint after the incident, actors, hypothesis and claim were written.
    const source = files['common/sources.yaml'][0];
    source.id = 'fbi';
    for (const f of ['mini-case/incident.yaml', 'mini-case/claims.yaml', 'mini-case/events.yaml'])
      files[f][0].sources = ['fbi'];
    const dir = writeTree(files);
    expect(() => readSeed(dir)).not.toThrow();

    const treeIds = Object.values(t).filter((id) => id !== t.source);
    created.push(...treeIds);
    await expect(loadSeed(conn.db(), dir)).rejects.toMatchObject({
      extensions: { code: 'CONFLICT' },
    });
    expect(await conn.db().read(EXISTING, { ids: treeIds })).toEqual([]);
    expect(await conn.db().read(NODE, { id: 'fbi' })).toEqual(before);
  });

  it('keeps what analysts wrote on seed nodes and links when the seed is loaded again', async () => {
    const { ids: t, files } = tinyTree();
    const alias = `${t.actor}-alias`;
    files['common/aliases.yaml'] = [
      {
        id: alias,
        actor: t.actor,
        name: `Name of ${t.actor}`,
        claimant: t.publisher,
        statedAt: '2015-01',
        sources: [t.source],
      },
    ];
    const dir = writeTree(files);
    created.push(...Object.values(t), alias, aliasNodeId(`Name of ${t.actor}`));
    await loadSeed(conn.db(), dir);
    // What the API would have written: a retraction on the claim, another claim on the alias link.
    await conn.db().write((tx) => tx.run(ANALYST_EDITS, { claim: t.claim, actor: t.actor }));
    const again = await loadSeed(conn.db(), dir);
    expect(again.changes).toBe(0);
    const [row] = await conn.db().read(ANALYST_VIEW, { claim: t.claim, actor: t.actor });
    expect(row.retractionReason).toBe('analyst edit');
    expect(row.claims).toEqual([alias, 'analyst-claim']);
  });
});
