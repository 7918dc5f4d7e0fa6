// Browser tests of the web explorer (issue 8): the case view, the as-of slider, the graph, search,
// GraphiQL, the ACH matrix, a narrow screen. The harness (./harness.ts) fails every test on an
// HTTP status >= 400, a GraphQL error, error text in the page, a console error or a failed request.
import { useBrowser } from './harness';
import { H1, openCase as open, slideTo as slide, supporter as sup } from './pages';

const b = useBrowser();
const openCase = (query = '', asOf = 'today') => open(b, query, asOf);
const slideTo = (date: string) => slide(b, date);
const supporter = (hyp: string, actor: string) => sup(b, hyp, actor);
const shot = (name: string, fullPage = false) => b.shot(name, { fullPage });
const until = (expression: string) => b.until(expression);

/** Scrolls so that the as-of slider sits under the header (slider, board and events in view). */
const scrollToBoard = () =>
  b.page.evaluate(
    "window.scrollTo(0, document.getElementById('timeline').getBoundingClientRect().top + window.scrollY - 60)",
  );

test('the case view ranks at least five hypotheses, with their supporters', async () => {
  await openCase();
  await expect(b.page.locator('#case-title').textContent()).resolves.toContain('Sony Pictures');
  const cards = b.page.locator('#board > li.hyp');
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
  expect(await b.page.locator('#events li.event').count()).toBeGreaterThan(10);
  await shot('case');

  // A chip opens the actor's dated claims, with quotes and source links.
  await supporter(H1, 'fbi').click();
  const dialog = b.page.locator('#actor-dialog');
  await dialog.waitFor();
  await expect(dialog.locator('h2').textContent()).resolves.toContain('FBI');
  expect(await dialog.locator('.claim time').first().textContent()).toMatch(/2014/);
  expect(await dialog.locator('.claim .sources a[href^="http"]').count()).toBeGreaterThan(0);
  await shot('claims');
  await b.page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
});

test('the as-of slider replays the record: FBI leaves H1 on 2014-12-18 and is back on 2014-12-20', async () => {
  await openCase();
  await expect(supporter(H1, 'fbi').count()).resolves.toBe(1);
  await slideTo('2014-12-18');
  await expect(supporter(H1, 'fbi').count()).resolves.toBe(0);
  await expect(b.page.locator('#asof-label').textContent()).resolves.toBe('18 Dec 2014');
  expect(await b.page.locator('#events li.event.future').count()).toBeGreaterThan(0);
  await scrollToBoard();
  await shot('timeline-2014-12-18');
  await slideTo('2014-12-20');
  await expect(supporter(H1, 'fbi').count()).resolves.toBe(1);
  await scrollToBoard();
  await shot('timeline-2014-12-20');
  // The date is in the address, so a reload shows the same day.
  expect(b.page.url()).toContain('asOf=2014-12-20');
  await openCase('?asOf=2014-12-18', '2014-12-18');
  await expect(supporter(H1, 'fbi').count()).resolves.toBe(0);
});

test('"find links" from Guardians of Peace to the DPRK draws a path with its claims and sources', async () => {
  await openCase();
  await b.page.locator('#links-from').fill('guardians-of-peace');
  await b.page.locator('#links-to').fill('dprk');
  await b.page.locator('#links-form button[type="submit"]').click();
  await b.page.locator('#graph[data-paths]:not([data-paths="0"])').waitFor();
  const paths = b.page.locator('#paths li .path-button');
  expect(await paths.count()).toBeGreaterThanOrEqual(1);
  const lines = await paths.allTextContents();
  expect(lines.some((l) => l.includes('Guardians of Peace') && l.includes('Lazarus Group'))).toBe(
    true,
  );
  // The path is drawn: its nodes and edges are highlighted in cytoscape.
  const drawn = await b.page.evaluate(
    "[window.explorerGraph.nodes('.path-active').length, window.explorerGraph.edges('.path-active').length]",
  );
  expect((drawn as number[])[0]).toBeGreaterThanOrEqual(2);
  expect((drawn as number[])[1]).toBeGreaterThanOrEqual(1);
  // The step list shows a claim and a source link.
  const withSources = lines.findIndex((l) => l.includes('Reconnaissance General Bureau'));
  await paths.nth(Math.max(0, withSources)).click();
  await expect(b.page.locator('#details .step').count()).resolves.toBeGreaterThanOrEqual(2);
  expect(await b.page.locator('#details .step-claims li').count()).toBeGreaterThanOrEqual(1);
  expect(await b.page.locator('#details .sources a[href^="http"]').count()).toBeGreaterThanOrEqual(
    1,
  );
  await b.page.locator('#explorer').scrollIntoViewIfNeeded();
  await b.shot('graph-links', { locator: b.page.locator('#explorer') });
});

test('clicking a node in the graph expands its neighbourhood', async () => {
  await openCase();
  await b.page.locator('#center-id').fill('lazarus-group');
  await b.page.locator('#center-form button').click();
  await until("window.explorerGraph.nodes('.expanded').length === 1");
  const before = (await b.page.evaluate('window.explorerGraph.nodes().length')) as number;
  expect(before).toBeGreaterThan(2);
  // Click (tap) a node that is not yet expanded, at its rendered position.
  await b.page.evaluate("document.getElementById('graph').scrollIntoView({ block: 'center' })");
  const box = await b.page.locator('#graph').boundingBox();
  const pos = (await b.page.evaluate(
    "(() => { const n = window.explorerGraph.nodes().filter((x) => !x.hasClass('expanded'))[0]; const p = n.renderedPosition(); return [p.x, p.y]; })()",
  )) as [number, number];
  await b.page.mouse.click(box!.x + pos[0], box!.y + pos[1]);
  await until("window.explorerGraph.nodes('.expanded').length === 2");
});

test('the search box finds an actor and opens its claims', async () => {
  await openCase();
  await b.page.locator('#search-input').fill('Norse');
  await b.page.keyboard.press('Enter');
  const results = b.page.locator('#search-results .result');
  await results.first().waitFor();
  expect(await results.count()).toBeGreaterThan(1);
  await results
    .filter({ hasText: /^Actor/ })
    .first()
    .click();
  await b.page.locator('#actor-dialog h2', { hasText: 'Norse' }).waitFor();
  expect(await b.page.locator('#actor-dialog .claim').count()).toBeGreaterThan(0);
});

test('GraphiQL is served at /graphiql with the example queries and runs one', async () => {
  await b.page.goto(`${b.base}/graphiql`);
  const run = b.page.locator('.graphiql-execute-button');
  await run.waitFor();
  expect(await b.page.locator('.graphiql-tab').count()).toBeGreaterThanOrEqual(1);
  await b.page.locator('.graphiql-query-editor .view-lines').first().waitFor();
  await run.click();
  await b.page.locator('.graphiql-response', { hasText: '"data"' }).waitFor();
  await expect(b.page.locator('.graphiql-response').textContent()).resolves.toContain('Sony');
  await shot('graphiql');
});

/** Scrolls the ACH section's heading to just under the sticky header and as-of slider. */
const scrollToAch = () =>
  b.page.evaluate(
    "window.scrollTo(0, document.getElementById('ach').getBoundingClientRect().top + window.scrollY - 170)",
  );

test('the ACH matrix shows evidence by hypotheses, its ratings on click, and the critical items', async () => {
  await openCase();
  const matrix = b.page.locator('#ach-matrix');
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
  await b.page.locator('#critical li, #critical .critical-none').first().waitFor();
  await scrollToAch();
  await shot('ach-matrix');

  // A click on a rated cell shows each rating with its rater, rationale and sources.
  const e2h1 = matrix.locator(`tr[data-tag="E2"] .ach-cell[data-hyp="${H1}"]`);
  await e2h1.click();
  const dialog = b.page.locator('#cell-dialog');
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
  await b.shot('ach-cell', { locator: dialog });
  await b.page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  // Focus returns to the cell; the arrow keys move along the row and Enter opens the next cell.
  await expect(b.page.evaluate('document.activeElement.dataset.col')).resolves.toBe('0');
  await b.page.keyboard.press('ArrowRight');
  await expect(b.page.evaluate('document.activeElement.dataset.col')).resolves.toBe('1');
  await b.page.keyboard.press('Enter');
  await dialog.waitFor();
  await b.page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });

  // On 20 December 2014 (evidence-first method: no party's voice alone holds the lead) every
  // critical item names the hypothesis that would lead without it and the ranking that follows.
  await slideTo('2014-12-20');
  await b.page.locator('#critical .critical-item, #critical .critical-none').first().waitFor();
  const items = b.page.locator('#critical .critical-item');
  for (let i = 0; i < (await items.count()); i++) {
    expect(await items.nth(i).getAttribute('data-top')).toMatch(/^sony-/);
    expect(await items.nth(i).locator('.what-if li').count()).toBeGreaterThanOrEqual(5);
  }
  await b.page.evaluate(
    "window.scrollTo(0, document.getElementById('critical').getBoundingClientRect().bottom + window.scrollY - window.innerHeight + 24)",
  );
  await shot('ach-critical');
});

test('the case view reads on a narrow screen without sideways scrolling', async () => {
  await b.page.setViewportSize({ width: 390, height: 844 });
  await openCase();
  // The ACH matrix (drawn by now) scrolls inside its own box, not the b.page.
  expect(await b.page.locator('#ach-matrix tbody tr[data-evidence]').count()).toBeGreaterThan(0);
  expect(
    await b.page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1'),
  ).toBe(true);
  await b.page.locator('#timeline').scrollIntoViewIfNeeded();
  await b.page.evaluate("document.getElementById('timeline').scrollIntoView({ block: 'start' })");
  await shot('narrow');
});
