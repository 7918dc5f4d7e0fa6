import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
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

const DAY_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` as midnight UTC; throws when the day does not exist (e.g. 2014-02-30). */
function parseDay(value: string): Date {
  const m = DAY_ONLY.exec(value)!;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== value)
    throw new GraphQLError(`DateTime cannot represent an invalid date ${value}.`);
  return d;
}

/**
 * The `DateTime` scalar as the SDL documents it: an RFC 3339 instant (graphql-scalars) or just
 * a day `YYYY-MM-DD` (read as midnight UTC), so `asOf: "2014-12-19"` works as the docs show.
 */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  parseValue(value: unknown) {
    if (typeof value === 'string' && DAY_ONLY.test(value)) return parseDay(value);
    return DateTimeResolver.parseValue(value);
  },
  parseLiteral(ast, variables) {
    if (ast.kind === Kind.STRING && DAY_ONLY.test(ast.value)) return parseDay(ast.value);
    return DateTimeResolver.parseLiteral(ast, variables);
  },
});
