export { PUBLISHER_NAME, sourceResolvers, evidencePage } from './resolvers';
export type { EvidenceListArgs } from './resolvers';
