import type { Db, WriteTx } from '../db';
import { BUMP_AFFECTED, BUMP_INCIDENTS, REVISIONS } from './queries';

export { BUMP_AFFECTED, BUMP_INCIDENTS, REVISIONS } from './queries';

/**
 * Per-incident revisions: one `(:Revision {incident, value})` node per incident, bumped INSIDE
 * every write transaction that changes what the incident's answers read. Caches key on it (see
 * src/hypotheses), so a cached answer can never outlive a write, in this process or any other:
 * the revision lives in the database and readers check it on every request.
 *
 * Every write path calls one of the two functions below as the LAST step of its transaction
 * (after its own writes, so the paths from the new nodes and relationships to their incidents
 * exist): mutations with the ids they touched, the seed writer and the STIX importer with the
 * ids they changed. Either returns the incidents bumped and their new revisions.
 */
export async function bumpRevisions(
  tx: WriteTx,
  ids: Iterable<string>,
): Promise<Map<string, number>> {
  const list = [...new Set(ids)];
  if (!list.length) return new Map();
  const { records } = await tx.run(BUMP_AFFECTED, { ids: list });
  return new Map(records.map((r) => [r.incident, r.revision]));
}

/**
 * Relationship types between actors and names (aliases, claim subjects): no incident answer that
 * the revision guards reads them, so a writer that passes the source ids of the relationships it
 * wrote can leave these out (an actor's alias must not invalidate every incident it is named in).
 * Any other type, including ones added later, is counted as read: the safe default.
 */
export const UNGUARDED_LINKS: ReadonlySet<string> = new Set(['KNOWN_AS', 'SUBJECT', 'OBJECT']);

/** Bumps the revisions of incidents known by id (when the caller already knows them). */
export async function bumpIncidentRevisions(
  tx: WriteTx,
  incidents: Iterable<string>,
): Promise<Map<string, number>> {
  const list = [...new Set(incidents)];
  if (!list.length) return new Map();
  const { records } = await tx.run(BUMP_INCIDENTS, { incidents: list });
  return new Map(records.map((r) => [r.incident, r.revision]));
}

/**
 * Plans the bump statement in a transaction of its own (it writes nothing for no ids), so a bulk
 * writer's transaction does not pay the planning of its eight-branch union on a cold database.
 */
export async function planRevisionBump(db: Db): Promise<void> {
  await db.write((tx) => tx.run(BUMP_AFFECTED, { ids: [] }));
}

/** The current revision of each incident (0 when none was ever recorded). One read statement. */
export async function readRevisions(db: Db, incidents: string[]): Promise<Map<string, number>> {
  if (!incidents.length) return new Map();
  const rows = await db.read(REVISIONS, { incidents });
  return new Map(rows.map((r) => [r.incident, r.revision]));
}
