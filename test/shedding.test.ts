/**
 * Issue 15: load shedding. An incident's analysis (a cache miss, or every request with the cache
 * off) passes a process-wide gate (ANALYSIS_MAX_RUNNING at once, ANALYSIS_MAX_QUEUED waiting);
 * beyond it the request is answered at once with SERVICE_UNAVAILABLE, HTTP 503 and Retry-After,
 * instead of piling up memory and latency. A cache hit never waits at the gate. GraphQL requests
 * themselves pass a gate at the door (REQUESTS_MAX_RUNNING, REQUESTS_MAX_QUEUED). Real Neo4j.
 */
import { TestServer, startTestServer } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const SONY = 'sony-pictures-2014';
const W1 = `query($id: ID!) { incident(id: $id) { hypotheses { id
  supporters { actor { id } claims { id sources { id } } }
  assessment { rank score confidence } } } }`;
const REPLAY = `query($id: ID!, $asOf: LocalDate!) { incident(id: $id) {
  ranking(asOf: $asOf) { hypotheses { hypothesis { id } rank } } } }`;

interface Reply {
  status: number;
  retryAfter: string | null;
  body: Json;
}

async function send(t: TestServer, query: string, variables: Json): Promise<Reply> {
  const res = await fetch(t.app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

async function gateMetric(t: TestServer, name: string, gate = 'analysis'): Promise<number> {
  const text = await (await fetch(t.app.url.replace('/graphql', '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{gate="${gate}"}`));
  return line ? Number(line.split(' ').pop()) : NaN;
}

/** Every reply is an answer or a quick, well-formed refusal; returns how many were refused. */
function refusals(replies: Reply[]): number {
  let shed = 0;
  for (const r of replies) {
    if (r.status === 200 && !r.body.errors) {
      expect(r.body.data.incident).toBeTruthy();
      continue;
    }
    expect(r.status).toBe(503);
    expect(r.retryAfter).toBe('1');
    expect(r.body.errors.map((e: Json) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(r.body.errors[0].message).toMatch(/busy/);
    shed += 1;
  }
  return shed;
}

describe('load shedding (the analysis gate)', () => {
  it('refuses analyses beyond the running and queued bounds with 503 + Retry-After, counted in /metrics, and serves again after', async () => {
    const t = await startTestServer({
      CACHE_MAX_BYTES: '0',
      ANALYSIS_MAX_RUNNING: '1',
      ANALYSIS_MAX_QUEUED: '1',
    });
    try {
      const replies = await Promise.all(
        Array.from({ length: 24 }, () => send(t, W1, { id: SONY })),
      );
      const shed = refusals(replies);
      expect(shed).toBeGreaterThan(0);
      expect(shed).toBeLessThan(replies.length);
      expect(await gateMetric(t, 'attribution_gate_shed_total')).toBe(shed);
      expect(await gateMetric(t, 'attribution_gate_admitted_total')).toBe(replies.length - shed);
      expect(await gateMetric(t, 'attribution_gate_running')).toBe(0);
      expect(await gateMetric(t, 'attribution_gate_queued')).toBe(0);
      // Nothing is left behind: one at a time, every request is served.
      for (let i = 0; i < 3; i++) expect(refusals([await send(t, W1, { id: SONY })])).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('serves cache hits while misses are shed (a hit never waits at the gate)', async () => {
    const t = await startTestServer({ ANALYSIS_MAX_RUNNING: '1', ANALYSIS_MAX_QUEUED: '0' });
    try {
      const primed = await send(t, W1, { id: SONY });
      expect(refusals([primed])).toBe(0);
      const admitted = await gateMetric(t, 'attribution_gate_admitted_total');
      // 12 misses (each a different day: its own analysis) and 12 hits, all at once.
      const days = Array.from({ length: 12 }, (_, i) => `2015-0${1 + (i % 9)}-1${i % 10}`);
      const [misses, hits] = await Promise.all([
        Promise.all(days.map((asOf) => send(t, REPLAY, { id: SONY, asOf }))),
        Promise.all(days.map(() => send(t, W1, { id: SONY }))),
      ]);
      expect(refusals(hits)).toBe(0);
      for (const h of hits) expect(h.body.data).toEqual(primed.body.data);
      const shed = refusals(misses);
      expect(shed).toBeGreaterThan(0);
      expect(await gateMetric(t, 'attribution_gate_shed_total')).toBe(shed);
      // Only the misses that ran passed the gate.
      expect(await gateMetric(t, 'attribution_gate_admitted_total')).toBe(
        admitted + misses.length - shed,
      );
    } finally {
      await t.close();
    }
  });

  it('refuses GraphQL requests beyond REQUESTS_MAX_RUNNING + REQUESTS_MAX_QUEUED at the door, before any statement', async () => {
    const t = await startTestServer({
      CACHE_MAX_BYTES: '0',
      REQUESTS_MAX_RUNNING: '2',
      REQUESTS_MAX_QUEUED: '1',
    });
    try {
      const replies = await Promise.all(
        Array.from({ length: 24 }, () => send(t, W1, { id: SONY })),
      );
      const shed = refusals(replies);
      expect(shed).toBeGreaterThan(0);
      expect(await gateMetric(t, 'attribution_gate_shed_total', 'requests')).toBe(shed);
      // The analyses that ran are those of the requests let in.
      expect(await gateMetric(t, 'attribution_gate_admitted_total')).toBe(replies.length - shed);
      // Probes are not GraphQL requests: never shed.
      expect((await fetch(t.app.url.replace('/graphql', '/healthz'))).status).toBe(200);
      for (let i = 0; i < 3; i++) expect(refusals([await send(t, W1, { id: SONY })])).toBe(0);
      expect(await gateMetric(t, 'attribution_gate_running', 'requests')).toBe(0);
    } finally {
      await t.close();
    }
  });
});
