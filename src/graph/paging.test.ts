import { sliceConnection } from './paging';

/** An item with a sort key: a day (undated last, as `~`) and an id. */
const item = (id: string, day: string | null) => ({ id, day });
type Item = ReturnType<typeof item>;
const keyOf = (x: Item): [string, string] => [x.day ?? '~', x.id];
const LIMITS = { def: 2, max: 3 };
const ids = (c: { nodes: Item[] }) => c.nodes.map((n) => n.id);

const ITEMS = [
  item('r3', '2014-12-19'),
  item('r1', null),
  item('r2', '2014-12-01'),
  item('r4', '2014-12-19'),
];

describe('sliceConnection: a keyset page over a list in memory', () => {
  it('orders by key then id and pages forward with cursors', () => {
    const p1 = sliceConnection(ITEMS, keyOf, {}, LIMITS);
    expect(ids(p1)).toEqual(['r2', 'r3']);
    expect(p1.totalCount).toBe(4);
    expect(p1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const p2 = sliceConnection(ITEMS, keyOf, { after: p1.pageInfo.endCursor }, LIMITS);
    expect(ids(p2)).toEqual(['r4', 'r1']);
    expect(p2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(p2.edges.map((e) => e.cursor)).toEqual([p2.pageInfo.startCursor, p2.pageInfo.endCursor]);
  });

  it('keeps a cursor valid when rows are added before it', () => {
    const p1 = sliceConnection(ITEMS, keyOf, { first: 2 }, LIMITS);
    const more = [item('r0', '2013-01-01'), ...ITEMS];
    expect(ids(sliceConnection(more, keyOf, { after: p1.pageInfo.endCursor }, LIMITS))).toEqual([
      'r4',
      'r1',
    ]);
  });

  it('pages backward with last/before', () => {
    const end = sliceConnection(ITEMS, keyOf, { last: 1 }, LIMITS);
    expect(ids(end)).toEqual(['r1']);
    expect(end.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const prev = sliceConnection(
      ITEMS,
      keyOf,
      { last: 3, before: end.pageInfo.startCursor },
      LIMITS,
    );
    expect(ids(prev)).toEqual(['r2', 'r3', 'r4']);
    expect(prev.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  });

  it('refuses a page size out of range, both directions at once, and a foreign cursor', () => {
    expect(() => sliceConnection(ITEMS, keyOf, { first: 4 }, LIMITS)).toThrow(/first/);
    expect(() => sliceConnection(ITEMS, keyOf, { first: 1, last: 1 }, LIMITS)).toThrow(/last/);
    expect(() => sliceConnection(ITEMS, keyOf, { after: 'nope' }, LIMITS)).toThrow(/after/);
  });

  it('answers an empty page for an empty list', () => {
    expect(sliceConnection([], keyOf, {}, LIMITS)).toEqual({
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      totalCount: 0,
    });
  });
});
