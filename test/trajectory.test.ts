// Incident.trajectory against the real seed: every point equals `ranking(asOf: date)` on that
// day, the points sit where the record changes, and all of them come from ONE statement.
import { readRevisions } from '../src/revisions';
import { TestServer, startTestServer } from './helpers';

const INCIDENT = 'sony-pictures-2014';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface Standing {
  hypothesis: { id: string; tag: string };
  rank: number;
  score: number;
  probability: number;
  likelihood: string;
  likelihoodBand: string;
  confidence: string;
}
interface Point {
  date: string;
  changes: number;
  hypotheses: Standing[];
}

const TRAJECTORY = `query($id: ID!, $from: LocalDate, $to: LocalDate, $exclude: ExcludeInput) {
  incident(id: $id) { trajectory(from: $from, to: $to, exclude: $exclude) {
    date changes
    hypotheses { hypothesis { id tag } rank score probability likelihood likelihoodBand confidence }
  } } }`;

const RANKING = `query($id: ID!, $asOf: LocalDate, $exclude: ExcludeInput) {
  incident(id: $id) { ranking(asOf: $asOf, exclude: $exclude) { hypotheses {
    hypothesis { id } assessment { rank score probability likelihood likelihoodBand confidence }
  } } } }`;

async function trajectory(vars: Record<string, unknown>) {
  const res = await server.gql<{ incident: { trajectory: Point[] } }>(TRAJECTORY, {
    id: INCIDENT,
    ...vars,
  });
  expect(res.body.errors).toBeUndefined();
  return { points: res.body.data!.incident.trajectory, statements: res.statements };
}

async function hypothesesAsOf(asOf: string, exclude?: Record<string, string[]>) {
  type Entry = { hypothesis: { id: string }; assessment: Omit<Standing, 'hypothesis'> };
  const res = await server.gql<{ incident: { ranking: { hypotheses: Entry[] } } }>(RANKING, {
    id: INCIDENT,
    asOf,
    exclude,
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.incident.ranking.hypotheses.map((h) => ({
    id: h.hypothesis.id,
    ...h.assessment,
  }));
}

/**
 * Runs `read` until Sony's revision is the same before and after it, at most five times: other
 * suites write to Sony at the same time (the browser tests add claims), and a comparison of two
 * reads holds only when nothing was written between them.
 */
async function atOneRevision<T>(read: () => Promise<T>): Promise<T> {
  const revision = async () =>
    (await readRevisions(server.conn.db(), [INCIDENT])).get(INCIDENT) ?? 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = await revision();
    const out = await read();
    if ((await revision()) === before) return out;
  }
  throw new Error(`${INCIDENT} was written to during each of five reads`);
}

const standings = (p: Point) =>
  p.hypotheses.map(({ hypothesis, ...rest }) => ({ id: hypothesis.id, ...rest }));

test('Sony from June 2014 to today: one statement, dates ascending, each point as ranking(asOf) gives it', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const { points, statements, rankings } = await atOneRevision(async () => {
    const t = await trajectory({ from: '2014-06-01' });
    const all = [];
    for (const p of t.points) all.push(await hypothesesAsOf(p.date));
    return { ...t, rankings: all };
  });
  // ONE load of the record for every date: the incident, then the bundle; nothing per date.
  expect(statements).toBe(2);
  expect(points[0].date).toBe('2014-06-01');
  expect(points.length).toBeGreaterThan(10);
  for (let i = 1; i < points.length; i++) {
    expect(points[i].date > points[i - 1].date).toBe(true);
    expect(points[i].changes).toBeGreaterThan(0);
  }
  expect(points[points.length - 1].date <= today).toBe(true);
  for (const p of points) {
    expect(p.hypotheses.map((h) => h.rank)).toEqual(p.hypotheses.map((_, k) => k + 1));
    if (p.hypotheses.length)
      expect(p.hypotheses.reduce((s, h) => s + h.probability, 0)).toBeCloseTo(1, 4);
  }
  // The FBI's attribution (19 Dec 2014) is a change date, and H1 leads once it is on record.
  const fbiDay = points.find((p) => p.date === '2014-12-19');
  expect(fbiDay).toBeDefined();
  expect(fbiDay!.hypotheses[0].hypothesis.id).toBe('sony-h1-dprk-state');

  // Every point equals the ranking the API gives for that day (the same method, the same cut).
  points.forEach((p, i) => expect(standings(p)).toEqual(rankings[i]));
});

test('from/to bound the points; exclude follows ranking(exclude)', async () => {
  const { points } = await trajectory({ from: '2014-12-01', to: '2014-12-31' });
  expect(points[0].date).toBe('2014-12-01');
  expect(points.every((p) => p.date >= '2014-12-01' && p.date <= '2014-12-31')).toBe(true);
  expect(points.length).toBeGreaterThan(2);

  const exclude = { claimants: ['fbi'] };
  const { without, rankings } = await atOneRevision(async () => {
    const t = await trajectory({ from: '2014-12-18', to: '2014-12-22', exclude });
    const all = [];
    for (const p of t.points) all.push(await hypothesesAsOf(p.date, exclude));
    return { without: t, rankings: all };
  });
  expect(without.statements).toBe(3); // the incident, the id check of `exclude`, the bundle
  without.points.forEach((p, i) => expect(standings(p)).toEqual(rankings[i]));
  // Leaving the FBI out moves the numbers: H1's probability on the 20th is not what it was.
  const on20 = (points: Point[]) => {
    const p = points.filter((x) => x.date <= '2014-12-20').pop()!;
    return p.hypotheses.find((h) => h.hypothesis.id === 'sony-h1-dprk-state')!.probability;
  };
  const withFbi = await trajectory({ from: '2014-12-18', to: '2014-12-22' });
  expect(on20(without.points)).not.toBe(on20(withFbi.points));
});

test('without from: starts at the first date of the record', async () => {
  const { points } = await trajectory({});
  expect(points.length).toBeGreaterThan(10);
  expect(points[0].date < '2014-12-01').toBe(true);
  expect(points[0].changes).toBeGreaterThan(0);
});

test('bad arguments are refused naming the field', async () => {
  const after = await server.gql(TRAJECTORY, {
    id: INCIDENT,
    from: '2015-01-01',
    to: '2014-01-01',
  });
  expect(after.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(after.body.errors?.[0].message).toMatch(/^from/);
  const unknown = await server.gql(TRAJECTORY, {
    id: INCIDENT,
    exclude: { sources: ['no-such-source'] },
  });
  expect(unknown.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(unknown.body.errors?.[0].message).toContain('exclude.sources[0]');
  const notADate = await server.gql(TRAJECTORY, { id: INCIDENT, from: '2014-13-01' });
  expect(notADate.status).toBe(400);
});
