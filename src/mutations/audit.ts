import neo4j from 'neo4j-driver';
import { requireRole } from '../auth';
import { plain } from '../graph/entities';
import { connection, decodeCursor, pageSize } from '../graph/paging';
import type { Caller } from './define';
import { AUDIT_COUNT, AUDIT_PAGE } from './queries';

/** The audit log, oldest first (admins only). */
export async function auditLog(
  c: Caller,
  args: {
    first?: number | null;
    after?: string | null;
    operation?: string | null;
    principal?: string | null;
  },
) {
  requireRole(c.principal, 'admin', 'auditLog');
  const size = pageSize(args.first, 50, 100);
  const skip = decodeCursor(args.after);
  const filter = { operation: args.operation ?? null, principal: args.principal ?? null };
  const [rows, count] = await Promise.all([
    c.db.read(AUDIT_PAGE, { ...filter, skip: neo4j.int(skip), limit: neo4j.int(size) }),
    c.db.read(AUDIT_COUNT, filter),
  ]);
  const entries = rows.map((r) => ({ ...r.entry, at: plain(r.entry.at) }));
  return connection(entries, skip, size, count[0]?.total ?? 0);
}
