import { cypher } from '../db';

export interface ApiKeyRow {
  id: string;
  name: string;
  role: string;
  actor: string | null;
  createdAt: unknown;
  createdBy: string | null;
  revokedAt: unknown;
  revokedBy: string | null;
  revokedReason: string | null;
}

const KEY_PROJECTION = `k {.id, .name, .role, .actor, .createdAt, .createdBy, .revokedAt, .revokedBy, .revokedReason}`;

/** The key with this hash (revoked or not), to authenticate a request. */
export const KEY_BY_HASH = cypher<{ key: ApiKeyRow }>(
  'apiKeyByHash',
  `MATCH (k:ApiKey {hash: $hash}) RETURN ${KEY_PROJECTION} AS key`,
);

/** Stores a new key; only its hash is kept. */
export const CREATE_KEY = cypher<{ key: ApiKeyRow }>(
  'apiKeyCreate',
  `CREATE (k:ApiKey) SET k = $props RETURN ${KEY_PROJECTION} AS key`,
);

/** Marks a key revoked (kept for the audit trail, never deleted). */
export const REVOKE_KEY = cypher<{ key: ApiKeyRow }>(
  'apiKeyRevoke',
  `MATCH (k:ApiKey {id: $id})
   SET k.revokedAt = $now, k.revokedBy = $by, k.revokedReason = $reason
   RETURN ${KEY_PROJECTION} AS key`,
);

export const KEY_BY_ID = cypher<{ key: ApiKeyRow }>(
  'apiKeyById',
  `MATCH (k:ApiKey {id: $id}) RETURN ${KEY_PROJECTION} AS key`,
);

/** Every key, oldest first (hashes never leave the database). */
export const LIST_KEYS = cypher<{ key: ApiKeyRow }>(
  'apiKeyList',
  `MATCH (k:ApiKey) RETURN ${KEY_PROJECTION} AS key ORDER BY k.createdAt, k.id`,
);

/** How many usable admin keys exist (for the first-start hint). */
export const ACTIVE_ADMIN_KEYS = cypher<{ n: number }>(
  'apiKeyActiveAdmins',
  `MATCH (k:ApiKey {role: 'admin'}) WHERE k.revokedAt IS NULL RETURN count(k) AS n`,
);

/** Takes the key's write lock (a no-op write) and reads it: concurrent revocations serialize. */
export const LOCK_KEY = cypher<{ key: ApiKeyRow }>(
  'apiKeyLock',
  `MATCH (k:ApiKey {id: $id})
   SET k._lock = true REMOVE k._lock
   RETURN ${KEY_PROJECTION} AS key`,
);

export interface AuditRow {
  id: string;
  at: unknown;
  principal: string;
  principalName: string;
  role: string;
  operation: string;
  arguments: string;
  ids: string[];
}

/** A page of the audit log, oldest first, optionally for one operation or principal. */
export const AUDIT_PAGE = cypher<{ entry: AuditRow }>(
  'auditPage',
  `MATCH (a:AuditEntry)
   WHERE ($operation IS NULL OR a.operation = $operation)
     AND ($principal IS NULL OR a.principal = $principal)
     AND ($entity IS NULL OR $entity IN a.ids)
   WITH a ORDER BY a.at, a.id
   SKIP $skip LIMIT $limit
   RETURN a {.*} AS entry`,
);

export const AUDIT_COUNT = cypher<{ total: number }>(
  'auditCount',
  `MATCH (a:AuditEntry)
   WHERE ($operation IS NULL OR a.operation = $operation)
     AND ($principal IS NULL OR a.principal = $principal)
     AND ($entity IS NULL OR $entity IN a.ids)
   RETURN count(a) AS total`,
);
