/* global process */
// A real OpenID provider for the tests and for trying the explorer's sign-in locally:
// node_modules' `oidc-provider` (a certified implementation), configured by docs/sign-in.md's
// client. Usage: node test/oidc/provider.mjs <port> <redirect-uri> [audience]
// Prints "READY <issuer>" once it listens. Sign-in needs no password: the interaction signs in
// the account named by `?login_hint=` (default `alice`), whose role and actor come from ACCOUNTS.
import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.argv[2] ?? 4191);
const redirectUri = process.argv[3] ?? 'http://127.0.0.1:4000/oidc/callback';
const audience = process.argv[4] ?? 'urn:attribution:api';
const issuer = `http://127.0.0.1:${port}`;

/** Test accounts: the role and actor claims the API reads (OIDC_ROLE_CLAIM, OIDC_ACTOR_CLAIM). */
const ACCOUNTS = {
  alice: {
    name: 'Alice (analyst at the FBI)',
    attribution_role: 'analyst',
    attribution_actor: 'fbi',
  },
  bob: { name: 'Bob (reader)', attribution_role: 'reader' },
  carol: { name: 'Carol (admin)', attribution_role: 'admin' },
};

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signing = { ...(await exportJWK(privateKey)), kid: 'test-rs256', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'attribution-explorer',
      token_endpoint_auth_method: 'none', // a public client (the browser): PKCE instead of a secret
      application_type: 'web',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  pkce: { required: () => true },
  jwks: { keys: [signing] },
  cookies: { keys: ['attribution-test-provider'] },
  claims: { openid: ['sub'], profile: ['name'] },
  scopes: ['openid', 'profile', 'api'],
  features: {
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'api',
        audience,
        accessTokenTTL: 300,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  findAccount: (_ctx, sub) =>
    ACCOUNTS[sub] && { accountId: sub, claims: () => ({ sub, name: ACCOUNTS[sub].name }) },
  extraTokenClaims: (_ctx, token) => {
    const a = ACCOUNTS[token.accountId];
    if (!a) return undefined;
    const { name: _name, ...claims } = a;
    return { name: a.name, ...claims };
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  ttl: { AccessToken: 300, AuthorizationCode: 60, Grant: 600, Interaction: 600, Session: 600 },
});
provider.proxy = false;

// The interaction: sign in the hinted account and grant what the client asked for, at once.
provider.use(async (ctx, next) => {
  const m = /^\/interaction\/([^/]+)$/.exec(ctx.path);
  if (!m) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const accountId = ACCOUNTS[details.params.login_hint] ? details.params.login_hint : 'alice';
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope('openid profile api');
  grant.addResourceScope(audience, 'api');
  const grantId = await grant.save();
  await provider.interactionFinished(
    ctx.req,
    ctx.res,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
  ctx.respond = false;
});

provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`READY ${issuer}\n`);
});
