/**
 * Authentication over HTTP (issue 6): bearer API keys stored hashed, anonymous reads that can be
 * switched off, unknown, malformed and revoked keys refused, and the CLI that makes the first
 * admin key.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { cliPrincipal, hashKey } from '../src/auth';
import { ROOT } from '../src/config';
import { cypher } from '../src/db';
import { createApiKey, revokeApiKey } from '../src/mutations';
import { TestServer, startTestServer, uid } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const P = uid('auth');
let t: TestServer;

async function gql(authorization: string | null, query: string) {
  const res = await fetch(t.app.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as { data?: Json; errors?: Json[] } };
}

const newKey = (role: 'reader' | 'analyst' | 'admin', name = `${P} ${role}`) =>
  createApiKey({ db: t.conn.db(), principal: cliPrincipal() }, { name, role });

const KEY_NODE = cypher<{ props: Json }>(
  'testKeyNode',
  'MATCH (k:ApiKey {id: $id}) RETURN properties(k) AS props',
);
const ENTITY = cypher<{ n: number }>(
  'testAuthEntity',
  'MATCH (n:Entity {id: $id}) RETURN count(n) AS n',
);
const CLEAN_ENTITIES = cypher(
  'testCleanAuthEntities',
  `MATCH (n:Entity) WHERE n.id STARTS WITH $p
   CALL (n) { MATCH (a:AuditEntry) WHERE n.id IN a.ids DETACH DELETE a }
   DETACH DELETE n`,
);
const CLEAN = cypher(
  'testCleanAuth',
  `MATCH (k:ApiKey) WHERE k.name STARTS WITH $p
   WITH collect(k) AS ks, collect(k.id) AS ids
   CALL (ids) { MATCH (a:AuditEntry) WHERE any(i IN a.ids WHERE i IN ids) DETACH DELETE a }
   FOREACH (k IN ks | DETACH DELETE k)`,
);

beforeAll(async () => {
  t = await startTestServer();
});

afterAll(async () => {
  if (t) {
    await t.conn.db().write((tx) => tx.run(CLEAN_ENTITIES, { p: P }));
    await t.conn.db().write((tx) => tx.run(CLEAN, { p: P }));
    await t.close();
  }
});

describe('API keys', () => {
  it('stores only the hash of a key; the key authenticates as its holder', async () => {
    const { key, apiKey } = await newKey('reader');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [{ props }] = await t.conn.db().read(KEY_NODE, { id: apiKey.id });
    expect(props.hash).toBe(hashKey(key));
    expect(Object.values(props)).not.toContain(key);
    expect(props).toMatchObject({ name: `${P} reader`, role: 'reader', createdBy: 'cli' });
    const res = await gql(`Bearer ${key}`, '{ viewer { id name role } }');
    expect(res.body.data.viewer).toEqual({ id: apiKey.id, name: `${P} reader`, role: 'READER' });
  });

  it('reads anonymously by default', async () => {
    const res = await gql(null, '{ viewer { id role } incidents(first: 1) { totalCount } }');
    expect(res.body.data.viewer).toEqual({ id: null, role: 'ANONYMOUS' });
    expect(res.body.data.incidents.totalCount).toBeGreaterThan(0);
  });

  it.each([
    ['an unknown key', `Bearer ${'x'.repeat(43)}`],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a bearer without key', 'Bearer '],
    ['a key with odd characters', 'Bearer abc$def'],
  ])('refuses %s with UNAUTHENTICATED and HTTP 401', async (_, header) => {
    const res = await gql(header, '{ viewer { role } }');
    expect(res.status).toBe(401);
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(res.body.data).toBeUndefined();
  });

  it('refuses a revoked key at once', async () => {
    const { key, apiKey } = await newKey('analyst');
    expect((await gql(`Bearer ${key}`, '{ viewer { role } }')).body.data.viewer.role).toBe(
      'ANALYST',
    );
    await revokeApiKey(
      { db: t.conn.db(), principal: cliPrincipal() },
      { id: apiKey.id, reason: 'left the team' },
    );
    const res = await gql(`Bearer ${key}`, '{ viewer { role } }');
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0].message).toMatch(/revoked/);
  });

  it('refuses a revoked key on a mutation, writing nothing', async () => {
    const { key, apiKey } = await newKey('analyst');
    const doc = `mutation($i: CreateActorInput!) { createActor(input: $i) { actor { id } userErrors { code } } }`;
    const write = (id: string) =>
      fetch(t.app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: doc, variables: { i: { id, name: id, kind: 'PERSON' } } }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));
    expect((await write(`${P}-before`)).body.data.createActor.actor.id).toBe(`${P}-before`);
    await revokeApiKey(
      { db: t.conn.db(), principal: cliPrincipal() },
      { id: apiKey.id, reason: 'key leaked' },
    );
    const res = await write(`${P}-after`);
    expect(res.status).toBe(401);
    expect(res.body.errors?.map((e: Json) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const [row] = await t.conn.db().read(ENTITY, { id: `${P}-after` });
    expect(row.n).toBe(0);
  });

  it.each([
    ['anonymous', 'UNAUTHENTICATED'],
    ['reader', 'FORBIDDEN'],
    ['analyst', 'FORBIDDEN'],
    ['admin', 'ok'],
  ])('lists apiKeys to admins only: %s gets %s', async (who, outcome) => {
    const header = who === 'anonymous' ? null : `Bearer ${(await newKey(who as 'reader')).key}`;
    const res = await gql(header, '{ apiKeys { id role } }');
    if (outcome === 'ok') {
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.apiKeys.length).toBeGreaterThan(0);
      expect(JSON.stringify(res.body.data)).not.toMatch(/hash/);
    } else {
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual([outcome]);
      expect(res.body.data).toBeNull();
    }
  });

  it('refuses anonymous requests when ALLOW_ANONYMOUS_READS=0, and lets keys in', async () => {
    const { key } = await newKey('reader');
    const saved = process.env.ALLOW_ANONYMOUS_READS;
    process.env.ALLOW_ANONYMOUS_READS = '0';
    try {
      const anon = await gql(null, '{ incidents(first: 1) { totalCount } }');
      expect(anon.status).toBe(401);
      expect(anon.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      const reader = await gql(`Bearer ${key}`, '{ incidents(first: 1) { totalCount } }');
      expect(reader.body.errors).toBeUndefined();
      expect(reader.body.data.incidents.totalCount).toBeGreaterThan(0);
    } finally {
      if (saved === undefined) delete process.env.ALLOW_ANONYMOUS_READS;
      else process.env.ALLOW_ANONYMOUS_READS = saved;
    }
  });
});

describe('CLI', () => {
  it('keys:create prints a working admin key once, on stdout', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['src/cli.ts', 'keys:create', '--role', 'admin', '--name', `${P} first admin`],
      { cwd: ROOT, env: process.env, timeout: 60_000 },
    );
    const key = stdout.trim();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(stderr).toMatch(/created admin key key-[0-9a-f]{12}/);
    const res = await gql(`Bearer ${key}`, '{ viewer { role } auditLog(first: 1) { totalCount } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.viewer.role).toBe('ADMIN');
  });

  it('keys:create refuses an unknown role', async () => {
    await expect(
      promisify(execFile)(
        path.join(ROOT, 'node_modules', '.bin', 'tsx'),
        ['src/cli.ts', 'keys:create', '--role', 'root', '--name', `${P} x`],
        { cwd: ROOT, env: process.env, timeout: 60_000 },
      ),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/Allowed choices are reader, analyst, admin/),
    });
  });
});
