/**
 * Issue 18, item 3: the matrix is honest about what it lacks. On a fresh incident with one
 * item rated against one of its hypotheses, the other cells are MISSING (not neutral): the
 * coverage and the columns say so, the judgment's confidence counts it, and the blanks'
 * range is reported. An analyst then rates a blank through the existing `rateEvidence`
 * mutation and the matrix, the ranking and the judgment follow at once.
 */
import { cliPrincipal } from '../src/auth';
import { cypher } from '../src/db';
import { createApiKey } from '../src/mutations';
import { Json, TestServer, USER_ERRORS, post, startTestServer, succeeded, uid } from './helpers';

const P = uid('blanks');
const id = (name: string) => `${P}-${name}`;
let t: TestServer;
let key = '';
let keyId = '';

const ok = async (query: string, variables?: Record<string, unknown>): Promise<Json> =>
  succeeded(await post(t.app.url, key, query, variables));

const CLEAN = cypher(
  'testCleanAchBlanks',
  `CALL () { MATCH (n:Entity) WHERE n.id STARTS WITH $p DETACH DELETE n }
   CALL () { MATCH (n:Rating) WHERE n.id STARTS WITH $p DETACH DELETE n }
   CALL () { MATCH (a:AuditEntry) WHERE a.principal = $key DETACH DELETE a }
   CALL () { MATCH (k:ApiKey {id: $key}) DETACH DELETE k }`,
);

const INCIDENT = id('incident');
const H_STATE = id('h-state');
const H_CRIME = id('h-crime');
const EVIDENCE = id('evidence');

beforeAll(async () => {
  t = await startTestServer();
  const made = await createApiKey(
    { db: t.conn.db(), principal: cliPrincipal() },
    { name: `${P} analyst`, role: 'analyst', actor: null },
  );
  key = made.key;
  keyId = made.apiKey.id;
  for (const [aid, kind] of [
    [id('state'), 'STATE'],
    [id('crew'), 'GROUP'],
    [id('publisher'), 'MEDIA'],
  ])
    await ok(
      `mutation($i: CreateActorInput!) { createActor(input: $i) { actor { id } ${USER_ERRORS} } }`,
      { i: { id: aid, name: `Actor ${aid}`, kind } },
    );
  await ok(
    `mutation($i: CreateSourceInput!) { createSource(input: $i) { source { id } ${USER_ERRORS} } }`,
    {
      i: {
        id: id('source'),
        title: 'Test report',
        publisher: id('publisher'),
        url: 'https://example.org/blanks',
        publishedAt: '2014-12-01',
        reliability: 'B',
        reliabilityReason: 'A usually reliable outlet.',
      },
    },
  );
  await ok(
    `mutation($i: CreateIncidentInput!) { createIncident(input: $i) { incident { id } ${USER_ERRORS} } }`,
    {
      i: {
        id: INCIDENT,
        name: 'Blank cells test incident',
        summary: 'An incident whose matrix starts with blanks.',
        kind: 'destructive-attack',
        startedAt: '2014-11-24',
        sources: [id('source')],
      },
    },
  );
  for (const [hid, statement, suspect] of [
    [H_STATE, 'The state did it.', id('state')],
    [H_CRIME, 'A criminal crew did it.', id('crew')],
  ])
    await ok(
      `mutation($i: CreateHypothesisInput!) { createHypothesis(input: $i) { hypothesis { id } ${USER_ERRORS} } }`,
      { i: { id: hid, incident: INCIDENT, statement, suspects: [suspect] } },
    );
  await ok(
    `mutation($i: CreateEvidenceInput!) { createEvidence(input: $i) { evidence { id } ${USER_ERRORS} } }`,
    {
      i: {
        id: EVIDENCE,
        incident: INCIDENT,
        kind: 'MALWARE',
        title: 'Wiper code shared with the state’s earlier tools',
        description: 'The wiper shares code with tools attributed to the state.',
        reportedAt: '2014-12-02',
        credibility: 2,
        credibilityReason: 'Reported by several vendors.',
        sources: [id('source')],
      },
    },
  );
  await rate(id('rating-state'), H_STATE, 'CONSISTENT');
}, 120_000);

afterAll(async () => {
  if (t) {
    await t.conn.db().write((tx) => tx.run(CLEAN, { p: P, key: keyId }));
    await t.close();
  }
});

async function rate(rid: string, hypothesis: string, rating: string) {
  await ok(
    `mutation($i: RateEvidenceInput!) { rateEvidence(input: $i) { rating { id } ${USER_ERRORS} } }`,
    {
      i: {
        id: rid,
        evidence: EVIDENCE,
        hypothesis,
        rating,
        ratedBy: 'case-analysts',
        ratedAt: '2014-12-03',
        rationale: 'Shared code is expected from the state and unexpected from a criminal crew.',
        sources: [id('source')],
      },
    },
  );
}

interface View {
  ach: {
    coverage: { cells: number; rated: number; missing: number; share: number };
    columns: { hypothesis: { id: string }; missingCells: number }[];
    rows: { cells: { hypothesis: { id: string }; origin: string; consensus: number | null }[] }[];
  };
  ranking: { hypotheses: { hypothesis: { id: string }; probability: number }[] };
  judgment: {
    coverage: { missing: number };
    sensitivity: { blanksLow: number; blanksHigh: number };
  };
}

async function view(): Promise<View> {
  const data = await ok(
    `query($id: ID!) { incident(id: $id) {
       ach { coverage { cells rated missing share }
         columns { hypothesis { id } missingCells }
         rows { cells { hypothesis { id } origin consensus } } }
       ranking { hypotheses { hypothesis { id } probability } }
       judgment { coverage { missing } sensitivity { blanksLow blanksHigh } } } }`,
    { id: INCIDENT },
  );
  return data.incident as View;
}

const p = (v: View, h: string) =>
  v.ranking.hypotheses.find((x) => x.hypothesis.id === h)?.probability ?? NaN;

describe('blank cells of the ACH matrix', () => {
  it('are missing, not neutral; rating one through rateEvidence fills it and moves the ranking', async () => {
    const before = await view();
    const cells = before.ach.rows.flatMap((r) => r.cells);
    const blank = cells.find((c) => c.hypothesis.id === H_CRIME)!;
    expect(blank).toMatchObject({ origin: 'MISSING', consensus: null });
    expect(before.ach.coverage.missing).toBeGreaterThanOrEqual(1);
    expect(before.ach.coverage.share).toBeLessThan(1);
    expect(before.ach.columns.find((c) => c.hypothesis.id === H_CRIME)!.missingCells).toBe(1);
    expect(before.judgment.coverage.missing).toBe(before.ach.coverage.missing);
    // The blanks' range: read against the judgment and for it, they bracket the answer.
    expect(before.judgment.sensitivity.blanksLow).toBeLessThanOrEqual(
      before.judgment.sensitivity.blanksHigh,
    );

    await rate(id('rating-crime'), H_CRIME, 'INCONSISTENT');

    const after = await view();
    const filled = after.ach.rows.flatMap((r) => r.cells).find((c) => c.hypothesis.id === H_CRIME)!;
    expect(filled).toMatchObject({ origin: 'ANALYSTS', consensus: -1 });
    expect(after.ach.coverage.rated).toBe(before.ach.coverage.rated + 1);
    expect(after.ach.coverage.missing).toBe(before.ach.coverage.missing - 1);
    expect(after.ach.columns.find((c) => c.hypothesis.id === H_CRIME)!.missingCells).toBe(0);
    // The effect is seen at once: the crew's hypothesis falls, the state's rises.
    expect(p(after, H_CRIME)).toBeLessThan(p(before, H_CRIME));
    expect(p(after, H_STATE)).toBeGreaterThan(p(before, H_STATE));
  }, 120_000);
});
