import fs from 'node:fs';
import path from 'node:path';
import { FragmentDefinitionNode, Kind, OperationDefinitionNode, buildSchema, parse } from 'graphql';
import { analyzeCost } from './analyze';

const DIRECTIVES = fs.readFileSync(path.join(__dirname, '../../schema/cost.graphql'), 'utf8');

const schema = buildSchema(`
  scalar DateTime
  ${DIRECTIVES.replace(/extend type Query \{[\s\S]*\}\s*$/, '')}
  interface Node { id: ID! }
  type Thing implements Node { id: ID! name: String! parts: [Part!]! }
  type Part implements Node { id: ID! heavy: Int! @cost(weight: "7") }
  type Cheap @cost(weight: "0") { n: Int! }
  type Edge { node: Thing! cursor: String! }
  type Conn { edges: [Edge!]! total: Int! }
  type Query {
    thing(id: ID!): Thing
    node(id: ID!): Node
    things(first: Int, last: Int): Conn! @listSize(assumedSize: 20, slicingArguments: ["first", "last"], sizedFields: ["edges"])
    list(first: Int): [Thing!]! @listSize(assumedSize: 3, slicingArguments: ["first"])
    plain: [Thing!]!
    walk(hops: Int = 4 @costPerUnit(weight: "10"), extra: Boolean @cost(weight: "5")): [Cheap!]! @cost(weight: "2") @listSize(assumedSize: 1)
    bundle: String @cost(weight: "100") @oncePerOperation
  }
`);

function cost(
  query: string,
  variables: Record<string, unknown> = {},
  data?: Record<string, unknown>,
) {
  const doc = parse(query);
  const operation = doc.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return analyzeCost({ schema, operation, fragments, variables, data });
}

describe('analyzeCost (GraphQL cost directives)', () => {
  it('counts 1 per object and 0 per scalar by default', () => {
    expect(cost('{ thing(id: "a") { id name } }').cost).toBe(1);
  });

  it('multiplies a list by its slicing argument, literal or variable', () => {
    expect(cost('{ list(first: 7) { id } }').cost).toBe(7);
    expect(cost('query($n: Int) { list(first: $n) { id } }', { n: 40 }).cost).toBe(40);
    expect(cost('{ list { id } }').cost).toBe(3); // assumedSize
    expect(cost('{ plain { id } }').cost).toBe(5); // the default list size
  });

  it('applies a connection size to its sized field (edges), not to the connection', () => {
    expect(cost('{ things(first: 10) { total edges { node { id } } } }').cost).toBe(1 + 10 * 2);
    expect(cost('{ things(last: 4, first: 2) { edges { node { id } } } }').cost).toBe(1 + 4 * 2);
    expect(cost('{ things { edges { node { id } } } }').cost).toBe(1 + 20 * 2);
  });

  it('multiplies nested field costs by every list above them', () => {
    // 3 things x (1 + 5 parts x (1 + 7))
    expect(cost('{ list { parts { heavy } } }').cost).toBe(3 * (1 + 5 * 8));
  });

  it('charges a numeric argument per unit, its default when omitted, and argument weights', () => {
    expect(cost('{ walk(hops: 6) { n } }').cost).toBe(2 + 60);
    expect(cost('{ walk { n } }').cost).toBe(2 + 40);
    expect(cost('{ walk(hops: 1, extra: true) { n } }').cost).toBe(2 + 10 + 5);
  });

  it('counts each alias, and reports a repeated @oncePerOperation field', () => {
    const r = cost('{ a: bundle b: bundle }');
    expect(r.cost).toBe(200);
    expect(r.repeated).toEqual(['Query.bundle']);
    expect(cost('{ bundle }').repeated).toEqual([]);
  });

  it('costs an abstract type as its most expensive possible type, through fragments', () => {
    const q = `{ node(id: "x") { ...T ... on Part { heavy } } } fragment T on Thing { parts { id } }`;
    expect(cost(q).cost).toBe(1 + Math.max(5, 7));
  });

  it('gives the actual cost from the response: list sizes as returned', () => {
    const q = '{ list(first: 50) { parts { heavy } } }';
    expect(cost(q).cost).toBe(50 * (1 + 5 * 8));
    const data = { list: [{ parts: [{ heavy: 1 }] }, { parts: [] }] };
    expect(cost(q, {}, data).cost).toBe(2 + 8);
    expect(cost('{ thing(id: "a") { parts { id } } }', {}, { thing: null }).cost).toBe(0);
  });

  it('names every list argument longer than 100 items, nested ones included', () => {
    const ids = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => `x${i}`));
    const s = buildSchema(`
      input F { ids: [ID!], inner: [F!] }
      type Query { f(filter: F, ids: [ID!]): Int }
    `);
    const run = (q: string) =>
      analyzeCost({
        schema: s,
        operation: parse(q).definitions[0] as OperationDefinitionNode,
        fragments: {},
        variables: {},
      }).longLists;
    expect(run(`{ f(ids: ${ids(100)}) }`)).toEqual([]);
    expect(run(`{ f(ids: ${ids(101)}) }`)).toEqual(['ids']);
    expect(run(`{ f(filter: { inner: [{ ids: ${ids(101)} }] }) }`)).toEqual([
      'filter.inner[0].ids',
    ]);
  });

  it('treats bad sizes as none', () => {
    expect(cost('{ list(first: -5) { id } }').cost).toBe(0);
  });
});
