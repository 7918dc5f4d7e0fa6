import { Date as Neo4jDate } from 'neo4j-driver';
import { toDate } from '../db';

/** Today's date (UTC) as `YYYY-MM-DD`. */
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The day an `asOf` argument designates (UTC): the record "as of" a day is everything on record
 * by the end of that day. Null when absent.
 */
export function asOfDay(asOf: Date | null | undefined): string | null {
  return asOf ? asOf.toISOString().slice(0, 10) : null;
}

/** `asOf` as a Neo4j date parameter, or null. */
export function asOfParam(asOf: Date | null | undefined): Neo4jDate<number> | null {
  const d = asOfDay(asOf);
  return d ? toDate(d) : null;
}
