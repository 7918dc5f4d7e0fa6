import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection, cypher } from '../src/db';
import { EVIDENCE_TYPE, refreshSpecificity } from '../src/model';
import { readRevisions } from '../src/revisions';
import { importStix } from '../src/stix';
import { testConnect, uid } from './helpers';

/**
 * The import's trust boundary (issue 14, Deliver 5): an untrusted bundle never changes or links
 * to native nodes; every import is stamped and audited; custom fields are validated as API input
 * and a malformed bundle writes nothing; a re-import keeps what the API owns.
 */
jest.setTimeout(300_000);

let conn: Connection;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stix-import-'));
const prefixes: string[] = [];
const fresh = () => {
  const p = `${uid('stiximp')}/`;
  prefixes.push(p);
  return p;
};

const CLEAN = cypher(
  'testStixImportClean',
  'MATCH (n:Entity) WHERE n.id STARTS WITH $prefix DETACH DELETE n',
);
const COUNT = cypher<{ n: number }>(
  'testStixImportCount',
  'MATCH (n:Entity) WHERE n.id STARTS WITH $prefix RETURN count(n) AS n',
);
const AUDIT = cypher<{ a: Record<string, unknown> }>(
  'testStixImportAudit',
  'MATCH (a:AuditEntry {id: $id}) RETURN a {.*} AS a',
);
/** The native nodes (no stixModified) and every relationship on them, as comparable text. */
const NATIVE = cypher<{ id: string; props: unknown; rels: unknown[] }>(
  'testStixImportNative',
  `MATCH (n:Entity) WHERE n.id IN $ids
   OPTIONAL MATCH (n)-[r]-(m)
   WITH n, r, m ORDER BY type(r), m.id
   RETURN n.id AS id, properties(n) AS props,
          collect({type: type(r), other: m.id, props: properties(r)}) AS rels
   ORDER BY id`,
);
/** Anything this import wrote on or next to a native node. */
const TOUCHED_NATIVE = cypher<{ nodes: number; rels: number }>(
  'testStixImportTouchedNative',
  `CALL () {
     MATCH (n:Entity) WHERE n.stixModified IS NULL
       AND (n.importId = $importId OR n.updatedByImport = $importId)
     RETURN count(n) AS nodes
   }
   CALL () {
     MATCH (n:Entity)-[r]-() WHERE n.stixModified IS NULL AND r.importId = $importId
     RETURN count(r) AS rels
   }
   RETURN nodes, rels`,
);
const STAMPS = cypher<{ n: number; files: string[]; shas: string[]; missing: number }>(
  'testStixImportStamps',
  `MATCH (n:Entity) WHERE n.id STARTS WITH $prefix
   RETURN count(n) AS n, collect(DISTINCT n.importFile) AS files,
          collect(DISTINCT n.importSha256) AS shas,
          count(CASE WHEN n.importId IS NULL OR n.importedAt IS NULL OR n.importedBy IS NULL THEN 1 END) AS missing`,
);

beforeAll(async () => {
  conn = await testConnect();
});
afterAll(async () => {
  for (const prefix of prefixes) await conn.db().write((tx) => tx.run(CLEAN, { prefix }));
  // The specificity counts follow what the clean-up deleted (a write like any other).
  await conn.db().write((tx) => refreshSpecificity(tx, []));
  await conn.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const T = '2020-01-01T00:00:00.000Z';
const sdo = (type: string, extra: Record<string, unknown> = {}) => ({
  type,
  spec_version: '2.1',
  id: `${type}--${randomUUID()}`,
  created: T,
  modified: T,
  ...extra,
});
const write = (name: string, objects: unknown[]) => {
  const f = path.join(tmp, `${name}-${randomUUID()}.json`);
  fs.writeFileSync(f, JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects }));
  return f;
};
const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

/** An incident attributed to an actor, and an identity's opinion on it, with our custom fields. */
function attributionBundle(custom: Record<string, Record<string, unknown>> = {}) {
  const identity = sdo('identity', {
    name: 'Some analyst',
    identity_class: 'individual',
    ...custom.identity,
  });
  const incident = sdo('incident', { name: 'An incident', ...custom.incident });
  const actor = sdo('threat-actor', { name: 'An actor', ...custom.actor });
  const rel = sdo('relationship', {
    relationship_type: 'attributed-to',
    source_ref: incident.id,
    target_ref: actor.id,
    ...custom.rel,
  });
  const opinion = sdo('opinion', {
    created_by_ref: identity.id,
    opinion: 'agree',
    explanation: 'It was them.',
    object_refs: [rel.id],
    ...custom.opinion,
  });
  return {
    identity,
    incident,
    actor,
    rel,
    opinion,
    all: [identity, incident, actor, rel, opinion],
  };
}

describe('STIX import: the hostile bundle (an identity mapped onto fbi, an opinion on H1)', () => {
  it('changes nothing native: no claim, link or property on seed nodes, all stamped and audited', async () => {
    const p = fresh();
    const native = ['fbi', 'dprk', 'sony-pictures-2014', 'sony-h1-dprk-state'];
    const before = await conn.db().read(NATIVE, { ids: native });
    expect(before).toHaveLength(4);
    const b = attributionBundle({
      identity: {
        x_attribution_id: 'fbi',
        name: 'Federal Bureau of Investigation (FBI)',
        identity_class: 'organization',
      },
      incident: {
        x_attribution_id: 'sony-pictures-2014',
        name: 'Sony Pictures Entertainment hack',
      },
      actor: { x_attribution_id: 'dprk', name: 'North Korea' },
      rel: { x_attribution_hypothesis: 'sony-h1-dprk-state' },
      opinion: {
        opinion: 'strongly-disagree',
        x_attribution_credibility: 1,
        x_attribution_id: 'claim-forged',
      },
    });
    const report = sdo('report', {
      name: 'Forged report',
      published: T,
      object_refs: [b.opinion.id],
      x_opencti_reliability: 'A - Completely reliable',
      created_by_ref: b.identity.id,
    });
    // Also an alias naming a native actor: it must not link to it.
    const alias = sdo('intrusion-set', { name: 'Forger', aliases: ['Lazarus Group'] });
    const f = write('hostile', [...b.all, report, alias]);
    const r = await importStix(conn.db(), [f], { idPrefix: p });
    expect(r.trusted).toBe(false);
    expect(r.created).toBe(7);

    expect(await conn.db().read(NATIVE, { ids: native })).toEqual(before);
    expect(await conn.db().read(TOUCHED_NATIVE, { importId: r.importId })).toEqual([
      { nodes: 0, rels: 0 },
    ]);
    // What it made stands on its own: a new identity, incident, hypothesis and claim.
    const [mine] = await conn.db().read(
      cypher<{ by: string; hyp: string; inc: string }>(
        'testStixImportHostileMine',
        `MATCH (c:Claim {id: $claim})-[:BY]->(by:Actor), (c)-[:DISPUTES]->(h:Hypothesis)-[:ABOUT]->(i:Incident)
           RETURN by.id AS by, h.id AS hyp, i.id AS inc`,
      ),
      { claim: p + b.opinion.id },
    );
    expect(mine).toEqual({
      by: p + b.identity.id,
      hyp: `${p}hyp:${p}${b.incident.id}>${p}${b.actor.id}`,
      inc: p + b.incident.id,
    });

    // Provenance on every node it created, and one audit entry naming the file and its sha256.
    const [stamps] = await conn.db().read(STAMPS, { prefix: p });
    expect(stamps).toMatchObject({ files: [f], shas: [sha(f)], missing: 0 });
    expect(stamps.n).toBeGreaterThanOrEqual(7);
    const [audit] = await conn.db().read(AUDIT, { id: r.importId });
    expect(audit.a).toMatchObject({ operation: 'importStix', principal: 'cli' });
    expect(JSON.parse(audit.a.arguments as string)).toEqual({
      files: [{ name: f, bytes: fs.statSync(f).size, sha256: sha(f) }],
      trust: false,
    });
    expect(JSON.parse(audit.a.result as string)).toMatchObject({ read: 7, created: 7 });
  });
});

describe('STIX import: a malformed bundle writes nothing', () => {
  const rejects = async (objects: unknown[], message: RegExp) => {
    const p = fresh();
    const f = write('bad', objects);
    await expect(importStix(conn.db(), [f], { idPrefix: p })).rejects.toThrow(message);
    expect((await conn.db().read(COUNT, { prefix: p }))[0].n).toBe(0);
  };
  const claim = (extra: Record<string, unknown>) => ({
    id: 'alias-claim-1',
    alias: 'Another name',
    ...extra,
  });

  it('source_refs that is not an array', async () => {
    const b = attributionBundle({
      actor: { x_attribution_alias_claims: [claim({ source_refs: 'report--x' })] },
    });
    await rejects(
      b.all,
      /objects\[2\] field "x_attribution_alias_claims\.0\.source_refs": .*array/,
    );
  });
  it('a numeric stated date', async () => {
    const b = attributionBundle({
      actor: { x_attribution_alias_claims: [claim({ stated: 2014, stated_precision: 'year' })] },
    });
    await rejects(b.all, /field "x_attribution_alias_claims\.0\.stated"/);
    const c = attributionBundle({ opinion: { x_attribution_stated: 20141219 } });
    await rejects(c.all, /objects\[4\] field "x_attribution_stated"/);
  });
  it('an object note', async () => {
    const b = attributionBundle({ opinion: { x_attribution_note: { html: '<b>x</b>' } } });
    await rejects(b.all, /objects\[4\] field "x_attribution_note": .*string/);
  });
  it('a credibility outside 1-6, and a text kind outside the vocabulary', async () => {
    await rejects(
      attributionBundle({ opinion: { x_attribution_credibility: 9 } }).all,
      /field "x_attribution_credibility": must be 1 to 6/,
    );
    await rejects(
      attributionBundle({ opinion: { x_attribution_credibility: 1.5 } }).all,
      /field "x_attribution_credibility": must be an integer/,
    );
    await rejects(
      attributionBundle({ opinion: { x_attribution_text_kind: 'rumour' } }).all,
      /field "x_attribution_text_kind"/,
    );
  });
  it('a reference to a missing object (in a relationship, an opinion, an alias claim)', async () => {
    const missing = `threat-actor--${randomUUID()}`;
    await rejects(
      attributionBundle({ rel: { target_ref: missing } }).all,
      new RegExp(
        `objects\\[3\\] field "target_ref": names ${missing}, which is neither in the import`,
      ),
    );
    await rejects(
      attributionBundle({ opinion: { object_refs: [`relationship--${randomUUID()}`] } }).all,
      /objects\[4\] field "object_refs\.0": names relationship--/,
    );
    await rejects(
      attributionBundle({
        actor: {
          x_attribution_alias_claims: [claim({ claimant_ref: `identity--${randomUUID()}` })],
        },
      }).all,
      /field "x_attribution_alias_claims\.0\.claimant_ref": names identity--/,
    );
  });
  it('identity_class "constructor" is a value like any other (open vocabulary): no crash, kind persona', async () => {
    const p = fresh();
    const b = attributionBundle({ identity: { identity_class: 'constructor' } });
    const r = await importStix(conn.db(), [write('ctor', b.all)], { idPrefix: p });
    expect(r.created).toBe(5);
    const [{ kind }] = await conn
      .db()
      .read(
        cypher<{ kind: string }>(
          'testStixImportKind',
          'MATCH (a:Actor {id: $id}) RETURN a.kind AS kind',
        ),
        {
          id: p + b.identity.id,
        },
      );
    expect(kind).toBe('persona');
  });

  it('a 200 MB bundle whose last object is malformed: nothing written, memory bounded', async () => {
    const p = fresh();
    const f = path.join(tmp, 'big.json');
    const out = fs.openSync(f, 'w');
    fs.writeSync(out, `{"type":"bundle","id":"bundle--${randomUUID()}","objects":[`);
    const pad = 'x'.repeat(1500);
    let bytes = 0;
    let n = 0;
    const chunk: string[] = [];
    while (bytes < 200 * 1024 * 1024) {
      const o = JSON.stringify(sdo('identity', { name: `Identity ${n}`, description: pad }));
      chunk.push(o);
      bytes += o.length + 1;
      n += 1;
      if (chunk.length === 1000) {
        fs.writeSync(out, (n > 1000 ? ',' : '') + chunk.join(','));
        chunk.length = 0;
      }
    }
    if (chunk.length) fs.writeSync(out, ',' + chunk.join(','));
    // The last object: a relationship whose target is missing.
    fs.writeSync(
      out,
      ',' +
        JSON.stringify(
          sdo('relationship', {
            relationship_type: 'attributed-to',
            source_ref: `incident--${randomUUID()}`,
            target_ref: `threat-actor--${randomUUID()}`,
          }),
        ) +
        ']}',
    );
    fs.closeSync(out);
    expect(fs.statSync(f).size).toBeGreaterThan(200 * 1024 * 1024);
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    try {
      await expect(importStix(conn.db(), [f], { idPrefix: p })).rejects.toThrow(
        new RegExp(`objects\\[${n}\\] field "source_ref": names incident--`),
      );
    } finally {
      clearInterval(timer);
      fs.rmSync(f);
    }
    expect((await conn.db().read(COUNT, { prefix: p }))[0].n).toBe(0);
    // Not held whole: streamed and validated with an index of ids (well under the file's size).
    expect(peak - rss0).toBeLessThan(200 * 1024 * 1024);
  });
});

describe('STIX import: a re-import keeps what the API owns', () => {
  it('a newer version updates the claim but keeps its retraction, correction and provenance', async () => {
    const p = fresh();
    const b = attributionBundle();
    const r1 = await importStix(conn.db(), [write('v1', b.all)], { idPrefix: p });
    const id = p + b.opinion.id;
    await conn.db().write((tx) =>
      tx.run(
        cypher(
          'testStixImportRetract',
          `MATCH (c:Claim {id: $id})
           SET c.retractedAt = date('2021-01-01'), c.retractedBy = 'key-1', c.retractionReason = 'Withdrawn.',
               c.retractionRecordedAt = datetime(), c.text = 'It was them (corrected).',
               c.correctedAt = datetime(), c.correctedBy = 'key-2'`,
        ),
        { id },
      ),
    );
    const v2 = {
      ...b.opinion,
      modified: '2021-06-01T00:00:00.000Z',
      explanation: 'Changed.',
      confidence: 90,
    };
    const r2 = await importStix(
      conn.db(),
      [write('v2', [b.identity, b.incident, b.actor, b.rel, v2])],
      {
        idPrefix: p,
      },
    );
    expect(r2.byType.opinion).toMatchObject({ updated: 1 });
    const [{ c }] = await conn
      .db()
      .read(
        cypher<{ c: Record<string, unknown> }>(
          'testStixImportClaim',
          'MATCH (c:Claim {id: $id}) RETURN c {.*} AS c',
        ),
        {
          id,
        },
      );
    expect(c).toMatchObject({
      retractedBy: 'key-1',
      retractionReason: 'Withdrawn.',
      text: 'It was them (corrected).',
      correctedBy: 'key-2',
      credibility: 1, // from the newer version
      importId: r1.importId, // provenance of the import that created it
      updatedByImport: r2.importId,
      stixModified: '2021-06-01T00:00:00.000Z',
    });
    expect(c.retractedAt).toBeDefined();
    expect(JSON.parse(c.stixJson as string)).toEqual(v2);
  });
});

describe('STIX import: batches are bulk work', () => {
  it('each write transaction gets the import limit (120 s, or txTimeoutMs), never the API 15 s', async () => {
    const db = conn.db();
    const limits: (number | undefined)[] = [];
    const realWrite = db.write.bind(db);
    const spy = jest
      .spyOn(db, 'write')
      .mockImplementation((work, opts) => (limits.push(opts?.timeoutMs), realWrite(work, opts)));
    try {
      const b = attributionBundle();
      const f = write('batches', b.all);
      await importStix(db, [f], { idPrefix: fresh(), batchSize: 2 });
      // audit, nodes (3 batches), links (3 batches), audit result
      const batches = limits.filter((x) => x !== undefined);
      expect(batches.length).toBeGreaterThanOrEqual(4);
      expect(new Set(batches)).toEqual(new Set([Math.max(120_000, db.txTimeoutMs)]));
      limits.length = 0;
      await importStix(db, [f], { idPrefix: fresh(), batchSize: 2, txTimeoutMs: 30_000 });
      expect(new Set(limits.filter((x) => x !== undefined))).toEqual(new Set([30_000]));
    } finally {
      spy.mockRestore();
    }
  });
});

describe('STIX import: revisions (the per-incident counter caches key on)', () => {
  const rev = async (incident: string) =>
    (await readRevisions(conn.db(), [incident])).get(incident)!;

  it('bumps the incidents an import creates, and an older incident only when the import reaches it', async () => {
    const p = fresh();
    const a = attributionBundle();
    // Two objects per batch: the incident's batch comes before its hypothesis and claim.
    await importStix(conn.db(), [write('rev-a', a.all)], { idPrefix: p, batchSize: 2 });
    const incident = p + a.incident.id;
    const r1 = await rev(incident);
    expect(r1).toBeGreaterThan(0);

    // An import that does not reach it leaves it alone.
    const other = sdo('incident', { name: 'Another incident' });
    await importStix(conn.db(), [write('rev-other', [other])], { idPrefix: p });
    expect(await rev(p + other.id)).toBeGreaterThan(0);
    expect(await rev(incident)).toBe(r1);

    // An item of evidence observed in it (named by STIX id, imported earlier): bumped.
    const evidence = sdo(EVIDENCE_TYPE, {
      name: 'A log line',
      x_attribution_incident_ref: a.incident.id,
      x_attribution_reported_precision: 'unknown',
    });
    await importStix(conn.db(), [write('rev-evidence', [evidence])], { idPrefix: p });
    const r2 = await rev(incident);
    expect(r2).toBeGreaterThan(r1);

    // A newer version of the incident itself: bumped.
    const newer = {
      ...a.incident,
      name: 'An incident, renamed',
      modified: '2021-01-01T00:00:00.000Z',
    };
    await importStix(conn.db(), [write('rev-newer', [newer])], { idPrefix: p });
    expect(await rev(incident)).toBeGreaterThan(r2);
  });
});

describe('STIX import: a grouping is a source', () => {
  it('becomes a Source (tag STIX-GROUPING) that the objects it lists cite, kept whole', async () => {
    const p = fresh();
    const incident = sdo('incident', { name: 'A grouped incident' });
    const grouping = sdo('grouping', {
      name: 'Activity under review',
      context: 'suspicious-activity',
      object_refs: [incident.id],
    });
    const r = await importStix(conn.db(), [write('grouping', [incident, grouping])], {
      idPrefix: p,
    });
    expect(r.byType.grouping).toMatchObject({ read: 1, created: 1 });
    expect(r.coverage).toMatchObject({ mapped: 2, kept: 0, dropped: 0 });
    const [row] = await conn.db().read(
      cypher<{ tag: string; title: string; json: string; citedBy: string[] }>(
        'testStixImportGrouping',
        `MATCH (s:Source {id: $id})
         RETURN s.tag AS tag, s.title AS title, s.stixJson AS json,
                COLLECT { MATCH (x)-[:CITES]->(s) RETURN x.id } AS citedBy`,
      ),
      { id: p + grouping.id },
    );
    expect({ ...row, json: JSON.parse(row.json) as unknown }).toEqual({
      tag: 'STIX-GROUPING',
      title: 'Activity under review',
      json: grouping,
      citedBy: [p + incident.id],
    });
  });

  it('without a context it is malformed: nothing written', async () => {
    const p = fresh();
    const incident = sdo('incident', { name: 'An incident' });
    const grouping = sdo('grouping', { object_refs: [incident.id] });
    await expect(
      importStix(conn.db(), [write('grouping-bad', [incident, grouping])], { idPrefix: p }),
    ).rejects.toThrow(/objects\[1\] field "context"/);
    expect(await conn.db().read(COUNT, { prefix: p })).toEqual([{ n: 0 }]);
  });
});
