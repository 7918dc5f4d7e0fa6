import {
  CLAIM_LINK_TYPES,
  LABELS,
  PLAIN_REL_TYPES,
  REL_KINDS,
  REL_TYPES,
  TYPE_OF_LABEL,
  AchRating,
  NATIVE_STIX_MISSING,
  NATIVE_STIX_TYPES,
  attributedToStixId,
  nativeStixProps,
  relStixProps,
  stixId,
  aliasClaimText,
  affiliationClaimText,
  aliasNodeId,
  claimLinkCypher,
  dateProps,
  groupClaimLinkRows,
  graphqlEnum,
  newId,
  parsePartialDate,
  partialDateOf,
  slugify,
} from '.';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../config';

describe('parsePartialDate', () => {
  it('parses a full day as a day-precision date', () => {
    expect(parsePartialDate('2014-12-19')).toEqual({
      start: '2014-12-19',
      end: '2014-12-19',
      precision: 'day',
    });
  });

  it('parses a month, ending on the last day of that month', () => {
    expect(parsePartialDate('2014-12')).toEqual({
      start: '2014-12-01',
      end: '2014-12-31',
      precision: 'month',
    });
    expect(parsePartialDate('2014-06')?.end).toBe('2014-06-30');
    expect(parsePartialDate('2015-02')?.end).toBe('2015-02-28');
  });

  it('parses a year, ending on 31 December', () => {
    expect(parsePartialDate('2018')).toEqual({
      start: '2018-01-01',
      end: '2018-12-31',
      precision: 'year',
    });
  });

  it('knows leap years (every 4 years, not centuries, but every 400 years)', () => {
    expect(parsePartialDate('2016-02-29')?.precision).toBe('day');
    expect(parsePartialDate('2016-02')?.end).toBe('2016-02-29');
    expect(parsePartialDate('2000-02-29')?.precision).toBe('day');
    expect(parsePartialDate('2015-02-29')).toBeNull();
    expect(parsePartialDate('1900-02-29')).toBeNull();
  });

  it.each([
    '2015-02-30',
    '2014-04-31',
    '2014-13',
    '2014-00',
    '2014-12-00',
    '2014-12-32',
    '14-12-01',
    '2014-1-5',
    '2014/12/19',
    '19 Dec 2014',
    '2014-12-19T10:00',
    'unknown',
    '',
  ])('rejects %p', (s) => {
    expect(parsePartialDate(s)).toBeNull();
  });
});

describe('dateProps', () => {
  it('stores the first day, the precision and knownFrom = the last day of the period', () => {
    const p = dateProps('statedAt', '2014-12');
    expect(String(p.statedAt)).toBe('2014-12-01');
    expect(p.statedAtPrecision).toBe('month');
    expect(String(p.knownFrom)).toBe('2014-12-31');
  });

  it('keeps an unknown date as a precision only, on record from the fallback day when given', () => {
    expect(dateProps('statedAt', 'unknown')).toEqual({ statedAtPrecision: 'unknown' });
    expect(dateProps('statedAt', undefined)).toEqual({ statedAtPrecision: 'unknown' });
    const p = dateProps('statedAt', null, '2026-01-02');
    expect(String(p.knownFrom)).toBe('2026-01-02');
    expect(p).not.toHaveProperty('statedAt');
  });

  it('turns a stored day and precision back into the partial date', () => {
    expect(partialDateOf('2014-12-19', 'year')).toBe('2014');
    expect(partialDateOf('2014-12-19', 'month')).toBe('2014-12');
    expect(partialDateOf('2014-12-19', 'day')).toBe('2014-12-19');
    expect(partialDateOf('2014-12-19', 'unknown')).toBeNull();
  });
});

describe('ids', () => {
  it('makes readable slugs and ids with a random suffix', () => {
    expect(slugify('Guardians of Peace (#GOP)')).toBe('guardians-of-peace-gop');
    expect(slugify('Équipe Ünïcode')).toBe('equipe-unicode');
    expect(slugify('!!!')).toBe('item');
    expect(slugify('a'.repeat(50) + ' b')).toHaveLength(40);
    expect(newId(null, 'Lazarus Group')).toMatch(/^lazarus-group-[a-z0-9]{6}$/);
    expect(newId('given', 'ignored')).toBe('given');
  });

  it('gives an alias name one id, whatever its case and punctuation', () => {
    expect(aliasNodeId('GOP')).toBe('name-gop');
    expect(aliasNodeId('#GOP')).toBe('name-gop');
    expect(aliasNodeId('Guardians of Peace')).toBe('name-guardians-of-peace');
  });
});

describe('kinds', () => {
  it('gives every label a GraphQL type and every relationship ends among the labels', () => {
    for (const l of LABELS) expect(TYPE_OF_LABEL[l]).toMatch(/^[A-Z][A-Za-z]+$/);
    for (const t of REL_TYPES)
      for (const l of [...REL_KINDS[t].from, ...REL_KINDS[t].to]) expect(LABELS).toContain(l);
  });

  it('splits relationship types into plain ones and links that claims materialise', () => {
    expect(CLAIM_LINK_TYPES).toEqual([
      'KNOWN_AS',
      'PART_OF',
      'OBSERVED_IN',
      'USES',
      'COMMUNICATES_WITH',
      'INDICATES',
      'VARIANT_OF',
      'DROPS',
      'RESOLVES_TO',
      'TARGETS',
      'LOCATED_AT',
    ]);
    // OBSERVED_IN is both: Evidence -> Incident directly, artifact -> Incident from claims.
    expect(PLAIN_REL_TYPES).toContain('OBSERVED_IN');
    expect([...new Set([...PLAIN_REL_TYPES, ...CLAIM_LINK_TYPES])].sort()).toEqual(
      [...REL_TYPES].sort(),
    );
  });
});

describe('enums', () => {
  it('derives the GraphQL enum map from the stored values', () => {
    expect(graphqlEnum(AchRating)).toEqual({
      VERY_CONSISTENT: 'very-consistent',
      CONSISTENT: 'consistent',
      NEUTRAL: 'neutral',
      INCONSISTENT: 'inconsistent',
      VERY_INCONSISTENT: 'very-inconsistent',
      NOT_APPLICABLE: 'not-applicable',
    });
    expect(graphqlEnum(['a', 'b-c'])).toEqual({ A: 'a', B_C: 'b-c' });
  });
});

describe('claim links', () => {
  it('writes the generated claim texts', () => {
    expect(aliasClaimText('MITRE', 'GOP', 'Lazarus Group')).toBe(
      'MITRE gives "GOP" as a name of Lazarus Group.',
    );
    expect(affiliationClaimText('AFP', 'Gen. Kim', 'RGB', 'chief')).toBe(
      'AFP places Gen. Kim within RGB (chief).',
    );
    expect(affiliationClaimText('AFP', 'Gen. Kim', 'RGB', null)).toBe(
      'AFP places Gen. Kim within RGB.',
    );
  });

  it('merges a materialised link with one statement (snapshot)', () => {
    expect(claimLinkCypher('KNOWN_AS')).toMatchSnapshot();
    expect(claimLinkCypher('PART_OF')).toMatchSnapshot();
  });

  it('groups a batch by ends before the merge, so no claim id of the batch is lost', () => {
    const prov = { importId: 'i1' };
    expect(
      groupClaimLinkRows([
        { from: 'a', to: 'm', claims: ['c1'], props: { name: 'x' }, prov },
        { from: 'b', to: 'm', claims: ['c2'] },
        { from: 'a', to: 'm', claims: ['c3', 'c1'], props: { name: 'y' } },
      ]),
    ).toEqual([
      { from: 'a', to: 'm', claims: ['c1', 'c3'], props: { name: 'x' }, prov },
      { from: 'b', to: 'm', claims: ['c2'] },
    ]);
  });
});

describe('native STIX ids', () => {
  it('are the ids the export has always given (fixed namespace, v4 layout)', () => {
    // Pinned: an id published in a TAXII feed or an OpenCTI instance never changes.
    expect(stixId('incident', 'sony-pictures-2014')).toMatchSnapshot();
    expect(stixId('threat-actor', 'dprk')).toMatch(
      /^threat-actor--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('gives each label a property per STIX type it may be exported as', () => {
    expect(nativeStixProps('Actor', 'fbi')).toEqual({
      stixIdentityId: stixId('identity', 'fbi'),
      stixThreatActorId: stixId('threat-actor', 'fbi'),
      stixIntrusionSetId: stixId('intrusion-set', 'fbi'),
    });
    expect(nativeStixProps('Source', 's1')).toEqual({
      stixReportId: stixId('report', 's1'),
      stixNoteId: stixId('note', 's1'),
    });
    expect(nativeStixProps('Evidence', 'e1')).toEqual({
      stixEvidenceId: stixId('x-attribution-evidence', 'e1'),
    });
    expect(nativeStixProps('Rating', 'r1')).toEqual({});
    expect(relStixProps('SUSPECTS', 'h1', 'dprk')).toEqual({
      stixId: stixId('relationship', 'attributed-to:h1:dprk'),
    });
    expect(attributedToStixId('h1', 'dprk')).toBe(relStixProps('SUSPECTS', 'h1', 'dprk').stixId);
    expect(relStixProps('CITES', 'c1', 's1')).toEqual({});
  });

  it('has a range index on every property that stores them (migration 007)', () => {
    const migration = fs.readFileSync(
      path.join(ROOT, 'schema', 'migrations', '007_native_stix_ids.cypher'),
      'utf8',
    );
    for (const [label, types] of Object.entries(NATIVE_STIX_TYPES))
      for (const { prop } of types) expect(migration).toContain(`FOR (n:${label}) ON (n.${prop})`);
    expect(migration).toContain('FOR ()-[r:SUSPECTS]-() ON (r.stixId)');
  });

  it('finds the nodes that lack them with one templated statement (snapshot)', () => {
    expect(NATIVE_STIX_MISSING.text).toMatchSnapshot();
  });
});
