import type { Config } from '../config';
import type { Db } from '../db';
import { Loaders } from './entities';

/** What every resolver gets: the request's database handle, its loaders and a per-request memo. */
export interface Context {
  db: Db;
  loaders: Loaders;
  config: Config;
  /** Per-request memo for computed results (e.g. an incident's assessed hypotheses). */
  memo: Map<string, Promise<unknown>>;
}

/** A fresh context for one request. */
export function createContext(db: Db, config: Config): Context {
  return { db, loaders: new Loaders(db), config, memo: new Map() };
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
