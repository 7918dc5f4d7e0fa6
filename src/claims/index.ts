export { claimResolvers } from './resolvers';
export { CLAIM_SOURCES } from './queries';
