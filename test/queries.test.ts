/**
 * Runs every example operation of docs/queries/ over HTTP against the seed, with its default
 * variables (each file runs as a researcher would paste it), and checks the answer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kind, OperationDefinitionNode, parse } from 'graphql';
import { ROOT } from '../src/config';
import { cypher } from '../src/db';
import { TestServer, startTestServer, uid } from './helpers';

// Answers are checked field by field; a loose JSON type keeps the assertions readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const DIR = path.join(ROOT, 'docs', 'queries');
const SEED_INCIDENTS = [
  'darkseoul-2013',
  'sony-pictures-2014',
  'dprk-internet-outage-2014',
  'bangladesh-bank-2016',
  'wannacry-2017',
];
const FILES = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.graphql'))
  .sort();

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const read = (file: string) => fs.readFileSync(path.join(DIR, file), 'utf8');

/** Runs a docs/queries file (default variables unless given); the answer must have no errors. */
async function run(file: string, variables?: Record<string, unknown>): Promise<Json> {
  const res = await t.gql<Json>(read(file), variables);
  expect(res.body.errors).toBeUndefined();
  expect(res.status).toBe(200);
  expect(res.statements).toBeLessThanOrEqual(12);
  return res.body.data;
}

const sorted = (xs: string[]) => [...xs].sort();
const ids = (xs: Json[]) => xs.map((x) => x.actor?.id ?? x.id);
const sum = (xs: Json[]) => xs.reduce((s, x) => s + x.points, 0);

/** Ranks are 1..n in list order and each score is the sum of its explanation's points. */
function checkRanking(hyps: Json[]) {
  expect(hyps.map((h) => h.assessment.rank)).toEqual(hyps.map((_, i) => i + 1));
  for (const h of hyps) {
    if (h.assessment.explanation && h.assessment.score !== undefined)
      expect(sum(h.assessment.explanation)).toBeCloseTo(h.assessment.score, 6);
  }
}

/** What each file's answer must show. */
const CHECKS: Record<string, (file: string) => Promise<void>> = {
  '01-rank-hypotheses.graphql': async (file) => {
    const { incident } = await run(file);
    expect(incident.name).toMatch(/Sony/);
    const hyps = incident.hypotheses;
    expect(hyps.length).toBeGreaterThanOrEqual(5);
    expect(sorted(hyps.map((h: Json) => h.tag))).toEqual(
      expect.arrayContaining(['H1', 'H2', 'H3', 'H4', 'H5']),
    );
    checkRanking(hyps);
    const scores = hyps.map((h: Json) => h.assessment.score);
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThanOrEqual(scores[i - 1]);
    // Today, with the FBI, the DOJ indictment and Operation Blockbuster on record, the
    // North Korean state hypothesis leads (README).
    expect(hyps[0].tag).toBe('H1');
    expect(hyps[0].suspects.map((s: Json) => s.kind)).toContain('STATE');
    for (const h of hyps) {
      expect(h.assessment.likelihoodBand).toMatch(/^\d+-\d+ %$/);
      expect(h.assessment.explanation.every((x: Json) => x.reason.length > 0)).toBe(true);
    }
  },

  '02-who-disputes-h1.graphql': async (file) => {
    const { node } = await run(file);
    expect(node.tag).toBe('H1');
    const opponents = ids(node.opponents);
    expect(opponents).toEqual(
      expect.arrayContaining(['dprk', 'marc-rogers', 'norse', 'bruce-schneier', 'taia-global']),
    );
    expect(opponents).not.toContain('fbi');
    const dprk = node.opponents.find((p: Json) => p.actor.id === 'dprk');
    const dates = dprk.claims.map((c: Json) => c.statedAt);
    expect(dates).toEqual(expect.arrayContaining(['2014-12-07', '2014-12-20', '2018-09-14']));
    expect(sorted(dates)).toEqual(dates);
    for (const p of node.opponents)
      for (const c of p.claims) {
        expect(c.sources.length).toBeGreaterThan(0);
        expect(c.sources[0].reliability).toMatch(/^[A-F]$/);
      }
  },

  '03-claims-by-norse.graphql': async (file) => {
    const { actor } = await run(file);
    expect(actor.name).toBe('Norse');
    const claims = actor.claims.edges.map((e: Json) => e.node);
    expect(actor.claims.totalCount).toBe(claims.length);
    expect(actor.claims.pageInfo.hasNextPage).toBe(false);
    const byId = new Map(claims.map((c: Json) => [c.id, c]));
    expect(byId.get('claim-norse-2014-12-24-h2')).toMatchObject({
      stance: 'SUPPORTS',
      statedAt: '2014-12-24',
      hypothesis: { tag: 'H2' },
    });
    expect(byId.get('claim-norse-2014-12-24-h1')).toMatchObject({
      stance: 'DISPUTES',
      hypothesis: { tag: 'H1' },
    });
    expect(byId.get('claim-norse-2014-12-29-h2')).toMatchObject({ statedAt: '2014-12-29' });
    const dates = claims.map((c: Json) => c.statedAt);
    expect(sorted(dates)).toEqual(dates);
    // (16 adds a sourceless claim by Norse for a moment; the routing project runs it at the same time.)
    const seeded = claims.filter((c: Json) => !c.id.startsWith('feed-claim'));
    expect(seeded.every((c: Json) => c.sources.length > 0)).toBe(true);
  },

  '04-path-gop-to-dprk.graphql': async (file) => {
    const { suspectPaths } = await run(file);
    expect(suspectPaths.limit).toBe(10);
    const suspectLinks = suspectPaths.paths;
    expect(suspectLinks.length).toBeGreaterThan(0);
    // Fewer paths than the limit: nothing was left out.
    if (suspectLinks.length < 10) expect(suspectPaths.truncated).toBe(false);
    // One path at most: the list is cut, and says so.
    const one = (await run(file, { first: 1 })).suspectPaths;
    expect(one.paths).toHaveLength(1);
    expect(one.truncated).toBe(suspectLinks.length > 1);
    const lengths = suspectLinks.map((p: Json) => p.length);
    expect([...lengths].sort((a, b) => a - b)).toEqual(lengths);
    for (const p of suspectLinks) {
      expect(p.length).toBeLessThanOrEqual(3);
      expect(p.nodes[0].id).toBe('guardians-of-peace');
      expect(p.nodes[p.nodes.length - 1].id).toBe('dprk');
      expect(p.steps).toHaveLength(p.length);
    }
    const route = suspectLinks.find(
      (p: Json) =>
        p.nodes.map((n: Json) => n.id).join('>') === 'guardians-of-peace>lazarus-group>rgb>dprk',
    );
    expect(route.steps.map((s: Json) => s.relationship)).toEqual([
      'KNOWN_AS',
      'PART_OF',
      'PART_OF',
    ]);
    expect(route.steps[0].claims[0].claimant.name).toMatch(/MITRE ATT&CK/);
    for (const s of route.steps) expect(s.sources.length).toBeGreaterThan(0);
  },

  '05-record-as-of-christmas-2014.graphql': async (file) => {
    const { ranking } = (await run(file)).incident;
    expect(ranking.asOf).toBe('2014-12-25');
    const hyps = ranking.hypotheses;
    expect(hyps.length).toBeGreaterThanOrEqual(5);
    expect(hyps.map((x: Json) => x.rank)).toEqual(hyps.map((_: Json, i: number) => i + 1));
    const h = (tag: string) => hyps.find((x: Json) => x.hypothesis.tag === tag);
    const names = (ps: Json[]) => ps.map((p) => p.actor.name);
    for (const x of hyps)
      for (const p of [...x.supporters, ...x.opponents])
        for (const c of p.claims) {
          // Dated claims only, each surely stated by the day (a month counts at its end).
          expect(c.stated).not.toBeNull();
          expect(c.stated <= '2014-12-25').toBe(true);
          expect(c.stated).not.toBe('2014-12');
        }
    // On record by then: the FBI (19 Dec) for H1, Norse (24 Dec) for the insiders, North Korea's denials.
    expect(names(h('H1').supporters)).toContain('Federal Bureau of Investigation (FBI)');
    expect(names(h('H2').supporters)).toContain('Norse');
    expect(names(h('H1').opponents)).toContain(
      "Democratic People's Republic of Korea (North Korea)",
    );
    // Not yet: the Treasury sanctions (2 Jan 2015), Comey (7 Jan), Novetta (2016).
    for (const later of [/Treasury/, /Comey/, /Novetta/])
      expect(names(h('H1').supporters).some((n) => later.test(n))).toBe(false);
    const norse = h('H2').supporters.find((p: Json) => p.actor.name === 'Norse');
    expect(norse.claims.map((c: Json) => c.stated)).toEqual(['2014-12-24']);
  },

  '06-timeline-to-indictment.graphql': async (file) => {
    const { timeline } = (await run(file)).incident;
    const nodes = timeline.edges.map((e: Json) => e.node);
    expect(timeline.totalCount).toBe(nodes.length);
    expect(nodes[0]).toMatchObject({
      date: '2014-06-01',
      datePrecision: 'MONTH',
      event: { kind: 'THREAT' },
    });
    const dates = nodes.map((n: Json) => n.date);
    expect(dates.every((d: string) => d && d <= '2018-09-06')).toBe(true);
    expect(sorted(dates)).toEqual(dates);
    const titles = nodes.map((n: Json) => n.event?.title).filter(Boolean);
    expect(titles).toContain('DOJ charges Park Jin Hyok (complaint unsealed)');
    expect(titles).toContain("FBI attributes the attack to North Korea's government");
    expect(titles).not.toContain('Indictment of three RGB members unsealed'); // 2021
    const kinds = new Set(nodes.map((n: Json) => n.event?.kind).filter(Boolean));
    for (const k of [
      'THREAT',
      'ATTACK',
      'LEAK',
      'CANCELLATION',
      'ATTRIBUTION',
      'SANCTION',
      'INDICTMENT',
    ])
      expect(kinds).toContain(k);
    const claims = nodes.filter((n: Json) => n.claim);
    expect(claims.length).toBeGreaterThan(0);
    expect(claims.every((n: Json) => n.claim.claimant.name && n.claim.hypothesis.tag)).toBe(true);
  },

  '07-sanctions-targets.graphql': async (file) => {
    const { eo13687, treasury2018 } = await run(file);
    const byRole = (e: Json, role: string) =>
      e.participants.filter((p: Json) => p.roles.includes(role)).map((p: Json) => p.actor.id);
    expect(eo13687).toMatchObject({ date: '2015-01-02', kind: 'SANCTION' });
    expect(byRole(eo13687, 'issuer')).toEqual(expect.arrayContaining(['obama', 'treasury']));
    const targets = byRole(eo13687, 'target');
    expect(targets).toEqual(
      expect.arrayContaining(['rgb', 'komid', 'korea-tangun', 'kim-yong-chol-komid']),
    );
    expect(targets).toHaveLength(12); // 3 entities and the 9 confirmed officials
    expect(targets).not.toContain('gen-kim-yong-chol');
    expect(eo13687.sources.length).toBeGreaterThan(0);
    expect(treasury2018).toMatchObject({ datePrecision: 'DAY', kind: 'SANCTION' });
    expect(byRole(treasury2018, 'target')).toEqual(
      expect.arrayContaining(['park-jin-hyok', 'chosun-expo']),
    );
  },

  '08-evidence-behind-fbi-attribution.graphql': async (file) => {
    const { actor } = await run(file);
    expect(actor.name).toMatch(/FBI/);
    const claims = actor.claims.edges.map((e: Json) => e.node);
    const attribution = claims.find(
      (c: Json) => c.statedAt === '2014-12-19' && c.hypothesis?.tag === 'H1',
    );
    expect(attribution.stance).toBe('SUPPORTS');
    expect(attribution.evidence.map((e: Json) => e.tag)).toEqual(
      expect.arrayContaining(['E1', 'E2', 'E3']),
    );
    for (const e of attribution.evidence) {
      expect(e.credibility).toBeGreaterThanOrEqual(1);
      expect(e.credibility).toBeLessThanOrEqual(6);
      expect(e.sources.length).toBeGreaterThan(0);
      expect(e.ratings.nodes).toHaveLength(e.ratings.totalCount); // one page holds them all
      const raters = e.ratings.nodes.map((r: Json) => r.ratedBy.name);
      expect(raters.some((n: string) => /FBI/.test(n))).toBe(true);
    }
    // Rival readings of the same evidence stay side by side: Marc Rogers rates the IPs neutral.
    const e2 = attribution.evidence.find((e: Json) => e.tag === 'E2');
    expect(e2.ratings.nodes).toContainEqual(
      expect.objectContaining({ rating: 'NEUTRAL', ratedBy: { name: 'Marc Rogers' } }),
    );
  },

  '09-aliases-of-lazarus-group.graphql': async (file) => {
    const { actor } = await run(file);
    expect(actor).toMatchObject({ name: 'Lazarus Group', kind: 'GROUP' });
    const gop = actor.aliases.find((a: Json) => a.name === 'Guardians of Peace');
    expect(gop.refersTo).toMatchObject({ id: 'guardians-of-peace', kind: 'PERSONA' });
    expect(gop.claims[0].claimant.name).toMatch(/MITRE ATT&CK/);
    expect(gop.claims[0].sources[0].url).toMatch(/attack\.mitre\.org/);
    const lazarus = actor.aliases.find((a: Json) => a.name === 'Lazarus Group');
    expect(lazarus.claims[0]).toMatchObject({
      statedAt: '2016-02-24',
      claimant: { name: 'Novetta' },
    });
    expect(actor.affiliations.map((a: Json) => a.organisation.name)).toContain(
      'Reconnaissance General Bureau (RGB)',
    );
  },

  '10-what-if-source-excluded.graphql': async (file) => {
    const { source, incident } = await run(file);
    expect(source.title).toBe('Did North Korea Really Attack Sony?');
    expect(incident.withoutSource.excluded.sources).toEqual([{ id: 'src-s51-schneier-did-nk' }]);
    // The fragment's shape, flattened to what the checks below read.
    const flat = (r: Json) =>
      r.hypotheses.map((x: Json) => ({
        tag: x.hypothesis.tag,
        supporters: x.supporters,
        opponents: x.opponents,
        assessment: { ...x.assessment, rank: x.rank, score: x.score },
      }));
    const asRecorded = flat(incident.asRecorded);
    const withoutSource = flat(incident.withoutSource);
    checkRanking(asRecorded);
    checkRanking(withoutSource);
    expect(sorted(withoutSource.map((h: Json) => h.tag))).toEqual(
      sorted(asRecorded.map((h: Json) => h.tag)),
    );
    const everyone = (hs: Json[]) =>
      hs.flatMap((h) => [
        ...ids(h.supporters),
        ...ids(h.opponents),
        ...h.assessment.explanation.map((x: Json) => x.actor?.id),
      ]);
    // Schneier's claims rest on that post alone: with it, he disputes H1 and backs H2 and H3;
    // without it, he is gone from every list and every explanation.
    const h = (hs: Json[], tag: string) => hs.find((x) => x.tag === tag);
    expect(ids(h(asRecorded, 'H1').opponents)).toContain('bruce-schneier');
    expect(ids(h(asRecorded, 'H2').supporters)).toContain('bruce-schneier');
    expect(everyone(withoutSource)).not.toContain('bruce-schneier');
    // Everyone else stays.
    const others = (hs: Json[]) => new Set(everyone(hs).filter((x) => x && x !== 'bruce-schneier'));
    expect(others(withoutSource)).toEqual(others(asRecorded));
    // H1 loses Schneier's dispute: one claim term fewer (a sceptic's conclusion counts 0 bits
    // either way; his arguments count through his readings of E1, E4 and E6).
    const claimTerms = (hs: Json[]) =>
      h(hs, 'H1').assessment.explanation.filter((x: Json) => x.actor).length;
    expect(claimTerms(withoutSource)).toBe(claimTerms(asRecorded) - 1);
  },

  '13-key-judgment-four-dates.graphql': async (file) => {
    const { incident } = await run(file);
    const dates = ['beforeFbi', 'afterFbi', 'endOfJanuary', 'today'];
    for (const d of dates) {
      const j = incident[d];
      expect(j.method).toMatch(/^evidence-lr\//);
      expect(j.key.hypotheses.map((x: Json) => x.tag).sort()).toEqual(['H1', 'H5']);
      expect(sum(j.steps.map((x: Json) => ({ points: x.bits })))).toBeCloseTo(
        j.key.bits - j.key.priorBits,
        2,
      );
      expect(j.confidence).toMatch(/^(LOW|MODERATE|HIGH)$/);
    }
    // The FBI's statement raises the judgment; today it is higher than before the FBI spoke.
    expect(incident.afterFbi.key.probability).toBeGreaterThan(incident.beforeFbi.key.probability);
    expect(incident.today.key.probability).toBeGreaterThan(incident.afterFbi.key.probability);
    expect(incident.today.sensitivity.low).toBeLessThanOrEqual(incident.today.key.probability);
  },

  '11-search.graphql': async (file) => {
    const { search: page } = await run(file);
    const search = page.nodes;
    expect(page.totalCount).toBeGreaterThanOrEqual(search.length);
    expect(search.length).toBeGreaterThan(0);
    expect(search.length).toBeLessThanOrEqual(10);
    // The persona comes first: its name is the text searched. (By full-text score alone its rank
    // among the alias claims naming it moved with the index's statistics, which other suites'
    // imports change: 5.27 against 5.25 for the next hit.)
    expect(search[0].node).toMatchObject({
      __typename: 'Actor',
      id: 'guardians-of-peace',
      kind: 'PERSONA',
    });
    const scores = search.map((r: Json) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // Other hits mention the name too (alias claims, the alias node, events...).
    expect(search.some((r: Json) => r.node.__typename !== 'Actor')).toBe(true);
    // The next page follows on (relevance moves as other tests write, so no id comparison
    // across requests here); a `types` filter keeps only those kinds.
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = (await run(file, { after: page.pageInfo.endCursor })).search;
    expect(next.nodes.length).toBeGreaterThan(0);
    expect(next.pageInfo).toMatchObject({ hasPreviousPage: true });
    const actors = (await run(file, { types: ['ACTOR'], first: 100 })).search.nodes;
    expect(actors.length).toBeGreaterThan(0);
    for (const r of actors) expect(r.node.__typename).toBe('Actor');
  },

  '12-incident-list.graphql': async (file) => {
    const first = (await run(file)).incidents;
    expect(first.edges).toHaveLength(3);
    expect(first.totalCount).toBeGreaterThanOrEqual(SEED_INCIDENTS.length);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.pageInfo.endCursor).toBe(first.edges[2].cursor);
    const rest = (await run(file, { first: 100, after: first.pageInfo.endCursor })).incidents;
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const all = [...first.edges, ...rest.edges].map((e: Json) => e.node);
    const allIds = all.map((n: Json) => n.id);
    expect(new Set(allIds).size).toBe(allIds.length);
    // Other suites add and delete incidents in the shared database between the two pages, so the
    // count is checked against the page that was read in the same request.
    expect(allIds.length - first.edges.length).toBeLessThanOrEqual(rest.totalCount);
    expect(allIds.length).toBeGreaterThanOrEqual(SEED_INCIDENTS.length);
    // Oldest first (the shared test database may hold other tests' incidents too).
    expect(allIds.filter((id: string) => SEED_INCIDENTS.includes(id))).toEqual(SEED_INCIDENTS);
    const sony = all.find((n: Json) => n.id === 'sony-pictures-2014');
    expect(sony).toMatchObject({ startedAt: '2014-11-24', startedAtPrecision: 'DAY' });
  },

  '13-claims-by-fbi-across-incidents.graphql': async (file) => {
    const { claims } = await run(file);
    expect(claims.pageInfo.hasNextPage).toBe(false);
    expect(claims.nodes).toHaveLength(claims.totalCount);
    const incidents = new Set(
      claims.nodes.map((c: Json) => c.hypothesis?.incident.id).filter(Boolean),
    );
    // Across incidents: the Sony attribution and the DarkSeoul one.
    expect(incidents).toEqual(new Set(['sony-pictures-2014', 'darkseoul-2013']));
    const attribution = claims.nodes.find(
      (c: Json) => c.stated === '2014-12-19' && c.hypothesis?.tag === 'H1',
    );
    expect(attribution).toMatchObject({ stance: 'SUPPORTS', knownFrom: '2014-12-19' });
    const days = claims.nodes.map((c: Json) => c.knownFrom ?? '~');
    expect([...days].sort()).toEqual(days);
  },

  '14-hypotheses-suspecting-lazarus.graphql': async (file) => {
    const { hypotheses } = await run(file);
    expect(hypotheses.totalCount).toBe(hypotheses.nodes.length);
    expect(hypotheses.nodes.length).toBeGreaterThan(0);
    for (const h of hypotheses.nodes) {
      expect(h.suspects.map((s: Json) => s.id)).toContain('lazarus-group');
      expect(h.incident.id).toBeTruthy();
      expect(h.assessment.rank).toBeGreaterThanOrEqual(1);
    }
    expect(hypotheses.nodes.map((h: Json) => h.id)).toContain('sony-h1-dprk-state');
  },

  '15-incidents-of-2016.graphql': async (file) => {
    const { incidents } = await run(file);
    const seeded = incidents.nodes.filter((i: Json) => SEED_INCIDENTS.includes(i.id));
    expect(seeded.map((i: Json) => i.id)).toEqual(['bangladesh-bank-2016']);
    for (const i of incidents.nodes) expect(i.started.slice(0, 4)).toBe('2016');
    expect(seeded[0]).toMatchObject({ started: '2016-02-04', startedAtPrecision: 'DAY' });
  },

  '16-claims-recorded-after.graphql': async (file) => {
    // A claim recorded now (as a mutation would), on a seeded hypothesis.
    const id = uid('feed-claim');
    // Just before its own write: other suites record claims meanwhile, and the page is oldest first.
    const since = new Date(Date.now() - 1000).toISOString();
    await t.conn.db().write((tx) => tx.run(ADD_RECORDED_CLAIM, { id, claimant: 'norse' }));
    try {
      const { claims } = await run(file, { since });
      const ids = claims.nodes.map((c: Json) => c.id);
      expect(ids).toContain(id);
      for (const c of claims.nodes)
        expect(c.createdAt > since || c.retractionRecordedAt > since).toBe(true);
      const mine = claims.nodes.find((c: Json) => c.id === id);
      expect(mine).toMatchObject({
        stated: '2015-02',
        stance: 'SUPPORTS',
        claimant: { id: 'norse' },
        hypothesis: { tag: 'H1' },
      });
      // Nothing of the seed (no record time) comes back.
      expect(ids.some((x: string) => x.startsWith('claim-norse-2014'))).toBe(false);
    } finally {
      await t.conn.db().write((tx) => tx.run(DELETE_CLAIM, { id }));
    }
  },
  '20-sony-technical-profile.graphql': async (file) => {
    const { incident, destover } = await run(file);
    const p = incident.technicalProfile;
    const tactics = p.tactics.map((t: Json) => t.tactic);
    expect(tactics).toEqual(
      expect.arrayContaining(['impact', 'lateral-movement', 'command-and-control']),
    );
    const impact = p.tactics.find((t: Json) => t.tactic === 'impact');
    expect(impact.techniques.map((t: Json) => t.artifact.attackId)).toEqual(
      expect.arrayContaining(['T1485', 'T1561.002']),
    );
    expect(p.malware.map((m: Json) => m.artifact.id)).toContain('malware-destover');
    const d = p.malware.find((m: Json) => m.artifact.id === 'malware-destover');
    expect(d.claims[0].claimant.name).toBe('Trend Micro');
    expect(d.sources.length).toBeGreaterThan(0);
    expect(p.tools.map((t: Json) => t.artifact.name)).toContain('SMB Worm Tool');
    expect(destover.links.map((l: Json) => l.node.id)).toContain('ip-88-53-215-64');
    // As of 2014-12-18 the alert TA14-353A (2014-12-19) is not yet on record: no SMB Worm Tool.
    const before = await run(file, { asOf: '2014-12-18' });
    expect(before.incident.technicalProfile.tools.map((t: Json) => t.artifact.name)).not.toContain(
      'SMB Worm Tool',
    );
    expect(before.incident.artifacts.length).toBeLessThan(incident.artifacts.length);
  },
  '21-overlap-sony-darkseoul.graphql': async (file) => {
    const { overlap } = await run(file);
    expect(overlap.score).toBeGreaterThan(0);
    expect(sum(overlap.explanation)).toBeCloseTo(overlap.score, 6);
    expect(overlap.explanation.map((t: Json) => t.artifact.id)).toContain('technique-t1561-002');
    for (const t of overlap.explanation)
      expect(t.reason).toMatch(/is shared; used by \d+ of \d+ actors/);
  },
  '22-sony-candidates.graphql': async (file) => {
    const { incident } = await run(file);
    expect(incident.today[0].actor.id).toBe('lazarus-group');
    expect(incident.today[0].rank).toBe(1);
    expect(sum(incident.today[0].explanation)).toBeCloseTo(incident.today[0].score, 6);
    // ATT&CK's Lazarus software and techniques are on record from 2025: none as of 2014-12-18.
    expect(incident.before).toEqual([]);
  },
  '23-path-through-malware.graphql': async (file) => {
    const { suspectLinks } = await run(file);
    expect(suspectLinks.length).toBeGreaterThanOrEqual(1);
    const p = suspectLinks[0];
    expect(p.nodes[0].id).toBe('malware-destover');
    expect(p.nodes[p.nodes.length - 1].id).toBe('lazarus-group');
    expect(
      p.steps.every(
        (s: Json) => s.relationship === 'USES' || s.relationship === 'COMMUNICATES_WITH',
      ),
    ).toBe(true);
    for (const s of p.steps) {
      expect(s.claims.length).toBeGreaterThan(0);
      expect(s.sources.length).toBeGreaterThan(0);
    }
    expect(p.nodes.map((n: Json) => n.__typename)).not.toContain('AttackPattern');
  },
};

const ADD_RECORDED_CLAIM = cypher(
  'testAddRecordedClaim',
  `MATCH (a:Actor {id: $claimant})
   CREATE (i:Entity:Incident {id: $id + '-incident', name: 'Feed test', summary: 'x', kind: 'test',
     startedAtPrecision: 'unknown', unverified: false})
   CREATE (h:Entity:Hypothesis {id: $id + '-h', tag: 'H1', statement: 'x', unverified: false})-[:ABOUT]->(i)
   CREATE (c:Entity:Claim {id: $id, stance: 'supports', text: 'A test claim for the change feed.',
     textKind: 'paraphrase', statedAt: date('2015-02-01'), statedAtPrecision: 'month',
     knownFrom: date('2015-02-28'), unverified: false, createdAt: datetime()})
   CREATE (c)-[:SUPPORTS]->(h), (c)-[:BY]->(a)`,
);
const DELETE_CLAIM = cypher(
  'testDeleteClaim',
  'MATCH (n:Entity) WHERE n.id STARTS WITH $id DETACH DELETE n',
);

describe('docs/queries', () => {
  it('has a dozen example operations, each checked here', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(16);
    expect(sorted(Object.keys(CHECKS))).toEqual(FILES);
  });

  it.each(FILES)('%s is one named operation with a header comment', (file) => {
    const text = read(file);
    expect(text.split('\n')[0]).toMatch(/^# \S/);
    const ops = parse(text).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    expect(ops).toHaveLength(1);
    expect(ops[0].name?.value).toMatch(/^[A-Z][A-Za-z0-9]+$/);
  });

  it('gives each operation its own name', () => {
    const names = FILES.map((f) => {
      const op = parse(read(f)).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
      return (op as OperationDefinitionNode).name?.value;
    });
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(FILES)('%s answers as documented', async (file) => {
    await CHECKS[file](file);
  });
});
