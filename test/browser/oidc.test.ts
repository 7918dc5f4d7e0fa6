// Signing in from the page with the organisation's OpenID Connect provider, in Chromium against
// the real server and a REAL provider (`oidc-provider`, test/oidc/provider.mjs, in its own
// process): the explorer runs the authorization code flow with PKCE (oauth4webapi), comes back to
// the page it left signed in as Alice (an analyst), and the claim she adds shows among the
// supporters without a reload, recorded as hers (`oidc:alice`). A callback nobody started is
// refused with its reason on the page. A small case of its own (unique ids) keeps Sony untouched.
import { writeSeed } from '../../src/seed';
import { twoIncidents, uid } from '../helpers';
import { AUDIENCE, CLIENT_ID, type TestProvider, freePort, startProvider } from '../oidc/spawn';
import { seriousViolations } from './axe';
import { useBrowser } from './harness';
import { supporter, waitForAch, waitForBoard } from './pages';

const PORT = process.env.OIDC_BROWSER_PORT ? Number(process.env.OIDC_BROWSER_PORT) : freePort();
const ISSUER = `http://127.0.0.1:${PORT}`;
const b = useBrowser({ OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: AUDIENCE, OIDC_CLIENT_ID: CLIENT_ID });
const P = uid('oidcweb');
const id = (name: string) => `${P}-${name}`;
const INCIDENT = id('inc1');
const H1 = id('h1');
let provider: TestProvider;

beforeAll(async () => {
  // The provider sends the browser back to the explorer's callback on the test server's origin.
  provider = await startProvider(PORT, `${b.base}/signin/callback`, AUDIENCE);
  await writeSeed(b.server.conn.db(), twoIncidents(P));
}, 60_000);

afterAll(() => provider?.stop());

test('the server offers the sign-in at /oidc/config.json', async () => {
  const res = await fetch(`${b.base}/oidc/config.json`);
  expect(res.status).toBe(200);
  await expect(res.json()).resolves.toEqual({
    enabled: true,
    issuer: ISSUER,
    clientId: CLIENT_ID,
    audience: AUDIENCE,
    scope: 'openid profile api',
  });
});

test('an analyst signs in with OpenID Connect (code + PKCE) and adds a claim: it shows among the supporters', async () => {
  await b.page.goto(`${b.base}/?incident=${INCIDENT}`);
  await waitForBoard(b);
  await waitForAch(b);
  await expect(b.page.locator('.write').count()).resolves.toBe(0);

  await b.page.locator('#signin-open').click();
  const start = b.page.locator('#signin-oidc-start');
  await start.waitFor(); // shown once the server says sign-in is configured
  await expect(seriousViolations(b.page)).resolves.toEqual([]);
  await b.shot('signin-oidc', { locator: b.page.locator('#signin-dialog') });
  // Off to the provider and back: the explorer finishes the sign-in on /signin/callback, then
  // puts the case it left back in the address bar.
  const atProvider: URL[] = [];
  b.page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.origin === ISSUER) atProvider.push(url);
  });
  await start.click();
  await b.page.waitForURL(`${b.base}/signin/callback?**`, { waitUntil: 'commit' });
  await b.until(`location.href === ${JSON.stringify(`${b.base}/?incident=${INCIDENT}`)}`, 60_000);
  // The browser went through the provider's authorization endpoint with a PKCE challenge (S256),
  // and the page exchanged the code at its token endpoint.
  const auth = atProvider.find((u) => u.pathname === '/auth')!;
  expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
  expect(auth.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(auth.searchParams.get('resource')).toBe(AUDIENCE);
  expect(atProvider.some((u) => u.pathname === '/token')).toBe(true);
  await b.page.locator('#signout').waitFor();
  await waitForBoard(b);
  await waitForAch(b);
  await expect(b.page.locator('#session-who').textContent()).resolves.toBe(
    'Alice (analyst at the FBI) · Analyst',
  );
  // The access token is kept for this tab only; the PKCE verifier and state are gone.
  const stored = (await b.page.evaluate('JSON.stringify(Object.keys(sessionStorage))')) as string;
  expect(JSON.parse(stored)).toEqual(['attribution.credential']);
  await b.page.evaluate('window.__noReload = true');

  // A claim on H1, citing the case's source: the claimant shows among H1's supporters.
  await b.page.locator(`.hyp[data-id="${H1}"] button.add-claim`).click();
  const claim = b.page.locator('#claim-form');
  await claim.locator('[name="claimant"]').fill(id('other'));
  await claim.locator('[name="stance"]').selectOption('SUPPORTS');
  await claim.locator('[name="statedAt"]').fill('2020-03-01');
  await claim.locator('[name="text"]').fill('It was them.');
  await claim.locator('[name="sources"]').fill(id('src1'));
  await claim.locator('button[type="submit"]').click();
  const status = b.page.locator('#write-status');
  await status.filter({ hasText: 'Claim' }).waitFor();
  await supporter(b, H1, id('other')).waitFor();
  await expect(b.page.evaluate('window.__noReload === true')).resolves.toBe(true);
  await b.shot('signin-oidc-claim');

  // Recorded as Alice's, by the subject of her token.
  const claimId = /Claim (\S+) recorded/.exec((await status.textContent())!)![1];
  const res = await b.server.gql(
    `query ($id: ID!) { node(id: $id) { ... on Recorded { createdBy createdByName } } }`,
    { id: claimId },
  );
  expect(res.body).toMatchObject({
    data: { node: { createdBy: 'oidc:alice', createdByName: 'Alice (analyst at the FBI)' } },
  });
  expect(res.body).not.toHaveProperty('errors');
});

test('a callback no sign-in started is refused, with the reason on the page', async () => {
  await b.page.goto(`${b.base}/signin/callback?code=forged&state=forged`);
  await b.expectProblem(/^page shows an error: Could not sign in: No sign-in was started/);
  await waitForBoard(b);
  await waitForAch(b);
  expect(new URL(b.page.url()).pathname).toBe('/');
  await expect(b.page.locator('#signin-open').isVisible()).resolves.toBe(true);
});
