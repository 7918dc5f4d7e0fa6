import { ANONYMOUS, type Principal } from '../auth/roles';
import { Admission, CacheSet } from '../cache';
import type { Config } from '../config';
import type { Db } from '../db';
import { Loaders } from './entities';
import { Facts } from './facts';

/** What every resolver gets: the request's database handle, its loaders and a per-request memo. */
export interface Context {
  db: Db;
  loaders: Loaders;
  config: Config;
  /** Who is asking (from the bearer token; anonymous without one). */
  principal: Principal;
  /** Per-request memo for computed results (e.g. an incident's assessed hypotheses). */
  memo: Map<string, Promise<unknown>>;
  /** What upstream resolvers computed about the objects they return (./facts.ts). */
  facts: Facts;
  /** The process's caches (shared by every request of one server; keys carry revisions). */
  caches: CacheSet;
  /**
   * The process's gate for an incident's analysis (a cache miss or the cache off): at most so
   * many run at once, a bounded queue waits, the rest is refused with 503 (src/cache/admission.ts).
   */
  analysisGate: Admission;
  /** The request's cost and rate-limit standing, set before execution (src/cost). */
  cost?: RequestCost;
}

/** A caller's standing in the current rate-limit window (what `Query.rateLimit` returns). */
export interface RateLimitStatus {
  /** Points per window. */
  limit: number;
  /** Points this request was charged. */
  cost: number;
  /** Points used in the window, this request included. */
  used: number;
  /** Points left in the window. */
  remaining: number;
  /** When the window resets. */
  resetAt: Date;
}

/** What the cost analysis found for a request, before it ran. */
export interface RequestCost {
  /** The estimated cost (schema/cost.graphql). */
  requested: number;
  /** The caller's rate-limit standing after this request was charged; null when limits are off. */
  rateLimit: RateLimitStatus | null;
}

/** A fresh context for one request. */
export function createContext(
  db: Db,
  config: Config,
  principal: Principal = ANONYMOUS,
  caches: CacheSet = CacheSet.none,
  analysisGate: Admission = Admission.open,
): Context {
  return {
    db,
    loaders: new Loaders(db),
    config,
    principal,
    memo: new Map(),
    facts: new Facts(),
    caches,
    analysisGate,
  };
}

/** Computes `make()` once per request for `key`. */
export function memo<T>(ctx: Context, key: string, make: () => Promise<T>): Promise<T> {
  let p = ctx.memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = make();
    ctx.memo.set(key, p);
  }
  return p;
}
