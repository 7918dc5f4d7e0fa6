import { z } from 'zod';
import { toDate } from '../db';
import type { DatePrecision } from './enums';

/**
 * Partial dates: "YYYY-MM-DD", "YYYY-MM" or "YYYY", the precision the source gives. A partial
 * date is stored as three properties: `<name>` (the first day of the period, a Neo4j date),
 * `<name>Precision` (day, month, year or unknown) and `knownFrom` (the last day of the period:
 * from when the item is surely on record; every as-of view filters on it).
 */

export type Precision = DatePrecision;
export interface ParsedDate {
  /** First day of the period (what the source says, day or not). */
  start: string;
  /** Last day of the period: from when the item is surely on record (used by as-of views). */
  end: string;
  precision: Exclude<Precision, 'unknown'>;
}

/** Parses a partial date, rejecting impossible ones (2015-02-30). Null when invalid. */
export function parsePartialDate(s: string): ParsedDate | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastDay = (yy: number, mm: number) => new Date(Date.UTC(yy, mm, 0)).getUTCDate();
  if (m[3] !== undefined) {
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (mo < 1 || mo > 12 || d < 1 || d > lastDay(y, mo)) return null;
    return { start: s, end: s, precision: 'day' };
  }
  if (m[2] !== undefined) {
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return null;
    return {
      start: `${y}-${pad(mo)}-01`,
      end: `${y}-${pad(mo)}-${pad(lastDay(y, mo))}`,
      precision: 'month',
    };
  }
  return { start: `${y}-01-01`, end: `${y}-12-31`, precision: 'year' };
}

/**
 * The partial date of a day at a stored precision: ("2014-12-19", "month") -> "2014-12";
 * null for precision `unknown`.
 */
export function partialDateOf(day: string, precision: string): string | null {
  if (precision === 'unknown') return null;
  if (precision === 'year') return day.slice(0, 4);
  if (precision === 'month') return day.slice(0, 7);
  return day.slice(0, 10);
}

export const PARTIAL_DATE_MESSAGE = 'must be a date as YYYY-MM-DD, YYYY-MM or YYYY';

/** A partial date (zod). */
export const PartialDate = z.string().refine((s) => parsePartialDate(s) !== null, {
  message: PARTIAL_DATE_MESSAGE,
});
/** A partial date, or "unknown" (zod). */
export const PartialDateOrUnknown = z
  .string()
  .refine((s) => s === 'unknown' || parsePartialDate(s) !== null, {
    message: `${PARTIAL_DATE_MESSAGE}, or "unknown"`,
  });

/**
 * The stored properties of a partial date: `<prefix>`, `<prefix>Precision` and `knownFrom`.
 * Without a date (absent or "unknown") only the precision `unknown` is stored, and the item is
 * on record from `fallbackKnownFrom` (the day it was entered) when given.
 */
export function dateProps(
  prefix: string,
  value: string | null | undefined,
  fallbackKnownFrom?: string,
): Record<string, unknown> {
  const p = value && value !== 'unknown' ? parsePartialDate(value) : null;
  if (!p)
    return {
      [`${prefix}Precision`]: 'unknown',
      ...(fallbackKnownFrom ? { knownFrom: toDate(fallbackKnownFrom) } : {}),
    };
  return {
    [prefix]: toDate(p.start),
    [`${prefix}Precision`]: p.precision,
    knownFrom: toDate(p.end),
  };
}

/** The first day of a partial date, as a Neo4j date (for dates kept without precision, e.g. `retractedAt`). */
export function startDate(value: string) {
  const p = parsePartialDate(value);
  if (!p) throw new Error(`not a partial date: "${value}"`);
  return toDate(p.start);
}
