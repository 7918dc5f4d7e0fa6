import fc from 'fast-check';
import {
  ACCESS_BITS,
  CaseInput,
  FindingSpec,
  HypothesisSpec,
  ItemSpec,
  METHOD_VERSION,
  PARAMS,
  ReadingSpec,
  assessCase,
  criticalItems,
  evaluate,
  groupKeyOf,
  likelihoodOf,
} from './index';

const H = (id: string, sponsor?: string): HypothesisSpec => ({
  id,
  tag: id.toUpperCase(),
  suspects: [`s-${id}`],
  sponsor: sponsor ?? null,
});
const read = (
  id: string,
  hypothesisId: string,
  rating: ReadingSpec['rating'],
  raterId = 'case-analysts',
): ReadingSpec => ({ id, hypothesisId, rating, raterId });
const item = (
  id: string,
  readings: ReadingSpec[],
  credibility = 1,
  kind = 'malware',
): ItemSpec => ({
  id,
  tag: id.toUpperCase(),
  title: id,
  kind,
  credibility,
  sources: [{ id: `src-${id}`, fidelity: 'A' }],
  readings,
});
const finding = (
  id: string,
  claimantId: string,
  hypothesisId: string,
  stance: 'supports' | 'disputes' = 'supports',
  basis: string[] = [],
): FindingSpec => ({
  id,
  claimantId,
  stance,
  hypothesisId,
  credibility: 1,
  sources: [{ id: `src-${id}`, fidelity: 'A' }],
  basis,
});
const actors: CaseInput['actors'] = [
  { id: 'fbi', name: 'FBI', kind: 'agency', country: 'US', reliability: 'B', access: 'direct' },
  {
    id: 'obama',
    name: 'Obama',
    kind: 'person',
    country: 'US',
    access: 'policy',
    parts: [{ id: 'usg', kind: 'state', country: 'US' }],
  },
  {
    id: 'comey',
    name: 'Comey',
    kind: 'person',
    country: 'US',
    reliability: 'B',
    access: 'direct',
    parts: [{ id: 'fbi', kind: 'agency', country: 'US' }],
  },
  { id: 'vendor', name: 'Vendor', kind: 'company', reliability: 'B', access: 'technical' },
  { id: 'sceptic', name: 'Sceptic', kind: 'person' },
  { id: 'lena', name: 'lena', kind: 'persona' },
  { id: 'nk', name: 'North Korea', kind: 'state', country: 'KP' },
];
const pOf = (input: CaseInput, id: string) =>
  evaluate(input).hypotheses.find((h) => h.hypothesisId === id)!.probability;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

const sony = (): CaseInput => ({
  hypotheses: [H('h1', 'nk'), H('h5', 'nk'), H('h2'), H('h0')],
  items: [
    item(
      'e1',
      [
        read('r1', 'h1', 'consistent'),
        read('r2', 'h5', 'consistent'),
        read('r3', 'h2', 'inconsistent'),
        read('r4', 'h0', 'neutral'),
        read('r5', 'h1', 'neutral', 'sceptic'),
      ],
      3,
    ),
    item(
      'e8',
      [
        read('r6', 'h1', 'consistent'),
        read('r7', 'h5', 'consistent'),
        read('r8', 'h2', 'consistent'),
        read('r9', 'h0', 'consistent'),
      ],
      2,
      'insider-knowledge',
    ),
  ],
  findings: [
    finding('c-fbi', 'fbi', 'h1', 'supports', ['e1']),
    finding('c-obama', 'obama', 'h1'),
    { ...finding('c-comey', 'comey', 'h1'), credibility: 2 },
    finding('c-nk', 'nk', 'h1', 'disputes'),
    finding('c-lena', 'lena', 'h2'),
  ],
  actors: [...actors, { id: 'nk', name: 'North Korea', kind: 'state', country: 'KP' }],
});
const withSuspects = (c: CaseInput): CaseInput => ({
  ...c,
  hypotheses: c.hypotheses.map((h) => (h.id === 'h1' ? { ...h, suspects: ['nk'] } : h)),
});

describe('the method on a small case', () => {
  const c = withSuspects(sony());
  const a = assessCase(c);

  it('names its version', () => {
    expect(a.method).toBe(METHOD_VERSION);
    expect(a.judgment.method).toBe(METHOD_VERSION);
  });

  it('explanation terms sum to each score, and probabilities follow prior x 2^score', () => {
    const z = sum(a.hypotheses.map((h) => h.prior * 2 ** h.score));
    for (const h of a.hypotheses) {
      expect(sum(h.explanation.map((t) => t.points))).toBeCloseTo(h.score, 6);
      expect(h.probability).toBeCloseTo((h.prior * 2 ** h.score) / z, 5);
    }
    expect(sum(a.hypotheses.map((h) => h.probability))).toBeCloseTo(1, 5);
  });

  it('the log-odds steps sum to the key judgment minus its prior', () => {
    const k = a.judgment.key!;
    expect(k.hypothesisIds).toEqual(['h1', 'h5']);
    expect(sum(a.judgment.steps.map((s) => s.bits))).toBeCloseTo(k.bits - k.priorBits, 3);
  });

  it('restatements in one government group add nothing: FBI counts, Comey and Obama do not', () => {
    const h1 = a.hypotheses.find((h) => h.hypothesisId === 'h1')!;
    const t = (claim: string) => h1.explanation.find((x) => x.claimId === claim)!;
    expect(t('c-fbi').kind).toBe('FINDING');
    expect(t('c-comey').kind).toBe('RESTATEMENT');
    expect(t('c-comey').points).toBe(0);
    expect(t('c-obama').kind).toBe('NO_ACCESS');
    expect(t('c-obama').points).toBe(0);
    expect(a.claimGroups['c-comey']).toBe('gov:US');
    expect(a.claimGroups['c-obama']).toBe('gov:US');
  });

  it('a finding counts against each rival, net of what the evidence it cites already said', () => {
    const on = (h: string) =>
      a.hypotheses.find((x) => x.hypothesisId === h)!.explanation.find((x) => x.claimId === 'c-fbi')
        ?.points ?? 0;
    const gross = ACCESS_BITS.direct * 0.8 * 1; // B, credibility 1, fidelity A
    // e1 (credibility 3, before the sceptic's challenge): h1 +0.6, h5 +0.6, h2 -0.6, h0 0.
    expect(on('h1')).toBe(0);
    // h5 shares h1's sponsor: a finding that the state was behind it does not tell its own units from their helpers.
    expect(on('h5')).toBe(0);
    expect(on('h2')).toBeCloseTo(-(gross - 1.2), 6);
    expect(on('h0')).toBeCloseTo(-(gross - 0.6), 6);
  });

  it("suspects' denials and the attackers' persona count zero", () => {
    const all = a.hypotheses.flatMap((h) => h.explanation);
    expect(all.find((t) => t.claimId === 'c-nk')).toMatchObject({
      kind: 'SELF_SERVING',
      points: 0,
    });
    expect(all.find((t) => t.claimId === 'c-lena')).toMatchObject({
      kind: 'SELF_SERVING',
      points: 0,
    });
  });

  it("a sceptic's neutral reading lowers the item's weight instead of voting", () => {
    const row = a.rows.find((r) => r.evidenceId === 'e1')!;
    expect(row.challenges.map((x) => x.raterIds)).toEqual([['sceptic']]);
    expect(row.weight).toBeCloseTo(0.6 * PARAMS.challengeFactor, 6);
    expect(row.cells.find((x) => x.hypothesisId === 'h1')!.steps).toBe(1);
  });

  it('an item consistent with every hypothesis is non-diagnostic', () => {
    const row = a.rows.find((r) => r.evidenceId === 'e8')!;
    expect(row.diagnosticity).toBe(0);
    const without = evaluate({ ...c, items: c.items.filter((i) => i.id !== 'e8') });
    for (const h of a.hypotheses)
      expect(h.probability).toBeCloseTo(
        without.hypotheses.find((x) => x.hypothesisId === h.hypothesisId)!.probability,
        6,
      );
  });

  it('blank cells are missing, counted and listed, not neutral', () => {
    const c2: CaseInput = { ...c, items: [item('e9', [read('r', 'h1', 'consistent')])] };
    const r = evaluate(c2);
    expect(r.coverage).toMatchObject({ cells: 4, rated: 1, missing: 3 });
    const h2 = r.hypotheses.find((h) => h.hypothesisId === 'h2')!;
    expect(h2.missingCells).toBe(1);
    expect(h2.explanation.some((t) => t.kind === 'MISSING' && t.evidenceId === 'e9')).toBe(true);
    const s = assessCase(c2).judgment.sensitivity!;
    expect(s.blanksLow).toBeLessThan(s.blanksHigh);
  });

  it('a later reading by the case analysts supersedes an earlier one', () => {
    const early = { ...read('x1', 'h2', 'consistent'), knownFrom: '2014-12-18' };
    const late = { ...read('x2', 'h2', 'neutral'), knownFrom: '2015-01-07' };
    const r = evaluate({ ...c, items: [item('e', [early, late])] });
    expect(r.rows[0].cells.find((x) => x.hypothesisId === 'h2')!.steps).toBe(0);
  });

  it('gives a confidence with its reasons, and a sensitivity panel over the constants', () => {
    expect(['LOW', 'MODERATE', 'HIGH']).toContain(a.judgment.confidence);
    expect(a.judgment.confidenceReason).toMatch(/independent group/);
    const s = a.judgment.sensitivity!;
    expect(s.low).toBeLessThanOrEqual(a.judgment.key!.probability);
    expect(s.high).toBeGreaterThanOrEqual(a.judgment.key!.probability);
    expect(s.variants.length).toBeGreaterThan(5);
  });
});

describe('grouping', () => {
  it('puts agencies and their people in their government, others under their top organisation', () => {
    expect(groupKeyOf(actors[2], 'comey')).toBe('gov:US');
    expect(groupKeyOf({ id: 'carr', name: 'Carr', parts: [{ id: 'taia' }] }, 'carr')).toBe('taia');
    expect(groupKeyOf(undefined, 'x')).toBe('x');
  });
});

describe('confidence never contradicts the likelihood', () => {
  it('an even-chance judgment is LOW; one finding is never HIGH', () => {
    const even = assessCase({
      hypotheses: [H('a', 'nk'), H('b')],
      items: [],
      findings: [],
      actors,
    });
    expect(even.judgment.key!.likelihood).toBe('ROUGHLY_EVEN_CHANCE');
    expect(even.judgment.confidence).toBe('LOW');
    const one = assessCase({
      hypotheses: [H('a', 'nk'), H('b')],
      items: [],
      findings: [finding('f', 'fbi', 'a')],
      actors,
    });
    expect(one.judgment.confidence).not.toBe('HIGH');
  });
});

describe('critical items', () => {
  it('lists the items whose removal alone changes the leader', () => {
    const c: CaseInput = {
      hypotheses: [H('a'), H('b')],
      items: [item('e1', [read('r1', 'a', 'consistent'), read('r2', 'b', 'neutral')])],
      findings: [],
      actors,
    };
    const found = criticalItems(c, [{ kind: 'EVIDENCE', id: 'e1' }], () => ({ ...c, items: [] }));
    expect(found.map((f) => f.id)).toEqual(['e1']);
  });
});

// ------------------------------------------------------------------ property-based tests
const RATINGS: ReadingSpec['rating'][] = [
  'very-consistent',
  'consistent',
  'neutral',
  'inconsistent',
  'very-inconsistent',
];
const arbCase = (nh: number) =>
  fc
    .record({
      rows: fc.array(
        fc.record({
          cells: fc.array(fc.constantFrom(...RATINGS), { minLength: nh, maxLength: nh }),
          cred: fc.integer({ min: 1, max: 6 }),
        }),
        { maxLength: 6 },
      ),
      finds: fc.array(
        fc.record({
          who: fc.constantFrom('fbi', 'comey', 'vendor', 'sceptic'),
          h: fc.integer({ min: 0, max: nh - 1 }),
          sup: fc.boolean(),
        }),
        { maxLength: 5 },
      ),
    })
    .map(({ rows, finds }): CaseInput => {
      const hyps = Array.from({ length: nh }, (_, i) => H(`h${i}`, i < 2 ? 'nk' : undefined));
      return {
        hypotheses: hyps,
        items: rows.map((r, k) =>
          item(
            `e${k}`,
            r.cells.map((rating, i) => read(`r${k}-${i}`, `h${i}`, rating)),
            r.cred,
          ),
        ),
        findings: finds.map((f, k) =>
          finding(`f${k}`, f.who, `h${f.h}`, f.sup ? 'supports' : 'disputes'),
        ),
        actors,
      };
    });

describe('properties of the method', () => {
  it('restating a finding already counted (same group) adds about nothing', () => {
    fc.assert(
      fc.property(arbCase(4), fc.integer({ min: 0, max: 3 }), (c, h) => {
        const base = { ...c, findings: [...c.findings, finding('orig', 'fbi', `h${h}`)] };
        const again = {
          ...base,
          findings: [
            ...base.findings,
            finding('restated', 'comey', `h${h}`),
            finding('policy', 'obama', `h${h}`),
          ],
        };
        for (const x of base.hypotheses) expect(pOf(again, x.id)).toBeCloseTo(pOf(base, x.id), 6);
      }),
      { numRuns: 200 },
    );
  });

  it('adding a hypothesis no evidence bears on leaves the odds between the others unchanged', () => {
    fc.assert(
      fc.property(arbCase(3), (c) => {
        const neutralRows = c.items.map((i) => ({
          ...i,
          readings: [...i.readings, read(`${i.id}-new`, 'hnew', 'neutral')],
        }));
        const more: CaseInput = {
          ...c,
          hypotheses: [...c.hypotheses, H('hnew')],
          items: neutralRows,
        };
        const a = evaluate(c);
        const b = evaluate(more);
        const get = (r: typeof a, id: string) => r.hypotheses.find((x) => x.hypothesisId === id)!;
        for (const x of c.hypotheses) {
          // Each hypothesis keeps its weight of evidence; the odds between any two stay the same.
          expect(get(b, x.id).score).toBe(get(a, x.id).score);
          for (const y of c.hypotheses)
            // Probabilities are rounded to 6 decimals: above 1e-2 the ratio keeps 3 of them.
            if (Math.min(get(a, x.id).probability, get(a, y.id).probability) > 1e-2)
              expect(
                get(b, x.id).probability /
                  get(b, y.id).probability /
                  (get(a, x.id).probability / get(a, y.id).probability),
              ).toBeCloseTo(1, 3);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a hypothesis carved out of "other or unknown" with its share of the prior moves nothing else', () => {
    fc.assert(
      fc.property(arbCase(3), (c) => {
        // h2 plays "other or unknown" with neutral readings; split it into two halves.
        const neutral = c.items.map((i) => ({
          ...i,
          readings: i.readings.map((r) =>
            r.hypothesisId === 'h2' ? { ...r, rating: 'neutral' as const } : r,
          ),
        }));
        const base: CaseInput = {
          ...c,
          items: neutral,
          findings: c.findings.filter((f) => f.hypothesisId !== 'h2'),
        };
        const split: CaseInput = {
          ...base,
          hypotheses: [
            ...base.hypotheses.map((h) => (h.id === 'h2' ? { ...h, prior: 0.5 } : h)),
            { ...H('hsplit'), prior: 0.5 },
          ],
          items: base.items.map((i) => ({
            ...i,
            readings: [...i.readings, read(`${i.id}-s`, 'hsplit', 'neutral')],
          })),
        };
        for (const id of ['h0', 'h1']) expect(pOf(split, id)).toBeCloseTo(pOf(base, id), 5);
        expect(pOf(split, 'h2') + pOf(split, 'hsplit')).toBeCloseTo(pOf(base, 'h2'), 5);
      }),
      { numRuns: 200 },
    );
  });

  it('the order of hypotheses, items and findings changes nothing', () => {
    fc.assert(
      fc.property(arbCase(4), fc.integer(), (c, seed) => {
        const shuffle = <T>(xs: T[]) => {
          const out = [...xs];
          let s = seed;
          for (let i = out.length - 1; i > 0; i--) {
            s = (s * 1103515245 + 12345) & 0x7fffffff;
            const j = s % (i + 1);
            [out[i], out[j]] = [out[j], out[i]];
          }
          return out;
        };
        const d: CaseInput = {
          ...c,
          hypotheses: shuffle(c.hypotheses),
          items: shuffle(c.items).map((i) => ({ ...i, readings: shuffle(i.readings) })),
          findings: shuffle(c.findings),
        };
        const a = assessCase(c, { sensitivity: 'none' });
        const b = assessCase(d, { sensitivity: 'none' });
        for (const h of c.hypotheses) expect(pOf(d, h.id)).toBeCloseTo(pOf(c, h.id), 9);
        expect(b.judgment.key?.probability).toBeCloseTo(a.judgment.key!.probability, 9);
        expect(b.judgment.confidence).toBe(a.judgment.confidence);
      }),
      { numRuns: 200 },
    );
  });

  it('one claim or one item never yields certainty (no hypothesis reaches 95 % from uniform)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.constantFrom('fbi', 'vendor', 'comey'),
        fc.array(fc.constantFrom(...RATINGS), { minLength: 6, maxLength: 6 }),
        fc.boolean(),
        (n, who, cells, useItem) => {
          const hyps = Array.from({ length: n }, (_, i) => H(`h${i}`));
          const c: CaseInput = useItem
            ? {
                hypotheses: hyps,
                items: [
                  item(
                    'e',
                    hyps.map((h, i) => read(`r${i}`, h.id, cells[i])),
                  ),
                ],
                findings: [],
                actors,
              }
            : { hypotheses: hyps, items: [], findings: [finding('f', who, 'h0')], actors };
          for (const h of evaluate(c).hypotheses) expect(h.probability).toBeLessThan(0.95);
          expect(
            likelihoodOf(Math.max(...evaluate(c).hypotheses.map((h) => h.probability))).word,
          ).not.toBe('ALMOST_CERTAIN');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an item read the same against every hypothesis moves nothing', () => {
    fc.assert(
      fc.property(
        arbCase(4),
        fc.constantFrom(...RATINGS),
        fc.integer({ min: 1, max: 6 }),
        (c, rating, cred) => {
          const flat = item(
            'flat',
            c.hypotheses.map((h, i) => read(`flat-${i}`, h.id, rating)),
            cred,
          );
          const more = { ...c, items: [...c.items, flat] };
          for (const h of c.hypotheses) expect(pOf(more, h.id)).toBeCloseTo(pOf(c, h.id), 9);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('explanations sum to scores and the log-odds steps sum to the key judgment, for any case', () => {
    fc.assert(
      fc.property(arbCase(4), (c) => {
        const a = assessCase(c, { sensitivity: 'none' });
        for (const h of a.hypotheses)
          expect(sum(h.explanation.map((t) => t.points))).toBeCloseTo(h.score, 6);
        const k = a.judgment.key!;
        expect(sum(a.judgment.steps.map((s) => s.bits))).toBeCloseTo(k.bits - k.priorBits, 3);
      }),
      { numRuns: 200 },
    );
  });
});
