/**
 * Issue 15, scale-out: two API processes (two replicas, as behind a load balancer) on one Neo4j,
 * one through a bolt:// URI and one through neo4j:// (the routing driver). Both have warm
 * analysis caches; a write through one is read through the other on the very next request, both
 * ways: the per-incident revision, read on every request, keeps a replica's cache from serving
 * the answer it held before the write (docs/scaling.md).
 */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { cliPrincipal } from '../src/auth';
import { ROOT } from '../src/config';
import { Connection } from '../src/db';
import { createApiKey } from '../src/mutations';
import { writeSeed } from '../src/seed';
import { testConnect, twoIncidents, uid } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const P = uid('scale');
const id = (name: string) => `${P}-${name}`;
let conn: Connection;
let key: string;
let keyId: string;
const replicas: { child: ChildProcess; url: string }[] = [];

/** Starts `attribution start` (src/cli.ts) in its own process; resolves with its GraphQL URL. */
function startReplica(uri: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), 'start'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NEO4J_URI: uri, PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'silent' },
    },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('replica did not start in 150 s')), 150_000);
    const lines: string[] = [];
    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      lines.push(line);
      const m = /GraphQL ready at (\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`replica exited (${code}):\n${lines.join('\n')}`));
    });
  });
}

async function gql(url: string, query: string, variables: Record<string, unknown>, auth = false) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(auth ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Json; errors?: Json[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

const W1 = `query($id: ID!) { incident(id: $id) { hypotheses { id
  supporters { claims { id } } opponents { claims { id } } assessment { score } } } }`;
const CREATE = `mutation($i: CreateClaimInput!) { createClaim(input: $i) { claim { id } userErrors { code message } } }`;
const claimIds = (d: Json): string[] =>
  d.incident.hypotheses.flatMap((h: Json) =>
    [...h.supporters, ...h.opponents].flatMap((p: Json) => p.claims.map((c: Json) => c.id)),
  );
const hits = async (url: string) => {
  const text = await (await fetch(url.replace('/graphql', '/metrics'))).text();
  return Number(/attribution_cache_hits_total\{cache="analysis"\} (\d+)/.exec(text)?.[1] ?? 0);
};

beforeAll(async () => {
  conn = await testConnect();
  await writeSeed(conn.db(), twoIncidents(P));
  const created = await createApiKey(
    { db: conn.db(), principal: cliPrincipal() },
    { name: `${P} analyst`, role: 'analyst', actor: null },
  );
  key = created.key;
  keyId = created.apiKey.id;
  const bolt = process.env.NEO4J_URI!;
  const routing = bolt.replace(/^bolt(\+s|\+ssc)?:/, 'neo4j$1:');
  replicas.push(...(await Promise.all([startReplica(bolt), startReplica(routing)])));
}, 200_000);

afterAll(async () => {
  for (const r of replicas) r.child.kill('SIGTERM');
  await Promise.all(
    replicas.map(
      (r) =>
        new Promise((resolve) =>
          r.child.exitCode !== null ? resolve(0) : r.child.once('exit', resolve),
        ),
    ),
  );
  await conn.driver.executeQuery(
    `MATCH (n) WHERE n.id STARTS WITH $p OR n.incident STARTS WITH $p OR n.id = $key
     OPTIONAL MATCH (a:AuditEntry {principal: $key})
     DETACH DELETE n, a`,
    { p: P, key: keyId },
  );
  await conn.close();
});

describe('two API processes on one Neo4j', () => {
  it('a write through one replica is read through the other on the very next request', async () => {
    const [a, b] = replicas;
    // Warm both caches: the second read of each is a hit.
    for (const r of [a, b]) {
      await gql(r.url, W1, { id: id('inc1') });
      await gql(r.url, W1, { id: id('inc1') });
      expect(await hits(r.url)).toBeGreaterThan(0);
    }
    const write = async (through: string, n: number) => {
      const data = await gql(
        through,
        CREATE,
        {
          i: {
            id: id(`x${n}`),
            claimant: id('analyst'),
            stance: 'DISPUTES',
            hypothesis: id('h1'),
            statedAt: '2021-01-01',
            sources: [id('src1')],
            text: `Written through replica ${n}.`,
            textKind: 'PARAPHRASE',
          },
        },
        true,
      );
      expect(data.createClaim.userErrors).toEqual([]);
    };
    await write(a.url, 1);
    expect(claimIds(await gql(b.url, W1, { id: id('inc1') }))).toContain(id('x1'));
    await write(b.url, 2);
    expect(claimIds(await gql(a.url, W1, { id: id('inc1') }))).toEqual(
      expect.arrayContaining([id('x1'), id('x2')]),
    );
  }, 120_000);
});
