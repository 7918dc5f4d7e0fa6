import {
  ClaimInput,
  EvidenceInput,
  HypothesisInput,
  RatingInput,
  achMatrix,
  assess,
  claimOrigins,
  confidenceOf,
  consensus,
  contributions,
  criticalItems,
  diagnosticity,
  disagreement,
  likelihoodOf,
  probabilities,
} from './index';

const src = (id: string, reliability: 'A' | 'B' | 'C' | 'F', root?: string) => ({
  id,
  reliability,
  origin: id,
  root,
});
const claim = (
  id: string,
  claimantId: string,
  stance: 'supports' | 'disputes',
  credibility: number | null,
  sources = [src('s-a', 'A')],
  claimantKind = 'agency',
): ClaimInput => ({
  id,
  stance,
  claimantId,
  claimantName: claimantId,
  claimantKind,
  credibility,
  sources,
});
const r = (id: string, rating: RatingInput['rating'], raterId = 'x'): RatingInput => ({
  id,
  rating,
  raterId,
});
const ev = (
  id: string,
  ratings: RatingInput[],
  credibility = 1,
  rel: 'A' | 'B' = 'A',
): EvidenceInput => ({
  id,
  tag: id.toUpperCase(),
  title: id,
  credibility,
  sources: [src(`s-${id}`, rel)],
  ratings,
});
const sum = (h: HypothesisInput) => contributions(h).reduce((s, c) => s + c.points, 0);

describe('weights and consensus', () => {
  it('consensus is the mean of applicable ratings, null when unrated', () => {
    expect(consensus([])).toBeNull();
    expect(consensus([r('1', 'not-applicable')])).toBeNull();
    expect(consensus([r('1', 'consistent'), r('2', 'neutral')])).toBe(0.5);
    expect(
      consensus([r('1', 'very-inconsistent'), r('2', 'consistent'), r('3', 'not-applicable')]),
    ).toBe(-0.5);
  });

  it('a claim weighs best reliability x credibility, once per origin', () => {
    // A (1) x credibility 2 (0.8) = 0.8; B (0.8) x 3 (0.6) = 0.48; the same claimant counts once.
    const h: HypothesisInput = {
      id: 'h',
      claims: [
        claim('c1', 'fbi', 'supports', 2, [src('s1', 'C'), src('s2', 'A')]),
        claim('c2', 'fbi', 'supports', 3),
        claim('c3', 'expert', 'disputes', 3, [src('s3', 'B')]),
      ],
      evidence: [],
    };
    const cs = contributions(h);
    expect(cs.map((c) => [c.kind, c.claimId, c.points])).toEqual([
      ['SUPPORT', 'c1', 0.8],
      ['DISPUTE', 'c3', -0.48],
    ]);
    expect(sum(h)).toBeCloseTo(0.32, 9);
  });

  it('inconsistent evidence counts double; neutral and unrated add nothing', () => {
    // E1: consistent, A x 1 = 1 -> +1. E2: inconsistent, B x 2 = 0.64 -> -1.28. E3 neutral, E4 unrated.
    const h: HypothesisInput = {
      id: 'h',
      claims: [],
      evidence: [
        ev('e1', [r('1', 'consistent')]),
        ev('e2', [r('2', 'inconsistent')], 2, 'B'),
        ev('e3', [r('3', 'neutral')]),
        ev('e4', []),
      ],
    };
    expect(contributions(h).map((c) => [c.evidenceId, c.points])).toEqual([
      ['e1', 1],
      ['e2', -1.28],
    ]);
    expect(sum(h)).toBeCloseTo(-0.28, 9);
  });
});

describe('origins (circular reporting)', () => {
  it('an outlet only relaying another party through the same page is that party', () => {
    const claims = [
      claim('n', 'norse', 'supports', 3, [src('s32', 'B'), src('s33', 'B')], 'company'),
      claim('g', 'guardian', 'supports', 3, [src('s33', 'B'), src('s0', 'F', 's33')], 'media'),
      claim('x', 'nyt', 'supports', 3, [src('s40', 'B')], 'media'),
    ];
    expect(Object.fromEntries(claimOrigins(claims))).toEqual({ n: 'norse', g: 'norse', x: 'nyt' });
    const h: HypothesisInput = { id: 'h', claims, evidence: [] };
    const support = contributions(h).filter((c) => c.kind === 'SUPPORT');
    expect(support.map((c) => c.origin)).toEqual(['norse', 'nyt']);
    expect(assess([h])[0].independentOrigins).toEqual(['norse', 'nyt']);
  });

  it('one statement relayed by several outlets is one origin; a single origin is flagged', () => {
    const h: HypothesisInput = {
      id: 'h',
      claims: [claim('c', 'fbi', 'supports', 2, [src('reuters', 'A'), src('cbs', 'B')])],
      evidence: [],
    };
    const [a] = assess([h]);
    expect(a.independentOrigins).toEqual(['fbi']);
    expect(a.singleOrigin).toBe(true);
  });

  it("a suspect's own statements and ratings count 0", () => {
    const h: HypothesisInput = {
      id: 'h',
      suspects: ['dprk'],
      claims: [claim('d', 'dprk', 'disputes', 4)],
      evidence: [ev('e', [r('1', 'inconsistent', 'dprk')])],
    };
    const cs = contributions(h);
    expect(cs.map((c) => [c.kind, c.points])).toEqual([['SELF_SERVING', 0]]);
    expect(achMatrix([h]).rows[0].cells[0].consensus).toBeNull();
  });
});

describe('probabilities and words', () => {
  it('one point of score doubles the odds; ties share equally; empty is empty', () => {
    const [p1, p2] = probabilities([1, 0]);
    expect(p1 / p2).toBeCloseTo(2, 4);
    expect(probabilities([0.3, 0.3, 0.3, 0.3])).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(probabilities([])).toEqual([]);
  });

  it('ICD 203 bands take the lower band on a boundary', () => {
    expect(likelihoodOf(0.05).word).toBe('ALMOST_NO_CHANCE');
    expect(likelihoodOf(0.5)).toEqual({ word: 'ROUGHLY_EVEN_CHANCE', band: '45-55 %' });
    expect(likelihoodOf(0.99).band).toBe('95-99 %');
  });

  it('ranks ties by id and the empty set to nothing; explanation sums to the score', () => {
    expect(assess([])).toEqual([]);
    const a = assess([
      { id: 'b', claims: [], evidence: [] },
      { id: 'a', claims: [], evidence: [] },
    ]);
    expect(a.map((x) => [x.hypothesisId, x.rank, x.probability])).toEqual([
      ['a', 1, 0.5],
      ['b', 2, 0.5],
    ]);
    const h: HypothesisInput = {
      id: 'h',
      claims: [claim('c', 'fbi', 'supports', 2), claim('d', 'x', 'disputes', 3)],
      evidence: [ev('e1', [r('1', 'consistent'), r('2', 'very-inconsistent')], 3)],
    };
    const [res] = assess([h]);
    expect(res.explanation.reduce((s, c) => s + c.points, 0)).toBeCloseTo(res.score, 6);
  });
});

describe('confidence', () => {
  it('is LOW with a single origin, HIGH with several good origins and credible evidence', () => {
    const one: HypothesisInput = {
      id: 'h',
      claims: [claim('c', 'a', 'supports', 2)],
      evidence: [ev('e', [r('1', 'consistent')])],
    };
    expect(confidenceOf(one).confidence).toBe('LOW');
    const many: HypothesisInput = {
      id: 'h',
      claims: ['a', 'b', 'c'].map((x) => claim(x, x, 'supports', 2)),
      evidence: [ev('e1', [r('1', 'consistent')], 2), ev('e2', [r('2', 'consistent')], 1)],
    };
    expect(confidenceOf(many).confidence).toBe('HIGH');
    const contested: HypothesisInput = {
      ...many,
      evidence: [...many.evidence, ev('e3', [r('3', 'very-inconsistent')], 1)],
    };
    expect(confidenceOf(contested).confidence).toBe('LOW');
    const moderate: HypothesisInput = { ...many, evidence: [ev('e1', [r('1', 'consistent')], 3)] };
    expect(confidenceOf(moderate).confidence).toBe('MODERATE');
  });
});

describe('ACH matrix', () => {
  const h1: HypothesisInput = {
    id: 'h1',
    claims: [],
    evidence: [
      ev('e1', [r('1', 'consistent'), r('2', 'inconsistent')]),
      ev('e2', [r('3', 'neutral')]),
      ev('e3', [r('4', 'very-inconsistent')], 2, 'B'),
    ],
  };
  const h2: HypothesisInput = {
    id: 'h2',
    claims: [],
    evidence: [ev('e1', [r('5', 'very-consistent')]), ev('e2', [r('6', 'neutral')])],
  };

  it('disagreement is the standard deviation of ratings; diagnosticity the spread of consensus', () => {
    expect(disagreement([r('1', 'consistent'), r('2', 'inconsistent')])).toBe(1);
    expect(disagreement([r('1', 'consistent')])).toBe(0);
    expect(disagreement([])).toBe(0);
    expect(diagnosticity([])).toBe(0);
    expect(diagnosticity([0, 0, null])).toBe(0);
    expect(diagnosticity([2, null, -1])).toBe(3);
  });

  it('builds cells, diagnosticity, weighted inconsistency and disagreements by hand', () => {
    const m = achMatrix([h1, h2]);
    expect(m.rows.map((x) => [x.evidenceId, x.diagnosticity])).toEqual([
      ['e1', 2], // consensus 0 vs 2
      ['e2', 0], // all neutral: not diagnostic
      ['e3', 2], // -2 vs unrated (0)
    ]);
    expect(m.rows[2].cells[1].consensus).toBeNull();
    // h1: e3 -2 x (B 0.8 x cred 2 0.8 = 0.64) = 1.28; e1 consensus 0 is not inconsistent.
    expect(m.columns).toEqual([
      { hypothesisId: 'h1', weightedInconsistency: 1.28, inconsistentItems: 1 },
      { hypothesisId: 'h2', weightedInconsistency: 0, inconsistentItems: 0 },
    ]);
    expect(m.disagreements.map((c) => [c.evidenceId, c.hypothesisId, c.disagreement])).toEqual([
      ['e1', 'h1', 1],
    ]);
  });

  it('an empty matrix has no rows and zero inconsistency', () => {
    const m = achMatrix([{ id: 'h', claims: [], evidence: [] }]);
    expect(m.rows).toEqual([]);
    expect(m.columns[0].weightedInconsistency).toBe(0);
    expect(achMatrix([]).rows).toEqual([]);
  });
});

describe('critical items (leave-one-out)', () => {
  it('finds exactly the items whose removal alone changes the top hypothesis', () => {
    const a: HypothesisInput = { id: 'a', claims: [claim('c1', 'x', 'supports', 2)], evidence: [] };
    const b: HypothesisInput = {
      id: 'b',
      claims: [claim('c2', 'y', 'supports', 3), claim('c3', 'z', 'supports', 3)],
      evidence: [],
    };
    // a 0.8; b 0.6 + 0.6 = 1.2 -> b first. Without y or z, b is 0.6 < 0.8 -> a first.
    const drop = (id: string) =>
      [a, b].map((h) => ({ ...h, claims: h.claims.filter((c) => c.claimantId !== id) }));
    const found = criticalItems(
      [a, b],
      ['x', 'y', 'z'].map((id) => ({ kind: 'CLAIMANT' as const, id })),
      (c) => drop(c.id),
    );
    expect(found.map((f) => [f.id, f.topId])).toEqual([
      ['y', 'a'],
      ['z', 'a'],
    ]);
    expect(criticalItems([], [{ kind: 'SOURCE', id: 's' }], () => [])).toEqual([]);
  });
});
