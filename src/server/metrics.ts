import type { RequestHandler } from 'express';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Admission, CacheSet } from '../cache';

/**
 * Prometheus metrics at GET /metrics (prom-client): the process's default metrics (CPU, heap,
 * event-loop lag, GC) and, per cache, hits, misses, coalesced loads, evictions, entries, bytes and
 * the hit ratio; per admission gate (load shedding), work running, waiting, admitted and shed.
 * Counters are read from the caches and gates at scrape time.
 */
export function metricsHandler(caches: CacheSet, gates: Admission[] = []): RequestHandler {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  /** A gauge per counter, one series per cache (or gate) labelled by its name. */
  const gauges =
    <S extends { name: string }>(label: string, stats: () => S[]) =>
    (name: string, help: string, value: (s: S) => number) =>
      new Gauge({
        name,
        help,
        labelNames: [label],
        registers: [registry],
        collect() {
          for (const s of stats()) this.set({ [label]: s.name }, value(s));
        },
      });
  const gauge = gauges('cache', () => caches.stats());
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
  const gateGauge = gauges('gate', () => gates.map((g) => g.stats()));
  gateGauge('attribution_gate_running', 'Work running now', (s) => s.running);
  gateGauge('attribution_gate_queued', 'Work waiting for a slot now', (s) => s.queued);
  gateGauge('attribution_gate_admitted_total', 'Work that ran', (s) => s.admitted);
  gateGauge(
    'attribution_gate_shed_total',
    'Work refused with 503 because the queue was full',
    (s) => s.shed,
  );
  gateGauge('attribution_gate_max_running', 'Work allowed to run at once', (s) => s.maxRunning);
  gateGauge('attribution_gate_max_queued', 'Work allowed to wait', (s) => s.maxQueued);
  return async (_req, res) => {
    res.set('content-type', registry.contentType).send(await registry.metrics());
  };
}
