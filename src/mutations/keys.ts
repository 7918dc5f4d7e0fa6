import type { ApiKeyRow } from '../auth';
import { plain } from '../graph/entities';

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
