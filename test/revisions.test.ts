/**
 * Issue 15: the per-incident revision counter. Every write path (seed writer, mutations, STIX
 * import) bumps, inside its own transaction, the revision of exactly the incidents whose answers
 * read what it wrote; a write that fails or changes nothing bumps nothing.
 */
import { cliPrincipal } from '../src/auth';
import { Connection } from '../src/db';
import { correctText, createClaim, retractClaim } from '../src/mutations';
import { readRevisions } from '../src/revisions';
import { SeedData, emptySeed, writeSeed } from '../src/seed';
import { testConnect, uid } from './helpers';

const P = uid('rev');
const id = (name: string) => `${P}-${name}`;
let conn: Connection;

/** Two incidents sharing a claimant, each with one hypothesis, one claim and one rated item. */
function seed(claimText = 'The first claim.', analystName = `${P} Analyst`): SeedData {
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

async function revisions(): Promise<[number, number]> {
  const r = await readRevisions(conn.db(), [id('inc1'), id('inc2')]);
  return [r.get(id('inc1'))!, r.get(id('inc2'))!];
}

const cli = () => ({ db: conn.db(), principal: cliPrincipal() });

beforeAll(async () => {
  conn = await testConnect();
});

afterAll(async () => {
  await conn.driver.executeQuery(
    `MATCH (n) WHERE n.id STARTS WITH $p OR n.incident STARTS WITH $p DETACH DELETE n`,
    { p: P },
  );
  await conn.close();
});

describe('per-incident revisions', () => {
  it('an incident never written has revision 0', async () => {
    expect(await revisions()).toEqual([0, 0]);
  });

  it('the seed writer bumps each incident it changed once, and nothing on a reload', async () => {
    await writeSeed(conn.db(), seed());
    expect(await revisions()).toEqual([1, 1]);
    const again = await writeSeed(conn.db(), seed());
    expect(again.changes).toBe(0);
    expect(await revisions()).toEqual([1, 1]);
  });

  it('a seed change to one claim bumps only its incident; a claimant rename bumps both', async () => {
    await writeSeed(conn.db(), seed('The first claim, corrected.'));
    expect(await revisions()).toEqual([2, 1]);
    await writeSeed(conn.db(), seed('The first claim, corrected.', `${P} Analyst renamed`));
    expect(await revisions()).toEqual([3, 2]);
  });

  it('a mutation bumps the incident of what it wrote, in the same transaction', async () => {
    await createClaim(cli(), {
      id: id('c3'),
      claimant: id('analyst'),
      stance: 'disputes',
      hypothesis: id('h2'),
      statedAt: '2021-01-01',
      sources: [id('src2')],
      text: 'A third claim.',
      textKind: 'paraphrase',
    });
    expect(await revisions()).toEqual([3, 3]);
    await retractClaim(cli(), { id: id('c3'), reason: 'test retraction' });
    expect(await revisions()).toEqual([3, 4]);
    // A source's title is read by both incidents' answers only where it is cited: src1 by inc1.
    await correctText(cli(), {
      id: id('src1'),
      field: 'title',
      value: 'Source one',
      reason: 'typo',
    });
    expect(await revisions()).toEqual([4, 4]);
  });

  it('a mutation that fails changes no revision', async () => {
    await expect(
      createClaim(cli(), {
        claimant: id('analyst'),
        stance: 'supports',
        hypothesis: id('h1'),
        statedAt: '2021-01-01',
        sources: [id('no-such-source')],
        text: 'Refused.',
        textKind: 'paraphrase',
      }),
    ).rejects.toThrow(/no source has id/);
    expect(await revisions()).toEqual([4, 4]);
  });
});
