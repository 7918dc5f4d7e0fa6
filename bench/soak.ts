/**
 * Soak over loopback (issue 9): 64 connections for 60 s over a mix of the flagship query,
 * search and writes (createClaim), against the server in its own process. Ends with the
 * figures (throughput, p50/p99, non-2xx, errors) and a check that every acknowledged write is
 * in the database with its audit entry: zero lost writes. Bounded in time, loopback only.
 *
 *   npm run soak [-- --connections 64 --duration 60]
 *
 * Uses NEO4J_URI when set, otherwise the local dev Neo4j (started if needed, seed loaded).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { cliPrincipal } from '../src/auth';
import { loadConfig } from '../src/config';
import { connect, cypher, migrate, neo4jPassword } from '../src/db';
import { createApiKey } from '../src/mutations';
import { loadSeed } from '../src/seed';

const FLAGSHIP = `{ incident(id: "sony-pictures-2014") { hypotheses { id suspects { name }
  supporters { actor { name } claims { text statedAt sources { title url reliability } } }
  opponents { actor { name } claims { text statedAt sources { title url reliability } } }
  assessment { rank likelihood confidence score } } } }`;
const SEARCH = `{ search(text: "Guardians of Peace") { score node { id } } }`;
const CREATE = `mutation($input: CreateClaimInput!) { createClaim(input: $input) { claim { id } userErrors { field path code message } } }`;

const COUNT = cypher<{ claims: number; audits: number }>(
  'soakCount',
  `RETURN COUNT { MATCH (c:Claim) WHERE c.id STARTS WITH $prefix } AS claims,
          COUNT { MATCH (a:AuditEntry {operation: 'createClaim'}) WHERE any(i IN a.ids WHERE i STARTS WITH $prefix) } AS audits`,
);
const CLEAN = cypher('soakClean', `MATCH (c:Claim) WHERE c.id STARTS WITH $prefix DETACH DELETE c`);

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

async function main(): Promise<void> {
  const connections = arg('connections', 64);
  const duration = arg('duration', 60);
  const config = loadConfig();
  const conn = await connect(config);
  const uri = config.NEO4J_URI ?? conn.local!.uri;
  await migrate(conn.db());
  await loadSeed(conn.db());
  const { key, apiKey } = await createApiKey(
    { db: conn.db(), principal: cliPrincipal() },
    { name: `soak ${new Date().toISOString()}`, role: 'analyst', actor: null },
  );
  const prefix = `soak-${randomUUID().slice(0, 8)}`;

  // The server in its own process, so the load generator does not share its event loop.
  const server = spawn(process.execPath, ['--import', 'tsx', 'bench/serve.ts', 'ours', uri], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NEO4J_PASSWORD: neo4jPassword(config) },
  });
  const url = await new Promise<string>((resolve, reject) => {
    readline
      .createInterface({ input: server.stdout! })
      .once('line', (l) => resolve(JSON.parse(l).url));
    server.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });

  const acknowledged = new Set<string>();
  const refused: Record<string, number> = {};
  let n = 0;
  const post = (body: string, extra: Record<string, string> = {}) => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', ...extra },
    body,
  });
  const result = await autocannon({
    url: url.replace(/\/graphql$/, ''),
    connections,
    duration,
    timeout: 30,
    requests: [
      post(JSON.stringify({ query: FLAGSHIP })),
      post(JSON.stringify({ query: SEARCH })),
      post(JSON.stringify({ query: FLAGSHIP })),
      {
        ...post('', { authorization: `Bearer ${key}` }),
        setupRequest: (req) => {
          const id = `${prefix}-${(n += 1)}`;
          return {
            ...req,
            body: JSON.stringify({
              query: CREATE,
              variables: {
                input: {
                  id,
                  claimant: 'fbi',
                  stance: 'SUPPORTS',
                  hypothesis: 'sony-h1-dprk-state',
                  statedAt: '2015-01-07',
                  text: `soak claim ${id}`,
                  textKind: 'PARAPHRASE',
                  sources: ['src-s02-fbi-update'],
                },
              },
            }),
          };
        },
        onResponse: (status, body) => {
          const parsed = JSON.parse(body) as {
            data?: { createClaim?: { claim: { id: string } | null } };
            errors?: { extensions?: { code?: string } }[];
          };
          if (status === 200 && parsed.data?.createClaim?.claim)
            acknowledged.add(parsed.data.createClaim.claim.id);
          else {
            const code = `${status} ${parsed.errors?.[0]?.extensions?.code ?? ''}`;
            refused[code] = (refused[code] ?? 0) + 1;
          }
        },
      },
    ],
  });
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
  const [{ claims, audits }] = await conn.db().read(COUNT, { prefix });
  const stored = new Set(
    (
      await conn
        .db()
        .read(
          cypher<{ id: string }>(
            'soakIds',
            'MATCH (c:Claim) WHERE c.id STARTS WITH $prefix RETURN c.id AS id',
          ),
          { prefix },
        )
    ).map((r) => r.id),
  );
  const lost = [...acknowledged].filter((id) => !stored.has(id)).length;
  console.log(
    `soak: ${connections} connections, ${duration} s, mix 2 flagship : 1 search : 1 createClaim`,
  );
  console.log('| requests | req/s (mean) | p50 ms | p99 ms | 2xx | non-2xx | errors | timeouts |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  console.log(
    `| ${result.requests.total} | ${result.requests.mean.toFixed(1)} | ${result.latency.p50} | ${result.latency.p99} | ${result['2xx']} | ${result.non2xx} | ${result.errors} | ${result.timeouts} |`,
  );
  console.log(
    `writes: ${acknowledged.size} acknowledged, ${JSON.stringify(refused)} refused; in the database: ${claims} claims, ${audits} audit entries; lost: ${lost}`,
  );
  await conn.db().write((tx) => tx.run(CLEAN, { prefix }));
  await conn.db().write((tx) =>
    tx.run(cypher('soakRevoke', 'MATCH (k:ApiKey {id: $id}) SET k.revokedAt = datetime()'), {
      id: apiKey.id,
    }),
  );
  await conn.close({ stopLocal: false });
  if (lost > 0 || (result.non2xx > 0 && Object.keys(refused).some((c) => c.startsWith('5'))))
    process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
