/**
 * Bulk export for research (`attribution export --format jsonl|csv`): every node and
 * relationship as JSON Lines, every claim as CSV, streamed, against the seeded test Neo4j.
 */
import { PassThrough } from 'node:stream';
import { cypher } from '../src/db';
import { CLAIM_COLUMNS, exportClaimsCsv, exportJsonl } from '../src/export';
import { Connection } from '../src/db';
import { testConnect } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let conn: Connection;
beforeAll(async () => {
  conn = await testConnect();
});
afterAll(async () => {
  await conn?.close();
});

/** Runs an export into memory. */
async function collect(run: (out: PassThrough) => Promise<unknown>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await run(out);
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

describe('bulk export', () => {
  it('jsonl: every node and relationship of the record, one JSON object a line, no secrets', async () => {
    let counts: { nodes: number; relationships: number } = { nodes: 0, relationships: 0 };
    const text = await collect(async (out) => {
      counts = await exportJsonl(conn.db(), out);
    });
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Json);
    expect(lines).toHaveLength(counts.nodes + counts.relationships);
    const nodes = lines.filter((l) => l.kind === 'node');
    const rels = lines.filter((l) => l.kind === 'relationship');
    expect(nodes).toHaveLength(counts.nodes);
    expect(rels).toHaveLength(counts.relationships);
    const ids = new Set(nodes.map((n) => n.id));
    for (const id of ['sony-pictures-2014', 'fbi', 'sony-h1-dprk-state'])
      expect(ids.has(id)).toBe(true);
    const sony = nodes.find((n) => n.id === 'sony-pictures-2014');
    expect(sony).toMatchObject({ labels: ['Incident'], properties: { startedAt: '2014-11-24' } });
    expect(rels.some((r) => r.type === 'SUPPORTS' && ids.has(r.from) && ids.has(r.to))).toBe(true);
    for (const n of nodes) {
      expect(n.labels).not.toContain('ApiKey');
      expect(JSON.stringify(n.properties)).not.toMatch(/keyHash|secret/i);
    }
    // Nothing left out: the export counts what the database holds (other tests may add
    // records meanwhile, so at least as many as at the start of this test's own count).
    const [db] = await conn
      .db()
      .read(cypher<{ n: number }>('testCountEntities', 'MATCH (n:Entity) RETURN count(n) AS n'));
    expect(counts.nodes).toBeGreaterThan(0);
    expect(Math.abs(db.n - counts.nodes)).toBeLessThan(db.n * 0.1 + 50);
  });

  it('csv: every claim with its precision kept, RFC 4180 quoting', async () => {
    let n = 0;
    const text = await collect(async (out) => {
      n = await exportClaimsCsv(conn.db(), out);
    });
    const [header, ...rows] = text.trimEnd().split('\n');
    expect(header).toBe(CLAIM_COLUMNS.join(','));
    expect(n).toBeGreaterThan(50);
    expect(rows.length).toBeGreaterThanOrEqual(n);
    const december = rows.filter(
      (r) => r.includes(',sony-pictures-2014,') && r.includes(',2014-12,month,2014-12-31,'),
    );
    // Four Sony claims are dated only to December 2014 (the others got their day: test/replay.test.ts).
    expect(december.length).toBeGreaterThanOrEqual(4);
    const fbi = rows.find((r) => r.includes(',fbi,supports,2014-12-19,day,2014-12-19,'));
    expect(fbi).toBeDefined();
    // A field with a comma or a quote is quoted, its quotes doubled.
    expect(rows.some((r) => /,"[^"]*(""|,)[^"]*"/.test(r))).toBe(true);
  });
});
