// The consensus over time: the chart draws every hypothesis over the record's dates with the
// likelihood bands and the events, and a click on it moves the as-of slider there.
import { useBrowser } from './harness';
import { H1, openCase, supporter, waitForAch, waitForBoard } from './pages';

const b = useBrowser();

const chartReady = () =>
  b.page.locator('#trajectory-chart[aria-busy="false"][data-points]').waitFor();

test('the chart shows each hypothesis over time; a click moves the as-of slider to that date', async () => {
  await openCase(b);
  await chartReady();
  const chart = b.page.locator('#trajectory-chart');
  expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(10);
  expect(await chart.locator('path.series').count()).toBeGreaterThanOrEqual(5);
  expect(await chart.locator('rect.band').count()).toBe(7);
  expect(await chart.locator('.event-mark').count()).toBeGreaterThan(10);
  expect(await b.page.locator('#trajectory-legend li').count()).toBeGreaterThanOrEqual(5);
  expect(await b.page.locator('#trajectory-data tbody tr').count()).toBe(
    Number(await chart.getAttribute('data-points')),
  );

  // Click where 19 December 2014 (the FBI's attribution) sits on the chart.
  const dot = chart.locator(`circle.dot[data-date="2014-12-19"][data-hyp="${H1}"]`);
  await b.page.evaluate(
    "document.getElementById('trajectory-chart').scrollIntoView({ block: 'center' })",
  );
  const box = (await dot.boundingBox())!;
  await b.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await b.page.locator('#asof[aria-valuetext="2014-12-19"]').waitFor({ state: 'attached' });
  await waitForBoard(b, '2014-12-19');
  await waitForAch(b, '2014-12-19');
  expect(b.page.url()).toContain('asOf=2014-12-19');
  await expect(supporter(b, H1, 'fbi').count()).resolves.toBe(1);
  // The as-of rule is drawn at the date picked.
  expect(await chart.locator('line.asof-rule').count()).toBe(1);
  await b.page.evaluate(
    "window.scrollTo(0, document.getElementById('trajectory').getBoundingClientRect().top + window.scrollY - 150)",
  );
  await b.shot('trajectory', { locator: b.page.locator('#trajectory') });

  // A click further left goes back in time: the FBI is not yet on record.
  const before = (
    await b.page
      .locator('#trajectory-data tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-date') ?? ''))
  )
    .filter((d) => d < '2014-12-19')
    .pop()!;
  const early = chart.locator(`circle.dot[data-date="${before}"][data-hyp="${H1}"]`);
  await b.page.evaluate(
    "document.getElementById('trajectory-chart').scrollIntoView({ block: 'center' })",
  );
  const eb = (await early.boundingBox())!;
  await b.page.mouse.click(eb.x + eb.width / 2, eb.y + eb.height / 2);
  await waitForBoard(b, before);
  await waitForAch(b, before);
  await expect(supporter(b, H1, 'fbi').count()).resolves.toBe(0);
});
