/**
 * A round-robin HTTP load balancer for the replica benchmark (bench/replicas.ts), in its own
 * process so it shares no event loop with the load generator or the replicas: each request goes
 * to the next upstream in turn over keep-alive sockets, body and answer streamed through. No
 * stickiness, no health checks: what a plain round-robin balancer in front of the API does.
 *
 *   npx tsx bench/proxy.ts <upstream-url> [<upstream-url> ...]
 *
 * Prints one JSON line `{"url": ...}` on stdout when it listens (a free port on 127.0.0.1);
 * exits on SIGTERM or SIGINT.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const upstreams = process.argv.slice(2).map((u) => new URL(u));
if (!upstreams.length) {
  console.error('usage: proxy.ts <upstream-url> [<upstream-url> ...]');
  process.exit(2);
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
let next = 0;

const server = http.createServer((req, res) => {
  const up = upstreams[next];
  next = (next + 1) % upstreams.length;
  const out = http.request(
    {
      agent,
      host: up.hostname,
      port: up.port,
      path: req.url,
      method: req.method,
      headers: { ...req.headers, host: up.host },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`proxy: ${err.message}`);
  });
  req.pipe(out);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${port}${upstreams[0].pathname}`, pid: process.pid })}\n`,
  );
});
for (const sig of ['SIGTERM', 'SIGINT'] as const)
  process.once(sig, () => {
    server.close();
    agent.destroy();
    process.exit(0);
  });
