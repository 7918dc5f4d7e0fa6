export { sourceResolvers } from './resolvers';
