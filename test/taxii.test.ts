/**
 * The read-only TAXII 2.1 feed (issue 7) over HTTP: discovery, API root, collections, objects
 * with paging and filters, manifest, errors as TAXII error messages, content negotiation, the
 * anonymous-read rule; and interoperability with the OASIS Python client (taxii2-client).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cliPrincipal } from '../src/auth';
import { cypher } from '../src/db';
import { createApiKey } from '../src/mutations';
import { EXTENSION_ID, StixBundle, exportStix, uuidv5, STIX_NAMESPACE } from '../src/stix';
import { TAXII_MEDIA_TYPE, collectionId } from '../src/taxii';
import { TestServer, startTestServer, uid } from './helpers';

jest.setTimeout(120_000);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const SONY = 'sony-pictures-2014';
const P = uid('taxii');
let t: TestServer;
let origin: string;
let sony: StixBundle;
let sonyCollection: string;

const CLEAN = cypher(
  'testCleanTaxii',
  `MATCH (k:ApiKey) WHERE k.name STARTS WITH $p
   WITH collect(k) AS ks, collect(k.id) AS ids
   CALL (ids) { MATCH (a:AuditEntry) WHERE any(i IN a.ids WHERE i IN ids) DETACH DELETE a }
   FOREACH (k IN ks | DETACH DELETE k)`,
);

interface Reply {
  status: number;
  contentType: string | null;
  headers: Headers;
  body: Json;
}

async function taxii(
  path: string,
  init: { accept?: string | null; method?: string; authorization?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  const accept = init.accept === undefined ? TAXII_MEDIA_TYPE : init.accept;
  if (accept !== null) headers.accept = accept;
  if (init.authorization) headers.authorization = init.authorization;
  const res = await fetch(origin + path, { method: init.method ?? 'GET', headers });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    headers: res.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

const objectsPath = (collection: string, query = '') =>
  `/api/collections/${collection}/objects/${query ? `?${query}` : ''}`;

/** Every page of a list endpoint, following `next`. */
async function walk(path: string, query: string) {
  const pages: Reply[] = [];
  let next: string | undefined;
  do {
    const q = [query, next ? `next=${encodeURIComponent(next)}` : ''].filter(Boolean).join('&');
    const r = await taxii(`${path}?${q}`);
    expect(r.status).toBe(200);
    pages.push(r);
    next = r.body.next;
    expect(Boolean(next)).toBe(r.body.more);
  } while (next);
  return pages;
}

beforeAll(async () => {
  t = await startTestServer();
  origin = new URL(t.app.url).origin;
  sony = await exportStix(t.conn.db(), { incident: SONY });
  sonyCollection = collectionId(SONY);
});

afterAll(async () => {
  if (t) {
    await t.conn.db().write((tx) => tx.run(CLEAN, { p: P }));
    await t.close();
  }
});

describe('discovery, API root and collections', () => {
  it('answers discovery at /taxii2/ with the TAXII media type', async () => {
    const r = await taxii('/taxii2/');
    expect(r.status).toBe(200);
    expect(r.contentType).toBe(TAXII_MEDIA_TYPE);
    expect(r.body).toMatchObject({ default: '/api/', api_roots: ['/api/'] });
    expect(r.body.title).toEqual(expect.any(String));
  });

  it('describes the API root', async () => {
    const r = await taxii('/api/');
    expect(r.status).toBe(200);
    expect(r.contentType).toBe(TAXII_MEDIA_TYPE);
    expect(r.body).toMatchObject({
      title: expect.any(String),
      versions: ['application/taxii+json;version=2.1'],
      max_content_length: expect.any(Number),
    });
  });

  it('lists one collection per incident plus "all", with stable UUIDv5 ids, read-only', async () => {
    const r = await taxii('/api/collections/');
    expect(r.status).toBe(200);
    const cols: Json[] = r.body.collections;
    expect(cols[0]).toMatchObject({ alias: 'all', id: collectionId(null) });
    const s = cols.find((c) => c.alias === SONY);
    expect(s).toEqual({
      id: uuidv5(`taxii-collection:${SONY}`, STIX_NAMESPACE),
      title: 'Sony Pictures Entertainment hack (2014)',
      description: expect.stringContaining(SONY),
      alias: SONY,
      can_read: true,
      can_write: false,
      media_types: ['application/stix+json;version=2.1'],
    });
    expect(new Set(cols.map((c) => c.id)).size).toBe(cols.length);
    for (const c of cols) expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-/);

    const one = await taxii(`/api/collections/${sonyCollection}/`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(s);
    // The alias names the collection too (handy with curl).
    expect((await taxii(`/api/collections/${SONY}/`)).body.id).toBe(sonyCollection);
  });
});

describe('objects', () => {
  it('pages through a collection with limit and next: every exported object, once', async () => {
    const pages = await walk(objectsPath(sonyCollection), 'limit=7');
    expect(pages.length).toBe(Math.ceil(sony.objects.length / 7));
    for (const p of pages) {
      expect(p.contentType).toBe(TAXII_MEDIA_TYPE);
      expect(p.body.objects.length).toBeLessThanOrEqual(7);
      expect(p.headers.get('x-taxii-date-added-first')).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(p.headers.get('x-taxii-date-added-last')).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    // One export for the whole walk: the pages after the first come from its snapshot.
    const statements = pages.map((p) => Number(p.headers.get('x-cypher-statements')));
    expect(statements[0]).toBeGreaterThan(3);
    expect(statements.slice(1)).toEqual(statements.slice(1).map(() => 0));
    const got: Json[] = pages.flatMap((p) => p.body.objects);
    expect(got.length).toBe(sony.objects.length);
    const byId = new Map(sony.objects.map((o) => [o.id, o]));
    expect(new Set(got.map((o) => o.id))).toEqual(new Set(byId.keys()));
    for (const o of got) expect(o).toEqual(byId.get(o.id));
  });

  it('lists the manifest in date_added order, with versions and media types', async () => {
    const pages = await walk(`/api/collections/${sonyCollection}/manifest/`, 'limit=50');
    const records: Json[] = pages.flatMap((p) => p.body.objects);
    expect(records.length).toBe(sony.objects.length);
    expect(pages.slice(1).map((p) => p.headers.get('x-cypher-statements'))).toEqual(
      pages.slice(1).map(() => '0'),
    );
    const sorted = [...records].sort((a, b) =>
      a.date_added === b.date_added
        ? a.id.localeCompare(b.id)
        : a.date_added < b.date_added
          ? -1
          : 1,
    );
    expect(records.map((m) => m.id)).toEqual(sorted.map((m) => m.id));
    const byId = new Map(sony.objects.map((o) => [o.id, o]));
    for (const m of records) {
      expect(m.media_type).toBe('application/stix+json;version=2.1');
      // a cyber observable has no modified: the day the record first reports it
      const o = byId.get(m.id)!;
      const ext = (o.extensions as Record<string, Json> | undefined)?.[EXTENSION_ID];
      expect(m.version).toBe(
        new Date(
          (o.modified as string | undefined) ??
            `${ext?.x_attribution_first_reported as string}T00:00:00Z`,
        ).toISOString(),
      );
      expect(m.date_added >= m.version).toBe(true);
    }
  });

  it('filters with match[type], match[id], match[version] and added_after', async () => {
    const count = (types: string[]) => sony.objects.filter((o) => types.includes(o.type)).length;

    const byType = await taxii(
      objectsPath(sonyCollection, 'match[type]=opinion,incident&limit=1000'),
    );
    expect(byType.body.objects.length).toBe(count(['opinion', 'incident']));
    expect(new Set(byType.body.objects.map((o: Json) => o.type))).toEqual(
      new Set(['opinion', 'incident']),
    );

    const ids = [sony.objects[0].id, sony.objects[sony.objects.length - 1].id];
    const byId = await taxii(objectsPath(sonyCollection, `match[id]=${ids.join(',')}`));
    expect(byId.body.objects.map((o: Json) => o.id).sort()).toEqual([...ids].sort());
    // Repeated parameters mean the same as a comma-separated list.
    const repeated = await taxii(
      objectsPath(sonyCollection, ids.map((id) => `match[id]=${id}`).join('&')),
    );
    expect(repeated.body.objects.length).toBe(2);

    const last = await taxii(objectsPath(sonyCollection, 'match[version]=last&limit=1000'));
    expect(last.body.objects.length).toBe(sony.objects.length);
    const opinion = sony.objects.find((o) => o.type === 'opinion')!;
    const sameVersion = sony.objects.filter((o) => o.modified === opinion.modified).length;
    const atVersion = await taxii(
      objectsPath(sonyCollection, `match[version]=${opinion.modified as string}&limit=1000`),
    );
    expect(atVersion.body.objects.length).toBe(sameVersion);
    expect(atVersion.body.objects.map((o: Json) => o.id)).toContain(opinion.id);

    const manifest = (await taxii(`/api/collections/${sonyCollection}/manifest/?limit=1000`)).body
      .objects as Json[];
    const cut = '2014-12-19T00:00:00.000Z';
    const after = await taxii(objectsPath(sonyCollection, `added_after=${cut}&limit=1000`));
    const expected = manifest.filter((m) => m.date_added > cut).map((m) => m.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(manifest.length);
    expect(after.body.objects.map((o: Json) => o.id)).toEqual(expected);
    expect(after.headers.get('x-taxii-date-added-first')! > cut).toBe(true);

    const none = await taxii(objectsPath(sonyCollection, 'match[type]=sighting'));
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ more: false });
  });

  it('serves one object, and its versions', async () => {
    const incident = sony.objects.find((o) => o.type === 'incident')!;
    const r = await taxii(`/api/collections/${sonyCollection}/objects/${incident.id}/`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ more: false, objects: [incident] });
    const v = await taxii(`/api/collections/${sonyCollection}/objects/${incident.id}/versions/`);
    expect(v.body).toEqual({
      more: false,
      versions: [new Date(incident.modified as string).toISOString()],
    });
  });

  it('the "all" collection holds the Sony objects too', async () => {
    const incident = sony.objects.find((o) => o.type === 'incident')!;
    const r = await taxii(`/api/collections/${collectionId(null)}/objects/${incident.id}/`);
    expect(r.body.objects).toEqual([incident]);
  });
});

describe('errors', () => {
  it('404s an unknown collection, object or resource with a TAXII error message', async () => {
    for (const path of [
      `/api/collections/${uuidv5('nope', STIX_NAMESPACE)}/`,
      objectsPath(uuidv5('nope', STIX_NAMESPACE)),
      `/api/collections/${sonyCollection}/objects/incident--00000000-0000-4000-8000-000000000000/`,
      '/api/status/00000000-0000-4000-8000-000000000000/',
      '/taxii2/nothing/',
    ]) {
      const r = await taxii(path);
      expect([path, r.status]).toEqual([path, 404]);
      expect(r.contentType).toBe(TAXII_MEDIA_TYPE);
      expect(r.body).toMatchObject({ title: expect.any(String), http_status: '404' });
    }
  });

  it.each([
    ['application/json'],
    ['text/html'],
    ['*/*'],
    ['application/taxii+json;version=2.0'],
    [null],
  ])('answers 406 to Accept: %s', async (accept) => {
    const r = await taxii('/api/collections/', { accept });
    expect(r.status).toBe(406);
    expect(r.body).toMatchObject({ title: 'Not acceptable', http_status: '406' });
  });

  it('accepts application/taxii+json without a version, among other ranges', async () => {
    expect((await taxii('/taxii2/', { accept: 'application/taxii+json' })).status).toBe(200);
    const r = await taxii('/taxii2/', {
      accept: 'text/html;q=0.9, application/taxii+json; version=2.1',
    });
    expect(r.status).toBe(200);
  });

  it.each([
    ['limit=-1'],
    ['limit=abc'],
    ['added_after=yesterday'],
    ['next=garbage'],
    ['match[version]=newest'],
    ['match[foo]=bar'],
  ])('answers 400 to %s', async (query) => {
    const r = await taxii(objectsPath(sonyCollection, query));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ title: expect.any(String), http_status: '400' });
  });

  it('is read-only: POST objects 403, other writes 405', async () => {
    const post = await taxii(objectsPath(sonyCollection), { method: 'POST' });
    expect(post.status).toBe(403);
    expect(post.body.http_status).toBe('403');
    const del = await taxii(`/api/collections/${sonyCollection}/`, { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD');
    expect((await taxii('/taxii2/', { method: 'PUT' })).status).toBe(405);
  });

  it('follows ALLOW_ANONYMOUS_READS=0: 401 without a key, any key reads', async () => {
    const { key } = await createApiKey(
      { db: t.conn.db(), principal: cliPrincipal() },
      { name: `${P} reader`, role: 'reader' },
    );
    const saved = process.env.ALLOW_ANONYMOUS_READS;
    process.env.ALLOW_ANONYMOUS_READS = '0';
    try {
      const anon = await taxii('/api/collections/');
      expect(anon.status).toBe(401);
      expect(anon.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(anon.body).toMatchObject({ title: 'Unauthenticated', http_status: '401' });
      const reader = await taxii('/api/collections/', { authorization: `Bearer ${key}` });
      expect(reader.status).toBe(200);
    } finally {
      if (saved === undefined) delete process.env.ALLOW_ANONYMOUS_READS;
      else process.env.ALLOW_ANONYMOUS_READS = saved;
    }
    const bad = await taxii('/taxii2/', { authorization: 'Bearer not-a-key' });
    expect(bad.status).toBe(401);
  });
});

describe('GraphQL', () => {
  it('Query.stixBundle gives the same bundle as the export; null for an unknown incident', async () => {
    // At most one stixBundle per operation (schema/cost.graphql: @oncePerOperation).
    const r = await t.gql<{ sony: Json }>('query ($id: ID) { sony: stixBundle(incident: $id) }', {
      id: SONY,
    });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.sony).toEqual(sony);
    const none = await t.gql<{ none: Json }>('{ none: stixBundle(incident: "no-such-incident") }');
    expect(none.body.errors).toBeUndefined();
    expect(none.body.data!.none).toBeNull();
  });
});

/** Reads the feed with the OASIS TAXII 2.1 client; prints what it saw as JSON. */
const CLIENT_SCRIPT = `
import json, sys
from taxii2client.v21 import Server, Collection, as_pages

discovery, alias = sys.argv[1], sys.argv[2]
server = Server(discovery)
root = server.default
cols = root.collections
found = [c for c in cols if c.alias == alias][0]
coll = Collection(found.url)
counts, ids, pages = {}, [], 0
for envelope in as_pages(coll.get_objects, per_request=10):
    pages += 1
    for o in envelope.get("objects", []):
        counts[o["type"]] = counts.get(o["type"], 0) + 1
        ids.append(o["id"])
default_pages = sum(len(e.get("objects", [])) for e in as_pages(coll.get_objects))
opinions = sum(
    len(e.get("objects", [])) for e in as_pages(coll.get_objects, per_request=5, type="opinion")
)
manifest = coll.get_manifest(limit=1000)
print(json.dumps({
    "title": server.title,
    "api_roots": [r.url for r in server.api_roots],
    "versions": root.versions,
    "collections": len(cols),
    "collection": {"id": coll.id, "title": coll.title, "can_read": coll.can_read,
                   "can_write": coll.can_write, "media_types": coll.media_types},
    "pages": pages,
    "counts": counts,
    "total": len(ids),
    "distinct": len(set(ids)),
    "default_total": default_pages,
    "opinions": opinions,
    "manifest": len(manifest.get("objects", [])),
    "one": coll.get_object(ids[0])["objects"][0]["id"] == ids[0],
}))
`;

describe('interoperability', () => {
  it('the OASIS taxii2-client reads discovery, collections and every Sony object', async () => {
    const read = async () => {
      try {
        const { stdout } = await promisify(execFile)(
          'python3',
          ['-c', CLIENT_SCRIPT, `${origin}/taxii2/`, SONY],
          { timeout: 90_000 },
        );
        return JSON.parse(stdout);
      } catch (err) {
        throw new Error(
          `taxii2-client failed (install it with: python3 -m pip install taxii2-client): ${(err as { stderr?: string }).stderr ?? String(err)}`,
        );
      }
    };
    // Other test files write to the shared database meanwhile, some of them to Sony for a moment:
    // the client's three walks and the export it is compared with must see one state of the
    // record, so a read that straddles such a write is read again (at most three times).
    let out = await read();
    let expected = await exportStix(t.conn.db(), { incident: SONY });
    for (
      let attempt = 1;
      attempt < 3 &&
      !(
        out.total === expected.objects.length &&
        out.default_total === expected.objects.length &&
        out.manifest === expected.objects.length
      );
      attempt++
    ) {
      out = await read();
      expected = await exportStix(t.conn.db(), { incident: SONY });
    }
    const counts: Record<string, number> = {};
    for (const o of expected.objects) counts[o.type] = (counts[o.type] ?? 0) + 1;
    expect(out).toEqual({
      title: expect.any(String),
      api_roots: [`${origin}/api/`],
      versions: [TAXII_MEDIA_TYPE],
      // Other test files add incidents meanwhile: the count is checked over HTTP above.
      collections: expect.any(Number),
      collection: {
        id: sonyCollection,
        title: 'Sony Pictures Entertainment hack (2014)',
        can_read: true,
        can_write: false,
        media_types: ['application/stix+json;version=2.1'],
      },
      pages: Math.ceil(expected.objects.length / 10),
      counts,
      total: expected.objects.length,
      distinct: expected.objects.length,
      default_total: expected.objects.length,
      opinions: counts.opinion,
      manifest: expected.objects.length,
      one: true,
    });
  });
});
