/**
 * Load generators for the benchmark: a closed loop (N connections, each sending its next request
 * when the previous answer is in) and an open loop (requests started at a constant rate whatever
 * the answers do, latency measured from the scheduled start, so queueing is not hidden). Both
 * record every request: kind, latency, answer bytes, success, and when it ended. Requests are
 * plain HTTP POSTs over keep-alive sockets (node:http), so the generator costs little CPU.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Req {
  kind: string;
  url: string;
  body: string;
  headers?: Record<string, string>;
  /** Checks the answer's text; false counts as an error (e.g. a write not visible). */
  check?: (text: string) => boolean;
}

export interface Sample {
  kind: string;
  ms: number;
  bytes: number;
  ok: boolean;
  /** Milliseconds since the load started, when the answer arrived. */
  at: number;
  /** Why it failed, when it did (HTTP status, GraphQL error code, check). */
  why?: string;
}

function send(agent: http.Agent, req: Req): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(req.url);
    const r = http.request(
      {
        agent,
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        headers: {
          ...req.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(req.body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.setTimeout(60_000, () => r.destroy(new Error('timeout')));
    r.end(req.body);
  });
}

async function measure(agent: http.Agent, req: Req, start: number, t0: number): Promise<Sample> {
  try {
    const { status, text } = await send(agent, req);
    const end = performance.now();
    let why: string | undefined;
    if (status !== 200) why = `HTTP ${status}`;
    else if (text.includes('"errors"'))
      why = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? 'GraphQL error';
    else if (req.check && !req.check(text)) why = 'check failed';
    return { kind: req.kind, ms: end - start, bytes: text.length, ok: !why, at: end - t0, why };
  } catch (err) {
    const end = performance.now();
    return {
      kind: req.kind,
      ms: end - start,
      bytes: 0,
      ok: false,
      at: end - t0,
      why: err instanceof Error ? err.message : String(err),
    };
  }
}

/**
 * `connections` loops for `seconds`; `next(conn, last)` gives each connection's next request
 * (it sees that connection's previous request and answer text, e.g. to read back a write).
 */
export async function closedLoop(
  connections: number,
  seconds: number,
  next: (conn: number, last?: { req: Req; text: string }) => Req,
): Promise<Sample[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const samples: Sample[] = [];
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, conn) => {
      let last: { req: Req; text: string } | undefined;
      while (performance.now() < end) {
        const req = next(conn, last);
        const start = performance.now();
        let text = '';
        const s = await measure(
          agent,
          {
            ...req,
            check: (t) => {
              text = t;
              return req.check ? req.check(t) : true;
            },
          },
          start,
          t0,
        );
        samples.push(s);
        last = { req, text };
      }
    }),
  );
  agent.destroy();
  return samples;
}

/** Requests started at `rate` per second for `seconds`, whatever the answers do (open loop). */
export async function openLoop(
  rate: number,
  seconds: number,
  next: (k: number) => Req,
): Promise<Sample[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
  const samples: Promise<Sample>[] = [];
  const t0 = performance.now();
  const total = Math.round(rate * seconds);
  for (let k = 0; k < total; k++) {
    const due = t0 + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // Latency counts from when the request was due, not when the generator got to send it.
    samples.push(measure(agent, next(k), due, t0));
  }
  const out = await Promise.all(samples);
  agent.destroy();
  return out;
}

/** Quantile q of xs (nearest rank), NaN when empty. */
export function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  if (q === 0.5)
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return s[Math.min(s.length - 1, Math.ceil(s.length * q) - 1)];
}

/** Zipf(s) over 0..n-1: a few items take most draws (item 0 the most). */
export function zipf(n: number, s: number, rnd: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / (i + 1) ** s;
  return () => {
    const x = rnd() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
