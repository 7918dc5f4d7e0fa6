import { badInput } from '../errors';

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

/** Opaque cursor for an offset (base64 of `o:<n>`). */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64');
}

/** Decodes a cursor from {@link encodeCursor}; a malformed one is a BAD_USER_INPUT naming `after`. */
export function decodeCursor(after: string | null | undefined): number {
  if (after === null || after === undefined) return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(after, 'base64').toString('utf8'));
  if (!m) throw badInput('after', 'is not a cursor returned by this API');
  return Number(m[1]) + 1;
}

/** A Relay connection over an already-ordered slice starting at `offset`. */
export function connection<T>(items: T[], offset: number, size: number, totalCount: number) {
  const page = items.slice(0, size);
  return {
    edges: page.map((node, i) => ({ cursor: encodeCursor(offset + i), node })),
    pageInfo: {
      hasNextPage: offset + page.length < totalCount,
      endCursor: page.length ? encodeCursor(offset + page.length - 1) : null,
    },
    totalCount,
  };
}
