import { HUB_DEGREE, MAX_HOPS, MAX_PATHS, SHORTEST_PATHS } from './queries';

describe('SHORTEST_PATHS (templated per hop bound)', () => {
  it('has one statement per hop bound, each a search of every length up to it', () => {
    expect(SHORTEST_PATHS).toHaveLength(MAX_HOPS);
    SHORTEST_PATHS.forEach((q, i) => {
      expect(q.name).toBe(`suspectLinks${i + 1}`);
      // One subquery per length, and every hop after the first planned from the node reached.
      expect(q.text.match(/WITH \* WHERE size\(found\) < /g)).toHaveLength(i + 1);
      expect(q.text.match(/MATCH \(x\d+\)-\[r\d+:/g) ?? []).toHaveLength(((i + 1) * i) / 2);
      expect(q.text).toContain(`COUNT { (x1)--() } <= ${HUB_DEGREE}`.repeat(i > 0 ? 1 : 0));
      expect(q.text).toContain(`LIMIT ${MAX_PATHS + 1}`);
      expect(q.text).not.toMatch(/\$(?!from\b|to\b)/);
    });
  });

  it('produces the Cypher of the 3-hop search (snapshot)', () => {
    expect(SHORTEST_PATHS[2].text).toMatchSnapshot();
  });
});
