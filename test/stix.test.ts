import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { rankCandidates } from '../src/analysis';
import { CANDIDATES } from '../src/artifacts/queries';
import { ROOT } from '../src/config';
import { Connection, cypher, toDate } from '../src/db';
import { ObservableType, refreshSpecificity } from '../src/model';
import {
  EXTENSION_ID,
  StixBundle,
  StixObject,
  exportImported,
  exportStix,
  importStix,
  sortObjects,
  stixId,
} from '../src/stix';
import { testConnect, uid } from './helpers';

jest.setTimeout(180_000);

/** The public bundles, copied into the repository with licence and provenance (fixtures/stix/README.md). */
const DATA = path.join(__dirname, 'fixtures', 'stix');
const FILES = fs
  .readdirSync(DATA)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => path.join(DATA, f));
const LAZARUS = 'intrusion-set--c93fccb1-e8e8-42cf-ae33-2ad1d183913a';
const OBSERVABLES = new Set<string>(ObservableType.options);
const DREAM_JOB = 'campaign--0257b35b-93ef-4a70-80dd-ad5258e6045b';
/** An import's prefix is gone: the specificity counts follow (test clean-up is a write too). */
const clean = (prefix: string) =>
  conn.db().write(async (tx) => {
    await tx.run(CLEAN, { prefix });
    await refreshSpecificity(tx, []);
  });
const onRecord = (r: string) =>
  `EXISTS { MATCH (c:Claim) WHERE c.id IN ${r}.claims AND c.retractedAt IS NULL }`;
const TECHNICAL = cypher<{
  malware: number;
  tools: number;
  techniques: number;
  withAttackId: number;
  used: number;
  claimants: string[];
  stances: string[];
  observed: number;
  stored: number;
  recount: number;
  wrongDf: number;
}>(
  'testStixTechnical',
  `CALL {
     MATCH (a:Artifact) WHERE a.id STARTS WITH $prefix
     RETURN count(CASE WHEN a:Malware THEN 1 END) AS malware, count(CASE WHEN a:Tool THEN 1 END) AS tools,
            count(CASE WHEN a:AttackPattern THEN 1 END) AS techniques,
            count(CASE WHEN a:AttackPattern AND any(x IN a.externalIds WHERE x =~ 'T[0-9]{4}.*') THEN 1 END) AS withAttackId
   }
   CALL {
     MATCH (:Actor {id: $lazarus})-[r:USES]->(m:Artifact)
     UNWIND r.claims AS cid
     MATCH (c:Claim {id: cid})-[:BY]->(by:Actor)
     RETURN count(DISTINCT m) AS used, collect(DISTINCT by.name) AS claimants, collect(DISTINCT c.stance) AS stances
   }
   CALL {
     MATCH (:Incident {id: $campaign})<-[r:OBSERVED_IN]-(m:Artifact)
     RETURN count(m) AS observed
   }
   CALL {
     MATCH (s:ModelStat {id: 'artifact-users'})
     RETURN s.actors AS stored,
       COUNT { MATCH (x:Actor) WHERE EXISTS { MATCH (x)-[r:USES]->(:Artifact) WHERE ${onRecord('r')} } } AS recount
   }
   CALL {
     MATCH (m:Artifact) WHERE m.id STARTS WITH $prefix
     WITH m, COUNT { MATCH (:Actor)-[r:USES]->(m) WHERE ${onRecord('r')} } AS df
     RETURN count(CASE WHEN coalesce(m.actorCount, 0) <> df THEN 1 END) AS wrongDf
   }
   RETURN *`,
);
const CLEAN = cypher<{ n: number }>(
  'testStixClean',
  'MATCH (n:Entity) WHERE n.id STARTS WITH $prefix DETACH DELETE n RETURN count(*) AS n',
);
const COUNT = cypher<{ n: number }>(
  'testStixCount',
  'MATCH (n:Entity) WHERE n.id STARTS WITH $prefix RETURN count(n) AS n',
);
const ALIASES = cypher<{
  name: string;
  target: string;
  stance: string;
  claimant: string;
  urls: string[];
}>(
  'testStixAliases',
  `MATCH (a:Actor {id: $id})-[k:KNOWN_AS]->(t)
   UNWIND k.claims AS cid
   MATCH (c:Claim {id: cid})-[:OBJECT]->(t)
   MATCH (c)-[:SUBJECT]->(a)
   MATCH (c)-[:BY]->(by:Actor)
   OPTIONAL MATCH (c)-[:CITES]->(s:Source)
   RETURN k.name AS name, t.id AS target, c.stance AS stance, by.name AS claimant, collect(s.url) AS urls`,
);
const KEPT = cypher<{ type: string; n: number; refs: number }>(
  'testStixKept',
  `MATCH (n:StixObject) WHERE n.id STARTS WITH $prefix
   RETURN n.stixType AS type, count(n) AS n, sum(COUNT { (n)-[:STIX_REF]->() }) AS refs`,
);
const FLAGGED = cypher<{ revoked: number; deprecated: number; inViews: number }>(
  'testStixFlagged',
  `MATCH (n:Entity) WHERE n.id STARTS WITH $prefix AND (n.revoked OR n.deprecated)
   RETURN count(CASE WHEN n.revoked THEN 1 END) AS revoked,
          count(CASE WHEN n.deprecated THEN 1 END) AS deprecated,
          count(CASE WHEN n:Actor OR n:Incident OR n:Claim OR n:Hypothesis OR n:Source THEN 1 END) AS inViews`,
);
const ATTRIBUTIONS = cypher<{
  incident: string;
  suspect: string;
  claimant: string;
  stance: string;
}>(
  'testStixAttributions',
  `MATCH (h:Hypothesis)-[:ABOUT]->(i:Incident) WHERE i.id STARTS WITH $prefix
   MATCH (h)-[:SUSPECTS]->(a:Actor)
   MATCH (c:Claim)-[r:SUPPORTS|DISPUTES]->(h)
   MATCH (c)-[:BY]->(by:Actor)
   RETURN i.name AS incident, a.name AS suspect, by.name AS claimant, c.stance AS stance`,
);

let conn: Connection;
const prefix = `${uid('stix')}/`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stix-test-'));

beforeAll(async () => {
  conn = await testConnect();
});
afterAll(async () => {
  await clean(prefix);
  await conn.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A bundle as canonical JSON: objects sorted by type and id. */
const canonical = (b: StixBundle) => JSON.stringify({ ...b, objects: sortObjects(b.objects) });

/** Runs the OASIS STIX validator (stix2-validator from PyPI) on files, in one process; fails if it is missing. */
function validate(
  files: string[],
): { file: string; valid: boolean; errors: string[]; warnings: string[] }[] {
  const script = [
    'import json, sys',
    'from stix2validator import validate_file, ValidationOptions',
    'out = []',
    'for f in sys.argv[1:]:',
    '    r = validate_file(f, ValidationOptions(version="2.1", enforce_refs=True))',
    '    o = r.object_results',
    '    out.append({"file": f, "valid": r.is_valid, "errors": [str(e) for x in o for e in x.errors], "warnings": [str(w) for x in o for w in x.warnings]})',
    'print(json.dumps(out))',
  ].join('\n');
  const p = spawnSync('python3', ['-c', script, ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (p.status !== 0)
    throw new Error(
      `stix2-validator did not run (pip install stix2-validator): ${p.stderr || p.error}`,
    );
  return JSON.parse(p.stdout);
}
const INCIDENTS = cypher<{ id: string }>(
  'testStixIncidents',
  'MATCH (i:Incident) WHERE i.stixModified IS NULL RETURN i.id AS id ORDER BY id',
);

describe('STIX export', () => {
  let bundle: StixBundle;
  beforeAll(async () => {
    bundle = await exportStix(conn.db(), { incident: 'sony-pictures-2014' });
  });
  const ofType = (t: string) => bundle.objects.filter((o) => o.type === t);
  const byX = (id: string) => bundle.objects.find((o) => o.x_attribution_id === id)!;

  it("every incident's export and the all-incidents bundle pass the OASIS validator: zero errors, zero warnings; a broken bundle fails it", async () => {
    const files: string[] = [];
    const save = (name: string, b: StixBundle) => {
      const f = path.join(tmp, `${name}.json`);
      fs.writeFileSync(f, JSON.stringify(b));
      files.push(f);
    };
    for (const { id } of await conn.db().read(INCIDENTS, {}))
      save(`incident-${id}`, await exportStix(conn.db(), { incident: id }));
    expect(files.length).toBeGreaterThanOrEqual(1);
    save('all', await exportStix(conn.db()));
    // Deliberately broken: an opinion without its required `opinion`, and a dangling reference.
    const broken = structuredClone(bundle);
    const op = broken.objects.find((o) => o.type === 'opinion')!;
    delete op.opinion;
    op.created_by_ref = `identity--${randomUUID()}`;
    save('broken', broken);
    const results = validate(files);
    for (const r of results.slice(0, -1)) {
      expect({ file: r.file, errors: r.errors, warnings: r.warnings }).toEqual({
        file: r.file,
        errors: [],
        warnings: [],
      });
      expect(r.valid).toBe(true);
    }
    const bad = results[results.length - 1];
    expect(bad.valid).toBe(false);
    expect(bad.errors.join('\n')).toMatch(/opinion/);
  });

  it('dates every object from the record (never 1970) and declares the x-attribution extension', () => {
    for (const o of bundle.objects) {
      expect({ id: o.id, created: String(o.created).slice(0, 4) }).not.toEqual({
        id: o.id,
        created: '1970',
      });
      expect(String(o.modified) >= String(o.created)).toBe(true);
      // Our new SDOs (evidence, events) declare the extension as new-sdo; a cyber observable
      // carries our properties inside it (property-extension); any other object using our
      // properties declares it as toplevel-property-extension.
      if (o.type.startsWith('x-attribution-'))
        expect(o.extensions).toEqual({ [EXTENSION_ID]: { extension_type: 'new-sdo' } });
      else if (OBSERVABLES.has(o.type)) {
        expect(Object.keys(o).filter((k) => k.startsWith('x_'))).toEqual([]);
        expect(o.extensions).toMatchObject({
          [EXTENSION_ID]: {
            extension_type: 'property-extension',
            x_attribution_id: expect.any(String),
          },
        });
      } else if (Object.keys(o).some((k) => k.startsWith('x_')))
        expect(o.extensions).toEqual({
          [EXTENSION_ID]: { extension_type: 'toplevel-property-extension' },
        });
    }
    expect(ofType('extension-definition')).toHaveLength(1);
    expect(ofType('x-attribution-evidence').length).toBeGreaterThan(0);
    expect(ofType('x-attribution-event').length).toBeGreaterThan(0);
    // Every id a UUIDv4 (STIX 2.1), a cyber observable's a UUIDv5; stable: the same node, the
    // same id.
    for (const o of bundle.objects)
      expect(o.id).toMatch(
        OBSERVABLES.has(o.type)
          ? /--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
          : /--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    // The technical layer travels: artifacts (SDOs and observables) and technical-link claims,
    // every one of our objects naming the node it stands for.
    for (const t of ['malware', 'tool', 'attack-pattern', 'indicator', 'ipv4-addr', 'file'])
      expect(ofType(t).length).toBeGreaterThan(0);
    const linkClaims = ofType('relationship').filter((r) => r.x_attribution_link);
    expect(new Set(linkClaims.map((r) => r.x_attribution_link))).toEqual(
      new Set([
        'uses',
        'observed-in',
        'communicates-with',
        'indicates',
        'drops',
        'variant-of',
        'targets',
      ]),
    );
    expect(byX('link-destover-88-53-215-64-fbi')).toMatchObject({
      relationship_type: 'communicates-with',
      source_ref: stixId('malware', 'malware-destover'),
      created_by_ref: stixId('identity', 'fbi'),
    });
  });

  it('maps hypotheses, suspects, claims and sources', () => {
    expect(ofType('incident')).toHaveLength(1);
    // H1 names three suspects: one attributed-to relationship each.
    const h1 = ofType('relationship').filter(
      (r) => r.x_attribution_hypothesis === 'sony-h1-dprk-state',
    );
    expect(h1.map((r) => r.target_ref).sort()).toEqual(
      [
        stixId('threat-actor', 'dprk'),
        stixId('threat-actor', 'rgb'),
        stixId('intrusion-set', 'lazarus-group'),
      ].sort(),
    );
    expect(
      h1.every(
        (r) =>
          r.relationship_type === 'related-to' &&
          r.source_ref === stixId('incident', 'sony-pictures-2014'),
      ),
    ).toBe(true);

    const lazarus = byX('lazarus-group');
    expect(lazarus.type).toBe('intrusion-set');
    expect(lazarus.aliases).toContain('Guardians of Peace');

    const fbi = byX('claim-fbi-2014-12-19-h1');
    expect(fbi).toMatchObject({
      type: 'opinion',
      opinion: 'agree',
      authors: ['Federal Bureau of Investigation (FBI)'],
      confidence: 70, // Admiralty credibility 2
      created: '2014-12-19T00:00:00.000Z',
      created_by_ref: stixId('identity', 'fbi'),
    });
    expect((fbi.object_refs as string[]).sort()).toEqual(h1.map((r) => r.id).sort());
    // One reference per cited source, named by its tag (S2, S20...).
    expect((fbi.external_references as { external_id?: string }[]).length).toBeGreaterThan(0);
    expect(
      (fbi.external_references as { external_id?: string }[]).every((r) =>
        /^S\d+/.test(r.external_id ?? ''),
      ),
    ).toBe(true);
    expect(ofType('opinion').some((o) => o.opinion === 'disagree')).toBe(true);
    // The DPRK is a suspect (threat-actor) and a claimant (identity, for created_by_ref).
    expect(
      bundle.objects
        .filter((o) => o.x_attribution_id === 'dprk')
        .map((o) => o.type)
        .sort(),
    ).toEqual(['identity', 'threat-actor']);
    // Every cited source is a report (or a note when undated) naming the objects that cite it.
    const reports = [...ofType('report'), ...ofType('note')];
    expect(reports.length).toBeGreaterThan(10);
    const cites = reports.filter((r) => (r.object_refs as string[]).includes(fbi.id));
    expect(cites.map((r) => r.x_attribution_tag).sort()).toEqual(
      (fbi.external_references as { external_id: string }[]).map((r) => r.external_id).sort(),
    );
  });

  it('is deterministic: two exports are equal after sorting, ids are stable', async () => {
    // Two exports back to back (the shared test database may be reseeded by other runs).
    const one = await exportStix(conn.db(), { incident: 'sony-pictures-2014' });
    const two = await exportStix(conn.db(), { incident: 'sony-pictures-2014' });
    expect(canonical(two)).toBe(canonical(one));
    expect(JSON.stringify(two)).toBe(JSON.stringify(one)); // already sorted: equal as text
    expect(byX('fbi').id).toBe(stixId('identity', 'fbi'));
    expect(new Set(bundle.objects.map((o) => o.id)).size).toBe(bundle.objects.length);
  });

  it('rejects an unknown incident', async () => {
    await expect(exportStix(conn.db(), { incident: 'no-such-incident' })).rejects.toThrow(
      /no incident/,
    );
  });
});

describe('STIX import of the public bundles', () => {
  /** A file's objects as the import should keep them: the newest version of each id. */
  const newest = (f: string) => {
    const byId = new Map<string, StixObject>();
    for (const o of (JSON.parse(fs.readFileSync(f, 'utf8')) as StixBundle).objects) {
      const prev = byId.get(o.id);
      const v = (x: StixObject) => String(x.modified ?? x.created ?? '');
      if (!prev || v(prev) < v(o)) byId.set(o.id, o);
    }
    return sortObjects([...byId.values()]);
  };

  it.each(FILES.map((f) => [path.basename(f), f]))(
    '%s: every object imported or kept (coverage asserted), and exported back equal',
    async (_name, f) => {
      const p = `${uid('stixf')}/`;
      try {
        const r = await importStix(conn.db(), [f], { idPrefix: p });
        const objects = newest(f);
        expect(r.coverage).toEqual({
          mapped: expect.any(Number),
          kept: expect.any(Number),
          dropped: 0,
          ratio: 1,
        });
        expect(r.coverage.mapped + r.coverage.kept).toBe(objects.length);
        expect(r.created).toBe(objects.length);
        const back = await exportImported(conn.db(), { idPrefix: p });
        expect(back.objects.length).toBe(objects.length);
        expect(back.objects).toEqual(objects);
      } finally {
        await clean(p);
      }
    },
  );

  it('imports every bundle in test/fixtures/stix together, counts by type as in the files, Lazarus with its aliases', async () => {
    // Expected counts, straight from the files (relationships by relationship_type).
    // Techniques in the files (not revoked or deprecated), and those with an ATT&CK T-id (the
    // OASIS examples' attack patterns cite CAPEC or nothing).
    const expected: Record<string, number> = {};
    const techniques = new Set<string>();
    const attackTechniques = new Set<string>();
    for (const f of FILES)
      for (const o of (JSON.parse(fs.readFileSync(f, 'utf8')) as StixBundle).objects) {
        const k =
          o.type === 'relationship' ? `relationship/${o.relationship_type as string}` : o.type;
        expected[k] = (expected[k] ?? 0) + 1;
        if (o.type !== 'attack-pattern' || o.revoked === true || o.x_mitre_deprecated === true)
          continue;
        techniques.add(o.id);
        const refs = (o.external_references as { external_id?: string }[] | undefined) ?? [];
        if (refs.some((x) => /^T[0-9]{4}/.test(x.external_id ?? ''))) attackTechniques.add(o.id);
      }
    const r = await importStix(conn.db(), FILES, { idPrefix: prefix, batchSize: 200 });
    expect(Object.fromEntries(Object.entries(r.byType).map(([k, c]) => [k, c.read]))).toEqual(
      expected,
    );
    expect(r.read).toBe(Object.values(expected).reduce((a, b) => a + b, 0));
    for (const c of Object.values(r.byType))
      expect(c.created + c.updated + c.unchanged + c.skipped).toBe(c.read);
    expect(r.skipped).toBe(0); // nothing dropped: the model maps it or a StixObject keeps it
    expect(r.coverage.dropped).toBe(0);
    expect(r.byType['intrusion-set'].created).toBeGreaterThan(0);
    // OpenCTI's opinion is about no attributed-to: kept as a StixObject, and said so.
    expect(r.warnings.byKind['opinion about no attributed-to relationship']).toBe(1);
    // The same Lazarus object arrives twice (ATT&CK 2.0 subset and ICS 2.1): imported once.
    expect(r.byType['intrusion-set'].unchanged).toBeGreaterThanOrEqual(1);
    expect(r.parsedOnce).toBe(true);

    // Kept objects: x-mitre-* and relationships the model has no place for (mitigates, detects)
    // as StixObject nodes with references as STIX_REF; revoked and deprecated ones flagged and
    // out of the model's labels. Malware, tools and techniques are artifacts (below).
    const kept = await conn.db().read(KEPT, { prefix });
    const byType = Object.fromEntries(kept.map((k) => [k.type, k]));
    expect(byType['x-mitre-tactic'].n).toBe(12);
    expect(byType['relationship'].refs).toBeGreaterThan(0);
    for (const t of ['malware', 'tool', 'attack-pattern'])
      expect(byType[t]?.n ?? 0).toBeLessThan(r.byType[t].read); // only revoked or deprecated ones

    // The technical half lands in the artifact labels: malware, tools and ATT&CK techniques (with
    // their T-ids); an intrusion set's `uses` is a technical-link claim by its creator (MITRE)
    // materialising USES; a campaign's `uses` is what was observed in it (OBSERVED_IN).
    const [tech] = await conn.db().read(TECHNICAL, {
      prefix,
      lazarus: prefix + LAZARUS,
      campaign: prefix + DREAM_JOB,
    });
    expect(tech.malware).toBeGreaterThanOrEqual(24);
    expect(tech.tools).toBeGreaterThanOrEqual(5);
    expect(tech.techniques).toBe(techniques.size);
    expect(tech.withAttackId).toBe(attackTechniques.size);
    expect(attackTechniques.size).toBeGreaterThan(150);
    expect(tech.used).toBeGreaterThan(50);
    expect(tech.claimants).toEqual(['The MITRE Corporation']);
    expect(tech.stances).toEqual(['asserts-link']);
    expect(tech.observed).toBe(3); // Operation Dream Job uses two malware and a tool
    // The specificity counts are right after the import (every artifact, and the actor total).
    expect(tech.wrongDf).toBe(0);
    expect(tech.stored).toBe(tech.recount);
    // Candidates for Operation Dream Job from its artifacts alone (its attributed-to unread):
    // Lazarus Group first.
    const [row] = await conn.db().read(CANDIDATES, {
      incident: prefix + DREAM_JOB,
      asOf: null,
      effective: toDate(new Date().toISOString().slice(0, 10)),
    });
    const df = new Map(row.profile.map((p) => [p.id, Number(p.df)]));
    const ranked = rankCandidates(
      row.profile.map((p) => ({ id: p.id, kind: p.kind, name: p.name })),
      new Map(row.candidates.map((c) => [c.actor, new Set(c.shared)])),
      { actors: Number(row.actors), df: (x) => df.get(x) ?? 0 },
      3,
    );
    expect(ranked[0].actor).toBe(prefix + LAZARUS);
    const revoked = await conn.db().read(FLAGGED, { prefix });
    expect(revoked[0].revoked).toBeGreaterThanOrEqual(3); // Stolen Pencil, APT34, Dragonfly 2.0
    expect(revoked[0].deprecated).toBeGreaterThanOrEqual(37);
    expect(revoked[0].inViews).toBe(0);

    // Lazarus Group: every alias, each an alias claim by MITRE citing ATT&CK. Without --trust
    // the names point at this import's own Alias nodes, never at the seed's actors.
    const aliases = await conn.db().read(ALIASES, { id: prefix + LAZARUS });
    expect(aliases.map((a) => a.name).sort()).toEqual([
      'Diamond Sleet',
      'Guardians of Peace',
      'HIDDEN COBRA',
      'Labyrinth Chollima',
      'Lazarus Group',
      'NICKEL ACADEMY',
      'ZINC',
    ]);
    const gop = aliases.find((a) => a.name === 'Guardians of Peace')!;
    expect(gop).toMatchObject({
      target: `${prefix}stix-name-guardians-of-peace`,
      stance: 'asserts-alias',
      claimant: 'The MITRE Corporation',
    });
    expect(gop.urls).toEqual(expect.arrayContaining(['https://attack.mitre.org/groups/G0032']));
    expect(r.nativeLinksRefused).toBe(0);

    // attributed-to from campaigns become hypotheses supported by a claim of the producer.
    const att = await conn.db().read(ATTRIBUTIONS, { prefix });
    expect(att).toContainEqual({
      incident: 'Operation Dream Job',
      suspect: 'Lazarus Group',
      claimant: 'The MITRE Corporation',
      stance: 'supports',
    });
    expect(att).toContainEqual(
      expect.objectContaining({ suspect: 'Moldy Pisces', stance: 'supports' }),
    );

    // Idempotent by STIX id: a second import changes nothing.
    const again = await importStix(conn.db(), FILES, { idPrefix: prefix });
    expect(again.created).toBe(0);
    expect(again.updated).toBe(0);
    expect(again.derived).toEqual({ created: 0, updated: 0 });
    expect(again.dbUpdates).toBe(0);
    expect(again.nativeLinksRefused).toBe(0); // rows written counted once, never below zero
  });

  it('updates an imported object when a newer version arrives', async () => {
    const p = `${uid('stixv')}/`;
    const id = `threat-actor--${randomUUID()}`;
    const bundle = (modified: string, name: string) => ({
      type: 'bundle',
      id: `bundle--${randomUUID()}`,
      objects: [
        {
          type: 'threat-actor',
          spec_version: '2.1',
          id,
          created: '2020-01-01T00:00:00.000Z',
          modified,
          name,
        },
      ],
    });
    try {
      const f1 = path.join(tmp, 'v1.json');
      fs.writeFileSync(f1, JSON.stringify(bundle('2020-01-01T00:00:00.000Z', 'Old name')));
      expect((await importStix(conn.db(), [f1], { idPrefix: p })).created).toBe(1);
      const f2 = path.join(tmp, 'v2.json');
      fs.writeFileSync(f2, JSON.stringify(bundle('2021-01-01T00:00:00.000Z', 'New name')));
      const r = await importStix(conn.db(), [f2, f1], { idPrefix: p });
      expect(r.byType['threat-actor']).toMatchObject({ read: 2, updated: 1, unchanged: 1 });
      const [{ n }] = await conn
        .db()
        .read(
          cypher<{ n: string }>('testStixName', 'MATCH (a:Actor {id: $id}) RETURN a.name AS n'),
          { id: p + id },
        );
      expect(n).toBe('New name');
    } finally {
      await clean(p);
    }
  });
});

describe('STIX import of a malformed bundle', () => {
  const good = () => ({
    type: 'identity',
    spec_version: '2.1',
    id: `identity--${randomUUID()}`,
    created: '2020-01-01T00:00:00.000Z',
    modified: '2020-01-01T00:00:00.000Z',
    name: 'Fine',
  });

  it('names the object index and the field, and imports nothing (not even the good files)', async () => {
    const p = `${uid('stixbad')}/`;
    const ok = path.join(tmp, 'ok.json');
    fs.writeFileSync(
      ok,
      JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects: [good(), good()] }),
    );
    const bad = path.join(tmp, 'bad.json');
    const rel = {
      ...good(),
      type: 'relationship',
      id: `relationship--${randomUUID()}`,
      relationship_type: 'attributed-to',
      source_ref: 'campaign-7',
      target_ref: good().id,
    };
    fs.writeFileSync(
      bad,
      JSON.stringify({
        type: 'bundle',
        id: `bundle--${randomUUID()}`,
        objects: [good(), good(), rel],
      }),
    );
    await expect(importStix(conn.db(), [ok, bad], { idPrefix: p })).rejects.toThrow(
      `${bad}: objects[2] field "source_ref": must be a STIX identifier`,
    );
    expect((await conn.db().read(COUNT, { prefix: p }))[0].n).toBe(0);
  });

  it('names the index on broken JSON and on a bundle that is not one', async () => {
    const p = `${uid('stixbad')}/`;
    const text = JSON.stringify({
      type: 'bundle',
      id: `bundle--${randomUUID()}`,
      objects: [good(), good(), good()],
    });
    const broken = path.join(tmp, 'broken.json');
    const cut = text.lastIndexOf('"name"');
    fs.writeFileSync(broken, text.slice(0, cut) + '"name" "x"}]}');
    await expect(importStix(conn.db(), [broken], { idPrefix: p })).rejects.toThrow(
      /broken\.json: objects\[2\]: invalid JSON/,
    );
    const notBundle = path.join(tmp, 'not-bundle.json');
    fs.writeFileSync(
      notBundle,
      JSON.stringify({ type: 'collection', id: `bundle--${randomUUID()}`, objects: [good()] }),
    );
    await expect(importStix(conn.db(), [notBundle], { idPrefix: p })).rejects.toThrow(
      /not-bundle\.json: bundle field "type": must be "bundle"/,
    );
    expect((await conn.db().read(COUNT, { prefix: p }))[0].n).toBe(0);
  });

  it('the CLI exits 2 on a malformed bundle read from stdin, and prints --help', () => {
    const cli = path.join(ROOT, 'src', 'cli.ts');
    const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
    const bad = JSON.stringify({
      type: 'bundle',
      id: `bundle--${randomUUID()}`,
      objects: [{ type: 'opinion', id: `opinion--${randomUUID()}`, opinion: 'agree' }],
    });
    const p = spawnSync(tsx, [cli, 'import', '-'], {
      input: bad,
      encoding: 'utf8',
      env: process.env,
    });
    expect(p.stderr).toMatch(/<stdin>: objects\[0\] field "created"/);
    expect(p.status).toBe(2);
    const h = spawnSync(tsx, [cli, 'import', '--help'], { encoding: 'utf8' });
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/Usage: attribution import \[options\] <files\.\.\.>/);
  });
});

describe('STIX round trip through ids', () => {
  it('export Sony, import it (from stdin), export again: zero creations, equal bundles', async () => {
    const first = await exportStix(conn.db(), { incident: 'sony-pictures-2014' });
    const r = await importStix(conn.db(), ['-'], {
      idPrefix: prefix,
      trust: true, // our own export: its ids name our nodes
      stdin: Readable.from([JSON.stringify(first)]),
    });
    expect(r.read).toBe(first.objects.length);
    expect(r.skipped).toBe(0);
    expect(r.warnings.total).toBe(0);
    expect(r.created).toBe(0);
    expect(r.updated).toBe(0);
    expect(r.derived).toEqual({ created: 0, updated: 0 });
    expect(r.dbUpdates).toBe(0);
    const second = await exportStix(conn.db(), { incident: 'sony-pictures-2014' });
    expect(canonical(second)).toBe(canonical(first));
    const byType = (b: StixBundle) =>
      b.objects.reduce<Record<string, number>>(
        (m, o: StixObject) => ({ ...m, [o.type]: (m[o.type] ?? 0) + 1 }),
        {},
      );
    expect(byType(second)).toEqual(byType(first));
  });
});
