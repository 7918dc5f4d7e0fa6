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
  origin: string | null;
  claim: { id: string; sources: { id: string }[] } | null;
  evidence: { id: string; sources: { id: string }[] } | null;
}
interface Hyp {
  id: string;
  independentOrigins: string[];
  supporters: {
    actor: { id: string };
    origins: string[];
    claims: { id: string; sources: { id: string }[] }[];
  }[];
  opponents: { actor: { id: string }; claims: { id: string; sources: { id: string }[] }[] }[];
  assessment: {
    rank: number;
    score: number;
    probability: number;
    singleOrigin: boolean;
    explanation: Contribution[];
  };
}

const HYPS = `query($id: ID!, $asOf: LocalDate, $exclude: ExcludeInput) {
  incident(id: $id) { hypotheses(asOf: $asOf, exclude: $exclude) {
    id independentOrigins
    supporters { actor { id } origins claims { id sources { id } } }
    opponents { actor { id } claims { id sources { id } } }
    assessment { rank score probability singleOrigin
      explanation { kind points weight origin claim { id sources { id } } evidence { id sources { id } } } }
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

const AS_OF = ['2014-12-18', '2014-12-20', '2015-01-31', undefined];

describe('explanation', () => {
  it.each(AS_OF)('sums exactly to the score (asOf %s)', async (asOf) => {
    for (const h of await hyps(asOf)) {
      const total = h.assessment.explanation.reduce((s, c) => s + c.points, 0);
      expect(total).toBeCloseTo(h.assessment.score, 5);
    }
  });

  it('probabilities sum to 1 and the ranking sorts by score', async () => {
    const hs = await hyps();
    expect(hs.reduce((s, h) => s + h.assessment.probability, 0)).toBeCloseTo(1, 4);
    for (let i = 1; i < hs.length; i++)
      expect(hs[i - 1].assessment.score).toBeGreaterThanOrEqual(hs[i].assessment.score);
  });
});

describe('circular reporting', () => {
  it('the FBI statement relayed by Reuters, CBS and Digital Trends counts once', async () => {
    const h1 = (await hyps()).find((h) => h.id === 'sony-h1-dprk-state')!;
    const fbi = h1.assessment.explanation.filter((c) => c.origin === 'fbi' && c.kind === 'SUPPORT');
    expect(fbi).toHaveLength(1);
    expect(h1.independentOrigins.filter((o) => o === 'fbi')).toHaveLength(1);
    expect(h1.assessment.singleOrigin).toBe(false);
  });

  it("the Guardian's report of Norse's insider theory is credited to Norse", async () => {
    const h2 = (await hyps()).find((h) => h.id === 'sony-h2-insiders')!;
    expect(h2.supporters.find((p) => p.actor.id === 'the-guardian')!.origins).toEqual(['norse']);
    expect(h2.independentOrigins).not.toContain('the-guardian');
    expect(h2.independentOrigins).toContain('norse');
  });

  it('Russian support traces back to Taia alone', async () => {
    const h4 = (await hyps()).find((h) => h.id === 'sony-h4-russian')!;
    expect(h4.independentOrigins).toEqual(['taia-global']);
    expect(h4.assessment.singleOrigin).toBe(true);
  });
});

describe('sensitivity', () => {
  const cites = (c: Contribution, source: string) =>
    (c.claim?.sources ?? c.evidence?.sources ?? []).some((s) => s.id === source);
  const key = (c: Contribution) => `${c.kind}|${c.claim?.id ?? ''}|${c.evidence?.id ?? ''}`;

  it.each(['src-s20-cbs-traced', 'src-s39-fortune-comey-sloppy', 'src-s51-schneier-did-nk'])(
    'leaving out %s changes the numbers that cite it and no others',
    async (source) => {
      const before = await hyps();
      const after = await hyps(undefined, { sources: [source] });
      let changed = 0;
      for (const b of before) {
        const a = after.find((x) => x.id === b.id)!;
        const citing = b.assessment.explanation.some((c) => cites(c, source));
        const claimsCiting = [...b.supporters, ...b.opponents].some((p) =>
          p.claims.some((c) => c.sources.some((s) => s.id === source)),
        );
        if (!citing && !claimsCiting) expect(a.assessment.score).toBe(b.assessment.score);
        const untouched = b.assessment.explanation.filter((c) => !cites(c, source));
        const afterByKey = new Map(a.assessment.explanation.map((c) => [key(c), c]));
        for (const c of untouched) {
          // A term not citing the source keeps its points, unless its origin lost a stronger claim citing it.
          const sameOriginCited = b.assessment.explanation.some(
            (o) => o !== c && o.origin && o.origin === c.origin && cites(o, source),
          );
          if (!sameOriginCited) expect(afterByKey.get(key(c))?.points).toBe(c.points);
        }
        if (a.assessment.score !== b.assessment.score) changed++;
      }
      expect(changed).toBeGreaterThan(0);
    },
  );

  it.each(['2014-12-18', '2014-12-20', '2015-01-31', undefined])(
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
          const top = (await hyps(asOf, { [field]: [id] }))[0].id;
          if (top !== base[0].id) {
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
    // One full ranking per candidate over HTTP: minutes on a loaded shared machine.
    180_000,
  );
});

describe('ACH matrix', () => {
  it('rows, cells, diagnosticity, inconsistency and disagreement on the Sony seed', async () => {
    const res = await server.gql<{
      incident: {
        hypotheses: { id: string }[];
        ach: {
          hypotheses: { id: string }[];
          rows: {
            evidence: { tag: string };
            diagnosticity: number;
            cells: {
              hypothesis: { id: string };
              consensus: number | null;
              rating: string | null;
              disagreement: number;
              ratings: { ratedBy: { id: string } }[];
            }[];
          }[];
          columns: { hypothesis: { id: string }; weightedInconsistency: number }[];
          disagreements: {
            evidence: { tag: string };
            hypothesis: { id: string };
            disagreement: number;
          }[];
        };
      };
    }>(
      `query($id: ID!) { incident(id: $id) { hypotheses { id }
        ach { hypotheses { id }
          rows { evidence { tag } diagnosticity cells { hypothesis { id } consensus rating disagreement ratings { ratedBy { id } } } }
          columns { hypothesis { id } weightedInconsistency }
          disagreements { evidence { tag } hypothesis { id } disagreement } } } }`,
      { id: INCIDENT },
    );
    expect(res.body.errors).toBeUndefined();
    const { ach, hypotheses } = res.body.data!.incident;
    expect(ach.hypotheses.map((h) => h.id)).toEqual(hypotheses.map((h) => h.id));
    const e1 = ach.rows.find((r) => r.evidence.tag === 'E1')!;
    const e1h1 = e1.cells.find((c) => c.hypothesis.id === 'sony-h1-dprk-state')!;
    // FBI consistent (1), Schneier neutral (0), Rogers neutral (0): mean 1/3.
    expect(e1h1.consensus).toBeCloseTo(1 / 3, 5);
    expect(e1h1.rating).toBe('NEUTRAL');
    expect(e1h1.ratings.map((r) => r.ratedBy.id).sort()).toEqual([
      'bruce-schneier',
      'fbi',
      'marc-rogers',
    ]);
    expect(e1h1.disagreement).toBeCloseTo(Math.sqrt(2) / 3, 5);
    for (const r of ach.rows) expect(r.cells).toHaveLength(hypotheses.length);
    expect(ach.rows.find((r) => r.evidence.tag === 'E9')).toBeUndefined(); // never rated
    expect(ach.columns.every((c) => c.weightedInconsistency >= 0)).toBe(true);
    expect(ach.disagreements.length).toBeGreaterThan(0);
    for (let i = 1; i < ach.disagreements.length; i++)
      expect(ach.disagreements[i - 1].disagreement).toBeGreaterThanOrEqual(
        ach.disagreements[i].disagreement,
      );
  });

  it('ach + criticalItems + hypotheses stay a bounded number of statements', async () => {
    const q = `query($id: ID!, $asOf: LocalDate) { incident(id: $id) {
      hypotheses(asOf: $asOf) { id assessment { score explanation { points } } supporters { actor { name } claims { id } } }
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
