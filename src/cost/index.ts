export { analyzeCost, DEFAULT_LIST_SIZE, MAX_LIST_ARGUMENT } from './analyze';
export type { AnalyzeInput, CostReport } from './analyze';
export { costPlugin } from './plugin';
export type { CostExtension, CostPluginOptions } from './plugin';
export { RateLimits, addressOf } from './rateLimits';
export { costResolvers } from './resolvers';
