/**
 * Issue 15: the per-incident revision counter. Every write path (seed writer, mutations, STIX
 * import) bumps, inside its own transaction, the revision of exactly the incidents whose answers
 * read what it wrote; a write that fails or changes nothing bumps nothing.
 */
import { cliPrincipal } from '../src/auth';
import { Connection } from '../src/db';
import { mutate } from '../src/mutations';
import { readRevisions } from '../src/revisions';
import { writeSeed } from '../src/seed';
import { testConnect, twoIncidents, uid } from './helpers';

const P = uid('rev');
const id = (name: string) => `${P}-${name}`;
let conn: Connection;

const seed = (claimText?: string, analystName?: string) => twoIncidents(P, claimText, analystName);

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
    await mutate('createClaim', cli(), {
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
    await mutate('retractClaim', cli(), { id: id('c3'), reason: 'test retraction' });
    expect(await revisions()).toEqual([3, 4]);
    // A source's title is read by both incidents' answers only where it is cited: src1 by inc1.
    await mutate('correctText', cli(), {
      id: id('src1'),
      field: 'title',
      value: 'Source one',
      reason: 'typo',
    });
    expect(await revisions()).toEqual([4, 4]);
  });

  it('a mutation that fails changes no revision', async () => {
    await expect(
      mutate('createClaim', cli(), {
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

  it('an affiliation above a claimant bumps the incidents it speaks in (its dependency group moved)', async () => {
    for (const name of ['mid', 'top'])
      await mutate('createActor', cli(), { id: id(name), name: `${P} ${name}`, kind: 'unit' });
    expect(await revisions()).toEqual([4, 4]);
    // The analyst (claimant in both incidents) joins mid: both incidents read it directly.
    await mutate('addAffiliation', cli(), {
      claimant: id('analyst'),
      actor: id('analyst'),
      organisation: id('mid'),
      statedAt: '2021-01-01',
      sources: [id('src2')],
    });
    expect(await revisions()).toEqual([5, 5]);
    // mid joins top, said by top and citing src2 (read by incident 2 only): incident 1 reads it
    // only through the analyst's organisations, PART_OF upward.
    await mutate('addAffiliation', cli(), {
      claimant: id('top'),
      actor: id('mid'),
      organisation: id('top'),
      statedAt: '2021-01-01',
      sources: [id('src2')],
    });
    expect(await revisions()).toEqual([6, 6]);
  });
});
