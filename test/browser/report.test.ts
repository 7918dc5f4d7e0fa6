// The case report page: /report?incident=ID&asOf=DATE has every section (ranking with its
// explanation, ACH matrix, chart, timeline, technical profile, every source with its
// reliability) and prints.
import { useBrowser } from './harness';
import { H1 } from './pages';

const b = useBrowser();

test('the report as of 20 Dec 2014 has every section and prints', async () => {
  await b.page.goto(`${b.base}/report?incident=sony-pictures-2014&asOf=2014-12-20`);
  await b.page.locator('#main[aria-busy="false"]').waitFor({ state: 'attached' });
  await b.page.locator('#trajectory-chart[aria-busy="false"][data-points]').waitFor();
  const p = b.page;
  await expect(p.locator('#report-title').textContent()).resolves.toContain('Sony Pictures');
  await expect(p.locator('#report-meta').textContent()).resolves.toContain('20 Dec 2014');
  // Ranking with its explanation, H1 first on that day.
  expect(await p.locator('#report-ranking-body tbody tr').count()).toBeGreaterThanOrEqual(5);
  await expect(
    p.locator('#report-ranking-body tbody tr').first().getAttribute('data-hyp'),
  ).resolves.toBe(H1);
  expect(await p.locator(`.report-hyp[data-hyp="${H1}"] .explanation li`).count()).toBeGreaterThan(
    0,
  );
  await expect(p.locator(`.report-hyp[data-hyp="${H1}"]`).textContent()).resolves.toContain(
    'Federal Bureau of Investigation',
  );
  // The ACH matrix, the chart up to that day, the timeline up to that day.
  expect(await p.locator('#report-ach-body tbody tr').count()).toBeGreaterThanOrEqual(5);
  await expect(p.locator('#trajectory-chart').getAttribute('data-to')).resolves.toBe('2014-12-20');
  const dates = await p
    .locator('#trajectory-data tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-date') ?? ''));
  expect(dates.length).toBeGreaterThan(3);
  expect(dates.every((d) => d <= '2014-12-20')).toBe(true);
  const times = await p
    .locator('#report-timeline-body time')
    .evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime') ?? ''));
  expect(times.length).toBeGreaterThan(10);
  expect(times.filter(Boolean).every((d) => d <= '2014-12-20')).toBe(true);
  // The technical profile: techniques under their ATT&CK tactic (T1485 under impact), malware
  // (Destover, reported by Trend Micro on 4 Dec), tools with their UNVERIFIED flag, each cited.
  const impact = p.locator('#report-technical-body .report-tech-group[data-group="tactic-impact"]');
  await expect(impact.locator('li', { hasText: 'T1485' }).textContent()).resolves.toMatch(
    /T1485\s*Data Destruction \(attack-pattern\): observed per Federal Bureau of Investigation.*19 Dec 2014\s*\[\d+\]/,
  );
  await expect(
    p
      .locator('#report-technical-body [data-group="malware"] li[data-artifact="malware-destover"]')
      .textContent(),
  ).resolves.toMatch(/Destover \(malware\): observed per Trend Micro, 4 Dec 2014\s*\[/);
  expect(
    await p.locator('#report-technical-body [data-group="tools"] li .flag').count(),
  ).toBeGreaterThan(0);
  expect(await p.locator('#report-technical-body li:not(:has(sup.cite))').count()).toBe(0);
  // Every source cited in the report is listed with its reliability, and every citation resolves.
  const sources = p.locator('#report-sources-body li');
  const n = await sources.count();
  expect(n).toBeGreaterThan(5);
  for (const text of await sources.allTextContents()) expect(text).toMatch(/Reliability [A-F]: /);
  const cites = await p
    .locator('sup.cite a')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  expect(cites.length).toBeGreaterThan(0);
  for (const href of new Set(cites)) expect(await p.locator(href).count()).toBe(1);
  // The first screen (the whole page, ~9,500 px tall, would weigh MBs).
  await b.shot('report');

  // Print: the page's chrome goes, every section stays, and Chromium makes a multi-page PDF.
  await p.emulateMedia({ media: 'print' });
  await expect(p.locator('header.top').isVisible()).resolves.toBe(false);
  // The technical profile as printed (no sticky header over it).
  await b.shot('report-technical', { locator: p.locator('#report-technical') });
  for (const id of [
    'report-ranking',
    'report-ach',
    'trajectory',
    'report-timeline',
    'report-technical',
    'report-sources',
  ])
    await expect(p.locator(`#${id}`).isVisible()).resolves.toBe(true);
  const pdf = await p.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  expect(pages).toBeGreaterThan(1);
});
