// The key judgment panel (issue 18): the question most readers ask first, P(North Korean state
// behind it), with its ICD 203 word and the confidence on the judgment, the bits each item and
// dependency group added, how much of the matrix is rated, and the sensitivity panel; it follows
// the as-of slider.
import { useBrowser } from './harness';
import { openCase, slideTo } from './pages';

const b = useBrowser();

const panelReady = (asOf = 'today') =>
  b.page.locator(`#judgment-body[data-asof="${asOf}"][aria-busy="false"]`).waitFor();

test('the key judgment: probability, words, waterfall of bits and sensitivity, as of the slider', async () => {
  await openCase(b);
  await panelReady();
  const p = b.page.locator('#judgment-probability');
  // Today the record makes North Korean state involvement almost certain, with HIGH confidence.
  expect(await b.page.locator('.judgment-label').textContent()).toContain('North Korea');
  expect(parseFloat((await p.textContent()) ?? '')).toBeGreaterThan(95);
  expect(await b.page.locator('#judgment-confidence').textContent()).toBe('High confidence');
  expect(await b.page.locator('#judgment-coverage').textContent()).toMatch(
    /100 % rated \(0 of \d+ cells blank/,
  );
  // The waterfall: the prior, one row per unit with its bits, and the posterior log-odds.
  const rows = b.page.locator('#judgment-steps tbody tr');
  expect(await rows.count()).toBeGreaterThan(10);
  // The DOJ complaint's item (2018) is on the record today and moves the judgment up.
  const e13b = b.page.locator('#judgment-steps tr[data-key="item:sony-e13b-spear-phishing"] .num');
  expect(parseFloat(((await e13b.textContent()) ?? '').replace('−', '-'))).toBeGreaterThan(1);
  // The sensitivity panel opens on a click: a range on the ICD scale and one row per constant's value.
  await b.page.locator('#sensitivity summary').click();
  await b.page.locator('#sensitivity .icd-range').waitFor();
  expect(await b.page.locator('#sensitivity .icd-band').count()).toBe(7);
  expect(await b.page.locator('#sensitivity-variants tbody tr').count()).toBeGreaterThan(3);
  await b.shot('judgment', { locator: b.page.locator('#judgment') });

  // Before the FBI spoke the same question was a roughly even chance, with LOW confidence.
  await slideTo(b, '2014-12-18');
  await panelReady('2014-12-18');
  expect(parseFloat((await p.textContent()) ?? '')).toBeCloseTo(45.9, 0);
  expect(await b.page.locator('.judgment-head .likelihood').textContent()).toBe(
    'Roughly even chance',
  );
  expect(await b.page.locator('#judgment-confidence').textContent()).toBe('Low confidence');
});
