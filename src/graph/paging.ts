import neo4j from 'neo4j-driver';
import { badInput } from '../errors';
import { Entity, NodeRow, fromRow } from './entities';

/** The Relay connection arguments every paged list takes. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** Relay PageInfo (the four fields of the Cursor Connections spec). */
export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** One page of a connection, before the GraphQL resolvers add `nodes`. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Reads and caps a page size argument, naming it when it is out of range. */
export function pageSize(
  first: number | null | undefined,
  def: number,
  max: number,
  name = 'first',
): number {
  if (first === null || first === undefined) return def;
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw badInput(name, `must be between 1 and ${max}`);
  return first;
}

/** Opaque cursor for an offset (base64 of `o:<n>`), for append-only lists (the audit log). */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64');
}

/** The largest offset a cursor may carry: no list pages past it (docs/reliability.md). */
export const MAX_CURSOR_OFFSET = 100_000;

/**
 * Decodes a cursor from {@link encodeCursor}; a malformed one, or one past
 * {@link MAX_CURSOR_OFFSET}, is a BAD_USER_INPUT naming `after`.
 */
export function decodeCursor(after: string | null | undefined): number {
  if (after === null || after === undefined) return 0;
  if (after.length > 64) throw badInput('after', 'is not a cursor returned by this API');
  const m = /^o:(\d{1,6})$/.exec(Buffer.from(after, 'base64').toString('utf8'));
  if (!m) throw badInput('after', 'is not a cursor returned by this API');
  const offset = Number(m[1]);
  if (offset >= MAX_CURSOR_OFFSET)
    throw badInput(
      'after',
      `points past the last page this API serves (${MAX_CURSOR_OFFSET} items)`,
    );
  return offset + 1;
}

/** A Relay connection over an already-ordered slice starting at `offset` (offset cursors). */
export function connection<T>(
  items: T[],
  offset: number,
  size: number,
  totalCount: number,
): Connection<T> {
  const page = items.slice(0, size);
  const edges = page.map((node, i) => ({ cursor: encodeCursor(offset + i), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: offset + page.length < totalCount,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount,
  };
}

/**
 * A keyset cursor: the sort key and id of a row (base64 of their JSON). A page after it starts
 * at the first row that sorts after that key, so rows added elsewhere never shift a page.
 */
export function encodeKey(key: [string, string]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The longest keyset cursor accepted, in characters (docs/reliability.md: cursors capped). */
export const MAX_KEY_CURSOR = 1024;

/** Decodes a {@link encodeKey} cursor; a malformed one is BAD_USER_INPUT naming the argument. */
export function decodeKey(
  cursor: string | null | undefined,
  name: string,
): [string, string] | null {
  if (cursor === null || cursor === undefined) return null;
  // A cursor this API made holds a sort key and an id: never longer than this.
  if (cursor.length > MAX_KEY_CURSOR) throw badInput(name, 'is not a cursor returned by this API');
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string'))
      return v as [string, string];
  } catch {
    // fall through: not ours
  }
  throw badInput(name, 'is not a cursor returned by this API');
}

/** What a keyset statement returns (see `keysetStatement` in ./keyset). */
export interface KeysetRow {
  total: number;
  hasBefore: boolean;
  hasAfter: boolean;
  rows: { key: [string, string]; node: NodeRow }[];
}

/** The size limits of one connection field: default and largest page. */
export interface PageLimits {
  def: number;
  max: number;
}

/**
 * The paging parameters of a keyset statement from the Relay arguments: `first`/`after`
 * forward, or `last`/`before` backward (not both directions at once).
 */
export function keysetParams(args: PageArgs, limits: PageLimits) {
  if (args.first != null && args.last != null)
    throw badInput('last', 'cannot be combined with `first`: page one way at a time');
  const last = args.last != null ? pageSize(args.last, limits.def, limits.max, 'last') : null;
  const first = last === null ? pageSize(args.first, limits.def, limits.max) : null;
  return {
    first: first === null ? null : neo4j.int(first),
    last: last === null ? null : neo4j.int(last),
    after: decodeKey(args.after, 'after'),
    before: decodeKey(args.before, 'before'),
  };
}

/** Builds the Relay connection from a keyset statement's answer. */
export function keysetConnection<T = Entity>(
  row: KeysetRow | undefined,
  params: ReturnType<typeof keysetParams>,
  map: (e: Entity) => T = (e) => e as T,
): Connection<T> {
  const rows = row?.rows ?? [];
  const forward = params.last === null;
  const size = forward ? params.first!.toNumber() : params.last!.toNumber();
  const more = rows.length > size;
  const page = forward
    ? rows.slice(0, size)
    : rows.slice(rows.length - Math.min(size, rows.length));
  const edges = page.map((r) => ({ cursor: encodeKey(r.key), node: map(fromRow(r.node)) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: forward ? more : Boolean(row?.hasAfter),
      hasPreviousPage: forward ? Boolean(row?.hasBefore) : more,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: Number(row?.total ?? 0),
  };
}

/** Orders keyset keys `[sortKey, id]` as the keyset statements do (by code point). */
function compareKeys(a: [string, string], b: [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

/**
 * A keyset page over a parent's complete list already in memory (an evidence's ratings, a
 * hypothesis's opinions, an organisation's members: loaded for every parent of a request in
 * one batched statement). Same arguments, cursors and PageInfo as a keyset statement
 * ({@link keysetConnection}): a cursor is the row's `[sortKey, id]`, so it stays valid when
 * rows are added.
 */
export function sliceConnection<T>(
  items: readonly T[],
  keyOf: (item: T) => [string, string],
  args: PageArgs,
  limits: PageLimits,
): Connection<T> {
  const p = keysetParams(args, limits);
  const all = items
    .map((node) => ({ key: keyOf(node), node }))
    .sort((a, b) => compareKeys(a.key, b.key));
  const fromAfter = p.after ? all.filter((r) => compareKeys(r.key, p.after!) > 0) : all;
  const window = p.before ? fromAfter.filter((r) => compareKeys(r.key, p.before!) < 0) : fromAfter;
  const forward = p.last === null;
  const size = forward ? p.first!.toNumber() : p.last!.toNumber();
  const page = forward ? window.slice(0, size) : window.slice(Math.max(0, window.length - size));
  const edges = page.map((r) => ({ cursor: encodeKey(r.key), node: r.node }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: forward ? window.length > size : window.length < fromAfter.length,
      hasPreviousPage: forward ? fromAfter.length < all.length : window.length > size,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: all.length,
  };
}
