import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { cypher } from '../src/db';
import { refreshSpecificity } from '../src/model';
import { StixFormatError, exportImported, importStix } from '../src/stix';
import { type Json, type TestServer, startTestServer, uid } from './helpers';

/**
 * STIX `location` and `observed-data` land where the model holds them (issue 14, Deliver 1):
 * a location is a `Location` node that `targets` and `located-at` claims link to, as of their
 * dates; observed data that a relationship places in an incident is an item of Evidence there,
 * about the observables it names. What the model cannot place is kept whole and said so; both
 * come back unchanged from the export of what imports kept.
 */
jest.setTimeout(300_000);

const OPENCTI = path.join(__dirname, 'fixtures', 'stix', 'opencti-DATA-TEST-STIX2_v2.json');
const FRANCE = 'location--5acd8b26-51c2-4608-86ed-e9edd43ad971';
const WESTERN_EUROPE = 'location--6bf1f67a-6a55-4e4d-b237-6cdda97baef2';
const HIETZING = 'location--c3794ffd-0e71-4670-aa4d-978b4cbdc72c';
const APT41 = 'intrusion-set--18854f55-ac7c-4634-bd9a-352dd07613b7';
const OBSERVED = 'observed-data--7d258c31-9a26-4543-aecb-2abc5ed366be';
const INCIDENT = 'incident--0b626d41-1d8d-4b96-86fa-ad49cea2cfd4';

const CLEAN = cypher(
  'testStixPlacesClean',
  'MATCH (n:Entity) WHERE n.id STARTS WITH $prefix DETACH DELETE n',
);
const COUNT = cypher<{ n: number }>(
  'testStixPlacesCount',
  'MATCH (n:Entity) WHERE n.id STARTS WITH $prefix RETURN count(n) AS n',
);
const LABEL = cypher<{ labels: string[] }>(
  'testStixPlacesLabel',
  'MATCH (n:Entity {id: $id}) RETURN labels(n) AS labels',
);

let t: TestServer;
const prefixes: string[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stix-places-'));
const fresh = () => {
  const p = `${uid('stixplace')}/`;
  prefixes.push(p);
  return p;
};

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  for (const prefix of prefixes) await t.conn.db().write((tx) => tx.run(CLEAN, { prefix }));
  await t.conn.db().write((tx) => refreshSpecificity(tx, []));
  await t.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function ok(query: string, variables?: Record<string, unknown>): Promise<Json> {
  const res = await t.gql<Json>(query, variables);
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
}

const PLACE = `query($id: ID!, $asOf: LocalDate) {
  node(id: $id) {
    __typename
    ... on Location {
      id name locationType country region stixIds
      links(asOf: $asOf) { relation direction node { __typename id } claims { stance link claimant { name } } }
    }
  }
}`;

const linksOf = (d: Json) =>
  (d.node.links as Json[]).map((l) => `${l.relation} ${l.direction} ${l.node.id}`).sort();

describe('STIX locations and observed data (OpenCTI test bundle)', () => {
  let p = '';
  let report: Awaited<ReturnType<typeof importStix>>;
  beforeAll(async () => {
    p = fresh();
    report = await importStix(t.conn.db(), [OPENCTI], { idPrefix: p });
  });

  it('maps every location to a Location and the observed data to Evidence', () => {
    expect(report.byType.location).toMatchObject({ read: 4, created: 4 });
    expect(report.byType['observed-data']).toMatchObject({ read: 1, created: 1 });
    expect(report.warnings.byKind['observed data in no incident']).toBeUndefined();
    expect(report.coverage.dropped).toBe(0);
  });

  it('links places by claims: who targets them, where they lie', async () => {
    const hietzing = await ok(PLACE, { id: p + HIETZING });
    expect(hietzing.node).toMatchObject({
      __typename: 'Location',
      name: 'Hietzing',
      locationType: 'city',
      stixIds: [HIETZING],
    });
    expect(linksOf(hietzing)).toEqual([
      `LOCATED_AT OUTGOING ${p + FRANCE}`,
      `TARGETS INCOMING ${p + APT41}`,
    ]);
    const targets = (hietzing.node.links as Json[]).find((l) => l.relation === 'TARGETS');
    expect(targets.node.__typename).toBe('Actor');
    expect(targets.claims).toEqual([
      { stance: 'ASSERTS_LINK', link: 'TARGETS', claimant: { name: expect.any(String) } },
    ]);

    const france = await ok(PLACE, { id: p + FRANCE });
    expect(france.node).toMatchObject({ name: 'France', locationType: 'country' });
    expect(linksOf(france)).toEqual([
      `LOCATED_AT INCOMING ${p + HIETZING}`,
      `LOCATED_AT OUTGOING ${p + WESTERN_EUROPE}`,
    ]);

    const apt41 = await ok(
      `query($id: ID!) { actor(id: $id) { name locations { relation direction node { id ... on Location { name } } } } }`,
      { id: p + APT41 },
    );
    expect(apt41.actor).toEqual({
      name: 'APT41',
      locations: [
        {
          relation: 'TARGETS',
          direction: 'OUTGOING',
          node: { id: p + HIETZING, name: 'Hietzing' },
        },
      ],
    });
    // Search finds places, and narrows to them.
    const found = await ok(
      `query($text: String!) { search(text: $text, types: [LOCATION], first: 100) { nodes { node { __typename id } } } }`,
      { text: 'Hietzing' },
    );
    expect(found.search.nodes).toContainEqual({
      node: { __typename: 'Location', id: p + HIETZING },
    });
    expect(found.search.nodes.every((n: Json) => n.node.__typename === 'Location')).toBe(true);
    // The claims are dated by their relationships (2020-03-01): not on record the day before.
    const before = await ok(PLACE, { id: p + HIETZING, asOf: '2020-02-29' });
    expect(before.node.links).toEqual([]);
  });

  it('puts the observed data in its incident as evidence of malware (a file was observed)', async () => {
    const d = await ok(
      `query($id: ID!) { node(id: $id) { __typename ... on Evidence {
         kind title description credibility reported incident { id name } sources { id }
       } } }`,
      { id: p + OBSERVED },
    );
    expect(d.node).toMatchObject({
      __typename: 'Evidence',
      kind: 'MALWARE',
      credibility: 6,
      reported: '2020-02-25',
      incident: { id: p + INCIDENT, name: 'A new incident' },
    });
    expect(d.node.title).toMatch(/^Observed: file MD5 757a71f0fbd6b3d993be2a213338d1f2/);
    expect(d.node.description).toMatch(/^Observed 1 time, on 2020-02-25: file /);
    expect(d.node.sources.length).toBeGreaterThan(0);
  });
});

/** A STIX 2.1 bundle of `objects`, written to a file. */
function bundle(name: string, objects: Json[]): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(
    file,
    JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects }),
  );
  return file;
}

const T0 = '2020-01-01T00:00:00.000Z';
const sdo = (type: string, extra: Json): Json => ({
  type,
  spec_version: '2.1',
  id: `${type}--${randomUUID()}`,
  created: T0,
  modified: T0,
  ...extra,
});

describe('STIX locations and observed data (STIX 2.1, object_refs)', () => {
  it('an actor located in a country as of the claim; observed addresses as evidence about the observable', async () => {
    const p = fresh();
    const vendor = sdo('identity', { name: `Vendor ${p}`, identity_class: 'organization' });
    const by = { created_by_ref: vendor.id };
    const incident = sdo('incident', { ...by, name: `Intrusion ${p}` });
    const ip = {
      type: 'ipv4-addr',
      spec_version: '2.1',
      id: `ipv4-addr--${randomUUID()}`,
      value: '198.51.100.7',
    };
    const observed = sdo('observed-data', {
      ...by,
      first_observed: '2020-02-03T00:00:00Z',
      last_observed: '2020-02-05T00:00:00Z',
      number_observed: 3,
      object_refs: [ip.id],
      confidence: 85,
    });
    const inIncident = sdo('relationship', {
      ...by,
      relationship_type: 'related-to',
      source_ref: observed.id,
      target_ref: incident.id,
    });
    const elsewhere = sdo('observed-data', {
      ...by,
      first_observed: '2020-02-03T00:00:00Z',
      last_observed: '2020-02-03T00:00:00Z',
      number_observed: 1,
      object_refs: [ip.id],
    });
    const country = sdo('location', {
      ...by,
      name: 'North Korea',
      country: 'KP',
      region: 'eastern-asia',
    });
    const actor = sdo('threat-actor', { ...by, name: `Group ${p}` });
    const locatedAt = sdo('relationship', {
      ...by,
      created: '2020-06-01T00:00:00.000Z',
      modified: '2020-06-01T00:00:00.000Z',
      relationship_type: 'located-at',
      source_ref: actor.id,
      target_ref: country.id,
    });
    const objects = [
      vendor,
      incident,
      ip,
      observed,
      inIncident,
      elsewhere,
      country,
      actor,
      locatedAt,
    ];
    const r = await importStix(t.conn.db(), [bundle('places.json', objects)], { idPrefix: p });
    expect(r.warnings.byKind['observed data in no incident']).toBe(1);
    expect(r.coverage.dropped).toBe(0);

    const place = await ok(PLACE, { id: p + country.id });
    expect(place.node).toMatchObject({
      locationType: 'country',
      country: 'KP',
      region: 'eastern-asia',
    });
    const located = (asOf: string) =>
      ok(
        `query($id: ID!, $asOf: LocalDate) { actor(id: $id) { locations(asOf: $asOf) { relation node { id } } } }`,
        {
          id: p + actor.id,
          asOf,
        },
      );
    expect((await located('2020-05-31')).actor.locations).toEqual([]);
    expect((await located('2020-06-01')).actor.locations).toEqual([
      { relation: 'LOCATED_AT', node: { id: p + country.id } },
    ]);

    const ev = await ok(
      `query($id: ID!) { node(id: $id) { __typename ... on Evidence { kind credibility reported description incident { id } } } }`,
      { id: p + observed.id },
    );
    expect(ev.node).toEqual({
      __typename: 'Evidence',
      kind: 'INFRASTRUCTURE',
      credibility: 1, // confidence 85
      reported: '2020-02-03',
      description: 'Observed 3 times, from 2020-02-03 to 2020-02-05: ipv4-addr 198.51.100.7.',
      incident: { id: p + incident.id },
    });
    const obs = await ok(
      `query($id: ID!) { node(id: $id) { ... on Observable { value evidence { id } } } }`,
      {
        id: p + ip.id,
      },
    );
    expect(obs.node).toEqual({ value: '198.51.100.7', evidence: [{ id: p + observed.id }] });
    // Observed data in no incident is kept whole, out of the model's views.
    const [kept] = await t.conn.db().read(LABEL, { id: p + elsewhere.id });
    expect(kept.labels.sort()).toEqual(['Entity', 'StixObject']);

    // Export gives every object back as it arrived.
    const back = await exportImported(t.conn.db(), { idPrefix: p });
    const byId = (a: Json, b: Json) => (a.id < b.id ? -1 : 1);
    expect([...back.objects].sort(byId)).toEqual([...objects].sort(byId));
  });

  it('a location with a latitude out of range imports nothing, naming the field', async () => {
    const p = fresh();
    const bad = sdo('location', { name: 'Nowhere', latitude: 200, longitude: 10 });
    const file = bundle('bad-location.json', [
      sdo('location', { name: 'Fine', country: 'FR' }),
      bad,
    ]);
    const err = await importStix(t.conn.db(), [file], { idPrefix: p }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StixFormatError);
    expect((err as Error).message).toMatch(/objects\[1\] field "latitude"/);
    const [{ n }] = await t.conn.db().read(COUNT, { prefix: p });
    expect(n).toBe(0);
  });
});
