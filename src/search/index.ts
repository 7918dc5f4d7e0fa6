export { searchResolvers } from './resolvers';
export { luceneLiteral, MAX_SEARCH_TEXT } from './lucene';
