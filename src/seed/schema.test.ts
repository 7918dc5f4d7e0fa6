import type { SeedData } from './read';
import { ClaimRecord } from './schema';
import { aliasNodeId } from '../model';
import { toGraph } from './write';

describe('ClaimRecord schema', () => {
  const claim = {
    id: 'claim-x',
    claimant: 'fbi',
    stance: 'supports',
    hypothesis: 'h1',
    statedAt: '2014-12-19',
    text: 'North Korea did it.',
    textKind: 'paraphrase',
    sources: ['src-1'],
  };

  it('accepts a minimal claim and an "unknown" date', () => {
    expect(ClaimRecord.safeParse(claim).success).toBe(true);
    expect(ClaimRecord.safeParse({ ...claim, statedAt: 'unknown' }).success).toBe(true);
  });

  it('names the field of an impossible date, a missing source list and an unknown field', () => {
    const paths = (v: unknown) => {
      const r = ClaimRecord.safeParse(v);
      return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(paths({ ...claim, statedAt: '2015-02-30' })).toEqual(['statedAt']);
    expect(paths({ ...claim, sources: [] })).toEqual(['sources']);
    expect(paths({ ...claim, confidence: 3 })).toEqual(['']);
    expect(paths({ ...claim, retractedAt: '2015-01' })).toEqual(['retractionReason']);
  });
});

describe('toGraph', () => {
  const source = {
    id: 'src-1',
    tag: 'S1',
    title: 'A page',
    publisher: 'reuters',
    originator: 'fbi',
    publishedAt: '2014-12-19',
    url: 'https://example.org/a',
    reliability: 'A' as const,
    reliabilityReason: 'Wire service.',
  };
  const data: SeedData = {
    actors: [
      { id: 'lazarus-group', name: 'Lazarus Group', kind: 'group' },
      { id: 'guardians-of-peace', name: 'Guardians of Peace', kind: 'persona' },
      { id: 'mitre-attack', name: 'MITRE ATT&CK', kind: 'company' },
      { id: 'rgb', name: 'Reconnaissance General Bureau', kind: 'agency', country: 'KP' },
      { id: 'doj', name: 'US Department of Justice', kind: 'agency', country: 'US' },
      { id: 'fbi', name: 'FBI', kind: 'agency', country: 'US' },
      { id: 'reuters', name: 'Reuters', kind: 'media' },
    ],
    sources: [source, { ...source, id: 'src-2', tag: 'S2', carries: 'src-1', publishedAt: '2014-12' }],
    aliases: [
      {
        id: 'alias-gop-mitre',
        actor: 'lazarus-group',
        name: 'Guardians of Peace',
        refersTo: 'guardians-of-peace',
        claimant: 'mitre-attack',
        statedAt: '2025-10-24',
        sources: ['src-1'],
      },
      {
        id: 'alias-gop-self',
        actor: 'guardians-of-peace',
        name: 'GOP',
        claimant: 'guardians-of-peace',
        statedAt: '2014-11-24',
        sources: ['src-1'],
      },
      {
        id: 'alias-gop-fbi',
        actor: 'guardians-of-peace',
        name: 'GOP',
        claimant: 'fbi',
        statedAt: '2014-12',
        sources: ['src-2'],
      },
    ],
    affiliations: [
      {
        id: 'aff-lazarus-rgb-mitre',
        actor: 'lazarus-group',
        organisation: 'rgb',
        role: 'cyber threat group attributed to the RGB',
        claimant: 'mitre-attack',
        statedAt: '2025-10-24',
        sources: ['src-1'],
      },
      {
        id: 'aff-lazarus-rgb-doj',
        actor: 'lazarus-group',
        organisation: 'rgb',
        claimant: 'doj',
        statedAt: '2018-09-06',
        sources: ['src-2'],
      },
    ],
    incidents: [],
    hypotheses: [],
    claims: [],
    evidence: [],
    events: [],
    artifacts: [],
    links: [],
  };
  const g = toGraph(data);
  const rel = (type: keyof typeof g.rels | keyof typeof g.links, from: string, to: string) =>
    [...((g.rels as Record<string, typeof g.rels.BY>)[type] ?? []), ...((g.links as Record<string, typeof g.rels.BY>)[type] ?? [])].filter(
      (r) => r.from === from && r.to === to,
    );

  it('links an alias with refersTo to that actor by KNOWN_AS, without an Alias node', () => {
    expect(rel('KNOWN_AS', 'lazarus-group', 'guardians-of-peace')).toEqual([
      { from: 'lazarus-group', to: 'guardians-of-peace', props: { name: 'Guardians of Peace', claims: ['alias-gop-mitre'] } },
    ]);
    expect(g.nodes.Alias.map((n) => n.name)).not.toContain('Guardians of Peace');
  });

  it('gives an alias without refersTo one Alias node, shared by every claim of that name', () => {
    const id = aliasNodeId('GOP');
    expect(id).toBe('name-gop');
    expect(g.nodes.Alias).toEqual([{ id, name: 'GOP' }]);
    expect(rel('KNOWN_AS', 'guardians-of-peace', id)).toEqual([
      { from: 'guardians-of-peace', to: id, props: { name: 'GOP', claims: ['alias-gop-self', 'alias-gop-fbi'] } },
    ]);
  });

  it('reifies each alias as a Claim with BY, SUBJECT, OBJECT and CITES', () => {
    const claim = g.nodes.Claim.find((n) => n.id === 'alias-gop-fbi');
    expect(claim).toMatchObject({ stance: 'asserts-alias', alias: 'GOP', statedAtPrecision: 'month', unverified: false });
    expect(String(claim?.statedAt)).toBe('2014-12-01');
    expect(String(claim?.knownFrom)).toBe('2014-12-31');
    expect(rel('BY', 'alias-gop-fbi', 'fbi')).toHaveLength(1);
    expect(rel('SUBJECT', 'alias-gop-fbi', 'guardians-of-peace')).toHaveLength(1);
    expect(rel('OBJECT', 'alias-gop-fbi', 'name-gop')).toHaveLength(1);
    expect(rel('CITES', 'alias-gop-fbi', 'src-2')).toHaveLength(1);
  });

  it('materializes affiliation claims as one PART_OF carrying every claim id', () => {
    const partOf = rel('PART_OF', 'lazarus-group', 'rgb');
    expect(partOf).toHaveLength(1);
    expect(partOf[0].props.claims).toEqual(['aff-lazarus-rgb-mitre', 'aff-lazarus-rgb-doj']);
    expect(partOf[0].props.role).toBe('cyber threat group attributed to the RGB');
    for (const id of ['aff-lazarus-rgb-mitre', 'aff-lazarus-rgb-doj']) {
      expect(g.nodes.Claim.find((n) => n.id === id)?.stance).toBe('asserts-affiliation');
      expect(rel('SUBJECT', id, 'lazarus-group')).toHaveLength(1);
      expect(rel('OBJECT', id, 'rgb')).toHaveLength(1);
    }
    expect(rel('BY', 'aff-lazarus-rgb-doj', 'doj')).toHaveLength(1);
  });

  it('links a source to its publisher, the party it relays and the source it carries', () => {
    expect(rel('PUBLISHED_BY', 'src-1', 'reuters')).toHaveLength(1);
    expect(rel('RELAYS', 'src-1', 'fbi')).toHaveLength(1);
    expect(rel('CARRIES', 'src-2', 'src-1')).toHaveLength(1);
    const s2 = g.nodes.Source.find((n) => n.id === 'src-2');
    expect(s2?.publishedAtPrecision).toBe('month');
    expect(String(s2?.knownFrom)).toBe('2014-12-31');
  });

  it('keeps an unknown date as a precision only, without inventing a day', () => {
    const g2 = toGraph({ ...data, aliases: [{ ...data.aliases[1], statedAt: 'unknown' }] });
    const claim = g2.nodes.Claim.find((n) => n.id === 'alias-gop-self');
    expect(claim?.statedAtPrecision).toBe('unknown');
    expect(claim).not.toHaveProperty('statedAt');
    expect(claim).not.toHaveProperty('knownFrom');
  });
});
