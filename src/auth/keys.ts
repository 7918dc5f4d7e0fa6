import { createHash, randomBytes } from 'node:crypto';
import type { Db, WriteTx } from '../db';
import { AppError, ErrorCode } from '../errors';
import { ACTIVE_ADMIN_KEYS, ApiKeyRow, CREATE_KEY, KEY_BY_HASH } from './queries';
import { looksLikeJwt, type OidcVerifier } from './oidc';
import { ANONYMOUS, KEY_ROLES, KeyRole, Principal } from './roles';

/** A new API key: 32 random bytes, base64url (43 characters). Shown once, never stored. */
export function generateKey(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The stored form of a key. Keys are 256 random bits, so one round of SHA-256 is enough (a slow
 * password hash protects guessable secrets; nobody can guess these).
 */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A fresh key id, `key-` and 12 hex digits. */
export function newKeyId(): string {
  return `key-${randomBytes(6).toString('hex')}`;
}

export interface NewKey {
  /** The secret: give it to its holder now, it cannot be shown again. */
  key: string;
  record: ApiKeyRow;
}

/**
 * Stores a new key inside the caller's write transaction (the caller checks the actor and
 * appends the audit entry). Only the hash is written.
 */
export async function insertApiKey(
  tx: WriteTx,
  input: { name: string; role: KeyRole; actor?: string | null },
  by: Principal,
  now: unknown,
): Promise<NewKey> {
  const key = generateKey();
  const props = {
    id: newKeyId(),
    name: input.name,
    role: input.role,
    hash: hashKey(key),
    createdAt: now,
    createdBy: by.id ?? by.name,
    ...(input.actor ? { actor: input.actor } : {}),
  };
  const { records } = await tx.run(CREATE_KEY, { props });
  return { key, record: records[0].key };
}

/** Whether requests without a key may read (ALLOW_ANONYMOUS_READS, on unless `0`/`false`/`no`). */
export function anonymousReadsAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.ALLOW_ANONYMOUS_READS ?? '').trim().toLowerCase();
  return !['0', 'false', 'no', 'off'].includes(v);
}

const unauthenticated = (message: string) =>
  new AppError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });

/** `Bearer <API key>` (43 characters) or `Bearer <JWT>` (three base64url parts). */
const BEARER = /^Bearer[ \t]+([A-Za-z0-9_.-]{20,8192})[ \t]*$/i;

/**
 * The principal of a request from its `Authorization` header. No header: anonymous (refused
 * with UNAUTHENTICATED when anonymous reads are off). A malformed, unknown or revoked key is
 * always UNAUTHENTICATED: a client that sends a key must not be silently downgraded.
 */
export async function authenticate(
  db: Db,
  authorization: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  oidc?: OidcVerifier,
): Promise<Principal> {
  if (authorization === undefined || authorization.trim() === '') {
    if (anonymousReadsAllowed(env)) return ANONYMOUS;
    throw unauthenticated(
      'This server does not allow anonymous requests: send Authorization: Bearer <API key>.',
    );
  }
  const m = BEARER.exec(authorization.trim());
  if (!m) throw unauthenticated('The Authorization header must be "Bearer <API key or token>".');
  if (looksLikeJwt(m[1])) {
    if (!oidc)
      throw unauthenticated('This server takes API keys only: no OpenID issuer is configured.');
    return oidc.principal(m[1]);
  }
  const [row] = await db.read(KEY_BY_HASH, { hash: hashKey(m[1]) });
  if (!row) throw unauthenticated('Unknown API key.');
  if (row.key.revokedAt !== null && row.key.revokedAt !== undefined)
    throw unauthenticated('This API key has been revoked.');
  const role = row.key.role as KeyRole;
  if (!KEY_ROLES.includes(role)) throw unauthenticated('This API key has no valid role.');
  return { id: row.key.id, name: row.key.name, role, actor: row.key.actor ?? null };
}

/** The number of usable admin keys (zero on a fresh database). */
export async function activeAdminKeys(db: Db): Promise<number> {
  const [row] = await db.read(ACTIVE_ADMIN_KEYS);
  return row?.n ?? 0;
}

/** The principal of the command line (who creates the first admin key). */
export function cliPrincipal(): Principal {
  const user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  return { id: 'cli', name: `cli (${user})`, role: 'admin', actor: null };
}
