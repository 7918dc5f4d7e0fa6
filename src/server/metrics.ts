import type { RequestHandler } from 'express';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { CacheSet } from '../cache';

/**
 * Prometheus metrics at GET /metrics (prom-client): the process's default metrics (CPU, heap,
 * event-loop lag, GC) and, per cache, hits, misses, coalesced loads, evictions, entries, bytes and
 * the hit ratio. Counters are read from the caches at scrape time.
 */
export function metricsHandler(caches: CacheSet): RequestHandler {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const gauge = (
    name: string,
    help: string,
    value: (s: ReturnType<CacheSet['stats']>[number]) => number,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: ['cache'],
      registers: [registry],
      collect() {
        for (const s of caches.stats()) this.set({ cache: s.name }, value(s));
      },
    });
  gauge('attribution_cache_hits_total', 'Requests answered from the cache', (s) => s.hits);
  gauge('attribution_cache_misses_total', 'Requests that loaded and computed', (s) => s.misses);
  gauge(
    'attribution_cache_coalesced_total',
    'Requests that waited for a load already running (single flight)',
    (s) => s.coalesced,
  );
  gauge(
    'attribution_cache_evictions_total',
    'Entries evicted to stay within bytes',
    (s) => s.evictions,
  );
  gauge('attribution_cache_entries', 'Entries held', (s) => s.entries);
  gauge('attribution_cache_bytes', 'Estimated bytes held', (s) => s.bytes);
  gauge('attribution_cache_max_bytes', 'Byte budget', (s) => s.maxBytes);
  gauge('attribution_cache_hit_ratio', 'hits / (hits + misses + coalesced)', (s) => {
    const all = s.hits + s.misses + s.coalesced;
    return all ? s.hits / all : 0;
  });
  return async (_req, res) => {
    res.set('content-type', registry.contentType).send(await registry.metrics());
  };
}
