import { correctionLimit, editDistance, redact } from './util';

describe('mutation helpers', () => {
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
