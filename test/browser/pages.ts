// Steps the browser tests share: open the case view, wait for the board and the ACH matrix,
// move the as-of slider.
import type { Harness } from './harness';

export const H1 = 'sony-h1-dprk-state';
export const H2 = 'sony-h2-insiders';

/** Waits for the ACH matrix and the critical items of `asOf` (default: today). */
export async function waitForAch(b: Harness, asOf = 'today'): Promise<void> {
  await b.page.locator(`#ach-matrix[data-asof="${asOf}"][aria-busy="false"]`).waitFor();
  await b.page.locator(`#critical[data-asof="${asOf}"][aria-busy="false"]`).waitFor();
}

/** Waits for the board (the ranked hypotheses) of `asOf`. */
export async function waitForBoard(b: Harness, asOf = 'today'): Promise<void> {
  await b.page.locator(`#board[data-asof="${asOf}"][aria-busy="false"]`).waitFor();
}

/**
 * Opens the case view and waits for the board and the ACH matrix of `asOf` (default: today), so
 * that no request is still on its way when a test navigates away or ends.
 */
export async function openCase(b: Harness, query = '', asOf = 'today'): Promise<void> {
  await b.page.goto(`${b.base}/${query}`);
  await waitForBoard(b, asOf);
  await waitForAch(b, asOf);
}

/** The dates the as-of slider stops at (null: today). */
export async function sliderDates(b: Harness): Promise<(string | null)[]> {
  return JSON.parse((await b.page.locator('#asof').getAttribute('data-dates')) ?? '[]') as (
    string | null
  )[];
}

/** Moves the as-of slider with the keyboard until it stands at `date`, then waits for the board. */
export async function slideTo(b: Harness, date: string): Promise<void> {
  const slider = b.page.locator('#asof');
  const target = (await sliderDates(b)).indexOf(date);
  expect(target).toBeGreaterThanOrEqual(0);
  await slider.focus();
  const current = Number(await slider.inputValue());
  const key = target > current ? 'ArrowRight' : 'ArrowLeft';
  for (let i = 0; i < Math.abs(target - current); i++) await b.page.keyboard.press(key);
  await expect(slider.getAttribute('aria-valuetext')).resolves.toBe(date);
  await waitForBoard(b, date);
  await waitForAch(b, date);
}

/** The hypothesis ids on the board, best first. */
export async function boardOrder(b: Harness): Promise<string[]> {
  return b.page
    .locator('#board > li.hyp')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
}

export const supporter = (b: Harness, hyp: string, actor: string) =>
  b.page.locator(`.hyp[data-id="${hyp}"] .chip.supporter[data-actor="${actor}"]`);
