import neo4j from 'neo4j-driver';
import { Query, toDate } from '../db';
import type { Context } from './context';
import type { Entity } from './entities';
import type { Direction } from './keyset';
import {
  Connection,
  KeysetRow,
  PageArgs,
  PageLimits,
  keysetConnection,
  keysetParams,
} from './paging';

/** The `orderBy` argument of a list: a field and a direction. */
export interface OrderBy<F extends string> {
  field: F;
  direction?: Direction | null;
}

/** One default page size and cap for every root list and edge list (docs/clients.md). */
export const LIST_LIMITS: PageLimits = { def: 50, max: 100 };

/**
 * Runs one page of a keyset-paged list: picks the statement of the order asked for (a
 * prepared constant, never text from the request), and builds the Relay connection.
 */
export async function listPage<F extends string>(
  ctx: Context,
  statements: Record<F, Record<Direction, Query<KeysetRow>>>,
  params: Record<string, unknown>,
  orderBy: OrderBy<F> | null | undefined,
  defaultOrder: OrderBy<F>,
  args: PageArgs,
  limits: PageLimits = LIST_LIMITS,
): Promise<Connection<Entity>> {
  const field = orderBy?.field ?? defaultOrder.field;
  const dir = orderBy?.direction ?? (orderBy ? 'ASC' : (defaultOrder.direction ?? 'ASC'));
  const paging = keysetParams(args, limits);
  const [row] = await ctx.db.read(statements[field][dir], { ...params, ...paging });
  const page = keysetConnection(row, paging);
  ctx.loaders.prime(page.nodes);
  return page;
}

/** A list-of-ids filter value as a parameter (null: no filter). */
export const idsParam = (v: readonly string[] | null | undefined) => (v ? [...v] : null);

/** A `LocalDate` filter value as a Neo4j date parameter (null: no filter). */
export const dayParam = (v: string | null | undefined) => (v ? toDate(v) : null);

/** A `DateTime` filter value as a Neo4j datetime parameter (null: no filter). */
export const instantParam = (v: Date | null | undefined) =>
  v ? neo4j.types.DateTime.fromStandardDate(v) : null;

/** A Boolean filter value (null: no filter). */
export const boolParam = (v: boolean | null | undefined) => (v === undefined ? null : v);
