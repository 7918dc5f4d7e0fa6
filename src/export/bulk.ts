import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { Db, Query } from '../db';
import { plain } from '../graph/entities';
import { partialDateOf } from '../model';
import { BULK_CLAIMS, BULK_NODES, BULK_RELATIONSHIPS } from './queries';

/** Writes a line, waiting when the stream asks to (so a large export never piles up in memory). */
async function put(out: Writable, line: string): Promise<void> {
  if (!out.write(line)) await once(out, 'drain');
}

/** Properties as JSON-ready values: dates as ISO strings. */
function props(p: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, plain(v)]));
}

/** Streams the records of one statement (the driver's records, one at a time). */
async function each<T>(
  db: Db,
  query: Query<T & Record<string, unknown>>,
  fn: (row: T) => Promise<void>,
) {
  await db.stream(query, {}, fn);
}

/**
 * Every node and relationship of the record as JSON Lines, streamed: one object per line,
 * `{"kind":"node","id","labels","properties"}` then
 * `{"kind":"relationship","type","from","to","properties"}`. Returns the counts.
 */
export async function exportJsonl(
  db: Db,
  out: Writable,
): Promise<{ nodes: number; relationships: number }> {
  let nodes = 0;
  let relationships = 0;
  await each(db, BULK_NODES, async (r) => {
    const p = props(r.props);
    await put(
      out,
      JSON.stringify({ kind: 'node', id: p.id, labels: r.labels, properties: p }) + '\n',
    );
    nodes++;
  });
  await each(db, BULK_RELATIONSHIPS, async (r) => {
    await put(
      out,
      JSON.stringify({
        kind: 'relationship',
        type: r.type,
        from: r.from,
        to: r.to,
        properties: props(r.props),
      }) + '\n',
    );
    relationships++;
  });
  return { nodes, relationships };
}

/** The columns of the claims CSV. */
export const CLAIM_COLUMNS = [
  'id',
  'incident',
  'hypothesis',
  'claimant',
  'stance',
  'stated',
  'statedAtPrecision',
  'knownFrom',
  'retracted',
  'textKind',
  'text',
  'credibility',
  'unverified',
  'sources',
  'createdAt',
] as const;

/**
 * Every claim as CSV (RFC 4180, a header row), streamed: `stated` keeps its precision
 * (`2014-12`), `sources` are space-separated ids. Returns the number of claims.
 */
export async function exportClaimsCsv(db: Db, out: Writable): Promise<number> {
  let n = 0;
  await put(out, stringify([[...CLAIM_COLUMNS]]));
  await each(db, BULK_CLAIMS, async (r) => {
    const c = props(r.c);
    const day = (v: unknown) => (v == null ? '' : String(v));
    const precision = String(c.statedAtPrecision ?? 'unknown');
    const row: Record<(typeof CLAIM_COLUMNS)[number], unknown> = {
      id: c.id,
      incident: r.incident ?? '',
      hypothesis: r.hypothesis ?? '',
      claimant: r.claimant ?? '',
      stance: c.stance,
      stated: c.statedAt ? partialDateOf(String(c.statedAt), precision) : '',
      statedAtPrecision: precision,
      knownFrom: day(c.knownFrom),
      retracted: c.retractedAt
        ? partialDateOf(String(c.retractedAt), String(c.retractedAtPrecision ?? 'day'))
        : '',
      textKind: c.textKind,
      text: c.text,
      credibility: c.credibility ?? '',
      unverified: c.unverified === true,
      sources: r.sources.join(' '),
      createdAt: day(c.createdAt),
    };
    await put(out, stringify([CLAIM_COLUMNS.map((k) => row[k])]));
    n++;
  });
  return n;
}
