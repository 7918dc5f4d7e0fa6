/**
 * Authority over others' records, over HTTP against the test Neo4j: who may retract a claim,
 * reinstatement (admin, audited), keys bound to an actor writing as that actor only, the seed's
 * id namespaces, a seed reload keeping an admin's correction, retracted alias and affiliation
 * links leaving the views, and a mutation's audit entry committing with it or not at all.
 */
import { cliPrincipal } from '../src/auth';
import { cypher, Db } from '../src/db';
import type { Query } from '../src/db';
import { createApiKey, mutate } from '../src/mutations';
import { emptySeed, writeSeed } from '../src/seed';
import {
  Json,
  TestServer,
  USER_ERRORS,
  failed,
  post,
  startTestServer,
  succeeded,
  uid,
} from './helpers';

const P = uid('authz');
const id = (name: string) => `${P}-${name}`;
let n = 0;
const fresh = (what: string) => id(`${what}-${(n += 1)}`);

let t: TestServer;
const keyIds: string[] = [];
type Key = { key: string; id: string };
const K: Record<'analyst' | 'other' | 'bound' | 'admin' | 'reader', Key> = {} as never;

async function newKey(role: 'reader' | 'analyst' | 'admin', actor: string | null = null) {
  const { key, apiKey } = await createApiKey(
    { db: t.conn.db(), principal: cliPrincipal() },
    { name: `${P} ${role} ${keyIds.length}`, role, actor },
  );
  keyIds.push(apiKey.id);
  return { key, id: apiKey.id };
}

const ok = async (k: Key, query: string, variables?: Record<string, unknown>) =>
  succeeded(await post(t.app.url, k.key, query, variables));
const fails = async (k: Key, code: string, query: string, variables?: Record<string, unknown>) =>
  failed(await post(t.app.url, k.key, query, variables), code);

const F = {
  claimant: id('claimant'),
  other: id('other-actor'),
  member: id('member'),
  org: id('org'),
  publisher: id('publisher'),
  source: id('source'),
  incident: id('incident'),
  hypothesis: id('hyp'),
  evidence: id('evidence'),
};

const CREATE_CLAIM = `mutation($i: CreateClaimInput!) { createClaim(input: $i) { claim { id } ${USER_ERRORS} } }`;
const RETRACT = `mutation($i: RetractClaimInput!) { retractClaim(input: $i) { claim { id retractedAt retractedBy } ${USER_ERRORS} } }`;
const REINSTATE = `mutation($i: ReinstateClaimInput!) { reinstateClaim(input: $i) { claim { id retractedAt reinstatedAt reinstatedBy reinstatementReason } ${USER_ERRORS} } }`;
const RATE = `mutation($i: RateEvidenceInput!) { rateEvidence(input: $i) { rating { id ratedBy { id } } ${USER_ERRORS} } }`;
const OPINION = `mutation($i: AddOpinionInput!) { addOpinion(input: $i) { opinion { id analyst { id } } ${USER_ERRORS} } }`;
const claimInput = (cid: string, extra: Record<string, unknown> = {}) => ({
  id: cid,
  claimant: F.claimant,
  stance: 'SUPPORTS',
  hypothesis: F.hypothesis,
  statedAt: '2014-12-19',
  text: `The state is responsible (${cid}).`,
  textKind: 'QUOTE',
  sources: [F.source],
  ...extra,
});

const PROPS = cypher<{ props: Json }>(
  'testAuthzProps',
  'MATCH (n:Entity {id: $id}) RETURN properties(n) AS props',
);
const props = async (nid: string) => (await t.conn.db().read(PROPS, { id: nid }))[0]?.props as Json;
const AUDITS = cypher<{ n: number; args: string[] }>(
  'testAuthzAudits',
  `MATCH (a:AuditEntry) WHERE $id IN a.ids AND a.operation = $op
   RETURN count(a) AS n, collect(a.arguments) AS args`,
);
const CLEAN = cypher(
  'testCleanAuthz',
  `CALL () { MATCH (n:Entity) WHERE n.id STARTS WITH $p OR n.id STARTS WITH 'claim-' + $p
             OR n.id STARTS WITH 'name-' + $p DETACH DELETE n }
   CALL () { MATCH (o:Opinion) WHERE o.hypothesis STARTS WITH $p DETACH DELETE o }
   CALL () { MATCH (a:AuditEntry) WHERE a.principal IN $keys OR a.arguments CONTAINS $p DETACH DELETE a }
   CALL () { MATCH (k:ApiKey) WHERE k.name STARTS WITH $p DETACH DELETE k }`,
);

beforeAll(async () => {
  t = await startTestServer();
  K.admin = await newKey('admin');
  K.analyst = await newKey('analyst');
  K.other = await newKey('analyst');
  K.reader = await newKey('reader');
  const actor = (aid: string, kind: string) =>
    ok(
      K.admin,
      `mutation($i: CreateActorInput!) { createActor(input: $i) { actor { id } ${USER_ERRORS} } }`,
      {
        i: { id: aid, name: `Actor ${aid}`, kind },
      },
    );
  for (const [aid, kind] of [
    [F.claimant, 'AGENCY'],
    [F.other, 'COMPANY'],
    [F.member, 'PERSON'],
    [F.org, 'GROUP'],
    [F.publisher, 'MEDIA'],
  ])
    await actor(aid, kind);
  K.bound = await newKey('analyst', F.claimant);
  await ok(
    K.admin,
    `mutation($i: CreateSourceInput!) { createSource(input: $i) { source { id } ${USER_ERRORS} } }`,
    {
      i: {
        id: F.source,
        title: 'Report',
        publisher: F.publisher,
        reliability: 'B',
        reliabilityReason: 'x',
      },
    },
  );
  await ok(
    K.admin,
    `mutation($i: CreateIncidentInput!) { createIncident(input: $i) { incident { id } ${USER_ERRORS} } }`,
    {
      i: {
        id: F.incident,
        name: 'Authority case',
        summary: 'x',
        kind: 'outage',
        startedAt: '2014-11',
      },
    },
  );
  await ok(
    K.admin,
    `mutation($i: CreateHypothesisInput!) { createHypothesis(input: $i) { hypothesis { id } ${USER_ERRORS} } }`,
    {
      i: {
        id: F.hypothesis,
        incident: F.incident,
        statement: 'The org did it.',
        suspects: [F.org],
      },
    },
  );
  await ok(
    K.admin,
    `mutation($i: CreateEvidenceInput!) { createEvidence(input: $i) { evidence { id } ${USER_ERRORS} } }`,
    {
      i: {
        id: F.evidence,
        incident: F.incident,
        kind: 'MALWARE',
        title: 'Code reuse',
        description: 'x',
        reportedAt: '2014-12',
        credibility: 3,
        credibilityReason: 'x',
        sources: [F.source],
      },
    },
  );
}, 120_000);

afterAll(async () => {
  if (t) {
    await t.conn.db().write((tx) => tx.run(CLEAN, { p: P, keys: keyIds }));
    await t.close();
  }
});

describe('retraction authority', () => {
  it('lets the recording key, a key bound to the claimant and an admin retract; refuses others', async () => {
    const byAnalyst = fresh('c');
    await ok(K.analyst, CREATE_CLAIM, { i: claimInput(byAnalyst) });
    // another analyst (not its recorder, not bound to the claimant): FORBIDDEN, nothing changes
    const e = await fails(K.other, 'FORBIDDEN', RETRACT, {
      i: { id: byAnalyst, reason: 'mine now' },
    });
    expect(e.message).toMatch(/may be retracted only by the key that recorded it/);
    expect((await props(byAnalyst)).retractedAt).toBeUndefined();
    expect((await t.conn.db().read(AUDITS, { id: byAnalyst, op: 'retractClaim' }))[0].n).toBe(0);
    // readers never write
    await fails(K.reader, 'FORBIDDEN', RETRACT, { i: { id: byAnalyst, reason: 'x' } });
    // the recording key may
    const r = await ok(K.analyst, RETRACT, { i: { id: byAnalyst, reason: 'recorded in error' } });
    expect(r.retractClaim.retractedBy).toBe(K.analyst.id);

    // a key bound to the claimant's actor may retract what another key recorded for that actor
    const forClaimant = fresh('c');
    await ok(K.other, CREATE_CLAIM, { i: claimInput(forClaimant) });
    const byBound = await ok(K.bound, RETRACT, {
      i: { id: forClaimant, retractedAt: '2015-01-02', reason: 'withdrawn by the claimant' },
    });
    expect(byBound.retractClaim.retractedAt).toBe('2015-01-02');

    // an admin may retract anything, the seed included (not done here: the seed is shared)
    const any = fresh('c');
    await ok(K.other, CREATE_CLAIM, { i: claimInput(any) });
    await ok(K.admin, RETRACT, { i: { id: any, reason: 'admin decision' } });
  });

  it('refuses an analyst retracting a seed claim', async () => {
    await fails(K.analyst, 'FORBIDDEN', RETRACT, {
      i: { id: 'claim-symantec-2014-12-04-h1', reason: 'x' },
    });
  });
});

describe('reinstateClaim', () => {
  it('is admin-only, audited with its reason and the retraction it undoes', async () => {
    const c = fresh('c');
    await ok(K.analyst, CREATE_CLAIM, { i: claimInput(c) });
    await ok(K.analyst, RETRACT, { i: { id: c, retractedAt: '2015-01-05', reason: 'oops' } });
    await fails(K.analyst, 'FORBIDDEN', REINSTATE, { i: { id: c, reason: 'x' } });
    const data = await ok(K.admin, REINSTATE, {
      i: { id: c, reason: 'the retraction was a mistake' },
    });
    expect(data.reinstateClaim).toMatchObject({
      id: c,
      retractedAt: null,
      reinstatedBy: K.admin.id,
      reinstatementReason: 'the retraction was a mistake',
    });
    const [audit] = await t.conn.db().read(AUDITS, { id: c, op: 'reinstateClaim' });
    expect(audit.n).toBe(1);
    expect(JSON.parse(audit.args[0])).toEqual({
      input: { id: c, reason: 'the retraction was a mistake' },
      previous: { retractedAt: '2015-01-05', retractionReason: 'oops', retractedBy: K.analyst.id },
    });
    // a claim in force is not reinstated: CONFLICT in userErrors
    const e = await fails(K.admin, 'CONFLICT', REINSTATE, { i: { id: c, reason: 'again' } });
    expect(e.field).toBe('input.id');
    // and it can be retracted again
    await ok(K.analyst, RETRACT, { i: { id: c, reason: 'now for real' } });
  });
});

describe('keys bound to an actor', () => {
  it('rate and give opinions as their actor only', async () => {
    const rate = (ratedBy?: string) => ({
      i: {
        evidence: F.evidence,
        hypothesis: F.hypothesis,
        rating: 'CONSISTENT',
        rationale: fresh('why'),
        ...(ratedBy ? { ratedBy } : {}),
      },
    });
    const e = await fails(K.bound, 'FORBIDDEN', RATE, rate(F.other));
    expect(e.message).toMatch(
      new RegExp(`input\\.ratedBy: your API key speaks for "${F.claimant}"`),
    );
    expect((await ok(K.bound, RATE, rate(F.claimant))).rateEvidence.ratedBy.id).toBe(F.claimant);
    expect((await ok(K.bound, RATE, rate())).rateEvidence.ratedBy.id).toBe(F.claimant);
    // a key bound to no actor names the rater
    expect((await ok(K.analyst, RATE, rate(F.other))).rateEvidence.ratedBy.id).toBe(F.other);

    const opinion = (analyst?: string) => ({
      i: {
        hypothesis: F.hypothesis,
        opinion: 'AGREE',
        rationale: fresh('op'),
        ...(analyst ? { analyst } : {}),
      },
    });
    await fails(K.bound, 'FORBIDDEN', OPINION, opinion(F.other));
    expect((await ok(K.bound, OPINION, opinion())).addOpinion.analyst.id).toBe(F.claimant);
  });
});

describe('seed namespaces', () => {
  it('refuses client ids in them, and keeps generated ids out of them', async () => {
    for (const taken of ['claim-new-one', 'sony-h9-someone', 'name-guardians', 'src-new']) {
      const e = await fails(K.analyst, 'BAD_USER_INPUT', CREATE_CLAIM, { i: claimInput(taken) });
      expect(e).toMatchObject({ field: 'input.id', path: ['input', 'id'] });
      expect(e.message).toMatch(/seed's namespace/);
    }
    const data = await ok(
      K.analyst,
      `mutation($i: AddAliasInput!) { addAlias(input: $i) { claim { id } ${USER_ERRORS} } }`,
      {
        i: {
          actor: F.org,
          name: `${P} Crew`,
          claimant: F.claimant,
          statedAt: '2014-12',
          sources: [F.source],
        },
      },
    );
    expect(data.addAlias.id).toMatch(new RegExp(`^${P}-crew-alias-[a-z0-9]{6}$`));
  });
});

describe('retracted alias and affiliation claims', () => {
  const ALIASES = `query($a: ID!) { actor(id: $a) { aliases { name } affiliations { organisation { id } } } }`;

  it('take their KNOWN_AS / PART_OF link out of the views, and a reinstatement brings it back', async () => {
    const aliasName = `${P} Shadow`;
    const alias = await ok(
      K.analyst,
      `mutation($i: AddAliasInput!) { addAlias(input: $i) { claim { id } ${USER_ERRORS} } }`,
      {
        i: {
          actor: F.member,
          name: aliasName,
          claimant: F.claimant,
          statedAt: '2014-12-08',
          sources: [F.source],
        },
      },
    );
    const aff = await ok(
      K.analyst,
      `mutation($i: AddAffiliationInput!) { addAffiliation(input: $i) { claim { id } ${USER_ERRORS} } }`,
      {
        i: {
          actor: F.member,
          organisation: F.org,
          claimant: F.claimant,
          statedAt: '2014-12-08',
          sources: [F.source],
        },
      },
    );
    const view = async () =>
      (await post(t.app.url, null, ALIASES, { a: F.member })).body.data.actor;
    let v = await view();
    expect(v.aliases.map((a: Json) => a.name)).toContain(aliasName);
    expect(v.affiliations.map((m: Json) => m.organisation.id)).toEqual([F.org]);

    await ok(K.analyst, RETRACT, { i: { id: alias.addAlias.id, reason: 'wrong name' } });
    await ok(K.analyst, RETRACT, { i: { id: aff.addAffiliation.id, reason: 'wrong group' } });
    v = await view();
    expect(v.aliases.map((a: Json) => a.name)).not.toContain(aliasName);
    expect(v.affiliations).toEqual([]);
    // suspectLinks no longer walks the retracted link
    const links = await post(
      t.app.url,
      null,
      `query($a: ID!, $b: ID!) { suspectLinks(from: $a, to: $b, maxHops: 1) { steps { relationship } } }`,
      { a: F.member, b: F.org },
    );
    expect(JSON.stringify(links.body.data ?? {})).not.toContain('PART_OF');

    await ok(K.admin, REINSTATE, { i: { id: aff.addAffiliation.id, reason: 'it was right' } });
    v = await view();
    expect(v.affiliations.map((m: Json) => m.organisation.id)).toEqual([F.org]);
  });
});

describe('a retracted affiliation in replays', () => {
  const RANKING = `query($i: ID!, $d: LocalDate) { incident(id: $i) { ranking(asOf: $d) {
    hypotheses { assessment { explanation { group claim { id } } } } } } }`;
  /** The dependency group the claim's finding is credited to in the ranking as of `asOf`. */
  const groupOf = async (claim: string, asOf: string | null) => {
    const data = await ok(K.reader, RANKING, { i: F.incident, d: asOf });
    const terms = (data.incident.ranking.hypotheses as Json[]).flatMap(
      (h) => h.assessment.explanation as Json[],
    );
    return [...new Set(terms.filter((x) => x.claim?.id === claim).map((x) => x.group))];
  };

  it('credits the member to its organisation before the retraction date, to itself from it on', async () => {
    const member = fresh('member');
    const org = fresh('org');
    for (const [aid, kind] of [
      [member, 'PERSON'],
      [org, 'GROUP'],
    ])
      await ok(
        K.admin,
        `mutation($i: CreateActorInput!) { createActor(input: $i) { actor { id } ${USER_ERRORS} } }`,
        { i: { id: aid, name: `Actor ${aid}`, kind } },
      );
    const aff = await ok(
      K.analyst,
      `mutation($i: AddAffiliationInput!) { addAffiliation(input: $i) { claim { id } ${USER_ERRORS} } }`,
      {
        i: {
          actor: member,
          organisation: org,
          claimant: F.claimant,
          statedAt: '2014-12-08',
          sources: [F.source],
        },
      },
    );
    const said = fresh('said');
    await ok(K.analyst, CREATE_CLAIM, {
      i: claimInput(said, { claimant: member, statedAt: '2014-12-19' }),
    });
    // read once before the retraction, so a cached ranking would be served stale after it
    expect(await groupOf(said, '2015-01-20')).toEqual([`group:${org}`]);
    expect(await groupOf(said, null)).toEqual([`group:${org}`]);

    await ok(K.analyst, RETRACT, {
      i: { id: aff.addAffiliation.id, retractedAt: '2015-01-10', reason: 'not a member' },
    });
    expect(await groupOf(said, '2015-01-05')).toEqual([`group:${org}`]);
    expect(await groupOf(said, '2015-01-20')).toEqual([`group:${member}`]);
    expect(await groupOf(said, null)).toEqual([`group:${member}`]);

    await ok(K.admin, REINSTATE, {
      i: { id: aff.addAffiliation.id, reason: 'a member after all' },
    });
    expect(await groupOf(said, '2015-01-20')).toEqual([`group:${org}`]);
  });
});

describe('a seed reload', () => {
  it("never reverts an admin's audited correction", async () => {
    const seed = emptySeed();
    const aid = `claim-${P}-actor`;
    const cid = `claim-${P}-text`;
    seed.actors.push({ id: aid, name: 'Seed actor', kind: 'agency' } as never);
    seed.sources.push({
      id: `claim-${P}-src`,
      tag: 'S-T1',
      title: 'Seed source',
      publisher: aid,
      publishedAt: '2014-12',
      reliability: 'B',
      reliabilityReason: 'x',
    } as never);
    seed.incidents.push({
      id: `claim-${P}-inc`,
      name: 'Seed incident',
      summary: 'x',
      startedAt: '2014',
      kind: 'outage',
      sources: [`claim-${P}-src`],
    } as never);
    seed.hypotheses.push({
      id: `claim-${P}-hyp`,
      tag: 'H1',
      incident: `claim-${P}-inc`,
      statement: 'Someone did it.',
      suspects: [aid],
    } as never);
    seed.claims.push({
      id: cid,
      claimant: aid,
      stance: 'supports',
      hypothesis: `claim-${P}-hyp`,
      statedAt: '2014-12-19',
      text: 'The goverment is responsible.',
      textKind: 'quote',
      sources: [`claim-${P}-src`],
    } as never);
    await writeSeed(t.conn.db(), seed);
    await ok(
      K.admin,
      `mutation($i: CorrectTextInput!) { correctText(input: $i) { node { id } ${USER_ERRORS} } }`,
      { i: { id: cid, field: 'TEXT', value: 'The government is responsible.', reason: 'typo' } },
    );
    await writeSeed(t.conn.db(), seed);
    expect((await props(cid)).text).toBe('The government is responsible.');
    expect((await props(cid)).correctedFields).toEqual(['text']);
  });
});

describe('a mutation and its audit entry', () => {
  /** A Db whose audit statement fails after the entity statements ran (same transaction). */
  class AuditFails extends Db {
    override count(query: Query): void {
      super.count(query);
      if (query.name === 'auditAppend') throw new Error('audit write failed (injected)');
    }
  }

  it('commit together: when the audit write fails, the entity is not there either', async () => {
    const conn = t.conn;
    const faulty = new AuditFails(conn.driver, conn.db().database, conn.db().txTimeoutMs);
    const aid = fresh('atomic');
    await expect(
      mutate(
        'createActor',
        { db: faulty, principal: cliPrincipal() },
        { id: aid, name: 'Atomic', kind: 'person' },
      ),
    ).rejects.toThrow('audit write failed (injected)');
    expect(faulty.statementNames).toEqual([
      'mutationCheckRefs',
      'mutationCreateActor',
      'auditAppend',
    ]);
    expect(await props(aid)).toBeUndefined();
    // the same write with a working audit commits both
    await mutate(
      'createActor',
      { db: conn.db(), principal: cliPrincipal() },
      {
        id: aid,
        name: 'Atomic',
        kind: 'person',
      },
    );
    expect((await props(aid)).name).toBe('Atomic');
    expect((await t.conn.db().read(AUDITS, { id: aid, op: 'createActor' }))[0].n).toBe(1);
  });
});
