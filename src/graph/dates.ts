import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { Date as Neo4jDate } from 'neo4j-driver';
import { toDate } from '../db';
import { parsePartialDate, partialDateOf } from '../model';

/** Today's date (UTC) as `YYYY-MM-DD`. */
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The day an `asOf` argument designates (a `LocalDate`, already checked by the scalar): the
 * record "as of" a day is everything surely on record by the end of that day. Null when absent,
 * which means the whole record as it stands now (undated items included).
 */
export function asOfDay(asOf: string | null | undefined): string | null {
  return asOf ?? null;
}

/** `asOf` as a Neo4j date parameter, or null. */
export function asOfParam(asOf: string | null | undefined): Neo4jDate<number> | null {
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
 * The `DateTime` scalar: an RFC 3339 instant (graphql-scalars) or just a day `YYYY-MM-DD`
 * (read as midnight UTC). Used for instants only (`createdAt`, `recordedAfter`).
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

/** A string literal's value, or a GraphQL error naming the scalar. */
function literalString(scalar: string, ast: ValueNode): string {
  if (ast.kind !== Kind.STRING)
    throw new GraphQLError(`${scalar} must be a string, got a ${ast.kind.toLowerCase()}.`);
  return ast.value;
}

/** Checks a calendar day `YYYY-MM-DD` (a day that exists); returns it unchanged. */
export function checkLocalDate(value: unknown): string {
  if (typeof value !== 'string' || !DAY_ONLY.test(value))
    throw new GraphQLError(`LocalDate must be a day as YYYY-MM-DD, got ${JSON.stringify(value)}.`);
  const p = parsePartialDate(value);
  if (!p) throw new GraphQLError(`LocalDate cannot represent an invalid date ${value}.`);
  return value;
}

/**
 * `LocalDate`: a calendar day, `YYYY-MM-DD`, no time and no time zone. As an argument it is
 * passed to resolvers as that string; on output Neo4j dates and strings serialise as the day.
 */
export const LocalDateScalar = new GraphQLScalarType({
  name: 'LocalDate',
  description: 'A calendar day, `YYYY-MM-DD` (ISO 8601), with no time and no time zone.',
  serialize(value: unknown) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return checkLocalDate(typeof value === 'string' ? value.slice(0, 10) : String(value));
  },
  parseValue: checkLocalDate,
  parseLiteral: (ast) => checkLocalDate(literalString('LocalDate', ast)),
});

/** Checks a partial date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or `unknown` in inputs). */
export function checkPartialDate(value: unknown): string {
  if (typeof value === 'string' && (value === 'unknown' || parsePartialDate(value))) return value;
  throw new GraphQLError(
    `PartialDate must be a date as YYYY-MM-DD, YYYY-MM or YYYY (or "unknown"), got ${JSON.stringify(value)}.`,
  );
}

/**
 * A stored date with its precision, written as the source gives it: `2014-12-19` (day),
 * `2014-12` (month), `2014` (year); null when the date is unknown.
 */
export function partialDate(start: unknown, precision: unknown): string | null {
  if (start === null || start === undefined) return null;
  return partialDateOf(String(start), typeof precision === 'string' ? precision : 'day');
}

/**
 * `PartialDate`: a date as precise as its source (ISO 8601 reduced precision): `2014`, `2014-12`
 * or `2014-12-19`; inputs also take `unknown`. The precision is in the value itself.
 */
export const PartialDateScalar = new GraphQLScalarType({
  name: 'PartialDate',
  description: 'A date as precise as its source: `2014`, `2014-12` or `2014-12-19`.',
  serialize(value: unknown) {
    const s = String(value);
    if (s === 'unknown' || !parsePartialDate(s))
      throw new GraphQLError(`PartialDate cannot represent ${JSON.stringify(value)}.`);
    return s;
  },
  parseValue: checkPartialDate,
  parseLiteral: (ast) => checkPartialDate(literalString('PartialDate', ast)),
});
