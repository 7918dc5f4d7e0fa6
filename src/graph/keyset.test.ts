import { ACTORS_LIST } from '../actors/queries';
import { CLAIMS_LIST } from '../claims/queries';
import { HYPOTHESES_LIST } from '../hypotheses/queries';
import { EVENTS_LIST, INCIDENTS_LIST, TIMELINE_PAGE } from '../incidents/queries';
import { EVIDENCE_LIST } from '../evidence/queries';
import { SOURCES_LIST } from '../sources/queries';
import { decodeKey, encodeKey } from './paging';

const LISTS = {
  CLAIMS_LIST,
  HYPOTHESES_LIST,
  ACTORS_LIST,
  SOURCES_LIST,
  EVIDENCE_LIST,
  EVENTS_LIST,
  INCIDENTS_LIST,
};

describe('keyset statements (templated Cypher)', () => {
  it.each(Object.entries(LISTS))(
    '%s: one prepared statement per order and direction',
    (_, list) => {
      const texts = Object.fromEntries(
        Object.entries(list).flatMap(([field, byDir]) =>
          Object.entries(byDir).map(([dir, q]) => [`${field} ${dir}`, q.text]),
        ),
      );
      expect(texts).toMatchSnapshot();
      for (const [key, text] of Object.entries(texts)) {
        // Parameters only: the request never reaches the text.
        expect(text).toContain('$after');
        expect(text).toContain(key.endsWith('ASC') ? 'ASC' : 'DESC');
      }
    },
  );

  it('the timeline statement', () => {
    expect(TIMELINE_PAGE.text).toMatchSnapshot();
  });
});

describe('keyset cursors', () => {
  it('round-trip the sort key and id', () => {
    const c = encodeKey(['2014-12-19', 'claim-fbi']);
    expect(decodeKey(c, 'after')).toEqual(['2014-12-19', 'claim-fbi']);
  });

  it.each(['', 'bm90LWEtY3Vyc29y', encodeURIComponent('["a"]'), 'W1tdLFtdXQ'])(
    'refuse %j, naming the argument',
    (bad) => {
      expect(() => decodeKey(bad, 'before')).toThrow(/before: is not a cursor/);
    },
  );
});
