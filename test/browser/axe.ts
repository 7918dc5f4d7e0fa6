// Accessibility checks with axe-core (Deque's engine, the library behind most automated WCAG
// audits): injected into the page under test through the DevTools protocol (the page's CSP
// allows no inline script, and the audit must not need one), run on the whole document, and
// answered as plain violations. The browser tests fail on any of `serious` or `critical` impact.
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { until } from './poll';

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  /** Up to five offending elements (CSS selectors) with axe's summary of what is wrong. */
  nodes: string[];
}

/** Every axe-core violation on the page as it stands (WCAG 2.x A and AA rules and best practices). */
export async function axeViolations(page: Page): Promise<Violation[]> {
  // The settled view is what is audited: a panel still loading (aria-busy) is half drawn.
  await until(page, '!document.querySelector(\'[aria-busy="true"]\')', 30_000);
  if (!(await page.evaluate('typeof window.axe === "object"')))
    await page.evaluate(`${AXE_SOURCE}\n;void 0`);
  const json = await page.evaluate(`axe
    .run(document, { resultTypes: ['violations'] })
    .then((r) => JSON.stringify(r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\\s+/g, ' ')),
    }))))`);
  return JSON.parse(json as string) as Violation[];
}

/** The serious and critical violations (what the tests refuse), readable in a failure message. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  return (await axeViolations(page)).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
}
