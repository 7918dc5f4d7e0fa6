export { hypothesisResolvers } from './resolvers';
export { assessedHypotheses } from './service';
export type { AssessedHypothesis, Exclude, LoadedClaim } from './service';
export { HYPOTHESES_BUNDLE } from './queries';
export { analysisResolvers } from './analysisResolvers';
