import { createHash, randomUUID } from 'node:crypto';
import { loadConfig } from '../src/config';
import { Connection, connect, cypher } from '../src/db';
import { App, startApp } from '../src/server';
import { SEED_DIR, SeedData, emptySeed, readSeed, toGraph } from '../src/seed';

/** A connection to the test Neo4j (global-setup put its URI in NEO4J_URI). */
export function testConnect(): Promise<Connection> {
  return connect(loadConfig());
}

/** A unique id prefix, so test files can run in parallel without touching each other's data. */
export function uid(prefix = 't'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface TestServer {
  conn: Connection;
  app: App;
  /** POSTs a GraphQL operation over HTTP; returns the parsed body, status and headers. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{
    status: number;
    body: {
      data?: T;
      errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
    };
    statements: number;
  }>;
  close(): Promise<void>;
}

/** Starts the real HTTP server on a free port against the test Neo4j. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const config = loadConfig({ ...process.env, PORT: '0', NODE_ENV: 'test', ...env });
  const conn = await connect(config);
  const app = await startApp(conn, config);
  return {
    conn,
    app,
    async gql(query, variables) {
      const res = await fetch(app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return {
        status: res.status,
        body: (await res.json()) as never,
        statements: Number(res.headers.get('x-cypher-statements')),
      };
    },
    async close() {
      await app.stop();
      await conn.close();
    },
  };
}

/**
 * A small case under the id prefix `P`: two incidents (`P-inc1`, `P-inc2`) sharing a claimant
 * (`P-analyst`, who publishes both sources), each with one hypothesis (`P-h1`, `P-h2`) suspecting
 * `P-suspect`, one supporting claim (`P-c1`, `P-c2`) and one source (`P-src1`, `P-src2`).
 */
export function twoIncidents(
  P: string,
  claimText = 'The first claim.',
  analystName = `${P} Analyst`,
): SeedData {
  const id = (name: string) => `${P}-${name}`;
  const d = emptySeed();
  d.actors.push(
    { id: id('analyst'), name: analystName, kind: 'company' },
    { id: id('suspect'), name: `${P} Suspect`, kind: 'group' },
    { id: id('other'), name: `${P} Other`, kind: 'group' },
  );
  for (const n of [1, 2]) {
    d.sources.push({
      id: id(`src${n}`),
      tag: `S${n}`,
      title: `Source ${n}`,
      publisher: id('analyst'),
      publishedAt: '2020-01-01',
      url: null,
      reliability: 'B',
      reliabilityReason: 'test',
    });
    d.incidents.push({
      id: id(`inc${n}`),
      name: `Incident ${n}`,
      summary: 'test',
      startedAt: '2020-01-01',
      kind: 'test',
      sources: [id(`src${n}`)],
    });
    d.hypotheses.push({
      id: id(`h${n}`),
      tag: 'H1',
      incident: id(`inc${n}`),
      statement: `Hypothesis of incident ${n}`,
      suspects: [id('suspect')],
    });
    d.claims.push({
      id: id(`c${n}`),
      claimant: id('analyst'),
      stance: 'supports',
      hypothesis: id(`h${n}`),
      statedAt: '2020-02-01',
      text: n === 1 ? claimText : 'The second claim.',
      textKind: 'paraphrase',
      sources: [id(`src${n}`)],
      credibility: 3,
    });
  }
  d.affiliations.push({
    id: id('aff'),
    actor: id('suspect'),
    organisation: id('other'),
    claimant: id('analyst'),
    statedAt: '2020-01-01',
    sources: [id('src1')],
  });
  return d;
}

// Answers are checked field by field; a loose JSON type keeps the assertions readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A GraphQL answer over HTTP. */
export interface Answer {
  status: number;
  body: { data?: Json; errors?: Json[] };
}

/** The selection of a mutation payload's input problems. */
export const USER_ERRORS = 'userErrors { field path code message }';

/** POSTs a GraphQL operation to `url`, with `Authorization: Bearer <key>` when a key is given. */
export async function post(
  url: string,
  key: string | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as never };
}

/** Input problems come in a payload's userErrors; other failures are top-level errors. */
export const USER_ERROR_CODES = ['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT'];

/**
 * The answer's data, expecting no error: each mutation payload has no userErrors and is
 * unwrapped to its one result field (`createClaim { claim { id } }` gives `data.createClaim.id`).
 */
export function succeeded(res: Answer): Json {
  expect(res.body.errors).toBeUndefined();
  const data = res.body.data as Json;
  for (const [name, value] of Object.entries(data ?? {})) {
    if (!value || typeof value !== 'object' || !('userErrors' in value)) continue;
    const { userErrors, __typename: _t, ...fields } = value as Json;
    expect(userErrors).toEqual([]);
    const keys = Object.keys(fields);
    data[name] = keys.length === 1 ? fields[keys[0]] : fields;
  }
  return data;
}

/**
 * Expects a failure with `code`: for an input problem, in the (one) payload's userErrors with
 * every result field null (returns that user error: field, path, code, message); otherwise as
 * the one top-level error (returned).
 */
export function failed(res: Answer, code: string): Json {
  if (USER_ERROR_CODES.includes(code)) {
    expect(res.body.errors).toBeUndefined();
    const [payload] = Object.values(res.body.data ?? {}) as Json[];
    expect(payload.userErrors.map((e: Json) => e.code)).toContain(code);
    const results = Object.entries(payload).filter(
      ([k, v]) => k !== 'userErrors' && k !== '__typename' && v !== null,
    );
    expect(results).toEqual([]);
    return payload.userErrors.find((e: Json) => e.code === code);
  }
  expect(res.body.errors?.map((e: Json) => e.extensions?.code)).toEqual([code]);
  return res.body.errors![0];
}

/** The seed's own node ids (other suites' nodes come and go beside them). */
export const SEED_IDS = Object.values(toGraph(readSeed(SEED_DIR)).nodes).flatMap((rows) =>
  rows.map((r) => String(r.id)),
);

/** Every seed node's labels and properties, and every relationship between seed nodes with its properties. */
const SEED_STATE = cypher<{ nodes: unknown; rels: unknown }>(
  'testSeedState',
  `MATCH (n:Entity) WHERE n.id IN $ids
   WITH collect(n) AS seed
   CALL (seed) {
     UNWIND seed AS n
     MATCH (n)-[r]->(m:Entity) WHERE m.id IN $ids
     RETURN collect([type(r), n.id, m.id, properties(r)]) AS rels
   }
   RETURN [n IN seed | [n.id, labels(n), properties(n)]] AS nodes, rels`,
);

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    if (typeof (v as { toString?: unknown }).toString === 'function' && 'year' in v)
      return String(v); // Neo4j temporal values
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, x]) => [k, canonical(x)]),
    );
  }
  return v;
}

/**
 * A digest of the seed graph: every property value and every relationship between seed nodes
 * (type, both ends, properties), sorted; a changed value or a re-pointed link moves it, where key
 * counts would not. `nodes` and `rels` count what it covers.
 */
export async function seedFingerprint(
  conn: Connection,
): Promise<{ digest: string; nodes: number; rels: number }> {
  const [row] = await conn.db().read(SEED_STATE, { ids: SEED_IDS });
  const nodes = (row.nodes as unknown[][]).map((n) => JSON.stringify(canonical(n))).sort();
  const rels = (row.rels as unknown[][]).map((r) => JSON.stringify(canonical(r))).sort();
  const digest = createHash('sha256')
    .update(JSON.stringify([nodes, rels]))
    .digest('hex');
  return { digest, nodes: nodes.length, rels: rels.length };
}
