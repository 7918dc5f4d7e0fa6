/**
 * Analysts record the technical half through the API: `createArtifact` (every kind's rules, file
 * hashes found by search) and `addTechnicalLink` (a claim that materialises the link, as of its
 * date; the link type's allowed ends checked, naming the field; USES keeps the specificity
 * weights current, so candidates follow at once; retracting the claim takes the link out).
 * Unique ids; nothing is deleted afterwards (the actor total of the specificity weights is a
 * global count that other suites check against a recount).
 */
import { cliPrincipal } from '../src/auth';
import { cypher } from '../src/db';
import { createApiKey } from '../src/mutations';
import { Json, TestServer, USER_ERRORS, post, startTestServer, uid } from './helpers';

const P = uid('artw');
const ids = {
  vendor: `${P}-vendor`,
  group: `${P}-group`,
  source: `${P}-report`,
  incident: `${P}-incident`,
  evidence: `${P}-evidence`,
  wiper: `${P}-wiper`,
  file: `${P}-file`,
};
const SHA256 = 'e2ecec43da974db02f624ecadc94baf1d21fd1a5c4990c15863bb9929f781a0a';

let t: TestServer;
let key: string;

const gql = async (query: string, variables?: Record<string, unknown>) => {
  const res = await post(t.app.url, key, query, variables);
  expect(res.body.errors).toBeUndefined();
  return res.body.data as Json;
};
/** Runs a mutation and returns its payload. */
const write = async (name: string, input: Record<string, unknown>, select: string) => {
  const type = `${name[0].toUpperCase()}${name.slice(1)}Input`;
  const data = await gql(
    `mutation($i: ${type}!) { ${name}(input: $i) { ${select} ${USER_ERRORS} } }`,
    { i: input },
  );
  return data[name];
};
const must = async (name: string, input: Record<string, unknown>, select: string) => {
  const payload = await write(name, input, select);
  expect(payload.userErrors).toEqual([]);
  return payload;
};
const link = (id: string, l: string, from: string, to: string, statedAt: string) =>
  write(
    'addTechnicalLink',
    { id, link: l, from, to, claimant: ids.vendor, statedAt, sources: [ids.source] },
    'claim { id text statedAt statedAtPrecision }',
  );

const WRITTEN = cypher<{ n: number }>(
  'testArtifactsWriteCount',
  'MATCH (n:Entity) WHERE n.id STARTS WITH $p RETURN count(n) AS n',
);
const written = async () => (await t.conn.db().read(WRITTEN, { p: P }))[0].n;

beforeAll(async () => {
  t = await startTestServer();
  ({ key } = await createApiKey(
    { db: t.conn.db(), principal: cliPrincipal() },
    { name: `${P} analyst`, role: 'analyst', actor: null },
  ));
  await must(
    'createActor',
    { id: ids.vendor, name: `Vendor ${P}`, kind: 'COMPANY' },
    'actor { id }',
  );
  await must('createActor', { id: ids.group, name: `Group ${P}`, kind: 'GROUP' }, 'actor { id }');
  await must(
    'createSource',
    {
      id: ids.source,
      title: 'A vendor report',
      publisher: ids.vendor,
      reliability: 'B',
      reliabilityReason: 'A vendor with a record.',
      publishedAt: '2015-03-01',
    },
    'source { id }',
  );
  await must(
    'createIncident',
    { id: ids.incident, name: `Incident ${P}`, summary: 'A wiper attack.', kind: 'destructive-attack', startedAt: '2015-02' },
    'incident { id }',
  ); // prettier-ignore
  await must(
    'createEvidence',
    {
      id: ids.evidence,
      incident: ids.incident,
      kind: 'MALWARE',
      title: 'The wiper',
      description: 'A wiper was found.',
      reportedAt: '2015-03-01',
      credibility: 2,
      credibilityReason: 'A vendor sample.',
      sources: [ids.source],
    },
    'evidence { id }',
  );
});

afterAll(async () => {
  await t?.close();
});

describe('createArtifact', () => {
  it('records a malware family and a file with hashes; search finds the file by its SHA-256', async () => {
    const wiper = await must(
      'createArtifact',
      {
        id: ids.wiper,
        kind: 'MALWARE',
        name: `Wiper ${P}`,
        aliases: [`Alias${P}`],
        externalIds: ['S0366'],
        firstReportedAt: '2015-03',
        sources: [ids.source],
      },
      'artifact { __typename id stixType aliases externalIds firstReportedAt firstReportedAtPrecision sources { id } }',
    );
    expect(wiper.artifact).toEqual({
      __typename: 'Malware',
      id: ids.wiper,
      stixType: 'malware',
      aliases: [`Alias${P}`],
      externalIds: ['S0366'],
      firstReportedAt: '2015-03-01',
      firstReportedAtPrecision: 'MONTH',
      sources: [{ id: ids.source }],
    });
    const file = await must(
      'createArtifact',
      {
        id: ids.file,
        kind: 'OBSERVABLE',
        observableType: 'FILE',
        name: 'igfxtray.exe (test copy)',
        hashes: [{ algorithm: 'SHA_256', value: SHA256 }],
        sources: [ids.source],
      },
      'artifact { __typename stixType ... on Observable { observableType hashes } }',
    );
    expect(file.artifact).toEqual({
      __typename: 'Observable',
      stixType: 'file',
      observableType: 'file',
      hashes: [`SHA-256:${SHA256}`],
    });
    const hits = await gql(`query($t: String!) { search(text: $t, first: 50) { nodes { node { id } } } }`, {
      t: SHA256,
    }); // prettier-ignore
    expect(hits.search.nodes.map((n: Json) => n.node.id)).toContain(ids.file);
  });

  it("refuses what a kind's rules forbid, naming the field, and writes nothing", async () => {
    const before = await written();
    const refused = async (input: Record<string, unknown>) =>
      (
        await write('createArtifact', { sources: [ids.source], ...input }, 'artifact { id }')
      ).userErrors.map((e: Json) => [e.code, e.path.join('.')]);
    expect(await refused({ kind: 'ATTACK_PATTERN', name: 'Data Destruction' })).toEqual([
      ['BAD_USER_INPUT', 'input.externalIds'],
    ]);
    expect(await refused({ kind: 'OBSERVABLE', name: 'An address' })).toEqual([
      ['BAD_USER_INPUT', 'input.observableType'],
    ]);
    expect(
      await refused({ kind: 'MALWARE', name: 'x', hashes: [{ algorithm: 'MD5', value: 'abc' }] }),
    ).toEqual(expect.arrayContaining([['BAD_USER_INPUT', 'input.hashes.0.value']]));
    expect(await refused({ kind: 'INDICATOR', name: 'A pattern-less indicator' })).toEqual([
      ['BAD_USER_INPUT', 'input.pattern'],
    ]);
    expect(await refused({ kind: 'TOOL', name: 'x', sources: [ids.group] })).toEqual([
      ['NOT_FOUND', 'input.sources.0'],
    ]);
    expect(await written()).toBe(before);
  });
});

describe('addTechnicalLink', () => {
  const uses = `${P}-claim-uses`;
  const artifactsOf = async (asOf?: string) =>
    (
      await gql(
        `query($id: ID!, $asOf: LocalDate) { actor(id: $id) { artifacts(asOf: $asOf) { artifact { id } relation claims { id } } } }`,
        { id: ids.group, asOf },
      )
    ).actor.artifacts;
  const candidates = async () =>
    (
      await gql(`query($id: ID!) { incident(id: $id) { candidates { actor { id } } } }`, {
        id: ids.incident,
      })
    ).incident.candidates.map((c: Json) => c.actor.id);

  it('records a dated claim that materialises the link, seen from that date on', async () => {
    const seen = await link(`${P}-claim-seen`, 'OBSERVED_IN', ids.wiper, ids.incident, '2015-03');
    expect(seen.userErrors).toEqual([]);
    const used = await link(uses, 'USES', ids.group, ids.wiper, '2015-04-10');
    expect(used.userErrors).toEqual([]);
    expect(used.claim).toEqual({
      id: uses,
      text: `Vendor ${P} says Group ${P} uses Wiper ${P}.`,
      statedAt: '2015-04-10',
      statedAtPrecision: 'DAY',
    });
    expect(await artifactsOf('2015-04-09')).toEqual([]);
    expect(await artifactsOf('2015-04-10')).toEqual([
      { artifact: { id: ids.wiper }, relation: 'USES', claims: [{ id: uses }] },
    ]);
    const incident = await gql(
      `query($id: ID!, $asOf: LocalDate) { incident(id: $id) { artifacts(asOf: $asOf) { artifact { id } relation } } }`,
      { id: ids.incident, asOf: '2015-03-31' },
    );
    expect(incident.incident.artifacts).toEqual([
      { artifact: { id: ids.wiper }, relation: 'OBSERVED_IN' },
    ]);
    // The specificity weights followed in the same transaction: the group is a candidate now.
    expect(await candidates()).toEqual([ids.group]);
  });

  it("checks the link type's ends, naming the field, and writes nothing", async () => {
    const before = await written();
    const refused = async (l: string, from: string, to: string) =>
      (
        await link(`${P}-refused-${l.toLowerCase().replace(/_/g, '-')}`, l, from, to, '2015-05')
      ).userErrors.map((e: Json) => [e.code, e.path.join('.'), e.message]);
    // A source does not use malware; evidence is not "observed in" by a claim (it is ABOUT).
    expect(await refused('USES', ids.source, ids.wiper)).toEqual([
      [
        'NOT_FOUND',
        'input.from',
        expect.stringMatching(/is a Source, not an Actor or a Malware or a Tool or an Incident/),
      ],
    ]);
    expect((await refused('OBSERVED_IN', ids.evidence, ids.incident))[0].slice(0, 2)).toEqual([
      'NOT_FOUND',
      'input.from',
    ]);
    expect((await refused('RESOLVES_TO', ids.wiper, ids.file))[0].slice(0, 2)).toEqual([
      'NOT_FOUND',
      'input.from',
    ]);
    expect(await written()).toBe(before);
  });

  it('a retracted claim takes its link out of the views and the candidates', async () => {
    const retracted = await write(
      'retractClaim',
      { id: uses, reason: 'The vendor withdrew the finding.' },
      'claim { id }',
    );
    expect(retracted.userErrors).toEqual([]);
    expect(await artifactsOf()).toEqual([]);
    expect(await artifactsOf('2015-04-10')).toEqual([
      { artifact: { id: ids.wiper }, relation: 'USES', claims: [{ id: uses }] },
    ]);
    expect(await candidates()).toEqual([]);
  });
});
