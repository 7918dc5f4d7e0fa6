import { AppError, ErrorCode } from '../errors';
import type { Principal } from '../auth';

/**
 * Who may do what to records others made: pure rules, applied by the mutation table
 * (src/mutations/table.ts) and unit-tested without a database (authority.test.ts).
 */

/** What the retraction rules need to know about a claim. */
export interface ClaimOwnership {
  id: string;
  /** The key that recorded it (absent for the seed and imports). */
  createdBy: string | null;
  /** The claimant's actor id. */
  claimant: string | null;
}

const forbidden = (message: string) => new AppError(ErrorCode.FORBIDDEN, message);

/**
 * A claim may be retracted by the key that recorded it, by a key bound to the claimant's actor
 * (the party withdrawing its own statement) or by an admin.
 */
export function mayRetract(p: Principal, claim: ClaimOwnership): void {
  if (p.role === 'admin') return;
  const creator = p.id !== null && claim.createdBy === p.id;
  const claimantsOwn = p.actor !== null && claim.claimant === p.actor;
  if (!creator && !claimantsOwn)
    throw forbidden(
      `retractClaim: claim "${claim.id}" may be retracted only by the key that recorded it, a key bound to its claimant${claim.claimant ? ` ("${claim.claimant}")` : ''} or an admin.`,
    );
}

/**
 * A key bound to an actor speaks for that actor only: a field naming who writes (a rater, an
 * opinion's analyst) must be that actor or left out. Keys bound to no actor name anyone.
 */
export function maySpeakAs(p: Principal, field: string, actor: string | null | undefined): void {
  if (!p.actor || actor === null || actor === undefined || actor === p.actor) return;
  throw forbidden(
    `${field}: your API key speaks for "${p.actor}" and may write only as that actor, not as "${actor}".`,
  );
}
