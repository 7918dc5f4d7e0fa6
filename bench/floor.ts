/**
 * The floor of the benchmark: the best hand-written Cypher for W1's answer, ONE statement that
 * projects only the fields W1 shows (hypothesis, suspects, supporters and opponents grouped by
 * actor with their claims and sources, publisher names, dates as strings), plus what the
 * assessment is computed from (the ratings with their evidence and its sources), so it reads at
 * least the data our server reads. It cannot compute the assessment (scoring is not Cypher):
 * that is the work ours does on top. Timed in-process (neo4j-driver) and behind a minimal
 * `node:http` handler (`JSON.stringify`, one log line per request to a file), so the GraphQL
 * layer is compared like for like.
 */
import fs from 'node:fs';
import http from 'node:http';
import neo4j, { Driver } from 'neo4j-driver';

const SOURCE = `s {.id, .title, .url, .reliability, publishedAt: toString(s.publishedAt),
  publisher: COLLECT { MATCH (s)-[:PUBLISHED_BY]->(p) RETURN p.name }[0]}`;

const POSITIONS = (rel: string) => `COLLECT {
    MATCH (c:Claim)-[:${rel}]->(h)
    WHERE c.retractedAt IS NULL OR c.retractedAt > date($today)
    MATCH (c)-[:BY]->(a:Actor)
    WITH a, c ORDER BY c.statedAt, c.id
    WITH a, collect(c {.id, .text, statedAt: toString(c.statedAt),
      sources: COLLECT { MATCH (c)-[:CITES]->(s:Source) RETURN ${SOURCE} ORDER BY s.id }}) AS claims
    RETURN {actor: a {.id, .name}, claims: claims} ORDER BY a.name
  }`;

export const FLOOR_W1 = `MATCH (:Incident {id: $id})<-[:ABOUT]-(h:Hypothesis)
WITH h ORDER BY h.tag, h.id
RETURN h.id AS id, h.statement AS statement,
  COLLECT { MATCH (h)-[:SUSPECTS]->(s:Actor) RETURN s {.id, .name} ORDER BY s.name } AS suspects,
  ${POSITIONS('SUPPORTS')} AS supporters,
  ${POSITIONS('DISPUTES')} AS opponents,
  COLLECT {
    MATCH (r:Rating)-[:AGAINST]->(h)
    MATCH (r)-[:RATES]->(e:Evidence)
    MATCH (r)-[:BY]->(a:Actor)
    RETURN {id: r.id, rating: r.rating, rater: a.id, evidence: e.id, credibility: e.credibility,
            sources: COLLECT { MATCH (e)-[:CITES]->(s:Source) RETURN s {.id, .reliability} }}
  } AS ratings`;

export type FloorAnswer = Record<string, unknown>[];

/** Runs the floor statement once. */
export async function floorW1(driver: Driver, id: string, today: string): Promise<FloorAnswer> {
  const res = await driver.executeQuery(
    FLOOR_W1,
    { id, today },
    { routing: neo4j.routing.READ, database: 'neo4j' },
  );
  return res.records.map((r) => r.toObject());
}

/** The minimal HTTP floor: POST {"id": ...} answers the floor statement's rows as JSON. */
export async function startFloorServer(
  driver: Driver,
  logFile: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  const server = http.createServer((req, res) => {
    const t0 = process.hrtime.bigint();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { id } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string };
      floorW1(driver, id, new Date().toISOString().slice(0, 10))
        .then((rows) => {
          const body = JSON.stringify({ data: rows });
          res.writeHead(200, { 'content-type': 'application/json' }).end(body);
          log.write(
            `${JSON.stringify({ time: Date.now(), path: req.url, status: 200, ms: Number(process.hrtime.bigint() - t0) / 1e6 })}\n`,
          );
        })
        .catch((err: Error) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ message: err.message }] }));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/w1`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        log.end();
      }),
  };
}
