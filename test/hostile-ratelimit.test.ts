/**
 * Hostile clients, rate limits (issue 16): there was none. Now requests per client address and
 * cost points per caller (API key, or address without one) per window, with rate-limiter-flexible;
 * past either: HTTP 429, code RATE_LIMITED, Retry-After. `Query.rateLimit` (issue 19) and
 * `extensions.cost.rateLimit` tell a client where it stands.
 */
import { cliPrincipal } from '../src/auth';
import { cypher } from '../src/db';
import { ErrorCode } from '../src/errors';
import { createApiKey } from '../src/mutations';
import { TestServer, startTestServer, uid } from './helpers';

type Body = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: { cost?: { requestedQueryCost: number; rateLimit: Record<string, unknown> | null } };
};

async function post(t: TestServer, query: string, authorization?: string) {
  const res = await fetch(t.app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query }),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    statements: Number(res.headers.get('x-cypher-statements')),
    body: (await res.json()) as Body,
  };
}

const P = uid('hostile-rl');
const CLEAN = cypher(
  'testCleanHostileRl',
  `MATCH (k:ApiKey) WHERE k.name STARTS WITH $p
   WITH collect(k) AS ks, collect(k.id) AS ids
   CALL (ids) { MATCH (a:AuditEntry) WHERE any(i IN a.ids WHERE i IN ids) DETACH DELETE a }
   FOREACH (k IN ks | DETACH DELETE k)`,
);

const RATE = '{ rateLimit { limit cost used remaining resetAt } }';
const COSTLY = '{ incidents(first: 40) { edges { node { id } } } }'; // 1 + 40 x 2 = 81 points

describe('hostile clients: rate limits', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    if (t) {
      await t.conn.db().write((tx) => tx.run(CLEAN, { p: P }));
      await t.close();
    }
    t = undefined;
  });

  it('answers 429 RATE_LIMITED with Retry-After past the requests per address', async () => {
    t = await startTestServer({ RATE_LIMIT_REQUESTS: '5', RATE_LIMIT_WINDOW_S: '30' });
    for (let i = 0; i < 5; i++) expect((await post(t, '{ __typename }')).status).toBe(200);
    const r = await post(t, '{ __typename }');
    expect(r.status).toBe(429);
    expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(r.retryAfter)).toBeLessThanOrEqual(30);
    expect(r.body.errors?.[0].extensions).toMatchObject({ code: ErrorCode.RATE_LIMITED });
    expect(r.body.errors?.[0].message).toMatch(/at most 5 per 30 s/);
    // Probes are never limited.
    const health = await fetch(t.app.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);
  });

  it('charges each query its cost; past the points: 429 with Retry-After, before any statement', async () => {
    t = await startTestServer({ RATE_LIMIT_POINTS: '200', RATE_LIMIT_WINDOW_S: '60' });
    const first = await post(t, COSTLY);
    expect(first.status).toBe(200);
    expect(first.body.extensions!.cost!.rateLimit).toMatchObject({
      limit: 200,
      used: 81,
      remaining: 119,
    });
    expect((await post(t, COSTLY)).status).toBe(200); // 162 used
    const r = await post(t, COSTLY);
    expect(r.status).toBe(429);
    expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(r.body.errors?.[0].extensions).toMatchObject({ code: ErrorCode.RATE_LIMITED });
    expect(r.body.errors?.[0].message).toMatch(/costs 81 points/);
    expect(r.statements).toBe(0);
  });

  it('counts an API key apart from its address, and rateLimit reports the standing', async () => {
    t = await startTestServer({ RATE_LIMIT_POINTS: '200', RATE_LIMIT_WINDOW_S: '60' });
    const { key } = await createApiKey(
      { db: t.conn.db(), principal: cliPrincipal() },
      { name: `${P} reader`, role: 'reader' },
    );
    await post(t, COSTLY);
    await post(t, COSTLY);
    expect((await post(t, COSTLY)).status).toBe(429); // the address is spent
    const withKey = await post(t, RATE, `Bearer ${key}`);
    expect(withKey.status).toBe(200);
    const rl = withKey.body.data!.rateLimit as Record<string, unknown>;
    expect(rl).toMatchObject({ limit: 200, cost: 1, used: 1, remaining: 199 });
    const resetAt = Date.parse(rl.resetAt as string);
    expect(resetAt).toBeGreaterThan(Date.now());
    expect(resetAt).toBeLessThanOrEqual(Date.now() + 61_000);
    expect(withKey.body.extensions!.cost!.rateLimit).toMatchObject({ remaining: 199 });
  });

  it('has rateLimit null when the server runs without limits', async () => {
    t = await startTestServer({ RATE_LIMIT_POINTS: '0', RATE_LIMIT_REQUESTS: '0' });
    const r = await post(t, RATE);
    expect(r.body).toMatchObject({ data: { rateLimit: null } });
  });
});
