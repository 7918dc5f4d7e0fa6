// What-if in the matrix: leaving a source out changes the ranking on the board, the matrix and the
// critical items follow, and the address keeps the choice (a reload shows the same what-if).
// On 7 January 2015 (evidence-first method) the FBI's update (S2) is what keeps H5 second, and
// the FBI alone holds H1's lead: without the FBI, H5 leads.
import { useBrowser } from './harness';
import { H1, boardOrder, openCase, waitForAch, waitForBoard } from './pages';

const b = useBrowser();
const DAY = '2015-01-07';

/** Waits until board, matrix and critical items show the record without `id`. */
async function waitForExclusion(id: string): Promise<void> {
  await b.page
    .locator(`#board[data-exclude*='"${id}"'][aria-busy="false"]`)
    .waitFor({ state: 'attached' });
  await b.page
    .locator(`#ach-matrix[data-exclude*='"${id}"'][aria-busy="false"]`)
    .waitFor({ state: 'attached' });
  await b.page
    .locator(`#critical[data-exclude*='"${id}"'][aria-busy="false"]`)
    .waitFor({ state: 'attached' });
}

test('leaving out a source changes the ranking; the URL keeps the choice', async () => {
  await openCase(b, `?asOf=${DAY}`, DAY);
  const before = await boardOrder(b);
  expect(before[0]).toBe(H1);
  const sources = ['src-s02-fbi-update'];
  await b.page.locator('#whatif summary').click();
  const box = (id: string) =>
    b.page.locator(`#whatif-groups fieldset[data-kind="sources"] input[data-id="${id}"]`);
  for (const id of sources) {
    await box(id).check();
    await waitForExclusion(id);
  }
  const after = await boardOrder(b);
  expect(after).not.toEqual(before);
  expect(after[0]).toBe(H1);
  expect(after[1]).not.toBe(before[1]);
  // The matrix columns follow the new ranking.
  await expect(
    b.page.locator('#ach-matrix thead th.hyp-col').nth(1).getAttribute('data-hyp'),
  ).resolves.toBe(after[1]);
  await expect(b.page.locator('#board-whatif').isVisible()).resolves.toBe(true);
  const url = decodeURIComponent(b.page.url());
  expect(url).toContain(`without-sources=${[...sources].sort().join(',')}`);
  await b.page.locator('#ach').scrollIntoViewIfNeeded();
  await b.shot('what-if');

  // The address alone reproduces it.
  await b.page.goto(b.page.url());
  await waitForBoard(b, DAY);
  await waitForAch(b, DAY);
  await waitForExclusion(sources[0]);
  expect(await boardOrder(b)).toEqual(after);
  for (const id of sources) await expect(box(id).isChecked()).resolves.toBe(true);

  // Putting everything back restores the record's ranking.
  await b.page.locator('#whatif-clear').click();
  await b.page.locator(`#board[data-exclude=""][aria-busy="false"]`).waitFor({ state: 'attached' });
  await b.page
    .locator(`#ach-matrix[data-exclude=""][aria-busy="false"]`)
    .waitFor({ state: 'attached' });
  expect(await boardOrder(b)).toEqual(before);
  expect(b.page.url()).not.toContain('without-sources');
});

test('"leave it out" on a critical item excludes that party', async () => {
  await openCase(b, `?asOf=${DAY}`, DAY);
  const fbi = b.page.locator('#critical .critical-item[data-kind="CLAIMANT"][data-id="fbi"]');
  const top = (await fbi.getAttribute('data-top'))!;
  await fbi.locator('button.leave-out').click();
  await waitForExclusion('fbi');
  expect((await boardOrder(b))[0]).toBe(top);
  expect(b.page.url()).toContain('without-claimants=fbi');
  await expect(
    b.page
      .locator('#whatif-groups fieldset[data-kind="claimants"] input[data-id="fbi"]')
      .isChecked(),
  ).resolves.toBe(true);
});
