import { METHOD_VERSION } from '../src/analysis';
import { TestServer, startTestServer } from './helpers';

const INCIDENT = 'sony-pictures-2014';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface Contribution {
  kind: string;
  points: number;
  weight: number;
  group: string;
  origin: string | null;
  claim: { id: string; sources: { id: string }[] } | null;
  evidence: { id: string; sources: { id: string }[] } | null;
}
interface Hyp {
  id: string;
  tag: string;
  independentOrigins: string[];
  supporters: {
    actor: { id: string };
    origins: string[];
    claims: { id: string; sources: { id: string }[] }[];
  }[];
  opponents: { actor: { id: string }; claims: { id: string; sources: { id: string }[] }[] }[];
  assessment: {
    method: string;
    rank: number;
    prior: number;
    score: number;
    probability: number;
    likelihood: string;
    confidence: string;
    singleOrigin: boolean;
    missingCells: number;
    explanation: Contribution[];
  };
}

const HYPS = `query($id: ID!, $asOf: LocalDate, $exclude: ExcludeInput) {
  incident(id: $id) { hypotheses(asOf: $asOf, exclude: $exclude) {
    id tag independentOrigins
    supporters { actor { id } origins claims { id sources { id } } }
    opponents { actor { id } claims { id sources { id } } }
    assessment { method rank prior score probability likelihood confidence singleOrigin missingCells
      explanation { kind points weight group origin claim { id sources { id } } evidence { id sources { id } } } }
  } } }`;

async function hyps(asOf?: string, exclude?: Record<string, string[]>): Promise<Hyp[]> {
  const res = await server.gql<{ incident: { hypotheses: Hyp[] } }>(HYPS, {
    id: INCIDENT,
    asOf,
    exclude,
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.incident.hypotheses;
}

interface Judgment {
  method: string;
  key: {
    key: string;
    label: string;
    probability: number;
    likelihood: string;
    bits: number;
    priorBits: number;
    sponsor: { id: string };
    hypotheses: { id: string }[];
  };
  technicalOnly: { probability: number };
  confidence: string;
  confidenceReason: string;
  factors: { supportingGroups: number; criticalGroups: number; coverage: number };
  steps: {
    key: string;
    bits: number;
    leaveOutBits: number;
    kind: string;
    claims: { id: string }[];
  }[];
  coverage: { cells: number; rated: number; missing: number; share: number };
}
const JUDGMENT = `query($id: ID!, $asOf: LocalDate, $exclude: ExcludeInput) { incident(id: $id) {
  judgment(asOf: $asOf, exclude: $exclude) { method confidence confidenceReason
    key { key label probability likelihood bits priorBits sponsor { id } hypotheses { id } }
    technicalOnly { probability }
    factors { supportingGroups criticalGroups coverage }
    steps { key bits leaveOutBits kind claims { id } }
    coverage { cells rated missing share } } } }`;

async function judgment(
  asOf?: string,
  exclude?: Record<string, string[]>,
  id = INCIDENT,
): Promise<Judgment> {
  const res = await server.gql<{ incident: { judgment: Judgment } }>(JUDGMENT, {
    id,
    asOf,
    exclude,
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.incident.judgment;
}

const AS_OF = ['2014-12-18', '2014-12-20', '2015-01-31', undefined];
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('explanation', () => {
  it.each(AS_OF)(
    'sums exactly to the score, and probabilities follow prior x 2^score (asOf %s)',
    async (asOf) => {
      const hs = await hyps(asOf);
      const z = sum(hs.map((h) => h.assessment.prior * 2 ** h.assessment.score));
      for (const h of hs) {
        expect(sum(h.assessment.explanation.map((c) => c.points))).toBeCloseTo(
          h.assessment.score,
          5,
        );
        expect(h.assessment.probability).toBeCloseTo(
          (h.assessment.prior * 2 ** h.assessment.score) / z,
          4,
        );
        expect(h.assessment.method).toBe(METHOD_VERSION);
      }
      expect(sum(hs.map((h) => h.assessment.probability))).toBeCloseTo(1, 4);
      for (let i = 1; i < hs.length; i++)
        expect(hs[i - 1].assessment.probability).toBeGreaterThanOrEqual(
          hs[i].assessment.probability,
        );
    },
  );

  it('the set is exclusive and exhaustive: H0 "other or unknown" is in it, priors are uniform', async () => {
    const hs = await hyps();
    expect(hs.map((h) => h.tag).sort()).toEqual(['H0', 'H1', 'H2', 'H3', 'H4', 'H5']);
    for (const h of hs) expect(h.assessment.prior).toBeCloseTo(1 / 6, 5);
  });
});

describe('the judgment', () => {
  it.each(AS_OF)(
    'reports P(North Korean state behind it) = H1 + H5 first, its steps summing to the change from the prior (asOf %s)',
    async (asOf) => {
      const [j, hs] = await Promise.all([judgment(asOf), hyps(asOf)]);
      expect(j.method).toBe(METHOD_VERSION);
      expect(j.key.key).toBe('sponsor:dprk');
      expect(j.key.sponsor.id).toBe('dprk');
      expect(j.key.hypotheses.map((h) => h.id).sort()).toEqual([
        'sony-h1-dprk-state',
        'sony-h5-dprk-contractors',
      ]);
      const p = (id: string) => hs.find((h) => h.id === id)!.assessment.probability;
      expect(j.key.probability).toBeCloseTo(
        p('sony-h1-dprk-state') + p('sony-h5-dprk-contractors'),
        4,
      );
      expect(sum(j.steps.map((s) => s.bits))).toBeCloseTo(j.key.bits - j.key.priorBits, 2);
      // One confidence per incident and date, the same on every hypothesis.
      for (const h of hs) expect(h.assessment.confidence).toBe(j.confidence);
      expect(j.coverage.share).toBe(1);
    },
  );

  it('the US government is one dependency group: the FBI finding counts, its restatements do not', async () => {
    const hs = await hyps('2014-12-20');
    const h1 = hs.find((h) => h.id === 'sony-h1-dprk-state')!;
    const gov = h1.assessment.explanation.filter((c) => c.group === 'group:gov:US');
    expect(gov.map((c) => c.claim!.id).sort()).toEqual([
      'claim-fbi-2014-12-19-h1',
      'claim-nsc-2014-12-20-h1',
      'claim-obama-2014-12-19-h1',
    ]);
    expect(gov.find((c) => c.claim!.id === 'claim-fbi-2014-12-19-h1')!.kind).toBe('FINDING');
    expect(gov.find((c) => c.claim!.id === 'claim-obama-2014-12-19-h1')!.kind).toBe('NO_ACCESS');
    expect(gov.find((c) => c.claim!.id === 'claim-nsc-2014-12-20-h1')!.kind).toBe('NO_ACCESS');
    // A finding for H1 counts against each hypothesis without North Korea behind it (here H0),
    // never for the restatements.
    const h0 = hs.find((h) => h.id === 'sony-h0-other-unknown')!;
    const against = h0.assessment.explanation.filter((c) => c.group === 'group:gov:US');
    expect(against.map((c) => c.claim!.id)).toEqual(['claim-fbi-2014-12-19-h1']);
    expect(against[0].points).toBeLessThan(0);
    expect(h1.independentOrigins).toContain('gov:US');
    expect(h1.independentOrigins).not.toContain('obama');
    // Restating it adds nothing: without Obama and the NSC the judgment does not move.
    const [withThem, without] = await Promise.all([
      judgment('2014-12-20'),
      judgment('2014-12-20', { claimants: ['obama', 'nsc'] }),
    ]);
    expect(without.key.probability).toBeCloseTo(withThem.key.probability, 6);
  });

  it("North Korea's denials and the attackers' persona count zero", async () => {
    const hs = await hyps();
    const terms = hs.flatMap((h) => h.assessment.explanation);
    for (const id of [
      'claim-dprk-2014-12-07-h1',
      'claim-dprk-2014-12-20-h1',
      'claim-lena-2014-11-25-h2',
    ])
      expect(terms.find((c) => c.claim?.id === id)).toMatchObject({
        kind: 'SELF_SERVING',
        points: 0,
      });
  });

  it("sceptics' conclusions are not votes: Rogers counts through his readings, not his claims", async () => {
    const hs = await hyps('2014-12-18');
    const rogers = hs
      .flatMap((h) => h.assessment.explanation)
      .filter((c) => c.claim?.id.startsWith('claim-marc-rogers'));
    expect(rogers.length).toBeGreaterThan(0);
    for (const c of rogers) expect(c).toMatchObject({ kind: 'NO_ACCESS', points: 0 });
  });

  it("the Guardian's report of Norse's insider theory is credited to Norse; Russian support to Taia alone", async () => {
    const hs = await hyps();
    const h2 = hs.find((h) => h.id === 'sony-h2-insiders')!;
    expect(h2.supporters.find((p) => p.actor.id === 'the-guardian')!.origins).toEqual(['norse']);
    expect(h2.independentOrigins).not.toContain('the-guardian');
    const h4 = hs.find((h) => h.id === 'sony-h4-russian')!;
    expect(h4.independentOrigins).toEqual(['taia-global']);
    expect(h4.assessment.singleOrigin).toBe(true);
  });

  it('grades as they stood on the date: E3 is credibility 3 before the FBI spoke, 2 after', async () => {
    const weight = async (asOf: string) =>
      (await hyps(asOf))
        .find((h) => h.id === 'sony-h1-dprk-state')!
        .assessment.explanation.find((c) => c.evidence?.id === 'sony-e03-darkseoul-overlap')!
        .weight;
    // Credibility weight x carrier fidelity (B) x Kaspersky's challenge (0.75).
    expect(await weight('2014-12-18')).toBeCloseTo(0.6 * 0.75, 6);
    expect(await weight('2014-12-20')).toBeCloseTo(0.8 * 0.75, 6);
  });

  it('technical evidence is shown apart', async () => {
    const j = await judgment();
    expect(j.technicalOnly.probability).toBeGreaterThan(0);
    expect(j.technicalOnly.probability).not.toBeCloseTo(j.key.probability, 3);
  });
});

describe('sensitivity', () => {
  it('leaving out the FBI statement moves the judgment on 2014-12-20; leaving out the "lena" page does not', async () => {
    const base = await judgment('2014-12-20');
    const noFbi = await judgment('2014-12-20', { sources: ['src-s02-fbi-update'] });
    expect(noFbi.key.probability).toBeLessThan(base.key.probability);
    const noLena = await judgment('2014-12-20', { sources: ['src-s11-verge-lena'] });
    expect(noLena.key.probability).toBeCloseTo(base.key.probability, 6);
  });

  it('the sensitivity panel gives the range of likelihood words as the constants vary', async () => {
    const res = await server.gql<{
      incident: {
        judgment: {
          key: { probability: number };
          sensitivity: {
            low: number;
            high: number;
            words: string[];
            variants: { name: string; probability: number }[];
            gridSize: number;
          };
        };
      };
    }>(
      `query($id: ID!) { incident(id: $id) { judgment { key { probability }
        sensitivity { low high words variants { name value probability likelihood } gridSize } } } }`,
      { id: INCIDENT },
    );
    expect(res.body.errors).toBeUndefined();
    const { key, sensitivity } = res.body.data!.incident.judgment;
    expect(sensitivity.low).toBeLessThanOrEqual(key.probability);
    expect(sensitivity.high).toBeGreaterThanOrEqual(key.probability);
    expect(sensitivity.words.length).toBeGreaterThan(0);
    expect(sensitivity.gridSize).toBeGreaterThan(sensitivity.variants.length);
  });

  it.each(['2014-12-18', undefined])(
    'criticalItems agrees with a brute force over all single removals (asOf %s)',
    async (asOf) => {
      const res = await server.gql<{
        incident: {
          criticalItems: {
            kind: string;
            id: string;
            top: { id: string };
            ranking: { hypothesis: { id: string } }[];
          }[];
          ach: {
            rows: {
              evidence: { id: string; sources: { id: string }[] };
              cells: { ratings: { ratedBy: { id: string }; sources: { id: string }[] }[] }[];
            }[];
          };
        };
      }>(
        `query($id: ID!, $asOf: LocalDate) { incident(id: $id) {
          criticalItems(asOf: $asOf) { kind id top { id } ranking { hypothesis { id } } }
          ach(asOf: $asOf) { rows { evidence { id sources { id } } cells { ratings { ratedBy { id } sources { id } } } } }
        } }`,
        { id: INCIDENT, asOf },
      );
      expect(res.body.errors).toBeUndefined();
      const { criticalItems, ach } = res.body.data!.incident;
      const base = await hyps(asOf);
      const baseKey = (await judgment(asOf)).key.probability;
      const sources = new Set<string>();
      const claimants = new Set<string>();
      const evidence = new Set<string>();
      for (const h of base)
        for (const p of [...h.supporters, ...h.opponents]) {
          claimants.add(p.actor.id);
          for (const c of p.claims) for (const s of c.sources) sources.add(s.id);
        }
      for (const r of ach.rows) {
        evidence.add(r.evidence.id);
        for (const s of r.evidence.sources) sources.add(s.id);
        for (const c of r.cells) for (const g of c.ratings) claimants.add(g.ratedBy.id);
      }
      const brute: string[] = [];
      const tops = new Map<string, string>();
      for (const [field, ids] of [
        ['sources', sources],
        ['claimants', claimants],
        ['evidence', evidence],
      ] as const)
        for (const id of ids) {
          const res2 = await server.gql<{
            incident: { hypotheses: { id: string }[]; judgment: { key: { probability: number } } };
          }>(
            `query($id: ID!, $asOf: LocalDate, $exclude: ExcludeInput) { incident(id: $id) {
              hypotheses(asOf: $asOf, exclude: $exclude) { id } judgment(asOf: $asOf, exclude: $exclude) { key { probability } } } }`,
            { id: INCIDENT, asOf, exclude: { [field]: [id] } },
          );
          const top = res2.body.data!.incident.hypotheses[0].id;
          const p = res2.body.data!.incident.judgment.key.probability;
          if (top !== base[0].id || (p - 0.5) * (baseKey - 0.5) < 0) {
            brute.push(id);
            tops.set(id, top);
          }
        }
      expect(criticalItems.map((c) => c.id).sort()).toEqual(brute.sort());
      for (const c of criticalItems) {
        expect(c.top.id).toBe(tops.get(c.id));
        expect(c.ranking[0].hypothesis.id).toBe(c.top.id);
      }
    },
    300_000,
  );
});

describe('ACH matrix', () => {
  it('rows are complete likelihood rows; sceptics challenge items; diagnosticity first', async () => {
    const res = await server.gql<{
      incident: {
        hypotheses: { id: string }[];
        ach: {
          hypotheses: { id: string }[];
          coverage: { cells: number; rated: number; missing: number; share: number };
          rows: {
            evidence: { tag: string };
            diagnosticity: number;
            evidenceClass: string;
            challenges: { raters: { id: string }[]; strength: number }[];
            cells: {
              hypothesis: { id: string };
              consensus: number | null;
              rating: string | null;
              origin: string;
              bits: number;
              disagreement: number;
              ratings: { ratedBy: { id: string } }[];
            }[];
          }[];
          columns: {
            hypothesis: { id: string };
            weightedInconsistency: number;
            missingCells: number;
          }[];
          disagreements: { disagreement: number }[];
        };
      };
    }>(
      `query($id: ID!) { incident(id: $id) { hypotheses { id }
        ach { hypotheses { id } coverage { cells rated missing share }
          rows { evidence { tag } diagnosticity evidenceClass challenges { raters { id } strength }
            cells { hypothesis { id } consensus rating origin bits disagreement ratings { ratedBy { id } } } }
          columns { hypothesis { id } weightedInconsistency missingCells }
          disagreements { disagreement } } } }`,
      { id: INCIDENT },
    );
    expect(res.body.errors).toBeUndefined();
    const { ach, hypotheses } = res.body.data!.incident;
    expect(ach.hypotheses.map((h) => h.id)).toEqual(hypotheses.map((h) => h.id));
    expect(ach.coverage).toMatchObject({ missing: 0, share: 1 });
    expect(ach.coverage.cells).toBe(ach.rows.length * hypotheses.length);
    const e1 = ach.rows.find((r) => r.evidence.tag === 'E1')!;
    const e1h1 = e1.cells.find((c) => c.hypothesis.id === 'sony-h1-dprk-state')!;
    // The case analysts' reading sets the cell; the FBI agrees, Schneier and Rogers read it neutral.
    expect(e1h1).toMatchObject({ consensus: 1, rating: 'CONSISTENT', origin: 'ANALYSTS' });
    expect(e1h1.ratings.map((r) => r.ratedBy.id).sort()).toEqual([
      'bruce-schneier',
      'case-analysts',
      'fbi',
      'marc-rogers',
    ]);
    expect(e1.challenges.flatMap((c) => c.raters.map((r) => r.id)).sort()).toEqual([
      'bruce-schneier',
      'marc-rogers',
    ]);
    expect(e1.evidenceClass).toBe('TECHNICAL');
    // E8 (insider knowledge) fits every hypothesis today: not diagnostic; E9 is rated and not diagnostic either.
    expect(ach.rows.find((r) => r.evidence.tag === 'E8')!.diagnosticity).toBe(0);
    expect(ach.rows.find((r) => r.evidence.tag === 'E9')!.diagnosticity).toBe(0);
    for (const r of ach.rows) expect(r.cells).toHaveLength(hypotheses.length);
    expect(ach.columns.every((c) => c.weightedInconsistency >= 0 && c.missingCells === 0)).toBe(
      true,
    );
    for (let i = 1; i < ach.disagreements.length; i++)
      expect(ach.disagreements[i - 1].disagreement).toBeGreaterThanOrEqual(
        ach.disagreements[i].disagreement,
      );
  });

  it('ach + criticalItems + hypotheses + judgment stay a bounded number of statements', async () => {
    const q = `query($id: ID!, $asOf: LocalDate) { incident(id: $id) {
      hypotheses(asOf: $asOf) { id assessment { score explanation { points } } supporters { actor { name } claims { id } } }
      judgment(asOf: $asOf) { key { probability } confidence steps { key bits } }
      ach(asOf: $asOf) { rows { evidence { tag } cells { consensus ratings { ratedBy { name } sources { title } } } } columns { weightedInconsistency } }
      criticalItems(asOf: $asOf) { kind id item { id } top { id } ranking { rank hypothesis { id } } }
    } }`;
    const counts: number[] = [];
    for (const asOf of AS_OF) {
      const res = await server.gql(q, { id: INCIDENT, asOf });
      expect(res.body.errors).toBeUndefined();
      counts.push(res.statements);
    }
    for (const n of counts) expect(n).toBeLessThanOrEqual(6);
  });
});

describe('the other incidents', () => {
  it.each([
    ['darkseoul-2013', 'sponsor:dprk'],
    ['bangladesh-bank-2016', 'sponsor:dprk'],
    ['wannacry-2017', 'sponsor:dprk'],
    ['dprk-internet-outage-2014', 'sponsor:us-government'],
  ])(
    '%s: one finding never makes it certain; "other or unknown" keeps a share',
    async (id, key) => {
      const j = await judgment(undefined, undefined, id);
      expect(j.key.key).toBe(key);
      expect(j.key.probability).toBeLessThan(0.99);
      expect(j.key.probability).toBeGreaterThan(0);
    },
  );
});
