import neo4j from 'neo4j-driver';
import type { Db } from '../db';
import { plain } from '../graph/entities';
import { connection, decodeCursor, pageSize } from '../graph/paging';
import { ApiKeyRow, AUDIT_COUNT, AUDIT_PAGE, LIST_KEYS } from './queries';
import { Principal, requireRole } from './roles';

/** Who asks an admin read: the request's database handle and principal. */
export interface AdminCaller {
  db: Db;
  principal: Principal;
}

/** An API key as the API shows it (never its hash). */
export function keyView(k: ApiKeyRow) {
  return {
    id: k.id,
    name: k.name,
    role: k.role,
    actor: k.actor ?? null,
    createdAt: plain(k.createdAt),
    createdBy: k.createdBy ?? null,
    revokedAt: plain(k.revokedAt ?? null),
    revokedBy: k.revokedBy ?? null,
    revokedReason: k.revokedReason ?? null,
  };
}

/**
 * The audit log, oldest first: admins read all of it; analysts read one entity's trail (the
 * writes that created or changed it), the provenance they need to trust what they build on.
 */
export async function auditLog(
  c: AdminCaller,
  args: {
    first?: number | null;
    after?: string | null;
    operation?: string | null;
    principal?: string | null;
    entity?: string | null;
  },
) {
  requireRole(c.principal, args.entity ? 'analyst' : 'admin', 'auditLog');
  const size = pageSize(args.first, 50, 100);
  const skip = decodeCursor(args.after);
  const filter = {
    operation: args.operation ?? null,
    principal: args.principal ?? null,
    entity: args.entity ?? null,
  };
  const [rows, count] = await Promise.all([
    c.db.read(AUDIT_PAGE, { ...filter, skip: neo4j.int(skip), limit: neo4j.int(size) }),
    c.db.read(AUDIT_COUNT, filter),
  ]);
  const entries = rows.map((r) => ({ ...r.entry, at: plain(r.entry.at) }));
  return connection(entries, skip, size, count[0]?.total ?? 0);
}

/** Every API key (admins only). */
export async function apiKeys(c: AdminCaller) {
  requireRole(c.principal, 'admin', 'apiKeys');
  return (await c.db.read(LIST_KEYS)).map((r) => keyView(r.key));
}

/** The admin reads: `Query.auditLog` and `Query.apiKeys`. */
export const adminResolvers = {
  Query: {
    auditLog: (_: unknown, args: Parameters<typeof auditLog>[1], c: AdminCaller) =>
      auditLog(c, args),
    apiKeys: (_: unknown, __: unknown, c: AdminCaller) => apiKeys(c),
  },
};
