/**
 * Pinned answers of the record's replays: the README's example answer (20 December 2014) as it
 * is printed there, and the rule that month- and year-dated claims, events and ratings stay out
 * of a replay until their period ends (the four Sony claims dated "2014-12", the ratings dated
 * "2014-12", the events dated "2014-06").
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../src/config';
import { cypher } from '../src/db';
import { dateProps } from '../src/model';
import { TestServer, startTestServer, uid } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A year-dated event in an incident of its own (the seed dates every event to a day or month). */
const ADD_YEAR_EVENT = cypher(
  'testAddYearEvent',
  `CREATE (i:Entity:Incident {id: $incident, name: 'Year-dated replay test', summary: 'test', kind: 'test'})
   CREATE (e:Entity:Event {id: $event, title: 'A year-dated event', description: 'test', kind: 'other'})
   SET e += $date
   CREATE (e)-[:IN]->(i)`,
);
const DELETE_YEAR_EVENT = cypher(
  'testDeleteYearEvent',
  `MATCH (n:Entity) WHERE n.id IN [$incident, $event] DETACH DELETE n`,
);

const SONY = 'sony-pictures-2014';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

async function ok(query: string, variables?: Record<string, unknown>): Promise<Json> {
  const res = await t.gql<Json>(query, variables);
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
}

/** Every timeline entry, page by page (the API gives at most 100 a page). */
async function timelineNodes(i: string, d?: string): Promise<Json[]> {
  const out: Json[] = [];
  let after: string | null = null;
  do {
    const data = await ok(
      `query($i: ID!, $d: LocalDate, $a: String) { incident(id: $i) {
        timeline(asOf: $d, first: 100, after: $a) { nodes { claim { id } event { id } } pageInfo { hasNextPage endCursor } } } }`,
      { i, d, a: after },
    );
    const page = data.incident.timeline;
    out.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return out;
}

/** The README's example: the query its curl command sends, and the answer it prints. */
function readmeExample(): { query: string; answer: Json } {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## An example query'));
  const body = /-d '(\{"query":.*\})'/.exec(section);
  const answer = /The answer, on the seed:\s*```json\n([\s\S]*?)```/.exec(section);
  if (!body || !answer) throw new Error('README: the example query or its answer is missing');
  return { query: JSON.parse(body[1]).query, answer: JSON.parse(answer[1]) };
}

describe("the README's example answer", () => {
  it('is what the API answers on the seed, exactly', async () => {
    const { query, answer } = readmeExample();
    expect(query).toMatch(/2014-12-20/);
    const res = await t.gql<Json>(query);
    expect(res.body).toEqual(answer);
  });
});

describe('month- and year-dated items stay out of a replay until their period ends', () => {
  /** The Sony claims dated only to December 2014. */
  async function decemberClaims(): Promise<Json[]> {
    const data = await ok(
      `query($i: [ID!], $n: Int) { claims(filter: { incidents: $i, statedFrom: "2014-12-01", statedTo: "2014-12-31" }, first: $n) {
         nodes { id stated statedAt statedAtPrecision knownFrom hypothesis { id } } } }`,
      { i: [SONY], n: 100 },
    );
    return data.claims.nodes.filter((c: Json) => c.stated === '2014-12');
  }

  const RANKING = `query($i: ID!, $d: LocalDate) { incident(id: $i) {
    hypotheses(asOf: $d) { id supporters { claims { id } } opponents { claims { id } } } } }`;
  const ACH = `query($i: ID!, $d: LocalDate) { incident(id: $i) {
    ach(asOf: $d) { rows { cells { ratings { id } } } } } }`;

  async function replay(day: string) {
    const { incident } = await ok(RANKING, { i: SONY, d: day });
    incident.timeline = { nodes: await timelineNodes(SONY, day) };
    incident.ach = (await ok(ACH, { i: SONY, d: day })).incident.ach;
    const claims = new Set<string>();
    for (const h of incident.hypotheses)
      for (const p of [...h.supporters, ...h.opponents]) for (const c of p.claims) claims.add(c.id);
    const timeline = incident.timeline.nodes;
    return {
      claims,
      timelineClaims: new Set(timeline.filter((n: Json) => n.claim).map((n: Json) => n.claim.id)),
      events: new Set(timeline.filter((n: Json) => n.event).map((n: Json) => n.event.id)),
      ratings: new Set(
        incident.ach.rows.flatMap((r: Json) =>
          r.cells.flatMap((c: Json) => c.ratings.map((x: Json) => x.id)),
        ),
      ),
    };
  }

  it('the four Sony claims dated "2014-12" count from 31 December 2014, not before', async () => {
    // Nine until Zetter's, Schneier's three and Kaspersky's got their day from TECHNICAL-FACTS (F-81, F-84, F-65).
    const nine = await decemberClaims();
    expect(nine).toHaveLength(4);
    for (const c of nine) {
      expect(c).toMatchObject({
        statedAt: '2014-12-01',
        statedAtPrecision: 'MONTH',
        knownFrom: '2014-12-31',
      });
    }
    const ids = nine.map((c) => c.id);
    const on30 = await replay('2014-12-30');
    const on31 = await replay('2014-12-31');
    for (const id of ids) {
      expect(on30.claims.has(id)).toBe(false);
      expect(on30.timelineClaims.has(id)).toBe(false);
      expect(on31.claims.has(id)).toBe(true);
      expect(on31.timelineClaims.has(id)).toBe(true);
    }
    // Nor on the 1st of the month, the day `statedAt` shows.
    const on1 = await replay('2014-12-01');
    for (const id of ids) expect(on1.timelineClaims.has(id)).toBe(false);
  });

  it('ratings dated "2014-12" enter the ACH matrix on 31 December 2014', async () => {
    const data = await ok(
      `query($i: [ID!], $n: Int) { evidence(filter: { incidents: $i }, first: $n) {
         totalCount nodes { id knownFrom ratings { totalCount nodes { id rated knownFrom } } } } }`,
      { i: [SONY], n: 50 },
    );
    // one page of 50 holds every Sony item, and each item's ratings
    expect(data.evidence.nodes).toHaveLength(data.evidence.totalCount);
    for (const e of data.evidence.nodes) expect(e.ratings.nodes).toHaveLength(e.ratings.totalCount);
    const monthRated = data.evidence.nodes.flatMap((e: Json) =>
      e.ratings.nodes
        .filter((r: Json) => r.rated === '2014-12' && e.knownFrom && e.knownFrom <= '2014-12-30')
        .map((r: Json) => r.id),
    );
    expect(monthRated.length).toBeGreaterThanOrEqual(5);
    const on30 = await replay('2014-12-30');
    const on31 = await replay('2014-12-31');
    for (const id of monthRated) {
      expect(on30.ratings.has(id)).toBe(false);
      expect(on31.ratings.has(id)).toBe(true);
    }
  });

  it('events dated to a month or a year enter the timeline at the end of the period', async () => {
    const data = await ok(
      `query($i: [ID!], $n: Int) { events(filter: { incidents: $i }, first: $n) { nodes { id occurred knownFrom datePrecision } } }`,
      { i: [SONY], n: 100 },
    );
    const june = data.events.nodes.filter((e: Json) => e.occurred === '2014-06');
    expect(june.length).toBeGreaterThan(0);
    for (const e of june)
      expect(e).toMatchObject({ knownFrom: '2014-06-30', datePrecision: 'MONTH' });
    const before = await replay('2014-06-29');
    const after = await replay('2014-06-30');
    for (const e of june) {
      expect(before.events.has(e.id)).toBe(false);
      expect(after.events.has(e.id)).toBe(true);
    }
    // A year: the seed has no year-dated event left (every one is dated from TECHNICAL-FACTS).
    const incident = uid('replay-year');
    const event = `${incident}-event`;
    await t.conn
      .db()
      .write((tx) => tx.run(ADD_YEAR_EVENT, { incident, event, date: dateProps('date', '2013') }));
    try {
      const mine = await ok(
        `query($i: [ID!]) { events(filter: { incidents: $i }) { nodes { id occurred knownFrom datePrecision } } }`,
        { i: [incident] },
      );
      expect(mine.events.nodes).toEqual([
        { id: event, occurred: '2013', knownFrom: '2013-12-31', datePrecision: 'YEAR' },
      ]);
      const events = async (d: string) =>
        (await timelineNodes(incident, d))
          .filter((n: Json) => n.event)
          .map((n: Json) => n.event.id);
      expect(await events('2013-12-30')).toEqual([]);
      expect(await events('2013-12-31')).toEqual([event]);
    } finally {
      await t.conn.db().write((tx) => tx.run(DELETE_YEAR_EVENT, { incident, event }));
    }
  });

  it('without asOf, the whole record counts, undated claims included; a replay leaves them out', async () => {
    const data = await ok(
      `query($i: [ID!]) { claims(filter: { incidents: $i }, orderBy: { field: STATED_AT, direction: DESC }, first: 5) {
         nodes { id stated knownFrom } } }`,
      { i: [SONY] },
    );
    // Undated claims sort first when descending.
    const undated = data.claims.nodes.filter((c: Json) => c.stated === null);
    expect(undated.length).toBeGreaterThan(0);
    for (const c of undated) expect(c.knownFrom).toBeNull();
    const whole = { incident: { timeline: { nodes: await timelineNodes(SONY) } } };
    const wholeIds = new Set(
      whole.incident.timeline.nodes.filter((n: Json) => n.claim).map((n: Json) => n.claim.id),
    );
    const today = new Date().toISOString().slice(0, 10);
    const replayed = await replay(today);
    for (const c of undated) {
      expect(wholeIds.has(c.id)).toBe(true);
      expect(replayed.timelineClaims.has(c.id)).toBe(false);
    }
  });
});
