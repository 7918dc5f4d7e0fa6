// Accessibility: axe-core finds no serious or critical violation on any view of the explorer:
// the case view (board, chart, ACH matrix, critical items, graph) anonymous and signed in, at
// 1280 and at 390 px wide, its dialogs (an actor's claims with the write tools, an ACH cell with
// the rating form, the claim form with an error shown, sign-in) and the case report.
import { cliPrincipal } from '../../src/auth';
import { createApiKey } from '../../src/mutations';
import { uid } from '../helpers';
import { seriousViolations } from './axe';
import { useBrowser } from './harness';
import { H1, openCase, supporter } from './pages';

const b = useBrowser();
let analystKey = '';

beforeAll(async () => {
  const caller = { db: b.server.conn.db(), principal: cliPrincipal() };
  analystKey = (await createApiKey(caller, { name: `${uid('a11y')} analyst`, role: 'analyst' }))
    .key;
});

const chartDrawn = () =>
  b.page.locator('#trajectory-chart[aria-busy="false"][data-points]').waitFor();

async function expectClean(view: string): Promise<void> {
  const found = await seriousViolations(b.page);
  expect({ view, violations: found }).toEqual({ view, violations: [] });
}

test('the case view, anonymous: no serious or critical violation, wide and at 390 px', async () => {
  await openCase(b);
  await chartDrawn();
  await expectClean('case view (1280 px)');
  await b.page.locator('#whatif summary').click();
  await expectClean('case view with the what-if panel open');
  await supporter(b, H1, 'fbi').click();
  await b.page.locator('#actor-dialog').waitFor();
  await expectClean('actor dialog');
  await b.page.keyboard.press('Escape');
  await b.page.locator('#ach-matrix .ach-cell[data-rating]').first().click();
  await b.page.locator('#cell-dialog').waitFor();
  await expectClean('ACH cell dialog');
  await b.page.keyboard.press('Escape');
  await b.page.locator('#signin-open').click();
  await b.page.locator('#signin-dialog').waitFor();
  await expectClean('sign-in dialog');
  await b.page.keyboard.press('Escape');

  await b.newContext({ width: 390, height: 844 });
  await openCase(b);
  await chartDrawn();
  await expectClean('case view (390 px)');
});

test('signed in: the write controls and forms, an error shown, no serious or critical violation', async () => {
  await openCase(b);
  await b.page.locator('#signin-open').click();
  await b.page.locator('#signin-key').fill(analystKey);
  await b.page.locator('#signin-form button[type="submit"]').click();
  await b.page.locator('#signout').waitFor();
  await b.page.locator('#board[aria-busy="false"] button.add-claim').first().waitFor();
  await expectClean('case view, signed in');
  await b.page.locator(`.hyp[data-id="${H1}"] button.add-claim`).click();
  await b.page.locator('#claim-form').waitFor();
  await expectClean('claim form');
  // Submitted empty: the page's own checks mark each required field.
  await b.page.locator('#claim-form button[type="submit"]').click();
  await b.page.locator('#claim-form .field-error').first().waitFor();
  await b.expectProblem(/^page shows an error: claimant: is required/);
  await b.settle();
  b.problems.length = 0; // the other required fields' messages, provoked on purpose
  await expectClean('claim form with errors');
  await b.page.keyboard.press('Escape');
  await b.page.locator('#add-source').click();
  await b.page.locator('#source-form').waitFor();
  await expectClean('source form');
  await b.page.keyboard.press('Escape');
  await b.page.locator('#ach-matrix .ach-cell[data-rating]').first().click();
  await b.page.locator('#cell-dialog .rate-box summary').click();
  await expectClean('ACH cell dialog with the rating form');
  await b.page.keyboard.press('Escape');
  await supporter(b, H1, 'fbi').click();
  await b.page.locator('#actor-dialog .claim-tools').first().waitFor();
  await expectClean('actor dialog with the claim tools');
});

// GraphiQL (/graphiql) is the graphiql package's own React UI, not checked here: axe-core finds
// serious violations in it (tab list items nesting buttons, a link's contrast of 4.26:1).
test('the case report: no serious or critical violation', async () => {
  await b.page.goto(`${b.base}/report?incident=sony-pictures-2014&asOf=2014-12-20`);
  await b.page.locator('#main[aria-busy="false"]').waitFor({ state: 'attached' });
  await chartDrawn();
  await expectClean('report');
});
