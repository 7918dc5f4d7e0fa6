/**
 * The floor of the STIX import: the very nodes and relationships an import creates (captured by
 * `bench/stix-import.ts --capture rows.jsonl`), written again with bare statements in the same
 * transactions, into a Neo4j started fresh for the purpose: no parsing, validation, mapping,
 * existence checks, claim-link merges, revision bumps or provenance reads; only
 *
 *   UNWIND $rows AS row CREATE (n:$(row.labels)) SET n = row.props
 *   UNWIND $rows AS row MATCH (a:Entity {id: row.from}) MATCH (b:Entity {id: row.to})
 *     CREATE (a)-[r:$(row.type)]->(b) SET r = row.props
 *
 * (or, with `--by element`, the ends by the element ids the node statement returned: no index
 * seek per end). `--schema` applies the project's migrations first (every constraint and index,
 * the full-text ones included); without it the database has no index at all (then the ends are
 * always found by element id). Each round writes the rows under a new id prefix, so round 1 is a
 * cold JVM and the later ones warm. Prints wall seconds, graph writes/s and the CPU seconds of
 * the Neo4j process and of this one per round.
 *
 *   npx tsx bench/stix-floor.ts rows.jsonl [--schema] [--by id|element] [--rounds 3]
 *     [--port 7744] [--drop <regex>]
 *
 * `--drop`: with --schema, leaves out the indexes and constraints whose name matches (e.g.
 * `^(search|artifact_search)$`), to see what each costs.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import neo4j from 'neo4j-driver';
import { ROOT, loadConfig } from '../src/config';
import {
  connect,
  cypher,
  localPassword,
  migrate,
  startLocalNeo4j,
  stopLocalNeo4j,
} from '../src/db';
import { processCpuSeconds } from './stix-bench';

type Row = Record<string, unknown>;
interface Tx {
  nodes: { labels: string[]; props: Row }[];
  rels: { type: string; from: string; to: string; props: Row }[];
}

const CREATE_NODES = cypher<{ id: string; e: string }>(
  'floorCreateNodes',
  `UNWIND $rows AS row
   CREATE (n:$(row.labels))
   SET n = row.props
   RETURN CASE WHEN $elements THEN row.props.id END AS id, CASE WHEN $elements THEN elementId(n) END AS e`,
);
const CREATE_RELS_BY_ID = cypher(
  'floorCreateRelsById',
  `UNWIND $rows AS row
   MATCH (a:Entity {id: row.from})
   MATCH (b:Entity {id: row.to})
   CREATE (a)-[r:$(row.type)]->(b)
   SET r = row.props`,
);
const CREATE_RELS_BY_ELEMENT = cypher(
  'floorCreateRelsByElement',
  `UNWIND $rows AS row
   MATCH (a) WHERE elementId(a) = row.a
   MATCH (b) WHERE elementId(b) = row.b
   CREATE (a)-[r:$(row.type)]->(b)
   SET r = row.props`,
);

async function load(file: string): Promise<Tx[]> {
  const txs: Tx[] = [];
  for await (const line of readline.createInterface({ input: fs.createReadStream(file) })) {
    if (!line) continue;
    const { tx, kind, rows } = JSON.parse(line) as { tx: number; kind: 'nodes' | 'rels'; rows: [] };
    while (txs.length <= tx) txs.push({ nodes: [], rels: [] });
    txs[tx][kind].push(...rows);
  }
  return txs.filter((t) => t.nodes.length || t.rels.length);
}

async function main() {
  const argv = process.argv.slice(2);
  const opt = (name: string, def: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
  };
  const file = argv.find((a) => !a.startsWith('--'))!;
  const schema = argv.includes('--schema');
  const byElement = !schema || opt('by', 'id') === 'element';
  const rounds = Number(opt('rounds', '3'));
  const port = Number(opt('port', '7744'));
  const txs = await load(file);
  const prefix = /^[^/]*\//.exec(txs[0].nodes[0]?.props.id as string)?.[0] ?? '';
  const home = path.join(ROOT, '.neo4j', 'bench-stix-floor');
  await stopLocalNeo4j(home);
  fs.rmSync(home, { recursive: true, force: true });
  const password = localPassword(home);
  const local = await startLocalNeo4j({ home, port, password });
  const conn = await connect({ ...loadConfig(), NEO4J_URI: local.uri, NEO4J_PASSWORD: password });
  try {
    if (schema) await migrate(conn.db());
    const drop = opt('drop', '');
    if (drop) {
      // Leave out the indexes and constraints whose name matches (what each one costs).
      const { records } = await conn.driver.executeQuery(
        'SHOW INDEXES YIELD name, owningConstraint RETURN name, owningConstraint',
      );
      for (const r of records) {
        const name = r.get('name') as string;
        if (!new RegExp(drop).test(name)) continue;
        const constraint = r.get('owningConstraint') as string | null;
        // Names come from the schema (SHOW INDEXES), never from input.
        await conn.driver.executeQuery(
          constraint ? `DROP CONSTRAINT \`${constraint}\`` : `DROP INDEX \`${name}\``,
        );
        console.log(`dropped ${constraint ? 'constraint' : 'index'} ${constraint ?? name}`);
      }
    }
    const nodes = txs.reduce((n, t) => n + t.nodes.length, 0);
    const rels = txs.reduce((n, t) => n + t.rels.length, 0);
    console.log(
      `floor: ${nodes} nodes + ${rels} relationships in ${txs.length} transactions; ` +
        `${schema ? 'the project schema' : 'no index'}; ends by ${byElement ? 'element id' : 'id (index seek)'}`,
    );
    const stamp = neo4j.types.DateTime.fromStandardDate(new Date());
    for (let round = 1; round <= rounds; round++) {
      const p = `floor-${round}/`;
      const re = (s: string) => (prefix && s.startsWith(prefix) ? p + s.slice(prefix.length) : s);
      const element = new Map<string, string>();
      const cpu0 = processCpuSeconds(local.pid)!;
      const me0 = process.cpuUsage();
      const t0 = performance.now();
      for (const t of txs)
        await conn.db().write(
          async (tx) => {
            if (t.nodes.length) {
              const rows = t.nodes.map((n) => ({
                labels: n.labels,
                props: { ...n.props, id: re(n.props.id as string), importedAt: stamp },
              }));
              const r = await tx.run(CREATE_NODES, { rows, elements: byElement });
              if (byElement) for (const x of r.records) element.set(x.id, x.e);
            }
            if (t.rels.length) {
              const rows = t.rels.map((r) =>
                byElement
                  ? {
                      type: r.type,
                      a: element.get(re(r.from)) ?? '',
                      b: element.get(re(r.to)) ?? '',
                      props: r.props,
                    }
                  : { type: r.type, from: re(r.from), to: re(r.to), props: r.props },
              );
              await tx.run(byElement ? CREATE_RELS_BY_ELEMENT : CREATE_RELS_BY_ID, { rows });
            }
          },
          { timeoutMs: 600_000 },
        );
      const secs = (performance.now() - t0) / 1000;
      const me = process.cpuUsage(me0);
      console.log(
        JSON.stringify({
          round,
          seconds: +secs.toFixed(2),
          graphWritesPerSecond: Math.round((nodes + rels) / secs),
          neo4jCpuSeconds: +(processCpuSeconds(local.pid)! - cpu0).toFixed(1),
          nodeCpuSeconds: +((me.user + me.system) / 1e6).toFixed(1),
        }),
      );
    }
  } finally {
    await conn.close();
    await stopLocalNeo4j(home);
    fs.rmSync(home, { recursive: true, force: true });
  }
}

void main();
