import { AppError, ErrorCode } from '../errors';

/** Roles, weakest first: each may do everything the ones before it may. */
export const ROLES = ['anonymous', 'reader', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles an API key can hold (anonymous is the absence of a key). */
export const KEY_ROLES = ['reader', 'analyst', 'admin'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

/** Who is making a request. */
export interface Principal {
  /** The API key's id (`key-...`), `cli` for the command line, null when anonymous. */
  id: string | null;
  /** The key's name (a person or a service), `anonymous` without a key. */
  name: string;
  role: Role;
  /** The actor the key speaks for (an analyst's organisation), when set. */
  actor: string | null;
}

export const ANONYMOUS: Principal = Object.freeze({
  id: null,
  name: 'anonymous',
  role: 'anonymous',
  actor: null,
});

/** True when `role` includes the rights of `needed`. */
export function hasRole(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/**
 * Refuses a principal below `needed`: UNAUTHENTICATED without a key (send one), FORBIDDEN with a
 * key whose role is too weak.
 */
export function requireRole(principal: Principal, needed: Role, operation: string): void {
  if (hasRole(principal.role, needed)) return;
  if (principal.role === 'anonymous')
    throw new AppError(
      ErrorCode.UNAUTHENTICATED,
      `${operation} needs an API key with the ${needed} role (Authorization: Bearer <key>).`,
    );
  throw new AppError(
    ErrorCode.FORBIDDEN,
    `${operation} needs the ${needed} role; your key has the ${principal.role} role.`,
  );
}
