/**
 * Hostile clients, search (issue 16): any text is searched literally. Lucene operators,
 * unbalanced quotes and brackets, wildcards and fuzzy marks used to reach Lucene's parser and
 * come back as INTERNAL_SERVER_ERROR with the Java message; now they are words.
 */
import { ErrorCode } from '../src/errors';
import { FULLTEXT_SEARCH } from '../src/search/queries';
import { TestServer, startTestServer } from './helpers';
import neo4j from 'neo4j-driver';

const SEARCH = 'query($t: String!) { search(text: $t) { nodes { score node { id } } } }';

describe('hostile clients: search takes any text', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it.each([
    'AND',
    'OR',
    'NOT',
    'foo~ " OR',
    'AND OR NOT',
    '"unbalanced',
    '(((',
    '[a TO',
    '{x TO y]',
    'title:*',
    '*',
    '?ony',
    'sony^',
    'a && || b',
    '\\',
    'lazarus~0.5 AND NOT "guardians',
    '/regex[/',
    '+-!():^[]"{}~*?|&/',
  ])('searches %j as words, never a parse error', async (text) => {
    const r = await t.gql<{ search: { nodes: unknown[] } }>(SEARCH, { t: text });
    expect(r.status).toBe(200);
    if (r.body.errors) {
      // Nothing searchable (no letter or digit) is the caller's mistake, named.
      expect(r.body.errors.map((e) => e.extensions?.code)).toEqual([ErrorCode.BAD_USER_INPUT]);
      expect(r.body.errors[0].message).toMatch(/^text: /);
    } else expect(Array.isArray(r.body.data?.search.nodes)).toBe(true);
  });

  it('finds a name whatever operators surround it', async () => {
    const r = await t.gql<{ search: { nodes: { node: { id: string } }[] } }>(SEARCH, {
      t: 'Lazarus AND OR NOT ~ "',
    });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.search.nodes.map((s) => s.node.id)).toContain('lazarus-group');
  });

  it('maps an error from Lucene itself to BAD_USER_INPUT, not INTERNAL_SERVER_ERROR', async () => {
    // The raw statement with unescaped text: what the database says is translated in one place.
    const db = t.conn.db();
    await expect(
      db.read(FULLTEXT_SEARCH, {
        query: 'foo~ " OR',
        exact: 'foo~ " or',
        types: null,
        first: neo4j.int(5),
        afterScore: null,
        afterId: null,
      }),
    ).rejects.toMatchObject({ extensions: { code: ErrorCode.BAD_USER_INPUT, argument: 'text' } });
  });
});
