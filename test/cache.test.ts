/**
 * Issue 15: the analysis cache (bundle and assessments keyed by incident revision). A repeated
 * read is a hit (fewer statements, counted in /metrics); a write is visible to the very next read
 * (never a stale answer), whether the write comes through the API or the seed writer; answers
 * with the cache on equal answers with it off.
 */
import { cliPrincipal } from '../src/auth';
import { mutate } from '../src/mutations';
import { writeSeed } from '../src/seed';
import { TestServer, startTestServer, twoIncidents, uid } from './helpers';

const P = uid('cache');
const id = (name: string) => `${P}-${name}`;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
let on: TestServer;
let off: TestServer;

const W1 = `query($id: ID!) { incident(id: $id) { id hypotheses { id
  supporters { actor { id name } claims { id text sources { id title publisher } } }
  opponents { actor { id } claims { id } }
  assessment { rank score probability explanation { kind points } } } } }`;

async function metric(t: TestServer, name: string): Promise<number> {
  const text = await (await fetch(t.app.url.replace('/graphql', '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{cache="analysis"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

beforeAll(async () => {
  on = await startTestServer();
  off = await startTestServer({ CACHE_MAX_BYTES: '0' });
  await writeSeed(on.conn.db(), twoIncidents(P));
});

afterAll(async () => {
  await on.conn.driver.executeQuery(
    `MATCH (n) WHERE n.id STARTS WITH $p OR n.incident STARTS WITH $p DETACH DELETE n`,
    { p: P },
  );
  await on.close();
  await off.close();
});

describe('analysis cache', () => {
  it('answers a repeated read from the cache with fewer statements, counted in /metrics', async () => {
    const first = await on.gql(W1, { id: id('inc1') });
    expect(first.body.errors).toBeUndefined();
    const hits = await metric(on, 'attribution_cache_hits_total');
    const again = await on.gql(W1, { id: id('inc1') });
    expect(again.body.data).toEqual(first.body.data);
    expect(again.statements).toBeLessThan(first.statements);
    expect(await metric(on, 'attribution_cache_hits_total')).toBe(hits + 1);
    expect(await metric(on, 'attribution_cache_bytes')).toBeGreaterThan(0);
  });

  it('gives the same answer with the cache off', async () => {
    const a = await on.gql(W1, { id: id('inc2') });
    const b = await off.gql(W1, { id: id('inc2') });
    expect(a.body.data).toEqual(b.body.data);
  });

  it('never serves the answer cached before a write: the next read sees it', async () => {
    await on.gql(W1, { id: id('inc1') });
    await mutate(
      'createClaim',
      { db: on.conn.db(), principal: cliPrincipal() },
      {
        id: id('c9'),
        claimant: id('analyst'),
        stance: 'disputes',
        hypothesis: id('h1'),
        statedAt: '2021-01-01',
        sources: [id('src1')],
        text: 'A claim written after the answer was cached.',
        textKind: 'paraphrase',
      },
    );
    const after = await on.gql<Json>(W1, { id: id('inc1') });
    const opponents = after.body.data!.incident.hypotheses[0].opponents;
    expect(
      opponents.flatMap((o: { claims: { id: string }[] }) => o.claims.map((c) => c.id)),
    ).toEqual([id('c9')]);
    // The seed writer bumps too: a corrected claim text is in the very next answer.
    await writeSeed(on.conn.db(), twoIncidents(P, 'The first claim, corrected.'));
    const corrected = await on.gql(W1, { id: id('inc1') });
    expect(JSON.stringify(corrected.body)).toContain('The first claim, corrected.');
  });
});
