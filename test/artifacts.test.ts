/**
 * The technical layer through the API: artifacts, their as-of aware edges with claims and
 * sources, search by ATT&CK id, IP address and hash, overlap and candidates (bounded statements),
 * and a retracted technical claim leaving the views. Uses the seed plus a small case of its own
 * (unique ids), written with the seed writer.
 */
import { cliPrincipal } from '../src/auth';
import { cypher, type Connection } from '../src/db';
import { mutate } from '../src/mutations';
import { emptySeed, writeSeed } from '../src/seed';
import { TestServer, startTestServer, testConnect, uid } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let t: TestServer;
let conn: Connection;
const id = uid('tech');
const ids = {
  incident: `${id}-incident`,
  actor: `${id}-group`,
  other: `${id}-other-group`,
  claimant: `${id}-vendor`,
  source: `${id}-report`,
  malware: `${id}-malware`,
  ip: `${id}-ip`,
  technique: `${id}-technique`,
};

beforeAll(async () => {
  conn = await testConnect();
  t = await startTestServer();
  const d = emptySeed();
  d.actors.push(
    { id: ids.actor, name: `Group ${id}`, kind: 'group' },
    { id: ids.other, name: `Other ${id}`, kind: 'group' },
    { id: ids.claimant, name: `Vendor ${id}`, kind: 'company' },
  );
  d.sources.push({
    id: ids.source, tag: 'T99', title: 'A vendor report', publisher: ids.claimant, publishedAt: '2015-03-01',
    url: null, reliability: 'B', reliabilityReason: 'Test report.',
  }); // prettier-ignore
  d.incidents.push({
    id: ids.incident, name: `Incident ${id}`, summary: 'A test incident.', startedAt: '2015-01', kind: 'destructive-attack',
    sources: [ids.source],
  }); // prettier-ignore
  const art = (aid: string, kind: 'malware' | 'observable' | 'attack-pattern', name: string, more = {}) => ({
    id: aid, kind, name, firstReportedAt: '2015-03-01', sources: [ids.source], facts: ['F-01'], ...more,
  }); // prettier-ignore
  d.artifacts.push(
    art(ids.malware, 'malware', `Wiper ${id}`, { aliases: [`Alias${id}`] }),
    art(ids.ip, 'observable', '192.0.2.77', { observableType: 'ipv4-addr', value: '192.0.2.77' }),
    art(ids.technique, 'attack-pattern', 'Data Destruction (test copy)', {
      externalIds: ['T1485'],
    }),
  );
  const link = (lid: string, l: 'uses' | 'observed-in' | 'communicates-with', from: string, to: string, statedAt: string, more = {}) => ({
    id: `${id}-claim-${lid}`, claimant: ids.claimant, statedAt, sources: [ids.source], link: l, from, to, facts: ['F-01'], ...more,
  }); // prettier-ignore
  d.links.push(
    link('seen', 'observed-in', ids.malware, ids.incident, '2015-03-01'),
    link('ip', 'communicates-with', ids.malware, ids.ip, '2015-03-01'),
    link('uses', 'uses', ids.actor, ids.malware, '2015-03-01'),
    link('uses-late', 'uses', ids.other, ids.malware, '2016-06-01'),
    link('retracted', 'uses', ids.other, ids.technique, '2015-03-01', {
      retractedAt: '2015-06-01',
      retractionReason: 'The vendor withdrew the finding.',
    }),
  );
  await writeSeed(conn.db(), d);
});

afterAll(async () => {
  await t?.close();
  await conn?.close();
});

const gql = async (query: string, variables?: Record<string, unknown>) => {
  const res = await t.gql<Json>(query, variables);
  expect(res.body.errors).toBeUndefined();
  return { data: res.body.data, statements: res.statements };
};

describe('artifacts', () => {
  it('serves an artifact by id with its kind, sources and the Artifact interface', async () => {
    const { data } =
      await gql(`{ artifact(id: "malware-destover") { __typename id name stixType aliases externalIds
      sources { id } ... on Malware { evidence { id } } } }`);
    expect(data.artifact).toMatchObject({ __typename: 'Malware', stixType: 'malware' });
    expect(data.artifact.aliases).toContain('WIPALL');
    expect(data.artifact.evidence.map((e: Json) => e.id)).toContain('sony-e01-malware-code');
    const none = await gql(`{ artifact(id: "fbi") { id } }`);
    expect(none.data.artifact).toBeNull();
  });

  it('lists who uses an artifact and where it was seen, each edge with claims and sources, as of a date', async () => {
    const q = `query($id: ID!, $asOf: LocalDate) { artifact(id: $id) {
      usedBy(asOf: $asOf) { actor { id } relation claims { id statedAt claimant { id } } sources { id } }
      seenIn(asOf: $asOf) { incident { id } claims { id } } } }`;
    const now = (await gql(q, { id: ids.malware })).data.artifact;
    expect(now.usedBy.map((e: Json) => e.actor.id).sort()).toEqual([ids.actor, ids.other].sort());
    expect(now.usedBy[0].relation).toBe('USES');
    expect(now.usedBy[0].sources.map((s: Json) => s.id)).toEqual([ids.source]);
    expect(now.seenIn.map((e: Json) => e.incident.id)).toEqual([ids.incident]);
    const before = (await gql(q, { id: ids.malware, asOf: '2016-01-01' })).data.artifact;
    expect(before.usedBy.map((e: Json) => e.actor.id)).toEqual([ids.actor]);
    const earlier = (await gql(q, { id: ids.malware, asOf: '2015-02-28' })).data.artifact;
    expect(earlier).toEqual({ usedBy: [], seenIn: [] });
  });

  it("drops a retracted claim's link from the views after its retraction, keeps it before", async () => {
    const q = `query($id: ID!, $asOf: LocalDate) { actor(id: $id) { artifacts(asOf: $asOf) { artifact { id } } } }`;
    const ids_ = async (asOf?: string) =>
      (await gql(q, { id: ids.other, asOf })).data.actor.artifacts
        .map((e: Json) => e.artifact.id)
        .sort();
    expect(await ids_('2015-04-01')).toEqual([ids.technique]);
    expect(await ids_()).toEqual([ids.malware]);
  });

  it('lists artifacts across incidents (Query.artifacts): filtered, ordered and paged', async () => {
    const q = `query($filter: ArtifactFilter, $orderBy: ArtifactOrder, $first: Int, $after: String) {
      artifacts(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
        totalCount nodes { __typename id stixType } pageInfo { hasNextPage endCursor } } }`;
    const list = async (vars: Record<string, unknown>) => (await gql(q, vars)).data.artifacts;
    // What a group uses: a standing USES link; the retracted technique link is left out.
    const used = await list({ filter: { usedBy: [ids.other] } });
    expect(used.nodes.map((n: Json) => n.id)).toEqual([ids.malware]);
    // Observed in an incident, and by type across the whole graph.
    const seen = await list({ filter: { incidents: [ids.incident] } });
    expect(seen.nodes.map((n: Json) => n.id)).toEqual([ids.malware]);
    const sonyMalware = await list({
      filter: { incidents: ['sony-pictures-2014'], stixTypes: ['malware'] },
      first: 100,
    });
    expect(sonyMalware.totalCount).toBeGreaterThan(1);
    expect(sonyMalware.nodes.every((n: Json) => n.__typename === 'Malware')).toBe(true);
    expect(sonyMalware.nodes.map((n: Json) => n.id)).toContain('malware-destover');
    // By ATT&CK id: the seed's technique and this file's copy, both T1485.
    const t1485 = (
      await list({ filter: { externalIds: ['T1485'] }, orderBy: { field: 'ID' } })
    ).nodes.map((n: Json) => n.id);
    expect(t1485).toEqual(expect.arrayContaining(['technique-t1485', ids.technique]));
    expect(t1485).toEqual([...t1485].sort());
    // Pages without gaps or repeats.
    const all = await list({ filter: { stixTypes: ['malware'] }, first: 100 });
    const seenIds: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Json = await list({ filter: { stixTypes: ['malware'] }, first: 3, after });
      seenIds.push(...page.nodes.map((n: Json) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seenIds).toEqual(all.nodes.map((n: Json) => n.id));
    expect(new Set(seenIds).size).toBe(all.totalCount);
  });

  it('finds artifacts by ATT&CK id, IP address, hash and alias', async () => {
    const q = `query($text: String!) { search(text: $text, first: 50) { nodes { node { id } } } }`;
    const hit = async (text: string) =>
      (await gql(q, { text })).data.search.nodes.map((r: Json) => r.node.id);
    expect(await hit('T1485')).toContain('technique-t1485');
    expect(await hit('88.53.215.64')).toContain('ip-88-53-215-64');
    expect(await hit('760c35a80d758f032d02cf4db12d3e55')).toContain('file-igfxtrayex');
    expect(await hit('WIPALL')).toContain('malware-destover');
    // Narrowed to a kind of artifact.
    const typed = await gql(
      `query($text: String!) { search(text: $text, types: [MALWARE], first: 50) { nodes { node { __typename id } } } }`,
      { text: 'Destover' },
    );
    expect(typed.data.search.nodes).toContainEqual({
      node: { __typename: 'Malware', id: 'malware-destover' },
    });
    expect(typed.data.search.nodes.every((n: Json) => n.node.__typename === 'Malware')).toBe(true);
  });
});

describe('overlap and candidates', () => {
  it('explains an overlap with terms summing to the score, in one statement', async () => {
    const { data, statements } = await gql(
      `query($a: ID!, $b: ID!) { overlap(a: $a, b: $b) { score explanation { points artifact { id } } byKind { kind count } } }`,
      { a: ids.incident, b: ids.actor },
    );
    expect(data.overlap.explanation.map((x: Json) => x.artifact.id).sort()).toEqual(
      [ids.ip, ids.malware].sort(),
    );
    expect(data.overlap.explanation.reduce((n: number, x: Json) => n + x.points, 0)).toBeCloseTo(
      data.overlap.score,
      9,
    );
    expect(data.overlap.byKind).toEqual([
      { kind: 'Malware', count: 1 },
      { kind: 'Observable', count: 1 },
    ]);
    // One statement for the overlap, plus the entity loads of the selection.
    expect(statements).toBeLessThanOrEqual(2);
  });

  it('ranks candidates by the artifacts alone, as of a date, in a constant number of statements', async () => {
    const q = `query($id: ID!, $asOf: LocalDate) { incident(id: $id) { candidates(asOf: $asOf) { rank score actor { id } } } }`;
    const now = await gql(q, { id: ids.incident });
    expect(now.data.incident.candidates.map((c: Json) => c.actor.id).sort()).toEqual(
      [ids.actor, ids.other].sort(),
    );
    expect(now.statements).toBeLessThanOrEqual(3);
    const early = await gql(q, { id: ids.incident, asOf: '2016-01-01' });
    expect(early.data.incident.candidates.map((c: Json) => c.actor.id)).toEqual([ids.actor]);
  });

  it('names a bad argument', async () => {
    const res = await t.gql<Json>(
      `{ overlap(a: "sony-pictures-2014", b: "no-such-id") { score } }`,
    );
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'b' });
    const res2 = await t.gql<Json>(
      `{ overlap(a: "sony-pictures-2014", b: "src-s02-fbi-update") { score } }`,
    );
    expect(res2.body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'b',
    });
  });
});

const COUNTS = cypher<{ df: number; retractedAt: unknown; stored: number; recount: number }>(
  'testSpecificityCounts',
  `MATCH (m:Artifact {id: $artifact})
   MATCH (s:ModelStat {id: 'artifact-users'})
   OPTIONAL MATCH (:Actor {id: $actor})-[r:USES]->(m)
   RETURN m.actorCount AS df, r.retractedAt AS retractedAt, s.actors AS stored,
     COUNT { MATCH (x:Actor) WHERE EXISTS { MATCH (x)-[u:USES]->(:Artifact)
       WHERE EXISTS { MATCH (c:Claim) WHERE c.id IN u.claims AND c.retractedAt IS NULL } } } AS recount`,
);

describe('specificity counts', () => {
  it('follow a USES claim retracted and reinstated through the API, and the link follows its claim', async () => {
    const counts = async () => {
      const [r] = await conn.db().read(COUNTS, { artifact: ids.malware, actor: ids.actor });
      // the actor total is stored as it is counted (other suites add actors meanwhile)
      expect(Number(r.stored)).toBe(Number(r.recount));
      return { df: Number(r.df), retracted: r.retractedAt !== null };
    };
    const cli = () => ({ db: conn.db(), principal: cliPrincipal() });
    const candidates = async () =>
      (
        await gql(`query($id: ID!) { incident(id: $id) { candidates { actor { id } } } }`, {
          id: ids.incident,
        })
      ).data.incident.candidates
        .map((c: Json) => c.actor.id)
        .sort();
    expect(await counts()).toEqual({ df: 2, retracted: false });
    expect(await candidates()).toEqual([ids.actor, ids.other].sort());

    // The group's only USES claim: the malware loses a user, the group leaves the candidates.
    await mutate('retractClaim', cli(), { id: `${id}-claim-uses`, reason: 'test retraction' });
    expect(await counts()).toEqual({ df: 1, retracted: true });
    expect(await candidates()).toEqual([ids.other]);

    await mutate('reinstateClaim', cli(), { id: `${id}-claim-uses`, reason: 'it stands' });
    expect(await counts()).toEqual({ df: 2, retracted: false });
    expect(await candidates()).toEqual([ids.actor, ids.other].sort());
  });
});
