export { Admission } from './admission';
export type { AdmissionStats } from './admission';
export { CacheSet, SingleFlightCache } from './cache';
export type { CacheStats, Loaded } from './cache';
