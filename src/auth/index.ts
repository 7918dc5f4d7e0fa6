export {
  activeAdminKeys,
  anonymousReadsAllowed,
  authenticate,
  cliPrincipal,
  generateKey,
  hashKey,
  insertApiKey,
} from './keys';
export type { NewKey } from './keys';
export { OidcVerifier, roleFromClaim } from './oidc';
export type { OidcSettings } from './oidc';
export { ANONYMOUS, KEY_ROLES, ROLES, hasRole, requireRole } from './roles';
export type { KeyRole, Principal, Role } from './roles';
export { KEY_BY_ID, LIST_KEYS, LOCK_KEY, REVOKE_KEY } from './queries';
export type { ApiKeyRow } from './queries';
export { adminResolvers, apiKeys, auditLog, keyView } from './admin';
export type { AdminCaller } from './admin';
export type { AuditRow } from './queries';
