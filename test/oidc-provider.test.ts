/**
 * Sign-in end to end against a real OpenID provider (`oidc-provider`, started by this test in its
 * own process): the explorer's public client runs the authorization code flow with PKCE, gets a
 * JWT access token for the API, and the API takes it as the account's role and actor.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Json, TestServer, post, startTestServer } from './helpers';
import {
  AUDIENCE,
  CLIENT_ID as CLIENT,
  type TestProvider,
  freePort,
  startProvider,
} from './oidc/spawn';

const PORT = process.env.OIDC_TEST_PORT ? Number(process.env.OIDC_TEST_PORT) : freePort();
const ISSUER = `http://127.0.0.1:${PORT}`;
const REDIRECT = 'http://127.0.0.1:4000/signin/callback';

let provider: TestProvider;
let t: TestServer;

beforeAll(async () => {
  provider = await startProvider(PORT, REDIRECT, AUDIENCE);
  t = await startTestServer({ OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: AUDIENCE });
}, 60_000);

afterAll(async () => {
  await t?.close();
  provider?.stop();
});

/** Follows redirects by hand (keeping the provider's cookies) until one leaves for `stopAt`. */
async function follow(url: string, stopAt: string): Promise<URL> {
  const cookies = new Map<string, string>();
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    const location = res.headers.get('location');
    if (!location)
      throw new Error(`no redirect from ${url}: HTTP ${res.status} ${await res.text()}`);
    const next = new URL(location, url);
    if (next.href.startsWith(stopAt)) return next;
    url = next.href;
  }
  throw new Error('too many redirects');
}

/** The authorization code flow with PKCE, as the explorer runs it; returns the token response. */
async function signIn(login: string) {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(8).toString('hex');
  const auth = new URL(`${ISSUER}/auth`);
  for (const [k, v] of Object.entries({
    client_id: CLIENT,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'openid profile api',
    resource: AUDIENCE,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    login_hint: login,
  }))
    auth.searchParams.set(k, v);
  const back = await follow(auth.href, REDIRECT);
  expect(back.searchParams.get('state')).toBe(state);
  const code = back.searchParams.get('code');
  expect(code).toBeTruthy();
  const res = await fetch(`${ISSUER}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: code!,
      redirect_uri: REDIRECT,
      client_id: CLIENT,
      code_verifier: verifier,
      resource: AUDIENCE,
    }),
  });
  const body = (await res.json()) as Json;
  expect(res.status).toBe(200);
  return body as { access_token: string; id_token: string; token_type: string };
}

it('signs the explorer in with code + PKCE; the API takes the access token as the account', async () => {
  const tokens = await signIn('alice');
  expect(tokens.token_type).toBe('Bearer');
  expect(tokens.access_token.split('.')).toHaveLength(3);
  const res = await post(
    t.app.url,
    tokens.access_token,
    '{ viewer { id name role actor { id } } }',
  );
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.viewer).toEqual({
    id: 'oidc:alice',
    name: 'Alice (analyst at the FBI)',
    role: 'ANALYST',
    actor: { id: 'fbi' },
  });
  const bob = await signIn('bob');
  const asBob = await post(t.app.url, bob.access_token, '{ viewer { role } }');
  expect(asBob.body.data.viewer.role).toBe('READER');
});

it('refuses the ID token (its audience is the client, not the API)', async () => {
  const tokens = await signIn('carol');
  const res = await post(t.app.url, tokens.id_token, '{ viewer { role } }');
  expect(res.status).toBe(401);
  expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});

it('refuses a code exchanged without the PKCE verifier', async () => {
  const auth = new URL(`${ISSUER}/auth`);
  const challenge = createHash('sha256').update('v'.repeat(43)).digest('base64url');
  for (const [k, v] of Object.entries({
    client_id: CLIENT,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'openid api',
    resource: AUDIENCE,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }))
    auth.searchParams.set(k, v);
  const code = (await follow(auth.href, REDIRECT)).searchParams.get('code')!;
  const res = await fetch(`${ISSUER}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: CLIENT,
      code_verifier: 'w'.repeat(43),
    }),
  });
  expect(res.status).toBe(400);
  expect(((await res.json()) as Json).error).toBe('invalid_grant');
});
