import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../config';
import { Db, cypher } from './driver';

export const MIGRATIONS_DIR = path.join(ROOT, 'schema', 'migrations');

/** Splits a .cypher file into statements (`;` at line end), dropping `//` comment lines. */
export function splitStatements(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => !l.trim().startsWith('//'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface Migration {
  id: string;
  statements: string[];
}

/** The migrations in `schema/migrations/`, in file-name order. */
export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cypher'))
    .sort()
    .map((f) => ({
      id: f.replace(/\.cypher$/, ''),
      statements: splitStatements(fs.readFileSync(path.join(dir, f), 'utf8')),
    }));
}

const RECORD = cypher(
  'recordMigration',
  'MERGE (m:SchemaMigration {id: $id}) ON CREATE SET m.appliedAt = datetime() RETURN m.id AS id',
);
const APPLIED = cypher<{ id: string }>(
  'appliedMigrations',
  'MATCH (m:SchemaMigration) RETURN m.id AS id',
);

/**
 * Applies every migration. Schema statements are idempotent (`IF NOT EXISTS`), so this runs at
 * each start; schema commands cannot share a transaction with writes, so each runs on its own.
 * Waits for the indexes to come online before returning.
 */
export async function migrate(db: Db): Promise<string[]> {
  const applied: string[] = [];
  for (const m of listMigrations()) {
    for (const stmt of m.statements) {
      await db.driver.executeQuery(stmt, {}, { database: db.database });
    }
    await db.write((tx) => tx.run(RECORD, { id: m.id }));
    applied.push(m.id);
  }
  await db.driver.executeQuery('CALL db.awaitIndexes(300)', {}, { database: db.database });
  return applied;
}

/** True when every migration file has been applied (used by readiness checks). */
export async function schemaApplied(db: Db): Promise<boolean> {
  const done = new Set((await db.read(APPLIED)).map((r) => r.id));
  return listMigrations().every((m) => done.has(m.id));
}
