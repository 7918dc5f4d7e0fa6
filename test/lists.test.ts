/**
 * The root lists of the research API (claims, hypotheses, actors, sources, evidence, events,
 * incidents): typed filters, orders, and Relay paging with keyset cursors that stay valid when
 * rows are added.
 */
import { cypher } from '../src/db';
import { TestServer, startTestServer, uid } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let t: TestServer;
const P = uid('lists');

const SETUP = cypher(
  'testListsSetup',
  `CREATE (a:Entity:Actor {id: $p + '-actor', name: 'Paging Test Actor', kind: 'group', unverified: false})
   CREATE (i:Entity:Incident {id: $p + '-incident', name: 'Paging test', summary: 'x', kind: 'test',
     startedAtPrecision: 'unknown', unverified: false})
   CREATE (h:Entity:Hypothesis {id: $p + '-h', tag: 'H1', statement: 'x', unverified: false})-[:ABOUT]->(i)
   WITH a, h
   UNWIND $days AS d
   CREATE (c:Entity:Claim {id: $p + '-c-' + d, stance: 'supports', text: 'x', textKind: 'paraphrase',
     statedAt: date(d), statedAtPrecision: 'day', knownFrom: date(d), unverified: false})
   CREATE (c)-[:BY]->(a), (c)-[:SUPPORTS]->(h)`,
);
const ADD = cypher(
  'testListsAdd',
  `MATCH (a:Actor {id: $p + '-actor'}), (h:Hypothesis {id: $p + '-h'})
   CREATE (c:Entity:Claim {id: $p + '-c-' + $d, stance: 'supports', text: 'x', textKind: 'paraphrase',
     statedAt: date($d), statedAtPrecision: 'day', knownFrom: date($d), unverified: false})
   CREATE (c)-[:BY]->(a), (c)-[:SUPPORTS]->(h)`,
);
const CLEAN = cypher(
  'testListsClean',
  'MATCH (n:Entity) WHERE n.id STARTS WITH $p DETACH DELETE n',
);

const DAYS = ['2020-01-05', '2020-01-10', '2020-01-15', '2020-01-20', '2020-01-25', '2020-01-30'];

beforeAll(async () => {
  t = await startTestServer();
  await t.conn.db().write((tx) => tx.run(SETUP, { p: P, days: DAYS }));
});
afterAll(async () => {
  await t?.conn.db().write((tx) => tx.run(CLEAN, { p: P }));
  await t?.close();
});

async function ok(query: string, variables?: Record<string, unknown>): Promise<Json> {
  const res = await t.gql<Json>(query, variables);
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
}

async function fails(query: string, variables?: Record<string, unknown>): Promise<Json> {
  const res = await t.gql<Json>(query, variables);
  expect(res.body.errors?.length).toBeGreaterThan(0);
  return res.body.errors![0];
}

const PAGE = `query($a: [ID!], $first: Int, $after: String, $last: Int, $before: String, $dir: OrderDirection) {
  claims(filter: { claimants: $a }, orderBy: { field: STATED_AT, direction: $dir },
         first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id stated } }
    nodes { id }
  } }`;
const dayOf = (c: Json) => c.node.stated;

describe('keyset paging', () => {
  it('pages forward with the full PageInfo, and the nodes shortcut matches the edges', async () => {
    const a = [`${P}-actor`];
    const p1 = (await ok(PAGE, { a, first: 2 })).claims;
    expect(p1.totalCount).toBe(DAYS.length);
    expect(p1.edges.map(dayOf)).toEqual(DAYS.slice(0, 2));
    expect(p1.nodes.map((n: Json) => n.id)).toEqual(p1.edges.map((e: Json) => e.node.id));
    expect(p1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(p1.pageInfo.startCursor).toBe(p1.edges[0].cursor);
    expect(p1.pageInfo.endCursor).toBe(p1.edges[1].cursor);
    const p2 = (await ok(PAGE, { a, first: 2, after: p1.pageInfo.endCursor })).claims;
    expect(p2.edges.map(dayOf)).toEqual(DAYS.slice(2, 4));
    expect(p2.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('keeps a cursor valid when rows are added before it: no item twice, none skipped', async () => {
    const a = [`${P}-actor`];
    const p1 = (await ok(PAGE, { a, first: 3 })).claims;
    expect(p1.edges.map(dayOf)).toEqual(DAYS.slice(0, 3));
    // Two claims dated before the cursor and one after it are recorded meanwhile.
    for (const d of ['2019-12-01', '2020-01-01', '2020-01-17'])
      await t.conn.db().write((tx) => tx.run(ADD, { p: P, d }));
    try {
      const p2 = (await ok(PAGE, { a, first: 10, after: p1.pageInfo.endCursor })).claims;
      expect(p2.edges.map(dayOf)).toEqual(['2020-01-17', ...DAYS.slice(3)]);
      expect(p2.totalCount).toBe(DAYS.length + 3);
      expect(p2.pageInfo.hasNextPage).toBe(false);
    } finally {
      await t.conn.db().write((tx) =>
        tx.run(cypher('testListsUnadd', 'MATCH (c:Claim) WHERE c.id IN $ids DETACH DELETE c'), {
          ids: ['2019-12-01', '2020-01-01', '2020-01-17'].map((d) => `${P}-c-${d}`),
        }),
      );
    }
  });

  it('pages backward with last/before', async () => {
    const a = [`${P}-actor`];
    const end = (await ok(PAGE, { a, last: 2 })).claims;
    expect(end.edges.map(dayOf)).toEqual(DAYS.slice(4));
    expect(end.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const prev = (await ok(PAGE, { a, last: 3, before: end.pageInfo.startCursor })).claims;
    expect(prev.edges.map(dayOf)).toEqual(DAYS.slice(1, 4));
    expect(prev.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const first = (await ok(PAGE, { a, last: 5, before: prev.pageInfo.startCursor })).claims;
    expect(first.edges.map(dayOf)).toEqual(DAYS.slice(0, 1));
    expect(first.pageInfo.hasPreviousPage).toBe(false);
  });

  it('orders descending with the same cursors semantics', async () => {
    const a = [`${P}-actor`];
    const p1 = (await ok(PAGE, { a, first: 4, dir: 'DESC' })).claims;
    expect(p1.edges.map(dayOf)).toEqual([...DAYS].reverse().slice(0, 4));
    const p2 = (await ok(PAGE, { a, first: 4, after: p1.pageInfo.endCursor, dir: 'DESC' })).claims;
    expect(p2.edges.map(dayOf)).toEqual([...DAYS].reverse().slice(4));
  });

  it('refuses a cursor it did not issue, and first with last, naming the argument', async () => {
    const bad = await fails(PAGE, { a: [`${P}-actor`], first: 2, after: 'bm90LWEtY3Vyc29y' });
    expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    const both = await fails(PAGE, { a: [`${P}-actor`], first: 2, last: 2 });
    expect(both.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'last' });
    const big = await fails(PAGE, { a: [`${P}-actor`], first: 101 });
    expect(big.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });
});

describe('root lists with typed filters', () => {
  it('claims: by stance, incident and suspect; retracted or not', async () => {
    const data = await ok(
      `query($n: Int) {
      disputes: claims(filter: { stances: [DISPUTES], incidents: ["sony-pictures-2014"] }, first: $n) {
        totalCount nodes { stance hypothesis { incident { id } } } }
      suspects: claims(filter: { suspects: ["lazarus-group"] }, first: $n) {
        nodes { hypothesis { suspects { id } } } }
      retracted: claims(filter: { retracted: true }, first: $n) { nodes { retracted retractedAtPrecision } }
    }`,
      { n: 100 },
    );
    expect(data.disputes.totalCount).toBeGreaterThan(0);
    for (const c of data.disputes.nodes) {
      expect(c.stance).toBe('DISPUTES');
      expect(c.hypothesis.incident.id).toBe('sony-pictures-2014');
    }
    for (const c of data.suspects.nodes)
      expect(c.hypothesis.suspects.map((s: Json) => s.id)).toContain('lazarus-group');
    for (const c of data.retracted.nodes) {
      expect(c.retracted).toBeTruthy();
      expect(c.retractedAtPrecision).not.toBe('UNKNOWN');
    }
  });

  it('hypotheses: by supporter and disputer', async () => {
    const data = await ok(`{
      byFbi: hypotheses(filter: { supportedBy: ["fbi"] }) { nodes { id supporters { actor { id } } } }
      againstDprk: hypotheses(filter: { disputedBy: ["dprk"] }) { nodes { id } }
    }`);
    expect(data.byFbi.nodes.map((h: Json) => h.id)).toContain('sony-h1-dprk-state');
    for (const h of data.byFbi.nodes)
      expect(h.supporters.map((p: Json) => p.actor.id)).toContain('fbi');
    expect(data.againstDprk.nodes.map((h: Json) => h.id)).toContain('sony-h1-dprk-state');
  });

  it('actors, sources, evidence and events: by kind, grade, rating and participant', async () => {
    const data = await ok(`{
      personas: actors(filter: { kinds: [PERSONA] }, orderBy: { field: NAME }) { nodes { kind name } }
      gradeA: sources(filter: { reliabilities: [A] }, orderBy: { field: PUBLISHED_AT, direction: DESC }) {
        nodes { reliability published knownFrom } }
      unrated: evidence(filter: { rated: false }) { nodes { id ratings { totalCount nodes { id } } } }
      malware: evidence(filter: { kinds: [MALWARE], incidents: ["sony-pictures-2014"] }) { nodes { kind } }
      sanctions: events(filter: { kinds: [SANCTION], participants: ["rgb"] }) {
        nodes { kind participants { actor { id } } } }
    }`);
    expect(data.personas.nodes.length).toBeGreaterThan(0);
    expect(data.personas.nodes.map((a: Json) => a.name)).toContain('Guardians of Peace');
    for (const a of data.personas.nodes) expect(a.kind).toBe('PERSONA');
    const names = data.personas.nodes.map((a: Json) => a.name.toLowerCase());
    expect([...names].sort()).toEqual(names);
    const days = data.gradeA.nodes.map((s: Json) => s.knownFrom ?? '~');
    expect([...days].sort().reverse()).toEqual(days);
    for (const s of data.gradeA.nodes) expect(s.reliability).toBe('A');
    for (const e of data.unrated.nodes) expect(e.ratings).toEqual({ totalCount: 0, nodes: [] });
    expect(data.malware.nodes.length).toBeGreaterThan(0);
    for (const e of data.malware.nodes) expect(e.kind).toBe('MALWARE');
    expect(data.sanctions.nodes.length).toBeGreaterThan(0);
    for (const e of data.sanctions.nodes) {
      expect(e.kind).toBe('SANCTION');
      expect(e.participants.map((p: Json) => p.actor.id)).toContain('rgb');
    }
  });

  it('incidents: by suspect and by an actor involved in any role', async () => {
    const data = await ok(`{
      suspects: incidents(filter: { suspects: ["lazarus-group"] }) { nodes { id } }
      involving: incidents(filter: { involving: ["fbi"] }, orderBy: { field: NAME }) { nodes { id name } }
    }`);
    expect(data.suspects.nodes.map((i: Json) => i.id)).toContain('sony-pictures-2014');
    const ids = data.involving.nodes.map((i: Json) => i.id);
    expect(ids).toEqual(expect.arrayContaining(['sony-pictures-2014', 'darkseoul-2013']));
  });

  it('refuses an invalid day in a filter before running anything', async () => {
    const res = await t.gql(`{ claims(filter: { statedFrom: "2014-02-30" }) { totalCount } }`);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.statements).toBe(0);
  });
});
