import type * as Jose from 'jose';
import { z } from 'zod';
import { AppError, ErrorCode } from '../errors';
import { nativeRequire } from '../esm';
import { KEY_ROLES, type KeyRole, type Principal } from './roles';

/**
 * OpenID Connect bearer tokens beside API keys: a JWT access token from the configured issuer,
 * verified with `jose` against the issuer's JWKS (signature, issuer, audience, expiry and
 * not-before with a small clock tolerance, and only the allowed algorithms). The role comes from
 * one claim, the actor the holder speaks for from another. docs/sign-in.md shows the set-up.
 */
export interface OidcSettings {
  issuer: string;
  audience: string;
  /** The issuer's JWKS; discovered from `<issuer>/.well-known/openid-configuration` when unset. */
  jwksUri?: string;
  algorithms: string[];
  clockToleranceSeconds: number;
  roleClaim: string;
  actorClaim: string;
}

/** jose, loaded once through Node's loader (it is ES-module-only). */
let jose: typeof Jose | undefined;
const loadJose = () => (jose ??= nativeRequire('jose') as typeof Jose);

const unauthenticated = (message: string) =>
  new AppError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });

const SLUG = /^[a-z0-9][a-z0-9-]{0,119}$/;

/**
 * The role a token grants: the claim's value (or, for a list, the strongest of its values) when
 * it is exactly one of reader, analyst, admin. Values this server does not know ("Admin",
 * "superuser", objects) grant nothing, so they cannot raise a role; a token whose claim holds no
 * known role is refused, one without the claim reads.
 */
export function roleFromClaim(value: unknown): KeyRole | null {
  if (value === undefined) return 'reader';
  const values = Array.isArray(value) ? value : [value];
  const known = values.filter(
    (v): v is KeyRole => typeof v === 'string' && (KEY_ROLES as readonly string[]).includes(v),
  );
  if (!known.length) return null;
  return known.reduce((a, b) => (KEY_ROLES.indexOf(b) > KEY_ROLES.indexOf(a) ? b : a));
}

/** A verifier of bearer JWTs for one issuer (the JWKS is fetched and cached by jose). */
export class OidcVerifier {
  private jwks?: ReturnType<typeof Jose.createRemoteJWKSet>;

  constructor(readonly settings: OidcSettings) {}

  private async keys() {
    if (this.jwks) return this.jwks;
    let uri = this.settings.jwksUri;
    if (!uri) {
      const base = this.settings.issuer.replace(/\/$/, '');
      const res = await fetch(`${base}/.well-known/openid-configuration`);
      if (!res.ok) throw new Error(`OIDC discovery failed for ${base}: HTTP ${res.status}`);
      uri = z.object({ jwks_uri: z.url() }).parse(await res.json()).jwks_uri;
    }
    this.jwks = loadJose().createRemoteJWKSet(new URL(uri), { timeoutDuration: 5000 });
    return this.jwks;
  }

  /** The principal of a verified token; UNAUTHENTICATED naming the reason otherwise. */
  async principal(token: string): Promise<Principal> {
    const { jwtVerify, errors } = loadJose();
    let payload: Jose.JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.keys(), {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: this.settings.algorithms,
        clockTolerance: this.settings.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw unauthenticated('The token has expired.');
      if (err instanceof errors.JWTClaimValidationFailed)
        throw unauthenticated(`The token's "${err.claim}" claim is not accepted.`);
      if (err instanceof errors.JOSEError)
        throw unauthenticated('The token is not signed by the configured issuer.');
      throw err;
    }
    const role = roleFromClaim(payload[this.settings.roleClaim]);
    if (!role)
      throw unauthenticated(
        `The token's "${this.settings.roleClaim}" claim holds no role this server knows (reader, analyst, admin).`,
      );
    const actor = payload[this.settings.actorClaim];
    const name = [payload.name, payload.preferred_username, payload.email, payload.sub].find(
      (v): v is string => typeof v === 'string' && v.length > 0,
    )!;
    return {
      id: `oidc:${payload.sub}`,
      name: name.slice(0, 200),
      role,
      actor: typeof actor === 'string' && SLUG.test(actor) ? actor : null,
    };
  }
}

/** A JWT has three base64url parts; an API key has none of the dots. */
export const looksLikeJwt = (token: string) =>
  /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
