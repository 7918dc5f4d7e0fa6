/**
 * The hypotheses bundle projects only listed properties (src/hypotheses/queries.ts
 * BUNDLE_PROPS). Its entities are offered to the request's entity loader, so they must answer
 * every field of their GraphQL type: each field is either a listed property (date, instant) or
 * has a resolver of its own. A field added to one of these types without either fails here.
 */
import { GraphQLObjectType } from 'graphql';
import {
  BUNDLE_PROPS,
  HYPOTHESES_BUNDLE,
  HYPOTHESES_BUNDLE_AT_REVISION,
} from '../hypotheses/queries';
import { TYPE_OF_LABEL } from '../model';
import { buildSchema } from './schema';

describe('the hypotheses bundle projection', () => {
  const schema = buildSchema();
  it.each(Object.keys(BUNDLE_PROPS) as (keyof typeof BUNDLE_PROPS)[])(
    'answers every field of the type of %s',
    (label) => {
      const type = schema.getType(TYPE_OF_LABEL[label]) as GraphQLObjectType;
      expect(type).toBeInstanceOf(GraphQLObjectType);
      const k = BUNDLE_PROPS[label];
      const listed = new Set<string>([...k.props, ...k.dates, ...k.instants]);
      const missing = Object.values(type.getFields())
        .filter((f) => !f.resolve && !listed.has(f.name))
        .map((f) => f.name);
      expect(missing).toEqual([]);
    },
  );

  it('is one statement naming each property (snapshot)', () => {
    expect(HYPOTHESES_BUNDLE.text).not.toContain('.*');
    expect(HYPOTHESES_BUNDLE.text).toMatchSnapshot();
    // The cache's form: the revision first, then the same columns.
    expect(HYPOTHESES_BUNDLE_AT_REVISION.text).toMatchSnapshot();
  });
});
