export { PUBLISHER_NAME, sourceResolvers } from './resolvers';
