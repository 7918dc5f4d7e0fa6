export { COUNTED_SOURCES, claimResolvers, claimsPage } from './resolvers';
export type { ClaimFilter, ClaimListArgs } from './resolvers';
export { CLAIM_SOURCES } from './queries';
