/**
 * Replays as values (`Incident.ranking`) and edges both ways (Source.claims, Evidence.incident,
 * Incident.evidence, Actor.suspectedIn, Actor.involvements), against the seed.
 */
import { cliPrincipal } from '../src/auth';
import { cypher } from '../src/db';
import { nativeStixProps, stixId } from '../src/model';
import { createApiKey } from '../src/mutations';
import { storeMissingStixIds } from '../src/seed/write';
import { BY_ATTRIBUTED_TO_STIX_ID, BY_NATIVE_STIX_ID } from '../src/stix/bridge';
import { TestServer, startTestServer, uid } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const SONY = 'sony-pictures-2014';
const SCHNEIER = 'src-s51-schneier-did-nk';

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

describe('Incident.ranking: replays as values', () => {
  it('has no id anywhere a client cache would merge two replays', async () => {
    const data = await ok(`{
      ranking: __type(name: "Ranking") { fields { name } }
      ranked: __type(name: "RankedHypothesis") { fields { name } }
      incident: __type(name: "Incident") { fields(includeDeprecated: true) {
        name args(includeDeprecated: true) { name isDeprecated deprecationReason } } }
    }`);
    for (const t of [data.ranking, data.ranked])
      expect(t.fields.map((f: Json) => f.name)).not.toContain('id');
    const hyps = data.incident.fields.find((f: Json) => f.name === 'hypotheses');
    for (const a of hyps.args) {
      expect(a.isDeprecated).toBe(true);
      expect(a.deprecationReason).toMatch(/Use `ranking.*Removal on \d{4}-\d{2}-\d{2}/);
    }
  });

  it('two days side by side: the rankings differ, the Hypothesis objects inside do not', async () => {
    const data = await ok(
      `query($i: ID!) { incident(id: $i) {
        before: ranking(asOf: "2014-12-18") { ...R }
        after: ranking(asOf: "2014-12-20") { ...R }
        whole: ranking { ...R }
      } }
      fragment R on Ranking { asOf hypotheses { rank supporters { actor { id } }
        hypothesis { id assessment { rank score } supporters { actor { id } } } } }`,
      { i: SONY },
    );
    const { before, after, whole } = data.incident;
    expect([before.asOf, after.asOf, whole.asOf]).toEqual(['2014-12-18', '2014-12-20', null]);
    const h1 = (r: Json) =>
      r.hypotheses.find((x: Json) => x.hypothesis.id === 'sony-h1-dprk-state');
    const ids = (ps: Json[]) => ps.map((p) => p.actor.id);
    expect(ids(h1(before).supporters)).not.toContain('fbi');
    expect(ids(h1(after).supporters)).toContain('fbi');
    expect(h1(after).rank).toBe(1);
    // The same id carries the same value on every path: the whole record's.
    for (const r of [before, after])
      for (const x of r.hypotheses) {
        const same = whole.hypotheses.find((y: Json) => y.hypothesis.id === x.hypothesis.id);
        expect(x.hypothesis).toEqual(same.hypothesis);
      }
  });

  it('what-if: counted sources on the position, every source on the claim', async () => {
    const data = await ok(
      `query($i: ID!, $s: ID!) { incident(id: $i) {
        ranking(exclude: { sources: [$s] }) { excluded { sources { id } }
          hypotheses { hypothesis { id } supporters { actor { id } countedSources { id }
            claims { id sources { id } } } } } } }`,
      { i: SONY, s: SCHNEIER },
    );
    const r = data.incident.ranking;
    expect(r.excluded.sources).toEqual([{ id: SCHNEIER }]);
    const all = await ok(
      `query($i: [ID!], $n: Int) { claims(filter: { incidents: $i }, first: $n) { nodes { id sources { id } } } }`,
      { i: [SONY], n: 100 },
    );
    const sourcesOf = new Map(all.claims.nodes.map((c: Json) => [c.id, c.sources]));
    for (const h of r.hypotheses)
      for (const p of h.supporters) {
        expect(p.countedSources.map((s: Json) => s.id)).not.toContain(SCHNEIER);
        // Under a ranking a Claim is the same value as anywhere else: all its sources.
        for (const c of p.claims) expect(c.sources).toEqual(sourcesOf.get(c.id));
      }
  });

  it('critical items give full rankings, and the ACH matrix its ranking', async () => {
    const data = await ok(
      `query($i: ID!) { incident(id: $i) {
        criticalItems { id ranking { rank hypothesis { id } supporters { actor { id } } assessment { score } } }
        ach(asOf: "2015-01-31") { ranking { asOf hypotheses { hypothesis { id } } } columns { hypothesis { id } } }
      } }`,
      { i: SONY },
    );
    const { criticalItems, ach } = data.incident;
    for (const c of criticalItems) {
      expect(c.ranking.map((x: Json) => x.rank)).toEqual(
        c.ranking.map((_: Json, i: number) => i + 1),
      );
      const scores = c.ranking.map((x: Json) => x.assessment.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      for (const x of c.ranking) for (const p of x.supporters) expect(p.actor.id).not.toBe(c.id);
    }
    expect(ach.ranking.asOf).toBe('2015-01-31');
    expect(ach.ranking.hypotheses.map((x: Json) => x.hypothesis.id)).toEqual(
      ach.columns.map((c: Json) => c.hypothesis.id),
    );
  });
});

describe('edges both ways', () => {
  it('Source.claims and Source.evidence', async () => {
    const data = await ok(
      `query($s: ID!) { source(id: $s) { title
        claims(orderBy: { field: STATED_AT }) { totalCount nodes { id claimant { id } sources { id } } }
        evidence { id sources { id } } } }`,
      { s: SCHNEIER },
    );
    const { claims, evidence } = data.source;
    expect(claims.totalCount).toBeGreaterThan(0);
    expect(claims.nodes.map((c: Json) => c.claimant.id)).toContain('bruce-schneier');
    for (const c of claims.nodes) expect(c.sources.map((s: Json) => s.id)).toContain(SCHNEIER);
    for (const e of evidence) expect(e.sources.map((s: Json) => s.id)).toContain(SCHNEIER);
  });

  it('Incident.evidence reaches the evidence nobody has rated; Evidence.incident and claims point back', async () => {
    const data = await ok(
      `query($i: ID!, $n: Int) { incident(id: $i) {
        evidence(first: $n) { totalCount nodes { id tag incident { id } claims { id evidence { id } } ratings { totalCount } } }
        ach { rows { evidence { id } } }
        events(filter: { kinds: [SANCTION] }) { nodes { id kind incident { id } } } } }`,
      { i: SONY, n: 100 },
    );
    const { evidence, ach, events } = data.incident;
    expect(evidence.totalCount).toBe(evidence.nodes.length);
    const rated = new Set(ach.rows.map((r: Json) => r.evidence.id));
    for (const e of evidence.nodes) {
      expect(e.incident.id).toBe(SONY);
      for (const c of e.claims) expect(c.evidence.map((x: Json) => x.id)).toContain(e.id);
      if (e.ratings.totalCount) expect(rated.has(e.id)).toBe(true);
    }
    for (const id of rated) expect(evidence.nodes.map((e: Json) => e.id)).toContain(id);
    expect(evidence.nodes.some((e: Json) => e.claims.length > 0)).toBe(true);
    expect(events.nodes.length).toBeGreaterThan(0);
    for (const e of events.nodes)
      expect(e).toMatchObject({ kind: 'SANCTION', incident: { id: SONY } });
  });

  it('Actor.suspectedIn and Actor.involvements with roles', async () => {
    const data = await ok(`{
      lazarus: actor(id: "lazarus-group") { suspectedIn { totalCount nodes { id incident { id } suspects { id } } } }
      fbi: actor(id: "fbi") { involvements { incident { id } roles } }
      dprk: actor(id: "dprk") { asSuspect: involvements(roles: [SUSPECT]) { incident { id } roles } }
    }`);
    const sus = data.lazarus.suspectedIn;
    expect(sus.nodes.map((h: Json) => h.id)).toContain('sony-h1-dprk-state');
    for (const h of sus.nodes) expect(h.suspects.map((s: Json) => s.id)).toContain('lazarus-group');
    const fbiSony = data.fbi.involvements.find((x: Json) => x.incident.id === SONY);
    expect(fbiSony.roles).toEqual(expect.arrayContaining(['CLAIMANT']));
    const fbiIds = data.fbi.involvements.map((x: Json) => x.incident.id);
    expect(fbiIds).toEqual(expect.arrayContaining([SONY, 'darkseoul-2013']));
    expect(new Set(fbiIds).size).toBe(fbiIds.length);
    expect(data.dprk.asSuspect.length).toBeGreaterThan(0);
    for (const x of data.dprk.asSuspect) expect(x.roles).toContain('SUSPECT');
  });
});

describe('the STIX bridge', () => {
  it('every exported object resolves back to its node, and the node lists that id', async () => {
    const { stixBundle } = await ok(`query($i: ID!) { stixBundle(incident: $i) }`, { i: SONY });
    const native = (stixBundle.objects as Json[]).filter(
      (o) =>
        o.x_attribution_id &&
        [
          'incident',
          'identity',
          'threat-actor',
          'intrusion-set',
          'opinion',
          'report',
          'note',
        ].includes(o.type),
    );
    // A sample of each type keeps the request count small.
    const byType = new Map<string, Json[]>();
    for (const o of native) byType.set(o.type, [...(byType.get(o.type) ?? []), o]);
    const sample = [...byType.values()].flatMap((os) => os.slice(0, 3));
    expect(new Set(sample.map((o) => o.type)).size).toBeGreaterThanOrEqual(5);
    for (const o of sample) {
      const data = await ok(
        `query($s: String!) { stixObject(stixId: $s) { __typename id stixIds } }`,
        {
          s: o.id,
        },
      );
      expect(data.stixObject.id).toBe(o.x_attribution_id);
      expect(data.stixObject.stixIds).toContain(o.id);
    }
    // Hypotheses: one related-to relationship (incident to suspect) per suspect (the other
    // related-to relationships are technical-link claims, x_attribution_link).
    const rel = (stixBundle.objects as Json[]).find(
      (o) =>
        o.type === 'relationship' &&
        o.relationship_type === 'related-to' &&
        typeof o.x_attribution_hypothesis === 'string',
    );
    const h = await ok(`query($s: String!) { stixObject(stixId: $s) { __typename id stixIds } }`, {
      s: rel.id,
    });
    expect(h.stixObject.__typename).toBe('Hypothesis');
    expect(h.stixObject.stixIds).toContain(rel.id);
  });

  it('finds a node by its native STIX id through an index, never a scan', async () => {
    const plans: string[] = [];
    for (const q of [...Object.values(BY_NATIVE_STIX_ID), BY_ATTRIBUTED_TO_STIX_ID]) {
      const res = await t.conn
        .db()
        .driver.executeQuery(
          `EXPLAIN ${q.text}`,
          { stixId: 'x' },
          { database: t.conn.db().database },
        );
      const ops: string[] = [];
      const walk = (p: Json) => {
        ops.push(p.operatorType);
        (p.children ?? []).forEach(walk);
      };
      walk(res.summary.plan);
      plans.push(`${q.name}: ${ops.some((o) => /IndexSeek/.test(o)) ? 'index' : ops.join(' ')}`);
    }
    expect(plans).toEqual(plans.map((p) => `${p.split(':')[0]}: index`));
    expect(plans).toHaveLength(10);
  });

  it('stores the ids on what the API and raw writes create (and a seed load backfills them)', async () => {
    const P = uid('bridge');
    const created = await createApiKey(
      { db: t.conn.db(), principal: cliPrincipal() },
      { name: `${P} analyst`, role: 'analyst', actor: null },
    );
    const auth = { authorization: `Bearer ${created.key}` };
    const post = async (query: string, variables: Json) => {
      const res = await fetch(t.app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as Json;
      expect(body.errors).toBeUndefined();
      return body.data;
    };
    const CLEAN = cypher(
      'testBridgeClean',
      `CALL () { MATCH (n) WHERE n.id STARTS WITH $p DETACH DELETE n }
       CALL () { MATCH (a:AuditEntry {principal: $key}) DETACH DELETE a }
       CALL () { MATCH (k:ApiKey {id: $key}) DETACH DELETE k }`,
    );
    try {
      const actor = `${P}-crew`;
      await post(
        `mutation($i: CreateActorInput!) { createActor(input: $i) { actor { id } userErrors { message } } }`,
        { i: { id: actor, name: 'Bridge crew', kind: 'GROUP' } },
      );
      const hyp = `${P}-h`;
      await post(
        `mutation($i: CreateHypothesisInput!) { createHypothesis(input: $i) { hypothesis { id } userErrors { message } } }`,
        { i: { id: hyp, incident: SONY, statement: 'The crew did it.', suspects: [actor] } },
      );
      const find = async (sid: string) =>
        (await ok(`query($s: String!) { stixObject(stixId: $s) { id } }`, { s: sid })).stixObject
          ?.id ?? null;
      expect(await find(stixId('threat-actor', actor))).toBe(actor);
      expect(await find(stixId('identity', actor))).toBe(actor);
      expect(await find(stixId('relationship', `attributed-to:${hyp}:${actor}`))).toBe(hyp);
      // A node written by raw Cypher has none until a seed load (every start) stores them.
      const raw = `${P}-raw`;
      await t.conn
        .db()
        .write((tx) =>
          tx.run(
            cypher(
              'testBridgeRaw',
              `CREATE (:Entity:Incident {id: $id, name: 'Raw', summary: 'x', kind: 'outage', unverified: false})`,
            ),
            { id: raw },
          ),
        );
      expect(await find(stixId('incident', raw))).toBeNull();
      await t.conn.db().write((tx) => storeMissingStixIds(tx));
      expect(await find(stixId('incident', raw))).toBe(raw);
      const [row] = await t.conn
        .db()
        .read(
          cypher<{ props: Json }>(
            'testBridgeProps',
            'MATCH (n:Entity {id: $id}) RETURN properties(n) AS props',
          ),
          { id: raw },
        );
      expect(row.props).toMatchObject(nativeStixProps('Incident', raw));
    } finally {
      await t.conn.db().write((tx) => tx.run(CLEAN, { p: P, key: created.apiKey.id }));
    }
  });

  it('stixObject: null for an id nobody has, BAD_USER_INPUT for a malformed one', async () => {
    const none = await ok(
      `{ stixObject(stixId: "incident--00000000-0000-4000-8000-000000000000") { id } }`,
    );
    expect(none.stixObject).toBeNull();
    const res = await t.gql(`{ stixObject(stixId: "not a stix id") { id } }`);
    expect(res.body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'stixId',
    });
  });

  it('nodes(ids:) answers in the order asked, null for an unknown id; Opinion is a Node', async () => {
    const data = await ok(`{
      nodes(ids: ["fbi", "no-such-id", "sony-pictures-2014"]) { __typename id }
      opinion: __type(name: "Opinion") { interfaces { name } }
    }`);
    expect(data.nodes).toEqual([
      { __typename: 'Actor', id: 'fbi' },
      null,
      { __typename: 'Incident', id: 'sony-pictures-2014' },
    ]);
    expect(data.opinion.interfaces.map((i: Json) => i.name)).toContain('Node');
    const tooMany = await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
      ids: Array.from({ length: 101 }, (_, i) => `x${i}`),
    });
    expect(tooMany.body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'ids',
    });
  });
});
