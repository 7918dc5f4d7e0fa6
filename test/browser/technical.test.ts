// Browser tests of the technical half of the explorer: the technical profile (techniques by ATT&CK
// tactic, malware, tools, observables), artifacts in the graph view (a shape per kind) and the
// overlap panel. The harness (./harness.ts) fails every test on an HTTP status >= 400, a GraphQL
// error, error text in the page, a console error or a failed request.
import { useBrowser } from './harness';
import { waitForBoard } from './pages';

const b = useBrowser();

/** Opens the case view and waits for the technical profile of today. */
async function openProfile(): Promise<void> {
  await b.page.goto(`${b.base}/`);
  await b.page.locator('#tech-profile[data-asof="today"][aria-busy="false"]').waitFor();
}

test('shows the Sony technical profile by ATT&CK tactic, with who says so', async () => {
  await openProfile();
  const text = await b.page.locator('#tech-profile').innerText();
  expect(text).toMatch(/Technique: impact/i);
  expect(text).toContain('T1485');
  expect(text).toContain('Destover');
  expect(text).toContain('SMB Worm Tool');
  expect(await b.page.locator('#tech-candidates li').first().innerText()).toContain(
    'Lazarus Group',
  );
  await b.shot('technical-profile', { locator: b.page.locator('#technical') });
  await waitForBoard(b);
});

test('draws artifacts in the graph view with their own shapes, and keeps them while the case loads', async () => {
  // Centred while the board (and after it the page's own first centring on the incident) is
  // still on its way, as on a busy server: the board's answer is held until the analyst's graph is
  // drawn. The analyst's choice must win whatever answers last.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await b.page.route('**/graphql', async (route) => {
    if (route.request().postData()?.includes('query Board(')) await held;
    await route.continue();
  });
  await openProfile();
  await b.page.fill('#center-id', 'malware-destover');
  await b.page.locator('#center-form button').click();
  const graph = b.page.locator('#graph[data-center="malware-destover"]');
  await graph.waitFor();
  release();
  const types = (await graph.getAttribute('data-types')) ?? '';
  expect(types.split(' ')).toEqual(
    expect.arrayContaining(['Malware', 'Observable', 'Incident', 'Tool']),
  );
  await b.page.locator('body[data-loaded="true"]').waitFor();
  await expect(b.page.locator('#graph').getAttribute('data-center')).resolves.toBe(
    'malware-destover',
  );
  await expect(b.page.locator('#center-id').inputValue()).resolves.toBe('malware-destover');
  expect(
    await b.page.evaluate(
      "window.explorerGraph.nodes().map((n) => n.data('type')).includes('Malware')",
    ),
  ).toBe(true);
  await b.shot('graph-artifacts', { locator: b.page.locator('#explorer') });
});

test('compares two incidents in the overlap panel, terms summing to the score', async () => {
  await openProfile();
  await b.page.fill('#overlap-a', 'sony-pictures-2014');
  await b.page.fill('#overlap-b', 'wannacry-2017');
  await b.page.locator('#overlap-form button').click();
  const result = b.page.locator('#overlap-result[data-score]');
  await result.waitFor();
  expect(Number(await result.getAttribute('data-score'))).toBeGreaterThan(0);
  const points = await b.page
    .locator('#overlap-result tbody tr')
    .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-points'))));
  expect(points.length).toBeGreaterThan(0);
  const sum = points.reduce((x, y) => x + y, 0);
  expect(sum).toBeCloseTo(Number(await result.getAttribute('data-score')), 5);
  expect(await result.innerText()).toContain('Destover');
  await b.shot('overlap-panel', { locator: b.page.locator('#technical') });
  await b.page.locator('body[data-loaded="true"]').waitFor();
});
