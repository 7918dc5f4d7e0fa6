// The guard's self-test: each tripwire of the browser-test harness trips on its own, and a real
// failure of the page (a bad as-of date in the address) trips all of them. Every problem is taken
// with expectProblem, so the afterEach (which fails on any problem left) passes only if the guard
// saw exactly what was provoked.
import { useBrowser } from './harness';
import { openCase } from './pages';

const b = useBrowser();

test('the guard trips on an HTTP status of 400 or more', async () => {
  const res = await b.page.goto(`${b.base}/no-such-page`);
  expect(res?.status()).toBe(404);
  await b.expectProblem(/^HTTP 404: GET .*\/no-such-page$/);
  // The browser also logs the failed load; the guard reports that too.
  await b.expectProblem(/console error: Failed to load resource.*404/);
});

test('the guard trips on GraphQL errors in a 200 response', async () => {
  await openCase(b);
  const status = await b.page.evaluate(
    `fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ incident(id: "sony-pictures-2014") { hypotheses(exclude: { sources: ["no-such-source"] }) { id } } }' }) })
      .then(async (r) => { await r.text(); return r.status; })`,
  );
  expect(status).toBe(200);
  const taken = await b.expectProblem(/^GraphQL error: BAD_USER_INPUT/);
  expect(taken[0]).toContain('no-such-source');
});

test('the guard trips on error text the page shows', async () => {
  await openCase(b);
  await b.page.evaluate(
    "document.getElementById('ach-status').textContent = 'Could not load the ACH matrix: boom'",
  );
  await b.expectProblem(/^page shows an error: Could not load the ACH matrix: boom$/);
  await b.page.evaluate(
    "(() => { const p = document.createElement('p'); p.dataset.error = ''; p.textContent = 'input.url: must be a URL'; document.body.append(p); })()",
  );
  await b.expectProblem(/^page shows an error: input\.url: must be a URL$/);
});

test('a real failure trips the guard: an impossible as-of date in the address', async () => {
  await b.page.goto(`${b.base}/?asOf=2014-02-30`);
  await b.page.locator('#board[aria-busy="false"]').waitFor({ state: 'attached' });
  await b.page.locator('#status', { hasText: 'Could not' }).waitFor();
  await b.expectProblem(/^page shows an error: Could not load the hypotheses/);
  await b.expectProblem(/^GraphQL error: .*(2014-02-30|date)/i);
  // The ACH request fails the same way once its debounce fires; wait for it before the next step.
  await b.page.locator('#ach-status', { hasText: 'Could not' }).waitFor();
  await b.expectProblem(/^page shows an error: Could not load the ACH matrix/);
  await b.settle();
  // Whatever else the bad date caused (HTTP 400s for invalid variables, console errors, the
  // judgment panel's own error) is a
  // problem too; the afterEach would fail on any of them.
  const rest = [...b.problems];
  b.problems.length = 0;
  expect(
    rest.every((p) => /^(HTTP 400|console error|GraphQL error|page shows an error)/.test(p)),
  ).toBe(true);
});
