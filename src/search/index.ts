export { searchResolvers, luceneLiteral } from './resolvers';
