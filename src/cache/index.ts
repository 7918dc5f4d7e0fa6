export { CacheSet, SingleFlightCache } from './cache';
export type { CacheStats, Loaded } from './cache';
