export { artifactResolvers, loadEdges, technicalProfile, TACTIC_ORDER } from './resolvers';
export type { Edge } from './resolvers';
export { claimOnRecord, edgeCypher } from './queries';
export type { EdgeItem } from './queries';
export { overlapResolvers } from './overlapResolvers';
