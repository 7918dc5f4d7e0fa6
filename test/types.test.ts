/**
 * Types (issue 19 item 9): the shared interfaces `Annotated` (unverified, note) and `Recorded`
 * (createdBy, createdByName, createdAt), answered through `nodes(ids:)` against the seed and a
 * record written through the API; input enums that offer only what the server takes.
 */
import { createApiKey } from '../src/mutations';
import { cliPrincipal } from '../src/auth';
import { cypher } from '../src/db';
import { TestServer, startTestServer, uid } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const P = uid('types');
let t: TestServer;
let key: { secret: string; id: string };

const CLEAN = cypher(
  'testTypesClean',
  `CALL () { MATCH (n) WHERE n.id STARTS WITH $p DETACH DELETE n }
   CALL () { MATCH (a:AuditEntry) WHERE a.principal = $key DETACH DELETE a }
   CALL () { MATCH (k:ApiKey {id: $key}) DETACH DELETE k }`,
);

beforeAll(async () => {
  t = await startTestServer();
  const created = await createApiKey(
    { db: t.conn.db(), principal: cliPrincipal() },
    { name: `${P} analyst`, role: 'analyst', actor: null },
  );
  key = { secret: created.key, id: created.apiKey.id };
});
afterAll(async () => {
  if (t) {
    if (key) await t.conn.db().write((tx) => tx.run(CLEAN, { p: P, key: key.id }));
    await t.close();
  }
});

/** POSTs an operation, with an API key when given. */
async function post(query: string, variables?: Record<string, unknown>, secret?: string) {
  const res = await fetch(t.app.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret ? { authorization: `Bearer ${secret}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Json;
}

async function ok(query: string, variables?: Record<string, unknown>, secret?: string) {
  const body = await post(query, variables, secret);
  expect(body.errors).toBeUndefined();
  return body.data;
}

const SEED_IDS = [
  'sony-pictures-2014', // Incident
  'darkseoul-h1-dprk', // Hypothesis, with a note
  'fbi', // Actor
  'sony-e11-nsa-access', // Evidence, unverified
  'src-s51-schneier-did-nk', // Source
];

describe('shared interfaces', () => {
  it('every annotated kind implements Annotated, every recorded kind Recorded', async () => {
    const data = await ok(`{
      annotated: __type(name: "Annotated") { possibleTypes { name } }
      recorded: __type(name: "Recorded") { possibleTypes { name } }
    }`);
    const names = (x: Json) => x.possibleTypes.map((p: Json) => p.name).sort();
    expect(names(data.annotated)).toEqual(
      [
        'Actor',
        'Claim',
        'Event',
        'Evidence',
        'Hypothesis',
        'Incident',
        'Source',
        // the technical artifacts (issue 13)
        'AttackPattern',
        'Indicator',
        'Infrastructure',
        'Malware',
        'Observable',
        'Tool',
        'Vulnerability',
      ].sort(),
    );
    expect(names(data.recorded)).toEqual(
      [
        'Actor',
        'Alias',
        'Claim',
        'Event',
        'Evidence',
        'EvidenceRating',
        'Hypothesis',
        'Incident',
        'Opinion',
        'Source',
      ].sort(),
    );
  });

  it('answers unverified and note through the interface, for every kind', async () => {
    const data = await ok(
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Annotated { unverified note }
        ... on Recorded { createdBy createdByName createdAt } } }`,
      { ids: SEED_IDS },
    );
    const byId = Object.fromEntries(data.nodes.map((n: Json) => [n.id, n]));
    expect(data.nodes.map((n: Json) => n.__typename)).toEqual([
      'Incident',
      'Hypothesis',
      'Actor',
      'Evidence',
      'Source',
    ]);
    for (const n of data.nodes) {
      expect(typeof n.unverified).toBe('boolean');
      // the seed has no API provenance
      expect([n.createdBy, n.createdByName, n.createdAt]).toEqual([null, null, null]);
    }
    expect(byId['sony-e11-nsa-access'].unverified).toBe(true);
    expect(byId['darkseoul-h1-dprk'].note).toMatch(/no rival hypothesis/);
    expect(byId['fbi'].unverified).toBe(false);
  });

  it('a record written through the API answers its provenance through Recorded', async () => {
    const id = `${P}-actor`;
    await ok(
      `mutation($i: CreateActorInput!) { createActor(input: $i) { actor { id } userErrors { code } } }`,
      { i: { id, name: 'Typed actor', kind: 'GROUP' } },
      key.secret,
    );
    const data = await ok(
      `query($id: ID!) { node(id: $id) { ... on Recorded { createdBy createdByName createdAt }
        ... on Annotated { unverified note } } }`,
      { id },
    );
    expect(data.node).toMatchObject({
      createdBy: key.id,
      createdByName: `${P} analyst`,
      unverified: false,
      note: null,
    });
    expect(Date.parse(data.node.createdAt)).toBeGreaterThan(0);
  });
});

describe('input enums offer only what the server accepts', () => {
  it.each([
    ['HypothesisStance', ['DISPUTES', 'SUPPORTS']],
    ['KeyRole', ['ADMIN', 'ANALYST', 'READER']],
  ])('%s', async (name, values) => {
    const data = await ok(`query($n: String!) { __type(name: $n) { enumValues { name } } }`, {
      n: name,
    });
    expect(data.__type.enumValues.map((v: Json) => v.name).sort()).toEqual(values);
  });

  it('TextField lists the correctable fields; dates and evidence kinds are typed inputs', async () => {
    const data = await ok(`{ __type(name: "TextField") { enumValues { name } } }`);
    expect(data.__type.enumValues.map((v: Json) => v.name)).toEqual(
      expect.arrayContaining(['TEXT', 'RETRACTION_REASON', 'CREDIBILITY_REASON', 'TITLE']),
    );
    const types = await ok(`{
      c: __type(name: "CreateClaimInput") { inputFields { name type { ofType { name } } } }
      e: __type(name: "CreateEvidenceInput") { inputFields { name type { name ofType { name } } } }
    }`);
    const typeOf = (x: Json, f: string) => {
      const field = x.inputFields.find((i: Json) => i.name === f);
      return field.type.name ?? field.type.ofType.name;
    };
    expect(typeOf(types.c, 'stance')).toBe('HypothesisStance');
    expect(typeOf(types.c, 'statedAt')).toBe('PartialDate');
    expect(typeOf(types.e, 'kind')).toBe('EvidenceKind');
    expect(typeOf(types.e, 'reportedAt')).toBe('PartialDate');
  });

  it('refuses a malformed PartialDate before any resolver runs, naming the scalar', async () => {
    const body = await post(
      `mutation($i: CreateIncidentInput!) { createIncident(input: $i) { incident { id } userErrors { code } } }`,
      { i: { id: `${P}-inc`, name: 'x', summary: 'x', kind: 'outage', startedAt: '2014-02-30' } },
      key.secret,
    );
    expect(body.errors?.map((e: Json) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0].message).toMatch(/PartialDate/);
    expect(body.data).toBeUndefined();
  });
});
