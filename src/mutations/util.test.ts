import { correctionLimit, editDistance, newId, redact, slugify } from './util';

describe('mutation helpers', () => {
  it('makes readable slugs and ids with a random suffix', () => {
    expect(slugify('Guardians of Peace (#GOP)')).toBe('guardians-of-peace-gop');
    expect(slugify('Équipe Ünïcode')).toBe('equipe-unicode');
    expect(slugify('!!!')).toBe('item');
    expect(slugify('a'.repeat(50) + ' b')).toHaveLength(40);
    expect(newId(null, 'Lazarus Group')).toMatch(/^lazarus-group-[a-z0-9]{6}$/);
    expect(newId('given', 'ignored')).toBe('given');
  });

  it('removes secrets from audited arguments', () => {
    expect(redact({ name: 'x', key: 's', nested: [{ token: 't', ok: 1 }] })).toEqual({
      name: 'x',
      key: '[redacted]',
      nested: [{ token: '[redacted]', ok: 1 }],
    });
  });

  it('measures edits, stopping early past the limit', () => {
    expect(editDistance('goverment', 'government', 5)).toBe(1);
    expect(editDistance('Teh', 'The', 5)).toBe(2);
    expect(editDistance('abc', 'abc', 0)).toBe(0);
    expect(editDistance('short', 'a completely different text', 5)).toBe(6);
    expect(correctionLimit(10)).toBe(5);
    expect(correctionLimit(100)).toBe(20);
  });
});
