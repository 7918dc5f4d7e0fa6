/**
 * Hostile clients, amplification (issue 16): the cost of a query is what it makes the server do.
 * Each case here passed the old syntactic limit (graphql-armor: object 2, scalar 1) and made the
 * server do many times the work; now each is refused before execution, so no Cypher statement
 * runs (`x-cypher-statements: 0`), with a cost that the schema declares (schema/cost.graphql).
 */
import { isObjectType, print } from 'graphql';
import { cliPrincipal } from '../src/auth';
import { ErrorCode } from '../src/errors';
import { createApiKey } from '../src/mutations';
import { buildSchema } from '../src/server';
import { TestServer, startTestServer, uid } from './helpers';
import { cypher } from '../src/db';

type Body = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: { cost?: Record<string, unknown> };
};

async function post(
  t: TestServer,
  query: string,
  variables?: Record<string, unknown>,
  authorization?: string,
) {
  const res = await fetch(t.app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: res.status,
    body: (await res.json()) as Body,
    statements: Number(res.headers.get('x-cypher-statements')),
  };
}

const aliased = (n: number, field: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => `a${i}: ${field(i)}`).join(' ');

function expectRefused(r: Awaited<ReturnType<typeof post>>, limit: string) {
  expect(r.status).toBe(400);
  expect(r.body.errors?.[0].extensions).toMatchObject({
    code: 'GRAPHQL_VALIDATION_FAILED',
    limit,
  });
  expect(r.statements).toBe(0);
}

const P = uid('hostile-cost');
const CLEAN = cypher(
  'testCleanHostileCost',
  `MATCH (k:ApiKey) WHERE k.name STARTS WITH $p
   WITH collect(k) AS ks, collect(k.id) AS ids
   CALL (ids) { MATCH (a:AuditEntry) WHERE any(i IN a.ids WHERE i IN ids) DETACH DELETE a }
   FOREACH (k IN ks | DETACH DELETE k)`,
);

describe('the schema declares its costs', () => {
  it('gives every paged field a @listSize with its slicing arguments', () => {
    const schema = buildSchema();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const slicing = field.args.filter((a) => a.name === 'first' || a.name === 'last');
        if (!slicing.length) continue;
        const ls = field.astNode?.directives?.find((d) => d.name.value === 'listSize');
        const declared = ls?.arguments?.find((a) => a.name.value === 'slicingArguments');
        const names = declared ? String(print(declared.value)) : '';
        if (!slicing.every((a) => names.includes(`"${a.name}"`)))
          missing.push(`${type.name}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('hostile clients: cost that matches real cost', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.conn.db().write((tx) => tx.run(CLEAN, { p: P }));
    await t.close();
  });

  it('refuses 30 aliased stixBundle: at most one per operation', async () => {
    const r = await post(
      t,
      `{ ${aliased(30, () => 'stixBundle(incident: "sony-pictures-2014")')} }`,
    );
    expectRefused(r, 'oncePerOperation');
    expect(r.body.errors![0].extensions!.fields).toEqual(['Query.stixBundle']);
    // Two are already one too many.
    expectRefused(
      await post(t, `{ ${aliased(2, () => 'stixBundle(incident: "sony-pictures-2014")')} }`),
      'oncePerOperation',
    );
  });

  it('exports every incident at once (stixBundle without incident) to admins only', async () => {
    const anon = await post(t, '{ stixBundle }');
    expect(anon.body.errors?.[0].extensions?.code).toBe(ErrorCode.UNAUTHENTICATED);
    expect(anon.statements).toBe(0);
    const reader = await createApiKey(
      { db: t.conn.db(), principal: cliPrincipal() },
      { name: `${P} reader`, role: 'reader' },
    );
    const asReader = await post(t, '{ stixBundle }', undefined, `Bearer ${reader.key}`);
    expect(asReader.body.errors?.[0].extensions?.code).toBe(ErrorCode.FORBIDDEN);
    expect(asReader.statements).toBe(1); // the key check only
    const admin = await createApiKey(
      { db: t.conn.db(), principal: cliPrincipal() },
      { name: `${P} admin`, role: 'admin' },
    );
    const asAdmin = await post(t, '{ stixBundle }', undefined, `Bearer ${admin.key}`);
    expect(asAdmin.body.errors).toBeUndefined();
    expect((asAdmin.body.data!.stixBundle as { type: string }).type).toBe('bundle');
    // One incident stays open to anyone.
    const one = await post(t, '{ stixBundle(incident: "sony-pictures-2014") }');
    expect(one.body.errors).toBeUndefined();
  });

  it('refuses 30 aliased suspectLinks(maxHops: 6): cost grows with maxHops', async () => {
    const r = await post(
      t,
      `{ ${aliased(30, () => 'suspectLinks(from: "guardians-of-peace", to: "dprk", maxHops: 6) { length }')} }`,
    );
    expectRefused(r, 'maxCost');
    const cost = r.body.errors![0].extensions!.cost as number;
    // The same with maxHops 1 costs far less (and passes).
    const light = await post(
      t,
      `{ ${aliased(30, () => 'suspectLinks(from: "guardians-of-peace", to: "dprk", maxHops: 1) { length }')} }`,
    );
    expect(light.body.errors).toBeUndefined();
    expect(light.body.extensions!.cost!.requestedQueryCost as number).toBeLessThan(cost / 3);
  });

  it('refuses incidents(first: $n) with aliased hypotheses(asOf): lists multiply, variables count', async () => {
    const q = `query($n: Int) { incidents(first: $n) { edges { node { ${aliased(
      30,
      (i) => `hypotheses(asOf: "2014-12-${String(i + 1).padStart(2, '0')}") { id }`,
    )} } } } }`;
    expectRefused(await post(t, q, { n: 100 }), 'maxCost');
    // Omitting the page size assumes the default page (20): still refused.
    expectRefused(await post(t, q, {}), 'maxCost');
    // A small page of the same passes, and costs what it says.
    const small = await post(
      t,
      'query($n: Int) { incidents(first: $n) { edges { node { hypotheses { id } } } } }',
      { n: 2 },
    );
    expect(small.body.errors).toBeUndefined();
    expect(small.body.extensions!.cost!.requestedQueryCost).toBe(1 + 2 * (2 + 20 + 10));
  });

  it('refuses criticalItems (leave-one-out, quadratic CPU) multiplied over a list of incidents', async () => {
    expectRefused(
      await post(t, '{ incidents(first: 20) { edges { node { criticalItems { id } } } } }'),
      'maxCost',
    );
    const one = await post(t, '{ incident(id: "sony-pictures-2014") { criticalItems { id } } }');
    expect(one.body.errors).toBeUndefined();
    expect(one.body.extensions!.cost!.requestedQueryCost).toBeGreaterThanOrEqual(300);
  });

  it('puts the requested and actual cost in extensions.cost of every response', async () => {
    const ok = await post(t, '{ incidents(first: 50) { edges { node { id } } } }');
    expect(ok.body.errors).toBeUndefined();
    const n = (ok.body.data!.incidents as { edges: unknown[] }).edges.length;
    expect(ok.body.extensions!.cost).toEqual({
      requestedQueryCost: 1 + 50 * 2,
      actualQueryCost: 1 + n * 2, // list sizes as returned
      maximumQueryCost: 5000,
      statements: ok.statements,
      rateLimit: null, // limits off in this server (test/hostile-ratelimit covers them)
    });
    const refused = await post(t, `{ ${aliased(2, () => 'stixBundle(incident: "x")')} }`);
    expect(refused.body.extensions!.cost).toMatchObject({ requestedQueryCost: 400, statements: 0 });
    // search weighs 2, its connection 1, and each of the 20 assumed hits 1.
    const failed = await post(t, '{ search(text: "***") { nodes { score } } }');
    expect(failed.body.errors![0].extensions!.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(failed.body.extensions!.cost).toMatchObject({ requestedQueryCost: 2 + 1 + 20 * 1 });
    const invalid = await post(t, '{ nope }');
    expect(invalid.status).toBe(400);
    expect(invalid.body.extensions!.cost).toMatchObject({
      requestedQueryCost: null,
      actualQueryCost: 0,
      statements: 0,
    });
  });

  it('caps every list argument and cursor', async () => {
    const q = (first: number) =>
      `{ incident(id: "sony-pictures-2014") { timeline(first: ${first}) { totalCount } } }`;
    const over = await post(t, q(101));
    expect(over.body.errors?.[0].extensions).toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      argument: 'first',
    });
    // A forged cursor far past any page, or a huge number, is refused before any statement.
    for (const o of ['100000', '99999999999999999999', '1e9']) {
      const after = Buffer.from(`o:${o}`).toString('base64');
      const r = await post(
        t,
        '{ incidents(after: $a) { totalCount } }'.replace('$a', `"${after}"`),
      );
      expect(r.body.errors?.[0].extensions).toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
        argument: 'after',
      });
      expect(r.statements).toBe(0);
    }
    const ids = Array.from({ length: 101 }, (_, i) => `s${i}`);
    const ex = await post(
      t,
      'query($x: [ID!]) { incident(id: "sony-pictures-2014") { hypotheses(exclude: { sources: $x }) { id } } }',
      { x: ids },
    );
    expect(ex.body.errors?.[0].extensions).toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      argument: 'exclude.sources',
    });
  });
});
