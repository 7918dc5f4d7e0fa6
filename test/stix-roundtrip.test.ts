import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ROOT, loadConfig } from '../src/config';
import { Connection, connect, cypher, migrate, startLocalNeo4j, stopLocalNeo4j } from '../src/db';
import { App, startApp } from '../src/server';
import { StixBundle, exportStix, importStix } from '../src/stix';
import { testConnect } from './helpers';

/**
 * Issue 7, "Done when" 1: export the Sony case from the shared test database, import it into an
 * EMPTY database (a Neo4j of its own: own port and data folder, never the shared one), export
 * again: the two bundles are equal after sorting, and the API answers the same hypotheses,
 * suspects, supporters and opponents on both. Assessments (scores) are not compared: evidence,
 * ACH ratings, affiliations and relaying (RELAYS / CARRIES) are not part of the STIX mapping
 * (docs/stix-mapping.md), and the scores use them. The new Neo4j is stopped and deleted after.
 */
const PORT = Number(process.env.NEO4J_ROUNDTRIP_PORT ?? 7696);
const HOME = path.join(ROOT, '.neo4j', `roundtrip-${process.pid}`);
const PASSWORD = 'roundtrip-test-password';
const SONY = 'sony-pictures-2014';
const COUNT = cypher<{ n: number }>('roundtripCount', 'MATCH (n:Entity) RETURN count(n) AS n');
/** Properties of our model that the STIX mapping carries (stix* bookkeeping aside). */
const CARRIED = [
  'name',
  'kind',
  'country',
  'description',
  'summary',
  'statement',
  'tag',
  'stance',
  'alias',
  'text',
  'textKind',
  'credibility',
  'title',
  'url',
  'reliability',
  'reliabilityReason',
  'startedAt',
  'startedAtPrecision',
  'statedAt',
  'statedAtPrecision',
  'publishedAt',
  'publishedAtPrecision',
  'knownFrom',
  'retractedAt',
  'retractionReason',
  'unverified',
  'note',
];
const PROPS = cypher<{ id: string; p: Record<string, unknown> }>(
  'roundtripProps',
  `MATCH (n:Entity) WHERE $ids IS NULL OR n.id IN $ids
   RETURN n.id AS id, n {.*} AS p
   ORDER BY id`,
);
/** A node's carried properties, as comparable values. */
const carried = (p: Record<string, unknown>) =>
  Object.fromEntries(CARRIED.filter((k) => p[k] !== undefined).map((k) => [k, String(p[k])]));

const QUERY = `{ incident(id: "${SONY}") { hypotheses { id statement suspects { id }
  supporters { actor { id } claims { id text statedAt } }
  opponents { actor { id } claims { id } } } } }`;

/** JSON with object keys sorted at every depth (array order kept). */
function canonicalJson(v: unknown): string {
  const sortKeys = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sortKeys)
      : x && typeof x === 'object'
        ? Object.fromEntries(
            Object.entries(x as Record<string, unknown>)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([k, y]) => [k, sortKeys(y)]),
          )
        : x;
  return JSON.stringify(sortKeys(v));
}

/** A bundle with its objects sorted by id (then type), each canonicalised. */
const canonicalBundle = (b: StixBundle) =>
  [...b.objects]
    .map((o) => canonicalJson(o))
    .sort()
    .join('\n');

/** Lists sorted at every depth (by canonical JSON of their items), so answers compare as sets. */
function sortLists(v: unknown): unknown {
  if (Array.isArray(v))
    return v
      .map(sortLists)
      .sort((a, b) =>
        canonicalJson(a) < canonicalJson(b) ? -1 : canonicalJson(a) > canonicalJson(b) ? 1 : 0,
      );
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, sortLists(x)]),
    );
  return v;
}

async function ask(app: App): Promise<unknown> {
  const res = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: QUERY }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return body.data;
}

describe('STIX round trip into an empty database', () => {
  let shared: Connection;
  let empty: Connection;
  let emptyEnv: Record<string, string>;
  const apps: App[] = [];

  beforeAll(async () => {
    shared = await testConnect();
    fs.rmSync(HOME, { recursive: true, force: true });
    const local = await startLocalNeo4j({
      home: HOME,
      port: PORT,
      password: PASSWORD,
      log: () => undefined,
    });
    emptyEnv = { NEO4J_URI: local.uri, NEO4J_PASSWORD: PASSWORD };
    empty = await connect(loadConfig({ ...process.env, ...emptyEnv }));
    await migrate(empty.db());
  }, 180_000);

  afterAll(async () => {
    for (const app of apps) await app.stop();
    await empty?.close();
    await shared?.close();
    await stopLocalNeo4j(HOME, () => undefined);
    fs.rmSync(HOME, { recursive: true, force: true });
  }, 120_000);

  it('export Sony, import it into an empty database (stdin), export again: equal bundles, same answers', async () => {
    const config = (env: Record<string, string>) =>
      loadConfig({ ...process.env, ...env, PORT: '0', NODE_ENV: 'test' });
    const sharedApp = await startApp(shared, config({}));
    apps.push(sharedApp);

    // Other test files write to the shared database meanwhile: take the export and the answer
    // from a moment when the answer did not change around the export.
    let first: StixBundle | undefined;
    let before: unknown;
    for (let i = 0; i < 5 && !first; i++) {
      before = sortLists(await ask(sharedApp));
      const bundle = await exportStix(shared.db(), { incident: SONY });
      if (canonicalJson(sortLists(await ask(sharedApp))) === canonicalJson(before)) first = bundle;
    }
    expect(first).toBeDefined();
    const sent = first!;

    expect((await empty.db().read(COUNT))[0].n).toBe(0);
    const r = await importStix(empty.db(), ['-'], {
      trust: true, // our own export: its ids name the nodes
      stdin: Readable.from([JSON.stringify(sent)]),
    });
    expect(r.read).toBe(sent.objects.length);
    // All but our extension definition and its identity (they describe the format: nothing to hold).
    expect(r.created).toBe(sent.objects.length - 2);
    expect(r.skipped).toBe(0);
    expect(r.warnings.total).toBe(0);

    const second = await exportStix(empty.db(), { incident: SONY });
    expect(second.id).toBe(sent.id);
    expect(second.objects.length).toBe(sent.objects.length);
    expect(canonicalBundle(second)).toBe(canonicalBundle(sent));

    // The properties the mapping carries arrived as the shared database has them (ids, dates
    // with their precision and knownFrom, unverified, notes, alias claims).
    const mine = await empty.db().read(PROPS, { ids: null });
    const theirs = new Map(
      (await shared.db().read(PROPS, { ids: mine.map((m) => m.id) })).map((t) => [t.id, t.p]),
    );
    const derived = mine.filter((m) => !theirs.has(m.id)).map((m) => m.id);
    // The one node of its own: the alias "Guardians of Peace" points, in the seed, to the Guardians
    // of Peace actor, whom the Sony bundle does not hold; the import gives the name an Alias node.
    expect(derived).toEqual(['name-guardians-of-peace']);
    for (const m of mine.filter((x) => theirs.has(x.id)))
      expect({ id: m.id, ...carried(m.p) }).toEqual({ id: m.id, ...carried(theirs.get(m.id)!) });

    // Importing the same bundle again changes nothing.
    const again = await importStix(empty.db(), ['-'], {
      trust: true,
      stdin: Readable.from([JSON.stringify(sent)]),
    });
    expect(again).toMatchObject({ created: 0, updated: 0, dbUpdates: 0 });
    expect(again.derived).toEqual({ created: 0, updated: 0 });

    // The API on both databases: hypotheses, suspects, supporters (with claim texts and dates)
    // and opponents. Assessments are not compared: evidence, ACH ratings, affiliations and
    // relaying (RELAYS / CARRIES) are not in the STIX mapping, and the scores use them.
    const emptyApp = await startApp(empty, config(emptyEnv));
    apps.push(emptyApp);
    const after = sortLists(await ask(emptyApp));
    expect(after).toEqual(before);
    const hyps = (after as { incident: { hypotheses: { supporters: []; opponents: [] }[] } })
      .incident.hypotheses;
    // H0 ("other or unknown", nobody argues for it) and H1-H5, each of those with both sides.
    expect(hyps).toHaveLength(6);
    expect(hyps.filter((h) => h.supporters.length > 0 && h.opponents.length > 0)).toHaveLength(5);
  }, 300_000);
});
