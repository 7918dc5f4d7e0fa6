import { Query, cypher } from '../db';
import type { KeysetRow } from './paging';

/** Sort direction of an `orderBy` argument. */
export type Direction = 'ASC' | 'DESC';

/**
 * A paged list: its `MATCH ... WHERE ...` (binding the listed node as `x`, filters as
 * `$parameters`) and, per order field, the sort key as a Cypher expression over `x` that is
 * never null (a string; ties are broken by `x.id`).
 */
export interface KeysetSpec<F extends string> {
  name: string;
  match: string;
  orders: Record<F, string>;
}

/** `a` comes after `c` in this direction (keys are `[sortKey, id]`). */
function after(a: string, c: string, dir: Direction): string {
  const op = dir === 'ASC' ? '>' : '<';
  return `(${a}[0] ${op} ${c}[0] OR (${a}[0] = ${c}[0] AND ${a}[1] ${op} ${c}[1]))`;
}

/** `a` comes before `c` in this direction. */
function before(a: string, c: string, dir: Direction): string {
  return after(a, c, dir === 'ASC' ? 'DESC' : 'ASC');
}

/**
 * One statement of a keyset-paged list, for one order field and direction. It returns the
 * total (for the filters), whether rows precede `$after` or follow `$before`, and one page
 * (plus one row, to tell whether more follow) with each row's key for its cursor.
 * Parameters: the filters, `$after`/`$before` (keys or null), `$first`/`$last` (integers or null).
 */
export function keysetStatement(name: string, match: string, key: string, dir: Direction) {
  return cypher<KeysetRow>(
    name,
    `${match.trim()}
   WITH x, [${key}, x.id] AS k
   ORDER BY k[0] ${dir}, k[1] ${dir}
   WITH collect({key: k, node: x}) AS everything
   WITH everything, [r IN everything WHERE $after IS NULL OR ${after('r.key', '$after', dir)}] AS fromAfter
   WITH everything, fromAfter, [r IN fromAfter WHERE $before IS NULL OR ${before('r.key', '$before', dir)}] AS window
   RETURN size(everything) AS total,
     size(fromAfter) < size(everything) AS hasBefore,
     size(window) < size(fromAfter) AS hasAfter,
     [r IN CASE WHEN $last IS NULL THEN window[0..$first + 1] ELSE window[-($last + 1)..] END
       | {key: r.key, node: {labels: labels(r.node), props: properties(r.node)}}] AS rows`,
  );
}

/** Every statement of a paged list: one per order field and direction, named `<name>_<FIELD>_<DIR>`. */
export function keysetStatements<F extends string>(
  spec: KeysetSpec<F>,
): Record<F, Record<Direction, Query<KeysetRow>>> {
  const out = {} as Record<F, Record<Direction, Query<KeysetRow>>>;
  for (const [field, key] of Object.entries(spec.orders) as [F, string][]) {
    out[field] = {
      ASC: keysetStatement(`${spec.name}_${field}_ASC`, spec.match, key, 'ASC'),
      DESC: keysetStatement(`${spec.name}_${field}_DESC`, spec.match, key, 'DESC'),
    };
  }
  return out;
}

/** Sort key of a date property: its ISO day, undated last when ascending. */
export const dateKey = (prop: string) => `coalesce(toString(${prop}), '~')`;

/** Sort key of the instant a node was recorded (`createdAt`): fixed-width epoch millis; the seed (no createdAt) first. */
export const recordedKey = (node = 'x') =>
  `coalesce(toString(${node}.createdAt.epochMillis + 100000000000000), '0')`;

/** Sort key of a name: case-insensitive. */
export const nameKey = (prop: string) => `toLower(coalesce(${prop}, ''))`;

/** Sort key that leaves the order to the id. */
export const ID_KEY = `''`;
