// Browser tests of the web explorer (issue 8): real headless Chromium (Debian's `chromium`,
// driven by playwright-core) against the real server on the seed. Every test fails on a browser
// console error, an uncaught page error or a failed request. Screenshots go to docs/screenshots/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../src/config';
import { startTestServer, type TestServer } from './helpers';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'docs', 'screenshots');
const DIST = path.join(ROOT, 'web', 'dist');
const H1 = 'sony-h1-dprk-state';

/** Builds web/dist when it is missing or older than a file of web/ (npm ci builds it too). */
function ensureBuilt(): void {
  const built = path.join(DIST, 'index.html');
  const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
  const newest = (dir: string): number =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.name !== 'dist' && e.name !== 'node_modules')
      .reduce((m, e) => {
        const p = path.join(dir, e.name);
        return Math.max(m, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
      }, 0);
  if (builtAt > newest(path.join(ROOT, 'web'))) return;
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

let server: TestServer;
let base: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH.`,
    );
  }
  ensureBuilt();
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer();
  base = server.app.url.replace(/\/graphql$/, '');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(async () => {
  problems = [];
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) =>
    problems.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`),
  );
});

afterEach(async () => {
  await context.close();
  expect(problems).toEqual([]);
});

const shot = (name: string, fullPage = false) =>
  page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });

/** Scrolls so that the as-of slider sits under the header (slider, board and events in view). */
const scrollToBoard = () =>
  page.evaluate(
    "window.scrollTo(0, document.getElementById('timeline').getBoundingClientRect().top + window.scrollY - 60)",
  );

/** Waits for the ACH matrix and the critical items of `asOf` (default: today). */
async function waitForAch(asOf = 'today'): Promise<void> {
  await page.locator(`#ach-matrix[data-asof="${asOf}"][aria-busy="false"]`).waitFor();
  await page.locator(`#critical[data-asof="${asOf}"][aria-busy="false"]`).waitFor();
}

/**
 * Opens the case view and waits for the board and the ACH matrix of `asOf` (default: today), so
 * that no request is still on its way when a test navigates away or ends.
 */
async function openCase(query = '', asOf = 'today'): Promise<void> {
  await page.goto(`${base}/${query}`);
  await page.locator(`#board[data-asof="${asOf}"][aria-busy="false"]`).waitFor();
  await waitForAch(asOf);
}

/** Moves the as-of slider with the keyboard until it stands at `date`, then waits for the board. */
async function slideTo(date: string): Promise<void> {
  const slider = page.locator('#asof');
  const dates = JSON.parse((await slider.getAttribute('data-dates')) ?? '[]') as (string | null)[];
  const target = dates.indexOf(date);
  expect(target).toBeGreaterThanOrEqual(0);
  await slider.focus();
  const current = Number(await slider.inputValue());
  const key = target > current ? 'ArrowRight' : 'ArrowLeft';
  for (let i = 0; i < Math.abs(target - current); i++) await page.keyboard.press(key);
  await expect(slider.getAttribute('aria-valuetext')).resolves.toBe(date);
  await page.locator(`#board[data-asof="${date}"][aria-busy="false"]`).waitFor();
  await waitForAch(date);
}

/** Polls an expression in the page until it is true (waitForFunction's string form trips the CSP). */
async function until(expression: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${expression}`);
    await page.waitForTimeout(50);
  }
}

const supporter = (hyp: string, actor: string) =>
  page.locator(`.hyp[data-id="${hyp}"] .chip.supporter[data-actor="${actor}"]`);

test('the case view ranks at least five hypotheses, with their supporters', async () => {
  await openCase();
  await expect(page.locator('#case-title').textContent()).resolves.toContain('Sony Pictures');
  const cards = page.locator('#board > li.hyp');
  expect(await cards.count()).toBeGreaterThanOrEqual(5);
  let withSupporters = 0;
  for (let i = 0; i < 5; i++) {
    const card = cards.nth(i);
    await expect(card.locator('.rank').textContent()).resolves.toBe(`#${i + 1}`);
    expect(await card.locator('.likelihood').textContent()).toMatch(/%\)$/);
    expect(await card.locator('.confidence').textContent()).toMatch(/confidence$/);
    if ((await card.locator('.chip.supporter').count()) > 0) withSupporters += 1;
  }
  // "Other or unknown" (H0) and a hypothesis nobody argued for rank among them without supporters.
  expect(withSupporters).toBeGreaterThanOrEqual(3);
  expect(await page.locator('#events li.event').count()).toBeGreaterThan(10);
  await shot('case');

  // A chip opens the actor's dated claims, with quotes and source links.
  await supporter(H1, 'fbi').click();
  const dialog = page.locator('#actor-dialog');
  await dialog.waitFor();
  await expect(dialog.locator('h2').textContent()).resolves.toContain('FBI');
  expect(await dialog.locator('.claim time').first().textContent()).toMatch(/2014/);
  expect(await dialog.locator('.claim .sources a[href^="http"]').count()).toBeGreaterThan(0);
  await shot('claims');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
});

test('the as-of slider replays the record: FBI leaves H1 on 2014-12-18 and is back on 2014-12-20', async () => {
  await openCase();
  await expect(supporter(H1, 'fbi').count()).resolves.toBe(1);
  await slideTo('2014-12-18');
  await expect(supporter(H1, 'fbi').count()).resolves.toBe(0);
  await expect(page.locator('#asof-label').textContent()).resolves.toBe('18 Dec 2014');
  expect(await page.locator('#events li.event.future').count()).toBeGreaterThan(0);
  await scrollToBoard();
  await shot('timeline-2014-12-18');
  await slideTo('2014-12-20');
  await expect(supporter(H1, 'fbi').count()).resolves.toBe(1);
  await scrollToBoard();
  await shot('timeline-2014-12-20');
  // The date is in the address, so a reload shows the same day.
  expect(page.url()).toContain('asOf=2014-12-20');
  await openCase('?asOf=2014-12-18', '2014-12-18');
  await expect(supporter(H1, 'fbi').count()).resolves.toBe(0);
});

test('"find links" from Guardians of Peace to the DPRK draws a path with its claims and sources', async () => {
  await openCase();
  await page.locator('#links-from').fill('guardians-of-peace');
  await page.locator('#links-to').fill('dprk');
  await page.locator('#links-form button[type="submit"]').click();
  await page.locator('#graph[data-paths]:not([data-paths="0"])').waitFor();
  const paths = page.locator('#paths li .path-button');
  expect(await paths.count()).toBeGreaterThanOrEqual(1);
  const lines = await paths.allTextContents();
  expect(lines.some((l) => l.includes('Guardians of Peace') && l.includes('Lazarus Group'))).toBe(
    true,
  );
  // The path is drawn: its nodes and edges are highlighted in cytoscape.
  const drawn = await page.evaluate(
    "[window.explorerGraph.nodes('.path-active').length, window.explorerGraph.edges('.path-active').length]",
  );
  expect((drawn as number[])[0]).toBeGreaterThanOrEqual(2);
  expect((drawn as number[])[1]).toBeGreaterThanOrEqual(1);
  // The step list shows a claim and a source link.
  const withSources = lines.findIndex((l) => l.includes('Reconnaissance General Bureau'));
  await paths.nth(Math.max(0, withSources)).click();
  await expect(page.locator('#details .step').count()).resolves.toBeGreaterThanOrEqual(2);
  expect(await page.locator('#details .step-claims li').count()).toBeGreaterThanOrEqual(1);
  expect(await page.locator('#details .sources a[href^="http"]').count()).toBeGreaterThanOrEqual(1);
  await page.locator('#explorer').scrollIntoViewIfNeeded();
  await page.locator('#explorer').screenshot({ path: path.join(SHOTS, 'graph-links.png') });
});

test('clicking a node in the graph expands its neighbourhood', async () => {
  await openCase();
  await page.locator('#center-id').fill('lazarus-group');
  await page.locator('#center-form button').click();
  await until("window.explorerGraph.nodes('.expanded').length === 1");
  const before = (await page.evaluate('window.explorerGraph.nodes().length')) as number;
  expect(before).toBeGreaterThan(2);
  // Click (tap) a node that is not yet expanded, at its rendered position.
  await page.evaluate("document.getElementById('graph').scrollIntoView({ block: 'center' })");
  const box = await page.locator('#graph').boundingBox();
  const pos = (await page.evaluate(
    "(() => { const n = window.explorerGraph.nodes().filter((x) => !x.hasClass('expanded'))[0]; const p = n.renderedPosition(); return [p.x, p.y]; })()",
  )) as [number, number];
  await page.mouse.click(box!.x + pos[0], box!.y + pos[1]);
  await until("window.explorerGraph.nodes('.expanded').length === 2");
});

test('the search box finds an actor and opens its claims', async () => {
  await openCase();
  await page.locator('#search-input').fill('Norse');
  await page.keyboard.press('Enter');
  const results = page.locator('#search-results .result');
  await results.first().waitFor();
  expect(await results.count()).toBeGreaterThan(1);
  await results
    .filter({ hasText: /^Actor/ })
    .first()
    .click();
  await page.locator('#actor-dialog h2', { hasText: 'Norse' }).waitFor();
  expect(await page.locator('#actor-dialog .claim').count()).toBeGreaterThan(0);
});

test('GraphiQL is served at /graphiql with the example queries and runs one', async () => {
  await page.goto(`${base}/graphiql`);
  const run = page.locator('.graphiql-execute-button');
  await run.waitFor();
  expect(await page.locator('.graphiql-tab').count()).toBeGreaterThanOrEqual(1);
  await page.locator('.graphiql-query-editor .view-lines').first().waitFor();
  await run.click();
  await page.locator('.graphiql-response', { hasText: '"data"' }).waitFor();
  await expect(page.locator('.graphiql-response').textContent()).resolves.toContain('Sony');
  await shot('graphiql');
});

/** Scrolls the ACH section's heading to just under the sticky header and as-of slider. */
const scrollToAch = () =>
  page.evaluate(
    "window.scrollTo(0, document.getElementById('ach').getBoundingClientRect().top + window.scrollY - 170)",
  );

test('the ACH matrix shows evidence by hypotheses, its ratings on click, and the critical items', async () => {
  await openCase();
  const matrix = page.locator('#ach-matrix');
  expect(await matrix.locator('tbody tr[data-evidence]').count()).toBeGreaterThanOrEqual(14);
  expect(await matrix.locator('thead th.hyp-col').count()).toBeGreaterThanOrEqual(5);
  // Columns in ranking order, each row one cell per column, rating words inside coloured cells.
  await expect(matrix.locator('thead th.hyp-col .rank').first().textContent()).resolves.toBe('#1 ');
  const cols = await matrix.locator('thead th.hyp-col').count();
  expect(await matrix.locator('tbody tr').first().locator('.ach-cell').count()).toBe(cols);
  expect(
    await matrix.locator('.ach-cell[data-rating="CONSISTENT"] .word').first().textContent(),
  ).toBe('Consistent');
  expect(await matrix.locator('tbody td.diag-col').count()).toBeGreaterThanOrEqual(14);
  expect(await matrix.locator('tfoot td.wi').count()).toBe(cols);
  // E1 x H1: FBI consistent against Schneier and Rogers neutral, so a disagreement is marked.
  expect(await matrix.locator(`.ach-cell.disagree[data-hyp="${H1}"]`).count()).toBeGreaterThan(0);
  // The critical items panel answers: either the items one at a time would overturn, or none.
  await page.locator('#critical li, #critical .critical-none').first().waitFor();
  await scrollToAch();
  await shot('ach-matrix');

  // A click on a rated cell shows each rating with its rater, rationale and sources.
  const e2h1 = matrix.locator(`tr[data-tag="E2"] .ach-cell[data-hyp="${H1}"]`);
  await e2h1.click();
  const dialog = page.locator('#cell-dialog');
  await dialog.waitFor();
  await expect(dialog.locator('h2').textContent()).resolves.toContain('E2 × H1');
  expect(await dialog.locator('.rating').count()).toBeGreaterThanOrEqual(2);
  expect(await dialog.locator('.rating .rater').allTextContents()).toEqual(
    expect.arrayContaining([expect.stringContaining('FBI')]),
  );
  expect(
    (await dialog.locator('.rating .rationale').first().textContent())!.length,
  ).toBeGreaterThan(10);
  expect(await dialog.locator('.rating .sources a[href^="http"]').count()).toBeGreaterThan(0);
  await dialog.screenshot({ path: path.join(SHOTS, 'ach-cell.png') });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  // Focus returns to the cell; the arrow keys move along the row and Enter opens the next cell.
  await expect(page.evaluate('document.activeElement.dataset.col')).resolves.toBe('0');
  await page.keyboard.press('ArrowRight');
  await expect(page.evaluate('document.activeElement.dataset.col')).resolves.toBe('1');
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });

  // On 20 December 2014 (evidence-first method: no party's voice alone holds the lead) every
  // critical item names the hypothesis that would lead without it and the ranking that follows.
  await slideTo('2014-12-20');
  await page.locator('#critical .critical-item, #critical .critical-none').first().waitFor();
  const items = page.locator('#critical .critical-item');
  for (let i = 0; i < (await items.count()); i++) {
    expect(await items.nth(i).getAttribute('data-top')).toMatch(/^sony-/);
    expect(await items.nth(i).locator('.what-if li').count()).toBeGreaterThanOrEqual(5);
  }
  await page.evaluate(
    "window.scrollTo(0, document.getElementById('critical').getBoundingClientRect().bottom + window.scrollY - window.innerHeight + 24)",
  );
  await shot('ach-critical');
});

test('the case view reads on a narrow screen without sideways scrolling', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openCase();
  // The ACH matrix (drawn by now) scrolls inside its own box, not the page.
  expect(await page.locator('#ach-matrix tbody tr[data-evidence]').count()).toBeGreaterThan(0);
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(
    true,
  );
  await page.locator('#timeline').scrollIntoViewIfNeeded();
  await page.evaluate("document.getElementById('timeline').scrollIntoView({ block: 'start' })");
  await shot('narrow');
});
