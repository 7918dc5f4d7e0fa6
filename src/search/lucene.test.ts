import { luceneLiteral } from './lucene';

describe('luceneLiteral', () => {
  it('quotes every word, so operators are searched as words', () => {
    expect(luceneLiteral('AND')).toBe('"AND"');
    expect(luceneLiteral('foo OR bar NOT baz')).toBe('"foo" "OR" "bar" "NOT" "baz"');
    expect(luceneLiteral('a && b || c')).toBe('"a" "b" "c"');
  });

  it('escapes quotes and backslashes inside the phrase', () => {
    expect(luceneLiteral('foo~ " OR')).toBe('"foo~" "OR"');
    expect(luceneLiteral('say"hi\\')).toBe('"say\\"hi\\\\"');
  });

  it('keeps Lucene syntax characters inside quotes (no wildcard, field or range)', () => {
    expect(luceneLiteral('title:sony* [a TO z] {x} (y) ^2 foo~0.5 /re/')).toBe(
      '"title:sony*" "[a" "TO" "z]" "{x}" "(y)" "^2" "foo~0.5" "/re/"',
    );
  });

  it('strips control characters and drops words with no letter or digit', () => {
    expect(luceneLiteral('\u0000lazarus\u001fgroup\u007f')).toBe('"lazarus" "group"');
    expect(luceneLiteral('" ) * ~ \\ ! -')).toBe('');
    expect(luceneLiteral('   ')).toBe('');
  });

  it('accepts letters of any script and lone surrogates without throwing', () => {
    expect(luceneLiteral('Пхеньян 平壤')).toBe('"Пхеньян" "平壤"');
    expect(luceneLiteral('a\ud800')).toBe('"a\ud800"');
  });
});
