// Sign-in with the organisation's OpenID Connect provider: the authorization code flow with PKCE
// (S256) for a public client, run by `oauth4webapi` (a maintained, certified client library; no
// secret lives in the page). The server says whether sign-in is offered at `/oidc/config.json`;
// the provider sends the browser back to `/signin/callback`, where the code is exchanged for an
// access token for the API (RFC 8707 `resource`), which the page then sends as its bearer
// credential. docs/sign-in.md describes the set-up.
import * as oauth from 'oauth4webapi';

export interface OidcConfig {
  enabled: boolean;
  issuer?: string;
  clientId?: string;
  audience?: string;
  scope?: string;
}

/** What the page keeps for this tab between leaving for the provider and coming back. */
interface Pending {
  verifier: string;
  state: string;
  nonce: string;
  /** The page to return to (path and query). */
  returnTo: string;
}

const PENDING = 'attribution.oidc.pending';
export const CALLBACK_PATH = '/signin/callback';
const redirectUri = () => `${window.location.origin}${CALLBACK_PATH}`;

let config: Promise<OidcConfig> | undefined;

/** The server's sign-in settings (asked once; asked again after a failure). */
export function oidcConfig(): Promise<OidcConfig> {
  config ??= fetch('/oidc/config.json', { headers: { accept: 'application/json' } })
    .then(async (res) => {
      if (!res.ok) throw new Error(`Sign-in settings: HTTP ${res.status}`);
      return (await res.json()) as OidcConfig;
    })
    .catch((err: unknown) => {
      config = undefined;
      throw err;
    });
  return config;
}

/** A provider on this machine (a local trial, the tests) may speak plain HTTP; others may not. */
const isLocal = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

interface Ready {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  options: { [oauth.allowInsecureRequests]?: boolean };
  cfg: Required<OidcConfig>;
}

/** The issuer's metadata from its discovery document, and this client. */
async function ready(): Promise<Ready> {
  const cfg = await oidcConfig();
  if (!cfg.enabled || !cfg.issuer || !cfg.clientId || !cfg.audience)
    throw new Error('Sign-in with OpenID Connect is not configured on this server.');
  const issuer = new URL(cfg.issuer);
  const options = isLocal(issuer) ? { [oauth.allowInsecureRequests]: true } : {};
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...options }),
  );
  return {
    as,
    client: { client_id: cfg.clientId },
    options,
    cfg: { scope: 'openid profile', ...cfg } as Required<OidcConfig>,
  };
}

/** Leaves for the provider's sign-in page; the browser comes back to `/signin/callback`. */
export async function startOidcSignIn(loginHint?: string): Promise<void> {
  const { as, client, cfg } = await ready();
  if (!as.authorization_endpoint) throw new Error('The provider names no authorization endpoint.');
  const verifier = oauth.generateRandomCodeVerifier();
  const pending: Pending = {
    verifier,
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    returnTo: window.location.pathname + window.location.search,
  };
  const url = new URL(as.authorization_endpoint);
  for (const [k, v] of Object.entries({
    client_id: client.client_id,
    response_type: 'code',
    redirect_uri: redirectUri(),
    scope: cfg.scope,
    resource: cfg.audience,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
    ...(loginHint ? { login_hint: loginHint } : {}),
  }))
    url.searchParams.set(k, v);
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  window.location.assign(url.href);
}

/** True on the page the provider sends the browser back to. */
export const isOidcCallback = (): boolean => window.location.pathname === CALLBACK_PATH;

/**
 * Finishes the sign-in on `/signin/callback`: checks the state, exchanges the code with the PKCE
 * verifier, checks the ID token (issuer, audience, nonce, times), and returns the access token for
 * the API and the page to go back to. Throws, naming what is wrong, otherwise.
 */
export async function finishOidcSignIn(): Promise<{ accessToken: string; returnTo: string }> {
  const kept = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (!kept) throw new Error('No sign-in was started from this tab (or it was already finished).');
  const pending = JSON.parse(kept) as Pending;
  const { as, client, options, cfg } = await ready();
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, new URL(window.location.href), pending.state);
  } catch (err) {
    if (err instanceof oauth.AuthorizationResponseError)
      throw new Error(
        `The provider refused the sign-in: ${err.error}${err.error_description ? ` (${err.error_description})` : ''}`,
      );
    throw err;
  }
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    redirectUri(),
    pending.verifier,
    { ...options, additionalParameters: { resource: cfg.audience } },
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: pending.nonce,
    requireIdToken: true,
  });
  return { accessToken: tokens.access_token, returnTo: pending.returnTo || '/' };
}
