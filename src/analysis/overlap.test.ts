import {
  coverage,
  documentFrequencies,
  overlap,
  rankCandidates,
  specificityWeight,
  type ProfileItem,
} from './overlap';

const item = (id: string, kind = 'AttackPattern'): ProfileItem => ({ id, kind, name: id });
const sum = (xs: { points: number }[]) => xs.reduce((n, x) => n + x.points, 0);

describe('specificity', () => {
  it('weighs an artifact used by few actors above one used by many', () => {
    expect(specificityWeight(1, 100)).toBeGreaterThan(specificityWeight(100, 100));
    expect(specificityWeight(100, 100)).toBeCloseTo(Math.log(2), 12);
    expect(specificityWeight(0, 0)).toBeCloseTo(Math.log(2), 12);
  });
});

describe('overlap (weighted Jaccard)', () => {
  const profiles = new Map([
    ['lazarus', new Set(['destover', 'rawdisk', 't1485', 't1059'])],
    ['apt1', new Set(['t1059', 'poison-ivy'])],
    ['apt2', new Set(['t1059', 't1485'])],
  ]);
  const s = documentFrequencies(profiles);

  it('is 1 for identical profiles and 0 for disjoint ones', () => {
    const a = [item('destover', 'Malware'), item('t1485')];
    expect(overlap(a, a, s).score).toBeCloseTo(1, 12);
    expect(overlap(a, [item('poison-ivy', 'Malware')], s).score).toBe(0);
  });

  it('explains the score with one term per shared artifact, summing to it, rare ones first', () => {
    const sony = [
      item('destover', 'Malware'),
      item('t1485'),
      item('t1059'),
      item('ip-1', 'Observable'),
    ];
    const r = overlap(
      sony,
      [...profiles.get('lazarus')!].map((id) =>
        item(id, id === 'destover' ? 'Malware' : 'AttackPattern'),
      ),
      s,
    );
    expect(r.explanation.map((t) => t.artifact)).toEqual(['destover', 't1485', 't1059']);
    expect(sum(r.explanation)).toBeCloseTo(r.score, 12);
    expect(r.byKind).toEqual({ Malware: 1, AttackPattern: 2 });
    expect(r.explanation[0].reason).toMatch(
      /destover \(Malware\) is shared; used by 1 of 3 actors/,
    );
    expect(r.score).toBeGreaterThan(0);
    expect(r.score).toBeLessThan(1);
  });

  it('is symmetric', () => {
    const a = [item('destover', 'Malware'), item('t1059')];
    const b = [item('t1059'), item('t1485')];
    expect(overlap(a, b, s).score).toBeCloseTo(overlap(b, a, s).score, 12);
  });
});

describe('candidates (weighted coverage of the incident profile)', () => {
  const profiles = new Map([
    ['lazarus', new Set(['destover', 't1485', 't1059'])],
    ['everyone-a', new Set(['t1059'])],
    ['everyone-b', new Set(['t1059', 't1485'])],
    ['nobody', new Set(['poison-ivy'])],
  ]);
  const s = documentFrequencies(profiles);
  const sony = [
    item('destover', 'Malware'),
    item('t1485'),
    item('t1059'),
    item('ip-1', 'Observable'),
  ];

  it('ranks the actor sharing the specific malware first, skips actors sharing nothing', () => {
    const ranked = rankCandidates(sony, profiles, s, 10);
    expect(ranked.map((c) => c.actor)).toEqual(['lazarus', 'everyone-b', 'everyone-a']);
    expect(ranked.map((c) => c.rank)).toEqual([1, 2, 3]);
    for (const c of ranked) expect(sum(c.explanation)).toBeCloseTo(c.score, 12);
    expect(rankCandidates(sony, profiles, s, 1)).toHaveLength(1);
  });

  it('reaches 1 only when the actor covers the whole profile', () => {
    expect(coverage(sony, new Set(['destover', 't1485', 't1059', 'ip-1']), s).score).toBeCloseTo(
      1,
      12,
    );
    expect(coverage(sony, new Set(), s).score).toBe(0);
  });
});
