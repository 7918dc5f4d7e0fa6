import { LRUCache } from 'lru-cache';

/** What a loader returns: the value, its size in bytes (an estimate), and where to keep it. */
export interface Loaded<V> {
  value: V;
  bytes: number;
  /**
   * The key to keep the value under, when it differs from the key asked for (the loader found a
   * newer revision than the caller had read); `null` keeps it nowhere.
   */
  key?: string | null;
}

/** Counters of one cache since the process started. */
export interface CacheStats {
  name: string;
  hits: number;
  misses: number;
  /** Requests that found the same key already loading and waited for that load (single flight). */
  coalesced: number;
  evictions: number;
  entries: number;
  bytes: number;
  maxBytes: number;
}

/**
 * An LRU cache bounded in bytes (lru-cache's `maxSize`) with single-flight loading: concurrent
 * misses on one key run the loader once. Keys must name everything the value depends on (for
 * the analysis: incident, revision, days, exclusions), so an entry is never invalidated, only
 * superseded by a key with a newer revision and evicted when space runs out. `maxBytes` 0 turns
 * caching off (every `get` loads; concurrent loads still coalesce).
 */
export class SingleFlightCache<V extends object> {
  private readonly lru: LRUCache<string, V> | null;
  private readonly loading = new Map<string, Promise<V>>();
  private readonly counts = { hits: 0, misses: 0, coalesced: 0, evictions: 0 };

  constructor(
    readonly name: string,
    readonly maxBytes: number,
  ) {
    this.lru =
      maxBytes > 0
        ? new LRUCache<string, V>({
            maxSize: maxBytes,
            // Sizes are given at set(); an entry larger than the whole cache is not kept.
            maxEntrySize: maxBytes,
            dispose: (_v, _k, reason) => {
              if (reason === 'evict') this.counts.evictions += 1;
            },
          })
        : null;
  }

  /** The value under `key`, loading it (once for all concurrent callers) when absent. */
  get(key: string, load: () => Promise<Loaded<V>>): Promise<V> {
    const hit = this.lru?.get(key);
    if (hit !== undefined) {
      this.counts.hits += 1;
      return Promise.resolve(hit);
    }
    const pending = this.loading.get(key);
    if (pending) {
      this.counts.coalesced += 1;
      return pending;
    }
    this.counts.misses += 1;
    const p = load()
      .then((loaded) => {
        const where = loaded.key === undefined ? key : loaded.key;
        if (where !== null && this.lru)
          this.lru.set(where, loaded.value, { size: Math.max(1, Math.ceil(loaded.bytes)) });
        return loaded.value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, p);
    return p;
  }

  /** Drops every entry (tests; an operator's reset). */
  clear(): void {
    this.lru?.clear();
  }

  stats(): CacheStats {
    return {
      name: this.name,
      ...this.counts,
      entries: this.lru?.size ?? 0,
      bytes: this.lru?.calculatedSize ?? 0,
      maxBytes: this.maxBytes,
    };
  }
}

/**
 * The caches of one server process, by name, sharing one byte budget: each named cache gets the
 * share of `maxBytes` given when it is first asked for. `CacheSet.none` caches nothing.
 */
export class CacheSet {
  static readonly none = new CacheSet(0);
  private readonly caches = new Map<string, SingleFlightCache<object>>();

  constructor(readonly maxBytes: number) {}

  /** The cache called `name`, created on first use with `share` (0..1) of the budget. */
  of<V extends object>(name: string, share: number): SingleFlightCache<V> {
    let c = this.caches.get(name);
    if (!c) {
      c = new SingleFlightCache<object>(name, Math.floor(this.maxBytes * share));
      this.caches.set(name, c);
    }
    return c as unknown as SingleFlightCache<V>;
  }

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  stats(): CacheStats[] {
    return [...this.caches.values()].map((c) => c.stats());
  }
}
