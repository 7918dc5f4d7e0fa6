import { cypher } from '../src/db';
import { HUB_DEGREE } from '../src/search/queries';
import { TestServer, startTestServer, uid } from './helpers';

/**
 * `suspectLinks` / `suspectPaths` into a supernode (issue 15): a state actor with 20,000
 * relationships, as a state named in thousands of incidents is. The search starts from the
 * small end and only probes the supernode, so the answer is the shortest paths, exact, in ONE
 * statement; a second hub (over HUB_DEGREE relationships) on a would-be shorter route is not
 * walked through.
 */
const P = uid('hub');
const id = (name: string) => `${P}-${name}`;
const SUPERNODE_DEGREE = 20_000;

let t: TestServer;

const DEGREE = cypher<{ n: number }>(
  'testHubDegree',
  'MATCH (h:Actor {id: $id}) RETURN COUNT { (h)--() } AS n',
);
const DELETE_BATCH = cypher<{ n: number }>(
  'testHubDelete',
  `MATCH (n:Entity) WHERE n.id STARTS WITH $p WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS n`,
);

beforeAll(async () => {
  t = await startTestServer();
  // The supernode: 20,000 events involve it (ids unique to this file).
  await t.conn.db().write(async (tx) => {
    await tx.run(
      cypher(
        'testHubActors',
        `CREATE (:Entity:Actor {id: $hub, name: $hub, kind: 'state'})
       CREATE (:Entity:Actor {id: $hub2, name: $hub2, kind: 'state'})
       CREATE (:Entity:Actor {id: $group, name: $group, kind: 'group'})`,
      ),
      { hub: id('state'), hub2: id('other-state'), group: id('group') },
    );
    await tx.run(
      cypher(
        'testHubEvents',
        `MATCH (h:Actor {id: $hub})
       UNWIND range(1, $n) AS i
       CREATE (:Entity:Event {id: $p + '-ev-' + i, title: 'Event ' + i})-[:INVOLVES]->(h)`,
      ),
      { hub: id('state'), n: SUPERNODE_DEGREE, p: P },
    );
    // A second hub between the group and the state: group -> hub2 -> state would be a path of
    // length 2, but hub2 has more than HUB_DEGREE relationships, so it is not walked through.
    await tx.run(
      cypher(
        'testHubSecond',
        `MATCH (h:Actor {id: $hub2}), (g:Actor {id: $group}), (s:Actor {id: $hub})
       CREATE (g)-[:PART_OF]->(h)-[:PART_OF]->(s)
       WITH h UNWIND range(1, $n) AS i
       CREATE (:Entity:Event {id: $p + '-ev2-' + i, title: 'Event ' + i})-[:INVOLVES]->(h)`,
      ),
      { hub: id('state'), hub2: id('other-state'), group: id('group'), n: HUB_DEGREE, p: P },
    );
    // The routes that count: three hypotheses suspecting both (length 2), and a claim by the
    // group supporting a fourth hypothesis that suspects the state (length 3).
    await tx.run(
      cypher(
        'testHubRoutes',
        `MATCH (g:Actor {id: $group}), (s:Actor {id: $hub})
       UNWIND [1, 2, 3] AS k
       CREATE (g)<-[:SUSPECTS]-(:Entity:Hypothesis {id: $p + '-h' + k, tag: 'H' + k, statement: 'Both, ' + k})-[:SUSPECTS]->(s)
       WITH DISTINCT g, s
       CREATE (g)<-[:BY]-(:Entity:Claim {id: $p + '-c4', text: 'It was the state.', stance: 'supports'})
              -[:SUPPORTS]->(:Entity:Hypothesis {id: $p + '-h4', tag: 'H4', statement: 'The state'})-[:SUSPECTS]->(s)`,
      ),
      { group: id('group'), hub: id('state'), p: P },
    );
  });
}, 180_000);

afterAll(async () => {
  // Deleted in batches (the test Neo4j's transaction memory is bounded).
  for (;;) {
    const res = await t.conn.db().write((tx) => tx.run(DELETE_BATCH, { p: `${P}-` }));
    if (Number(res.records[0].n) === 0) break;
  }
  await t.close();
}, 180_000);

const PATHS = `query($a: ID!, $b: ID!, $hops: Int) {
  suspectPaths(from: $a, to: $b, maxHops: $hops) {
    truncated paths { length nodes { id } steps { relationship } } } }`;

interface Paths {
  suspectPaths: {
    truncated: boolean;
    paths: { length: number; nodes: { id: string }[]; steps: { relationship: string }[] }[];
  };
}

describe('suspect paths into a supernode', () => {
  it('has the supernode it claims to test', async () => {
    const [row] = await t.conn.db().read(DEGREE, { id: id('state') });
    expect(Number(row.n)).toBeGreaterThanOrEqual(SUPERNODE_DEGREE);
  });

  it.each([
    ['from the group to the supernode', 'group', 'state'],
    ['from the supernode to the group', 'state', 'group'],
  ])('finds the shortest paths %s, oriented, in one statement', async (_, from, to) => {
    const res = await t.gql<Paths>(PATHS, { a: id(from), b: id(to), hops: 4 });
    expect(res.body.errors).toBeUndefined();
    expect(res.statements).toBe(1);
    const { paths, truncated } = res.body.data!.suspectPaths;
    expect(truncated).toBe(false);
    const route = (p: { nodes: { id: string }[] }) =>
      p.nodes.map((n) => n.id.slice(P.length + 1)).join('>');
    const forward = paths
      .map(route)
      .map((r) => (from === 'group' ? r : r.split('>').reverse().join('>')));
    // Exactly the three length-2 routes, then the length-3 one; nothing through the second hub,
    // nothing through the 20,000 events.
    expect(paths.map((p) => p.length)).toEqual([2, 2, 2, 3]);
    expect(forward.slice(0, 3).sort()).toEqual([
      'group>h1>state',
      'group>h2>state',
      'group>h3>state',
    ]);
    expect(forward[3]).toBe('group>c4>h4>state');
    for (const p of paths) {
      expect(p.nodes[0].id).toBe(id(from));
      expect(p.nodes[p.nodes.length - 1].id).toBe(id(to));
      expect(p.steps).toHaveLength(p.length);
    }
  });

  it('says it truncated when more paths exist than asked for', async () => {
    const res = await t.gql<Paths>(
      `query($a: ID!, $b: ID!) { suspectPaths(from: $a, to: $b, maxHops: 4, first: 2) {
        truncated paths { length } } }`,
      { a: id('group'), b: id('state') },
    );
    expect(res.statements).toBe(1);
    expect(res.body.data!.suspectPaths).toEqual({
      truncated: true,
      paths: [{ length: 2 }, { length: 2 }],
    });
  });

  it('walks through a node of HUB_DEGREE relationships or fewer', async () => {
    // Two of the second hub's events fewer: HUB_DEGREE - 2 events and its two PART_OF links
    // make exactly HUB_DEGREE relationships, so it is walked through.
    await t.conn.db().write((tx) =>
      tx.run(
        cypher(
          'testHubTrim',
          `MATCH (h:Actor {id: $hub2})<-[:INVOLVES]-(e:Event)
         WITH h, e LIMIT 2 DETACH DELETE e`,
        ),
        { hub2: id('other-state') },
      ),
    );
    const [row] = await t.conn.db().read(DEGREE, { id: id('other-state') });
    expect(Number(row.n)).toBe(HUB_DEGREE);
    const res = await t.gql<Paths>(PATHS, { a: id('group'), b: id('state'), hops: 2 });
    const routes = res.body.data!.suspectPaths.paths.map((p) =>
      p.nodes.map((n) => n.id.slice(P.length + 1)).join('>'),
    );
    expect(routes).toContain('group>other-state>state');
  });
});
