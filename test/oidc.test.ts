/**
 * OpenID Connect bearer tokens, against a JWKS this test serves itself: a good token signs in
 * with the role and actor of its claims; expired, wrong audience, wrong issuer, wrong key,
 * `alg: none`, HS256 keyed with the public key, and unknown role values are all refused, and no
 * claim value raises a role.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as Jose from 'jose';
import { nativeRequire } from '../src/esm';
import { Json, TestServer, post, startTestServer, uid } from './helpers';

const jose = nativeRequire('jose') as typeof Jose;
const P = uid('oidc');
const AUDIENCE = 'attribution-api';
let issuer: string;
let jwksServer: http.Server;
let t: TestServer;
let good: { privateKey: Jose.CryptoKey; publicKey: Jose.CryptoKey };
let other: { privateKey: Jose.CryptoKey; publicKey: Jose.CryptoKey };

beforeAll(async () => {
  good = await jose.generateKeyPair('RS256', { extractable: true });
  other = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(good.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwksServer = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration')
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    else if (req.url === '/jwks') res.end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
  t = await startTestServer({ OIDC_ISSUER: issuer, OIDC_AUDIENCE: AUDIENCE });
});

afterAll(async () => {
  await t?.close();
  await new Promise((r) => jwksServer?.close(r));
});

const now = () => Math.floor(Date.now() / 1000);

/** A token signed with `key` (the issuer's by default) carrying `claims`. */
async function token(
  claims: Record<string, unknown> = {},
  opts: { key?: Jose.CryptoKey; iss?: string; aud?: string; exp?: number; kid?: string } = {},
) {
  return new jose.SignJWT({ attribution_role: 'analyst', name: `${P} user`, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'k1' })
    .setIssuer(opts.iss ?? issuer)
    .setAudience(opts.aud ?? AUDIENCE)
    .setSubject(`${P}-alice`)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? now() + 300)
    .sign(opts.key ?? good.privateKey);
}

const viewer = (bearer: string) =>
  post(t.app.url, bearer, '{ viewer { id name role actor { id } } }') as Promise<{
    status: number;
    body: { data?: Json; errors?: Json[] };
  }>;

async function refused(bearer: string, message: RegExp) {
  const res = await viewer(bearer);
  expect(res.status).toBe(401);
  expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  expect(res.body.errors?.[0].message).toMatch(message);
}

it('signs in with the role and actor claims of a valid token', async () => {
  const res = await viewer(await token({ attribution_actor: 'fbi' }));
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.viewer).toEqual({
    id: `oidc:${P}-alice`,
    name: `${P} user`,
    role: 'ANALYST',
    actor: { id: 'fbi' },
  });
  // without a role claim: a reader
  const reader = await viewer(await token({ attribution_role: undefined }));
  expect(reader.body.data.viewer.role).toBe('READER');
});

it('accepts a token expired within the clock tolerance, refuses one expired for longer', async () => {
  expect((await viewer(await token({}, { exp: now() - 10 }))).body.data.viewer.role).toBe(
    'ANALYST',
  );
  await refused(await token({}, { exp: now() - 120 }), /expired/);
});

it('refuses a wrong audience, a wrong issuer and a key not in the JWKS', async () => {
  await refused(await token({}, { aud: 'another-api' }), /"aud" claim/);
  await refused(await token({}, { iss: 'https://evil.example.org' }), /"iss" claim/);
  await refused(await token({}, { key: other.privateKey }), /not signed by the configured issuer/);
  await refused(
    await token({}, { key: other.privateKey, kid: 'unknown' }),
    /not signed by the configured issuer/,
  );
});

it('refuses alg none and HS256 keyed with the public key', async () => {
  const claims = {
    attribution_role: 'admin',
    iss: issuer,
    aud: AUDIENCE,
    sub: `${P}-mallory`,
    exp: now() + 300,
  };
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  await refused(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, /not signed/);
  const spki = await jose.exportSPKI(good.publicKey);
  const forged = await new jose.SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
    .sign(new TextEncoder().encode(spki));
  await refused(forged, /not signed/);
  const jwkSecret = JSON.stringify(await jose.exportJWK(good.publicKey));
  const forged2 = await new jose.SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
    .sign(new TextEncoder().encode(jwkSecret));
  await refused(forged2, /not signed/);
});

it.each([
  ['ADMIN'],
  ['admin '],
  ['Admin'],
  ['superadmin'],
  ['root'],
  ['__proto__'],
  [{ role: 'admin' }],
  [42],
  [true],
])('never raises a role from the unknown value %p', async (value) => {
  await refused(await token({ attribution_role: value }), /holds no role this server knows/);
});

it('takes the strongest known role of a list and ignores unknown ones in it', async () => {
  const res = await viewer(await token({ attribution_role: ['reader', 'ADMIN', 'superadmin'] }));
  expect(res.body.data.viewer.role).toBe('READER');
});

it('writes as the token holder, with their actor binding', async () => {
  const res = await post(
    t.app.url,
    await token({ attribution_actor: 'fbi' }),
    `mutation($i: AddOpinionInput!) { addOpinion(input: $i) { opinion { id createdBy analyst { id } } userErrors { code } } }`,
    {
      i: {
        hypothesis: 'sony-h1-dprk-state',
        opinion: 'AGREE',
        rationale: `${P} rationale`,
        analyst: 'nsa',
      },
    },
  );
  expect(res.body.errors?.map((e: Json) => e.extensions?.code)).toEqual(['FORBIDDEN']);
});

it('tells the explorer sign-in is off without a client id, and lets pages reach the issuer', async () => {
  const base = t.app.url.replace('/graphql', '');
  const res = await fetch(`${base}/oidc/config.json`);
  expect(res.status).toBe(200);
  await expect(res.json()).resolves.toEqual({ enabled: false });
  const page = await fetch(`${base}/no-such-page`);
  expect(page.headers.get('content-security-policy')?.split(';')).toContain(
    `connect-src 'self' ${new URL(issuer).origin}`,
  );
});
