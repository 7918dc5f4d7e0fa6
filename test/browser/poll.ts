import type { Page } from 'playwright-core';

/**
 * Polls `expression` in the page until it is true, from the test's side: the explorer's CSP
 * forbids the in-page eval that the polling of `page.waitForFunction`'s string form uses.
 */
export async function until(page: Page, expression: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${expression}`);
    await page.waitForTimeout(50);
  }
}
