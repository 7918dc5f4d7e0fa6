export { evidencePage, evidenceResolvers } from './resolvers';
export type { EvidenceFilter, EvidenceListArgs } from './resolvers';
