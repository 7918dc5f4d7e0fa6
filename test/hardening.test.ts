import http from 'node:http';
import net from 'node:net';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { loadConfig } from '../src/config';
import { Connection, Db, createDriver, cypher } from '../src/db';
import { ErrorCode } from '../src/errors';
import { SEED_DIR, readSeed, toGraph } from '../src/seed';
import { startApp } from '../src/server';
import { TestServer, startTestServer } from './helpers';

type Body = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
};

/** POSTs a raw body; returns status, headers and the parsed JSON (or the text when not JSON). */
async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  let json: Body | undefined;
  try {
    json = JSON.parse(text) as Body;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: json };
}

const gqlBody = (query: string, variables?: Record<string, unknown>) =>
  JSON.stringify({ query, variables });

/** Every code a client may see for a bad request: never INTERNAL_SERVER_ERROR. */
const CLIENT_CODES = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
  ErrorCode.BAD_REQUEST,
  ErrorCode.PAYLOAD_TOO_LARGE,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
]);

function expectCodedClientError(body: Body | undefined, code?: string) {
  expect(body?.errors?.length).toBeGreaterThan(0);
  for (const e of body!.errors!) {
    expect(typeof e.message).toBe('string');
    expect(CLIENT_CODES).toContain(e.extensions?.code);
    expect(e.extensions).not.toHaveProperty('stacktrace');
  }
  if (code) expect(body!.errors!.map((e) => e.extensions?.code)).toContain(code);
}

// The seed's own ids: the fingerprint below covers them, so concurrent test files that create
// and delete their own nodes cannot make these tests flaky.
const SEED_IDS = Object.values(toGraph(readSeed(SEED_DIR)).nodes).flatMap((rows) =>
  rows.map((r) => String(r.id)),
);
const FINGERPRINT = cypher<{ nodes: number; props: number; rels: number; total: number }>(
  'testFingerprint',
  `MATCH (n:Entity) WHERE n.id IN $ids
   WITH collect(n) AS seed
   CALL (seed) {
     UNWIND seed AS n
     OPTIONAL MATCH (n)-[r]->()
     RETURN count(r) AS rels, sum(size(keys(r))) AS relProps
   }
   RETURN size(seed) AS nodes,
          reduce(s = 0, n IN seed | s + size(keys(n))) + relProps AS props,
          rels,
          COUNT { MATCH (m) } AS total`,
);

async function fingerprint(conn: Connection) {
  const [row] = await conn.db().read(FINGERPRINT, { ids: SEED_IDS });
  return row;
}

const INJECTIONS = [
  '"}) MATCH (n) DETACH DELETE n //',
  "'}) MATCH (n) DETACH DELETE n //",
  '") DETACH DELETE n RETURN 1 //',
  "x' OR 1=1 --",
  '$id',
  '{id: "sony-pictures-2014"}',
  '`) CALL db.clearQueryCaches() //',
  '\\") MATCH (n) SET n.pwned = true //',
  'sony* OR title:*',
];

describe('hardening over HTTP (bad input)', () => {
  let t: TestServer;
  let before: Awaited<ReturnType<typeof fingerprint>>;

  beforeAll(async () => {
    t = await startTestServer();
    before = await fingerprint(t.conn);
    expect(before.nodes).toBe(SEED_IDS.length);
  });
  afterAll(async () => {
    const after = await fingerprint(t.conn);
    expect({ ...after, total: undefined }).toEqual({ ...before, total: undefined });
    await t.close();
  });

  it('answers a malformed JSON body with 400 BAD_REQUEST, before GraphQL', async () => {
    for (const body of ['{"query": ', 'not json', '{"query": "{ __typename }"']) {
      const r = await post(t.app.url, body);
      expect(r.status).toBe(400);
      expectCodedClientError(r.body, ErrorCode.BAD_REQUEST);
      expect(r.text).not.toMatch(/at .*\.js|<html/i);
    }
  });

  it('answers invalid GraphQL with 400 GRAPHQL_PARSE_FAILED and no database work', async () => {
    for (const q of ['{ incident(id: "x") { name ', 'query {', '}}}', '{ incident(id: ) }']) {
      const r = await post(t.app.url, gqlBody(q));
      expect(r.status).toBe(400);
      expectCodedClientError(r.body, 'GRAPHQL_PARSE_FAILED');
      expect(r.headers.get('x-cypher-statements')).toBe('0');
    }
    const missing = await post(t.app.url, JSON.stringify({ variables: {} }));
    expect(missing.status).toBe(400);
    expectCodedClientError(missing.body);
  });

  it('answers wrong argument types with GRAPHQL_VALIDATION_FAILED or BAD_USER_INPUT', async () => {
    const cases: [string, Record<string, unknown>?][] = [
      ['{ incidents(first: "ten") { totalCount } }'],
      ['{ incidents(first: 1.5) { totalCount } }'],
      ['{ search(text: 42) { score } }'],
      ['{ incident(id: ["a"]) { name } }'],
      ['{ suspectLinks(from: "a", to: "b", maxHops: "far") { length } }'],
      ['query($n: Int) { incidents(first: $n) { totalCount } }', { n: 'ten' }],
      ['query($n: Int) { incidents(first: $n) { totalCount } }', { n: 2 ** 40 }],
      ['query($t: String!) { search(text: $t) { score } }', { t: null }],
      ['query($t: String!) { search(text: $t) { score } }', { t: { $ne: 1 } }],
    ];
    for (const [q, v] of cases) {
      const r = await post(t.app.url, gqlBody(q, v));
      expect(r.status).toBeLessThan(500);
      expectCodedClientError(r.body);
      expect(r.headers.get('x-cypher-statements')).toBe('0');
    }
  });

  it('answers out-of-range page sizes with BAD_USER_INPUT naming the argument', async () => {
    for (const first of [0, -1, 101]) {
      const r = await post(t.app.url, gqlBody(`{ incidents(first: ${first}) { totalCount } }`));
      expect(r.status).toBe(200);
      expectCodedClientError(r.body, ErrorCode.BAD_USER_INPUT);
      expect(r.body!.errors![0].extensions?.argument).toBe('first');
    }
    // A literal page size counts in the query cost: a huge one is refused before execution.
    const huge = await post(t.app.url, gqlBody('{ incidents(first: 1000000) { totalCount } }'));
    expect(huge.status).toBe(400);
    expect(huge.body!.errors![0].extensions?.limit).toBe('maxCost');
    expect(huge.headers.get('x-cypher-statements')).toBe('0');
  });

  it('answers unknown ids with null, not an error', async () => {
    const r = await post(
      t.app.url,
      gqlBody(
        '{ incident(id: "no-such-incident") { name } actor(id: "nobody") { name } node(id: "x") { id } }',
      ),
    );
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { incident: null, actor: null, node: null } });
  });

  it('answers a body over MAX_BODY_BYTES (a 1 MB string) with 413 PAYLOAD_TOO_LARGE', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const r = await post(
      t.app.url,
      gqlBody('query($t: String!) { search(text: $t) { score } }', { t: big }),
    );
    expect(r.status).toBe(413);
    expectCodedClientError(r.body, ErrorCode.PAYLOAD_TOO_LARGE);
  });

  it('answers long strings under the body limit with BAD_USER_INPUT or null', async () => {
    const long = 'sony '.repeat(180_000); // 900 kB
    const search = await post(
      t.app.url,
      gqlBody('query($t: String!) { search(text: $t) { score } }', { t: long }),
    );
    expect(search.status).toBe(200);
    expectCodedClientError(search.body, ErrorCode.BAD_USER_INPUT);
    const byId = await post(
      t.app.url,
      gqlBody('query($id: ID!) { incident(id: $id) { name } actor(id: $id) { name } }', {
        id: long,
      }),
    );
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual({ data: { incident: null, actor: null } });
  });

  it('takes control characters and NUL in search text literally', async () => {
    for (const text of ['sony\u0000pictures', '\u0001\u0002\u001f', 'lazarus\u0000', '\u0000']) {
      const r = await post(
        t.app.url,
        gqlBody('query($t: String!) { search(text: $t) { score node { id } } }', { t: text }),
      );
      expect(r.status).toBe(200);
      if (r.body?.errors) expectCodedClientError(r.body, ErrorCode.BAD_USER_INPUT);
      else expect(Array.isArray(r.body?.data?.search)).toBe(true);
    }
  });

  it('rejects invalid asOf dates with GRAPHQL_VALIDATION_FAILED', async () => {
    for (const asOf of [
      '2014-02-30',
      '2014-13-01',
      'yesterday',
      '',
      '2014-12-20T25:00:00Z',
      '99999-01-01',
    ]) {
      const r = await post(
        t.app.url,
        gqlBody(
          `{ incident(id: "sony-pictures-2014") { hypotheses(asOf: ${JSON.stringify(asOf)}) { statement } } }`,
        ),
      );
      expect(r.status).toBe(400);
      expectCodedClientError(r.body, 'GRAPHQL_VALIDATION_FAILED');
      expect(r.headers.get('x-cypher-statements')).toBe('0');
    }
    const asVariable = await post(
      t.app.url,
      gqlBody(
        'query($d: DateTime) { incident(id: "sony-pictures-2014") { hypotheses(asOf: $d) { statement } } }',
        {
          d: '2014-02-30',
        },
      ),
    );
    expect(asVariable.status).toBe(400);
    expectCodedClientError(asVariable.body);
  });

  it('never executes Cypher-injection strings in any string argument', async () => {
    const ops = [
      'query($s: ID!) { incident(id: $s) { id } }',
      'query($s: ID!) { actor(id: $s) { id } }',
      'query($s: ID!) { node(id: $s) { id } }',
      'query($s: String!) { search(text: $s) { node { id } } }',
      'query($s: ID!) { suspectLinks(from: $s, to: "sony-pictures-2014") { length } }',
      'query($s: ID!) { suspectLinks(from: "sony-pictures-2014", to: $s) { length } }',
      'query($s: String) { incidents(after: $s) { totalCount } }',
      'query($s: String) { actor(id: "lazarus-group") { claims(after: $s) { totalCount } } }',
    ];
    for (const s of INJECTIONS) {
      for (const op of ops) {
        const r = await post(t.app.url, gqlBody(op, { s }));
        expect(r.status).toBeLessThan(500);
        if (r.body?.errors) expectCodedClientError(r.body);
        // Inline in the document too: the string is a GraphQL literal, never Cypher text.
        const inline = op.replace(/query\(\$s: \w+!?\) /, '').replace('$s', JSON.stringify(s));
        const r2 = await post(t.app.url, gqlBody(inline));
        expect(r2.status).toBeLessThan(500);
        if (r2.body?.errors) expectCodedClientError(r2.body);
      }
    }
    const now = await fingerprint(t.conn);
    expect({ ...now, total: undefined }).toEqual({ ...before, total: undefined });
  });

  it('rejects a 10,000-alias query before execution (no Cypher statement)', async () => {
    const aliases = Array.from({ length: 10_000 }, (_, i) => `a${i}: incident(id: "x") { id }`);
    const r = await post(t.app.url, gqlBody(`{ ${aliases.join(' ')} }`));
    expect(r.status).toBe(400);
    expectCodedClientError(r.body);
    expect(r.headers.get('x-cypher-statements')).toBe('0');
    // Under the token limit, the alias limit answers, naming itself.
    const some = Array.from({ length: 40 }, (_, i) => `a${i}: incident(id: "x") { id }`);
    const r2 = await post(t.app.url, gqlBody(`{ ${some.join(' ')} }`));
    expect(r2.status).toBe(400);
    expectCodedClientError(r2.body, 'GRAPHQL_VALIDATION_FAILED');
    expect(r2.body!.errors![0].extensions?.limit).toBe('maxAliases');
    expect(r2.headers.get('x-cypher-statements')).toBe('0');
  });

  it('rejects deep nesting, high cost and many directives before execution', async () => {
    let deep = 'name';
    for (let i = 0; i < 8; i++) deep = `incidents { hypotheses { suspects { ${deep} } } }`;
    const depth = await post(t.app.url, gqlBody(`{ actor(id: "x") { ${deep} } }`));
    expect(depth.status).toBe(400);
    expect(depth.body!.errors!.map((e) => e.extensions?.limit)).toContain('maxDepth');
    expect(depth.headers.get('x-cypher-statements')).toBe('0');

    const wide = Array.from(
      { length: 3 },
      (_, i) =>
        `a${i}: incidents(first: 100) { edges { node { hypotheses { supporters { actor { name } } } } } }`,
    );
    const cost = await post(t.app.url, gqlBody(`{ ${wide.join(' ')} }`));
    expect(cost.status).toBe(400);
    expect(cost.body!.errors!.map((e) => e.extensions?.limit)).toContain('maxCost');
    expect(cost.headers.get('x-cypher-statements')).toBe('0');

    const directives = await post(
      t.app.url,
      gqlBody(
        `{ ${Array.from({ length: 25 }, (_, i) => `a${i}: __typename @include(if: true)`).join(' ')} }`,
      ),
    );
    expect(directives.status).toBe(400);
    expect(directives.body!.errors!.map((e) => e.extensions?.limit)).toContain('maxDirectives');
  });

  it('still answers the flagship query within the limits', async () => {
    const r = await post(
      t.app.url,
      gqlBody(`{
        incident(id: "sony-pictures-2014") {
          name
          hypotheses(asOf: "2014-12-20") {
            statement
            assessment { rank likelihood confidence }
            supporters { actor { name } claims { statedAt text } }
          }
        }
      }`),
    );
    expect(r.status).toBe(200);
    expect(r.body?.errors).toBeUndefined();
  });

  it('property: generated strings in search/incident/actor/suspectLinks never give a 5xx', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 600 }),
      fc.string({ unit: 'grapheme-composite', maxLength: 50 }),
      fc.string({
        unit: fc.constantFrom('\u0000', '\u001f', '"', "'", '\\', '}', ')', '*', ':', ' ', 'n'),
        maxLength: 40,
      }),
      fc.constantFrom(...INJECTIONS),
    );
    const ops: [string, (s: string) => Record<string, unknown>][] = [
      ['query($s: String!) { search(text: $s) { score node { id } } }', (s) => ({ s })],
      ['query($s: ID!) { incident(id: $s) { id name } }', (s) => ({ s })],
      ['query($s: ID!) { actor(id: $s) { id name } }', (s) => ({ s })],
      [
        'query($s: ID!, $t: ID!) { suspectLinks(from: $s, to: $t) { length } }',
        (s) => ({ s, t: 'sony-pictures-2014' }),
      ],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ops), text, async ([op, vars], s) => {
        const r = await post(t.app.url, gqlBody(op, vars(s)));
        expect(r.status).toBeLessThan(500);
        expect(r.body).toBeDefined();
        if (r.body!.errors) expectCodedClientError(r.body);
        else expect(r.body!.data).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });
});

/** Reads the JSON lines a server wrote. */
function logSink() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, stream };
}

async function startWith(
  env: Record<string, string>,
  make?: (config: ReturnType<typeof loadConfig>) => Connection,
) {
  const config = loadConfig({ ...process.env, PORT: '0', NODE_ENV: 'test', ...env });
  const conn = make ? make(config) : await (await import('../src/db')).connect(config);
  const sink = logSink();
  const app = await startApp(conn, config, { logStream: sink.stream });
  return { config, conn, app, logs: sink.lines };
}

/** A connection without the connectivity check (connect() refuses to start on a dead server). */
function rawConnection(uri: string, config: ReturnType<typeof loadConfig>): Connection {
  const driver = createDriver(uri, config);
  return {
    driver,
    db: () => new Db(driver, config.NEO4J_DATABASE, config.NEO4J_TX_TIMEOUT_MS),
    close: () => driver.close(),
  };
}

describe('production mode', () => {
  let s: Awaited<ReturnType<typeof startWith>>;
  beforeAll(async () => {
    s = await startWith({ NODE_ENV: 'production', CORS_ORIGINS: 'https://analyst.example' });
  });
  afterAll(async () => {
    await s.app.stop();
    await s.conn.close();
  });

  it('turns introspection off and hides field suggestions', async () => {
    const r = await post(s.app.url, gqlBody('{ __schema { types { name } } }'));
    expect(r.status).toBe(400);
    expectCodedClientError(r.body, 'GRAPHQL_VALIDATION_FAILED');
    const typo = await post(s.app.url, gqlBody('{ incident(id: "x") { nam } }'));
    expect(typo.status).toBe(400);
    expect(typo.text).not.toMatch(/Did you mean/);
  });

  it('has CSRF prevention on: a simple (form-like) request is refused', async () => {
    const r = await post(s.app.url, gqlBody('{ __typename }'), { 'content-type': 'text/plain' });
    expect(r.status).toBe(400);
    const get = await fetch(`${s.app.url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(400);
    const ok = await fetch(`${s.app.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'apollo-require-preflight': '1' },
    });
    expect(ok.status).toBe(200);
  });

  it('allows only the configured CORS origins', async () => {
    const pre = (origin: string) =>
      fetch(s.app.url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const good = await pre('https://analyst.example');
    expect(good.headers.get('access-control-allow-origin')).toBe('https://analyst.example');
    const bad = await pre('https://evil.example');
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends security headers on pages, and a JSON 404 for unknown paths', async () => {
    const r = await fetch(s.app.url.replace('/graphql', '/no-such-page'));
    expect(r.status).toBe(404);
    expect(r.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(r.headers.get('x-powered-by')).toBeNull();
    expect(((await r.json()) as Body).errors![0].extensions?.code).toBe(ErrorCode.NOT_FOUND);
  });

  it('masks unexpected errors as INTERNAL_SERVER_ERROR with no stack', async () => {
    // A database that does not exist: a Neo4j error the API does not translate.
    const bad = await startWith({ NODE_ENV: 'production', NEO4J_DATABASE: 'nosuchdatabase' }, (c) =>
      rawConnection(process.env.NEO4J_URI!, c),
    );
    try {
      const r = await post(bad.app.url, gqlBody('{ incident(id: "sony-pictures-2014") { name } }'));
      expect(r.status).toBe(200);
      expect(r.body!.errors![0]).toEqual({
        message: 'Internal server error',
        locations: expect.any(Array),
        path: ['incident'],
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
      });
      expect(r.text).not.toMatch(/nosuchdatabase|Neo4j|stack|\.ts:/i);
    } finally {
      await bad.app.stop();
      await bad.conn.close();
    }
  });

  it('allows introspection when ENABLE_INTROSPECTION=1', async () => {
    const on = await startWith({ NODE_ENV: 'production', ENABLE_INTROSPECTION: '1' });
    try {
      const r = await post(on.app.url, gqlBody('{ __schema { queryType { name } } }'));
      expect(r.status).toBe(200);
      expect(r.body?.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    } finally {
      await on.app.stop();
      await on.conn.close();
    }
  });
});

describe('operations', () => {
  it('logs one JSON line per request with id, duration, outcome and operation; no secrets', async () => {
    const s = await startWith({ LOG_LEVEL: 'info' });
    try {
      const r = await post(s.app.url, gqlBody('query Flagship { incident(id: "x") { id } }'), {
        'x-request-id': 'req-abc.123',
      });
      expect(r.status).toBe(200);
      expect(r.headers.get('x-request-id')).toBe('req-abc.123');
      const generated = await post(s.app.url, gqlBody('{ nope }'), {
        'x-request-id': 'bad id with spaces',
      });
      const genId = generated.headers.get('x-request-id');
      expect(genId).toMatch(/^[0-9a-f-]{36}$/);
      const secret = await post(s.app.url, gqlBody('{ __typename }'), {
        authorization: 'Bearer secret-token-value-0123456789',
        cookie: 'session=secret-cookie-value',
      });
      await new Promise((res) => setTimeout(res, 50));
      const byId = (id: string | null) =>
        s.logs.find((l) => (l.req as { id?: string } | undefined)?.id === id)!;
      const line = byId('req-abc.123');
      expect(line).toMatchObject({
        level: 30,
        operationName: 'Flagship',
        outcome: 'ok',
        errorCodes: [],
        statements: 1,
        res: { statusCode: 200 },
        req: { method: 'POST', url: '/graphql' },
      });
      expect(typeof line.responseTime).toBe('number');
      expect(byId(genId)).toMatchObject({
        outcome: 'error',
        errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
      });
      expect(byId(secret.headers.get('x-request-id'))).toBeDefined();
      const all = JSON.stringify(s.logs);
      expect(all).not.toContain('secret-token-value');
      expect(all).not.toContain('secret-cookie-value');
    } finally {
      await s.app.stop();
      await s.conn.close();
    }
  });

  it('answers /healthz and /readyz', async () => {
    const s = await startWith({});
    try {
      const base = s.app.url.replace('/graphql', '');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
    } finally {
      await s.app.stop();
      await s.conn.close();
    }
  });

  it('drains an in-flight request on stop, then refuses new connections', async () => {
    const s = await startWith({});
    const { port } = s.app.server.address() as net.AddressInfo;
    const body = gqlBody('{ incident(id: "sony-pictures-2014") { name } }');
    // A request whose body arrives in two halves, the second after stop() has begun.
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/graphql',
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 300);
    });
    await new Promise((res) => setTimeout(res, 100));
    const stopped = s.app.stop();
    const r = await response;
    await stopped;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({
      data: { incident: { name: expect.stringContaining('Sony') } },
    });
    await expect(fetch(s.app.url)).rejects.toThrow();
    await s.conn.close();
  });

  it('ends a request past REQUEST_TIMEOUT_MS with 503 TIMEOUT and keeps serving others', async () => {
    const s = await startWith({ REQUEST_TIMEOUT_MS: '300' });
    try {
      const { port } = s.app.server.address() as net.AddressInfo;
      const slow = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            path: '/graphql',
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': '1000' },
          },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, text }));
          },
        );
        req.on('error', reject);
        req.write('{"query":'); // and never the rest
      });
      const quick = await post(s.app.url, gqlBody('{ __typename }'));
      expect(quick.status).toBe(200);
      const r = await slow;
      expect(r.status).toBe(503);
      expect(JSON.parse(r.text).errors[0].extensions.code).toBe(ErrorCode.TIMEOUT);
      const after = await post(s.app.url, gqlBody('{ __typename }'));
      expect(after.status).toBe(200);
    } finally {
      await s.app.stop();
      await s.conn.close();
    }
  });

  it('stops a Cypher statement at NEO4J_TX_TIMEOUT_MS with a TIMEOUT error', async () => {
    const config = loadConfig({ ...process.env, NEO4J_TX_TIMEOUT_MS: '200' });
    const conn = rawConnection(process.env.NEO4J_URI!, config);
    try {
      const slow = cypher('testSlow', 'UNWIND range(1, 2000000000) AS x RETURN count(x) AS n');
      const t0 = Date.now();
      await expect(conn.db().read(slow)).rejects.toMatchObject({
        extensions: { code: ErrorCode.TIMEOUT },
      });
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      await conn.close();
    }
  });
});

/** A TCP relay to the test Neo4j that can be cut and restored, to fake an outage. */
async function relay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await listen();
  return {
    get port() {
      return port;
    },
    async down() {
      await new Promise<void>((resolve) => {
        server!.close(() => resolve());
        for (const s of sockets) s.destroy();
        sockets.clear();
      });
    },
    up: listen,
  };
}

describe('fault tolerance', () => {
  it('answers SERVICE_UNAVAILABLE and /readyz 503 when Neo4j is unreachable', async () => {
    const s = await startWith({ NODE_ENV: 'production' }, (c) =>
      rawConnection('bolt://127.0.0.1:1', c),
    );
    try {
      const base = s.app.url.replace('/graphql', '');
      const r = await post(s.app.url, gqlBody('{ incident(id: "sony-pictures-2014") { name } }'));
      expect(r.status).toBe(200);
      expect(r.body!.errors![0].extensions).toEqual({ code: ErrorCode.SERVICE_UNAVAILABLE });
      expect(r.text).not.toMatch(/stack|ECONNREFUSED|127\.0\.0\.1/);
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      // No database work needed: still answered.
      expect((await post(s.app.url, gqlBody('{ __typename }'))).status).toBe(200);
    } finally {
      await s.app.stop();
      await s.conn.close();
    }
  });

  it('recovers by itself when Neo4j comes back (driver reconnects, no restart)', async () => {
    const target = new URL(process.env.NEO4J_URI!);
    const r = await relay({ host: target.hostname, port: Number(target.port) });
    const s = await startWith({}, (c) => rawConnection(`bolt://127.0.0.1:${r.port}`, c));
    const base = s.app.url.replace('/graphql', '');
    const query = gqlBody('{ incident(id: "sony-pictures-2014") { name } }');
    try {
      expect((await post(s.app.url, query)).body?.data).toBeTruthy();
      await r.down();
      const during = await post(s.app.url, query);
      expect(during.status).toBe(200);
      expect(during.body!.errors![0].extensions?.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      await r.up();
      const t0 = Date.now();
      let recovered = false;
      while (!recovered && Date.now() - t0 < 20_000) {
        const again = await post(s.app.url, query);
        recovered = !!again.body?.data?.incident;
        if (!recovered) await new Promise((res) => setTimeout(res, 200));
      }
      expect(recovered).toBe(true);
      process.stderr.write(`[hardening] recovered ${Date.now() - t0} ms after Neo4j returned\n`);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
    } finally {
      await s.app.stop();
      await s.conn.close();
      await r.down();
    }
  });
});
