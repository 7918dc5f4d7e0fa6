/**
 * Bulk export for research (`attribution export --format jsonl|csv`): every node and
 * relationship as JSON Lines, every claim as CSV, streamed, against the seeded test Neo4j.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { ROOT } from '../src/config';
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
    const entities = async () =>
      (
        await conn
          .db()
          .read(cypher<{ n: number }>('testCountEntities', 'MATCH (n:Entity) RETURN count(n) AS n'))
      )[0].n;
    const before = await entities();
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
    // Nothing left out: the export counts what the database holds. Other suites write
    // meanwhile (test/supernode.test.ts adds and deletes 20,000 nodes), so the count lies
    // between what the database held before and after the export, give or take.
    const after = await entities();
    expect(counts.nodes).toBeGreaterThan(0);
    expect(counts.nodes).toBeGreaterThanOrEqual(Math.min(before, after) * 0.9 - 50);
    expect(counts.nodes).toBeLessThanOrEqual(Math.max(before, after) * 1.1 + 50);
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

/** Runs `attribution <args>` (the CLI as a user runs it, through tsx) against the test Neo4j. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['src/cli.ts', ...args],
      { cwd: ROOT, env: process.env, timeout: 120_000, maxBuffer: 256 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('attribution export (the command line)', () => {
  jest.setTimeout(240_000);
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attribution-export-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--format jsonl --out writes every line it reports, each a node or a relationship', async () => {
    const file = path.join(dir, 'record.jsonl');
    const r = await cli(['export', '--format', 'jsonl', '--out', file]);
    expect(r.code).toBe(0);
    const reported = /export: (\{.*\}) written to /.exec(r.stderr);
    expect(reported).not.toBeNull();
    const counts = JSON.parse(reported![1]) as { nodes: number; relationships: number };
    const lines = fs
      .readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Json);
    expect(lines).toHaveLength(counts.nodes + counts.relationships);
    expect(lines.filter((l) => l.kind === 'node')).toHaveLength(counts.nodes);
    expect(lines.find((l) => l.id === 'sony-pictures-2014')).toMatchObject({
      kind: 'node',
      labels: ['Incident'],
    });
  });

  it('--format csv writes the claims to stdout, header first', async () => {
    const r = await cli(['export', '--format', 'csv']);
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toBe(CLAIM_COLUMNS.join(','));
    const n = Number(/export: \{"claims":(\d+)\}/.exec(r.stderr)?.[1]);
    expect(n).toBeGreaterThan(50);
    expect(rows.length).toBeGreaterThanOrEqual(n);
    expect(rows.some((row) => row.includes(',fbi,supports,2014-12-19,day,2014-12-19,'))).toBe(true);
  });

  it('refuses an unknown format with exit code 2, naming the option', async () => {
    const r = await cli(['export', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format must be stix, jsonl or csv, not "xml"/);
    expect(r.stdout).toBe('');
  });
});
