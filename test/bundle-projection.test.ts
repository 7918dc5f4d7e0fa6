/**
 * Issue 15: the hypotheses bundle projects only the properties its kinds' GraphQL fields and the
 * analysis read (src/hypotheses/queries.ts BUNDLE_PROPS), with dates and instants as strings.
 * Every scalar field of every entity reached through the bundle (hypotheses, suspects,
 * claimants, claims, sources, evidence, ratings) equals the same field read by id from the full
 * node (`nodes(ids:)`, a request of its own), on Sony and on a claim written through the API
 * (with its `createdAt` instant).
 */
import { GraphQLObjectType, getNamedType, isEnumType, isNonNullType, isScalarType } from 'graphql';
import { cliPrincipal } from '../src/auth';
import { mutate } from '../src/mutations';
import { writeSeed } from '../src/seed';
import { buildSchema } from '../src/server/schema';
import { TestServer, startTestServer, twoIncidents, uid } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const P = uid('proj');
const schema = buildSchema();

/** Every scalar or enum field of a type that takes no required argument. */
function scalars(typeName: string): string {
  const type = schema.getType(typeName) as GraphQLObjectType;
  return Object.values(type.getFields())
    .filter((f) => {
      const t = getNamedType(f.type);
      return (isScalarType(t) || isEnumType(t)) && !f.args.some((a) => isNonNullType(a.type));
    })
    .map((f) => f.name)
    .concat('__typename')
    .join(' ');
}

const [HYP, ACTOR, CLAIM, SOURCE, EVIDENCE, RATING] = [
  'Hypothesis',
  'Actor',
  'Claim',
  'Source',
  'Evidence',
  'EvidenceRating',
].map(scalars);
const POSITION = `actor { ${ACTOR} } claims { ${CLAIM} sources { ${SOURCE} } }`;
const THROUGH_BUNDLE = `query($id: ID!) { incident(id: $id) {
  hypotheses { ${HYP} suspects { ${ACTOR} } supporters { ${POSITION} } opponents { ${POSITION} }
    assessment { explanation { claim { ${CLAIM} } evidence { ${EVIDENCE} } actor { ${ACTOR} } } } }
  ach { rows { evidence { ${EVIDENCE} } cells { ratings { ${RATING} } } } } } }`;
const FIELDS: Record<string, string> = {
  Hypothesis: HYP,
  Actor: ACTOR,
  Claim: CLAIM,
  Source: SOURCE,
  Evidence: EVIDENCE,
  EvidenceRating: RATING,
};
/** The nodes of one type by id (one type per request: field types differ between types). */
const byId = (type: string) =>
  `query($ids: [ID!]!) { nodes(ids: $ids) { ... on ${type} { ${FIELDS[type]} } } }`;

/** Every object with an id and a __typename in an answer, by id (each must be the same). */
function entities(x: Json, out = new Map<string, Json[]>()): Map<string, Json[]> {
  if (Array.isArray(x)) x.forEach((y) => entities(y, out));
  else if (x && typeof x === 'object') {
    if (typeof x.id === 'string' && x.__typename) {
      const scalar = (v: unknown): boolean =>
        v === null || typeof v !== 'object' || (Array.isArray(v) && v.every(scalar));
      const scalarsOnly = Object.fromEntries(Object.entries(x).filter(([, v]) => scalar(v)));
      out.set(x.id, [...(out.get(x.id) ?? []), scalarsOnly]);
    }
    Object.values(x).forEach((y) => entities(y, out));
  }
  return out;
}

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  await writeSeed(t.conn.db(), twoIncidents(P));
  await mutate(
    'createClaim',
    { db: t.conn.db(), principal: cliPrincipal() },
    {
      id: `${P}-c9`,
      claimant: `${P}-analyst`,
      stance: 'disputes',
      hypothesis: `${P}-h1`,
      statedAt: '2021-01',
      sources: [`${P}-src1`],
      text: 'A claim recorded through the API.',
      textKind: 'paraphrase',
    },
  );
});

afterAll(async () => {
  await t.conn.driver.executeQuery(
    `MATCH (n) WHERE n.id STARTS WITH $p OR n.incident STARTS WITH $p DETACH DELETE n`,
    { p: P },
  );
  await t.close();
});

describe('the bundle projection', () => {
  it.each(['sony-pictures-2014', `${P}-inc1`])(
    'gives every entity of %s the fields its full node gives',
    async (incident) => {
      const through = await t.gql(THROUGH_BUNDLE, { id: incident });
      expect(through.body.errors).toBeUndefined();
      const found = entities(through.body.data);
      expect(found.size).toBeGreaterThan(5);
      const kinds = new Set([...found.values()].map((xs) => xs[0].__typename));
      if (incident !== `${P}-inc1`)
        expect(kinds).toEqual(
          new Set(['Hypothesis', 'Actor', 'Claim', 'Source', 'Evidence', 'EvidenceRating']),
        );
      const full = new Map<string, Json>();
      for (const type of kinds) {
        const ids = [...found].filter(([, xs]) => xs[0].__typename === type).map(([id]) => id);
        for (let i = 0; i < ids.length; i += 100) {
          const r = await t.gql(byId(type), { ids: ids.slice(i, i + 100) });
          expect(r.body.errors).toBeUndefined();
          for (const n of (r.body as Json).data.nodes as Json[]) full.set(n.id, n);
        }
      }
      for (const [id, seen] of found) {
        const node = full.get(id);
        expect(node).toBeDefined();
        for (const s of seen)
          expect(Object.fromEntries(Object.keys(node).map((k) => [k, s[k]]))).toEqual(node);
      }
      if (incident === `${P}-inc1`) {
        const c9 = full.get(`${P}-c9`);
        expect(c9.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(found.get(`${P}-c9`)?.[0].createdAt).toBe(c9.createdAt);
      }
    },
  );
});
