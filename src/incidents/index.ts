export { incidentResolvers } from './resolvers';
