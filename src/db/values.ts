import neo4j, { Date as Neo4jDate } from 'neo4j-driver';

/** A Neo4j `date` from an ISO `YYYY-MM-DD` string (a real date type, so ranges index well). */
export function toDate(iso: string): Neo4jDate<number> {
  const [y, m, d] = iso.split('-').map(Number);
  return new neo4j.types.Date(y, m, d);
}

/** An ISO `YYYY-MM-DD` string from a Neo4j date, a JS Date or a string; null stays null. */
export function toIsoDate(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.slice(0, 10);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}

/** Drops undefined and null values, so `SET n = $props` compares equal on a reload. */
export function cleanProps<T extends Record<string, unknown>>(obj: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(obj).filter(([, v]) => v !== undefined && v !== null),
  ) as Partial<T>;
}
