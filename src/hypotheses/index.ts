export { hypothesisResolvers, hypothesesPage } from './resolvers';
export type { HypothesisListArgs } from './resolvers';
export { assessedHypotheses, candidatesOf, prepare } from './service';
export type { BundleRow } from './service';
export type { AssessedHypothesis, Exclude, LoadedClaim } from './service';
export { HYPOTHESES_BUNDLE } from './queries';
export { analysisResolvers } from './analysisResolvers';
export { closeWorkers, warmWorkers } from './pool';
