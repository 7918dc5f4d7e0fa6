export { sourceResolvers, evidencePage } from './resolvers';
export type { EvidenceListArgs } from './resolvers';
