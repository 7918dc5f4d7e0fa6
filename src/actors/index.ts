export { actorResolvers } from './resolvers';
