// Writing from the page, in Chromium against the real server: anonymous visitors get no write
// controls; a bad key is refused beside the key field; an analyst signs in with an API key, adds
// a source, adds a claim citing it (it shows among the supporters without a reload), rates an
// item of evidence from its ACH cell (the cell fills), retracts the claim (it leaves the board);
// an admin reinstates it and reads its audit trail. The forms show the field the API's
// userErrors name. A small case of its own (unique ids) keeps the Sony record untouched.
import { cliPrincipal } from '../../src/auth';
import { createApiKey } from '../../src/mutations';
import { writeSeed } from '../../src/seed';
import { twoIncidents, uid } from '../helpers';
import { useBrowser, type Harness } from './harness';
import { waitForAch, waitForBoard } from './pages';

const b = useBrowser();
const P = uid('web');
const id = (name: string) => `${P}-${name}`;
const INCIDENT = id('inc1');
const H1 = id('h1');
const H2 = id('h2b');
const keys = { analyst: '', bound: '', admin: '', reader: '' };

beforeAll(async () => {
  const seed = twoIncidents(P);
  seed.hypotheses.push({
    id: H2,
    tag: 'H2',
    incident: INCIDENT,
    statement: 'Someone else did it.',
    suspects: [id('other')],
  });
  seed.evidence.push({
    id: id('e1'),
    tag: 'E1',
    incident: INCIDENT,
    kind: 'malware',
    title: 'A wiper',
    description: 'A wiper was found on the servers.',
    reportedAt: '2020-02-01',
    sources: [id('src1')],
    credibility: 2,
    credibilityReason: 'Seen by two firms.',
    ratings: [
      {
        id: id('r1'),
        hypothesis: H1,
        rating: 'consistent',
        ratedBy: id('analyst'),
        ratedAt: '2020-02-01',
        sources: [id('src1')],
        rationale: 'The suspect used wipers before.',
      },
    ],
  });
  await writeSeed(b.server.conn.db(), seed);
  const caller = { db: b.server.conn.db(), principal: cliPrincipal() };
  for (const role of ['analyst', 'admin', 'reader'] as const)
    keys[role] = (await createApiKey(caller, { name: `${P} ${role}`, role })).key;
  // An analyst whose key speaks for the claimant of the seeded claim: it may retract it.
  keys.bound = (
    await createApiKey(caller, { name: `${P} bound`, role: 'analyst', actor: id('analyst') })
  ).key;
});

async function open(asOf?: string): Promise<void> {
  await b.page.goto(`${b.base}/?incident=${INCIDENT}${asOf ? `&asOf=${asOf}` : ''}`);
  await waitForBoard(b, asOf);
  await waitForAch(b, asOf);
}

async function signIn(key: string, asOf?: string): Promise<void> {
  await b.page.locator('#signin-open').click();
  await b.page.locator('#signin-key').fill(key);
  await b.page.locator('#signin-form button[type="submit"]').click();
  await b.page.locator('#signout').waitFor();
  // The board redraws with (or without) its write controls once the role is known.
  await waitForBoard(b, asOf);
}

async function signOut(): Promise<void> {
  await b.page.locator('#signout').click();
  await b.page.locator('#signin-open').waitFor();
  await waitForBoard(b);
}

const supporter = (h: Harness, hyp: string, actor: string) =>
  h.page.locator(`.hyp[data-id="${hyp}"] .chip.supporter[data-actor="${actor}"]`);

test('anonymous visitors and readers see no write controls', async () => {
  await open();
  await expect(b.page.locator('#board > li.hyp').count()).resolves.toBe(2);
  await expect(b.page.locator('.write').count()).resolves.toBe(0);
  await expect(b.page.locator('#signin-open').isVisible()).resolves.toBe(true);
  // Nor in the ACH cell dialog or under a claim.
  await b.page.locator(`#ach-matrix .ach-cell[data-hyp="${H1}"]`).first().click();
  await b.page.locator('#cell-dialog').waitFor();
  await expect(b.page.locator('#cell-dialog .write').count()).resolves.toBe(0);
  await b.page.keyboard.press('Escape');
  await supporter(b, H1, id('analyst')).click();
  await b.page.locator('#actor-dialog').waitFor();
  await expect(b.page.locator('#actor-dialog .write').count()).resolves.toBe(0);
  await b.page.keyboard.press('Escape');

  // A reader's key signs in, but reading is all it may do: still no write control.
  await signIn(keys.reader);
  await expect(b.page.locator('#session-who').textContent()).resolves.toContain('Reader');
  await expect(b.page.locator('.write').count()).resolves.toBe(0);
});

test('a wrong key is refused beside the key field, and nothing is kept', async () => {
  await open();
  await b.page.locator('#signin-open').click();
  await b.page.locator('#signin-key').fill('A'.repeat(43)); // well formed, but no such key
  await b.page.locator('#signin-form button[type="submit"]').click();
  const error = b.page.locator('#signin-form .field-error[data-field="key"]');
  await error.waitFor();
  await expect(error.textContent()).resolves.toMatch(/Unknown API key/);
  await expect(b.page.locator('#signin-key').getAttribute('aria-invalid')).resolves.toBe('true');
  // The refusal is the server's (HTTP 401, UNAUTHENTICATED) and the page shows it: all expected.
  await b.expectProblem(/^HTTP 401: POST .*\/graphql$/);
  await b.expectProblem(/^GraphQL error: UNAUTHENTICATED Unknown API key/);
  await b.expectProblem(/^page shows an error: Unknown API key/);
  await b.expectProblem(/console error: Failed to load resource.*401/);
  await expect(b.page.evaluate('sessionStorage.length')).resolves.toBe(0);
});

test('an analyst adds a source, then a claim citing it: it shows among the supporters without a reload', async () => {
  await open();
  await signIn(keys.analyst);
  await expect(b.page.locator('#session-who').textContent()).resolves.toContain('Analyst');
  // A mark on the window: a reload would wipe it.
  await b.page.evaluate('window.__noReload = true');

  // Add a source.
  await b.page.locator('#add-source').click();
  const source = b.page.locator('#source-form');
  await source.locator('[name="title"]').fill(`${P} statement`);
  await source.locator('[name="publisher"]').fill(id('other'));
  await source.locator('[name="url"]').fill('https://example.org/statement');
  await source.locator('[name="publishedAt"]').fill('2020-03-01');
  await source.locator('[name="reliability"]').selectOption('C');
  await source.locator('[name="reliabilityReason"]').fill('A press statement.');
  await source.locator('button[type="submit"]').click();
  const status = b.page.locator('#write-status');
  await status.filter({ hasText: 'Source' }).waitFor();
  const sourceId = /recorded as (\S+):/.exec((await status.textContent())!)![1];

  // Add a claim on H2 citing it; first with a source that does not exist: the API names the field.
  await b.page.locator(`.hyp[data-id="${H2}"] button.add-claim`).click();
  const claim = b.page.locator('#claim-form');
  await claim.locator('[name="claimant"]').fill(id('other'));
  await claim.locator('[name="statedAt"]').fill('20 March');
  await claim.locator('[name="text"]').fill('We did it, not them.');
  await claim.locator('[name="sources"]').fill(`${sourceId}, ${id('no-such-source')}`);
  await claim.locator('button[type="submit"]').click();
  // The page's own check, as the API makes it: the date, beside its field, nothing sent.
  await claim.locator('.field-error[data-field="statedAt"]').waitFor();
  await b.expectProblem(/^page shows an error: statedAt: must be a date/);
  await claim.locator('[name="statedAt"]').fill('2020-03-01');
  await claim.locator('button[type="submit"]').click();
  // The API's userError names input.sources[1]: the sources field is marked.
  const sourcesError = claim.locator('.field-error[data-field="sources"]');
  await sourcesError.waitFor();
  await expect(sourcesError.getAttribute('data-error')).resolves.toBe('input.sources[1]');
  await expect(claim.locator('[name="sources"]').getAttribute('aria-invalid')).resolves.toBe(
    'true',
  );
  await b.expectProblem(/^page shows an error: input\.sources\[1\]/);
  await expect(supporter(b, H2, id('other')).count()).resolves.toBe(0);

  await claim.locator('[name="sources"]').fill(sourceId);
  await claim.locator('[name="stance"]').selectOption('SUPPORTS');
  await claim.locator('[name="textKind"]').selectOption('QUOTE');
  await claim.locator('button[type="submit"]').click();
  await status.filter({ hasText: 'Claim' }).waitFor();
  // The board redraws: the claimant now supports H2, without a reload.
  await supporter(b, H2, id('other')).waitFor();
  await expect(b.page.evaluate('window.__noReload === true')).resolves.toBe(true);
  await b.shot('write-claim');
});

test('an analyst rates an item of evidence from its ACH cell: the cell fills', async () => {
  await open();
  await signIn(keys.analyst);
  const cell = b.page.locator(`#ach-matrix tr[data-tag="E1"] .ach-cell[data-hyp="${H2}"]`);
  expect(await cell.getAttribute('data-rating')).toBeFalsy(); // not rated yet
  await cell.click();
  const dialog = b.page.locator('#cell-dialog');
  await dialog.waitFor();
  await dialog.locator('.rate-box summary').click();
  const form = dialog.locator('#rate-form');
  await form.locator('[name="rating"]').selectOption('INCONSISTENT');
  await form.locator('[name="rationale"]').fill('Nothing ties the other group to wipers.');
  // The key is bound to no actor: the API wants a rater and names the field.
  await form.locator('button[type="submit"]').click();
  await form.locator('.field-error[data-field="ratedBy"]').waitFor();
  await b.expectProblem(/^page shows an error: input\.ratedBy/);
  await form.locator('[name="ratedBy"]').fill(id('analyst'));
  await form.locator('[name="sources"]').fill(id('src1'));
  await form.locator('button[type="submit"]').click();
  await dialog.waitFor({ state: 'hidden' });
  await b.page
    .locator(
      `#ach-matrix[aria-busy="false"] tr[data-tag="E1"] .ach-cell[data-hyp="${H2}"][data-rating="INCONSISTENT"]`,
    )
    .waitFor();
  await b.shot('write-rating');
});

test('an analyst retracts a claim (it leaves the board); an admin reinstates it and reads its audit trail', async () => {
  await open();
  await signIn(keys.bound);
  await supporter(b, H1, id('analyst')).click();
  const dialog = b.page.locator('#actor-dialog');
  await dialog.waitFor();
  const claim = dialog.locator(`.claim[data-claim="${id('c1')}"]`);
  await claim.locator('button.retract').click();
  const form = claim.locator('#retract-form');
  await form.locator('[name="reason"]').fill('Misattributed quote.');
  await form.locator('button[type="submit"]').click();
  await dialog.locator(`.claim[data-claim="${id('c1')}"] .retracted`).waitFor();
  // An analyst may not reinstate: no such control on the retracted claim.
  await expect(
    dialog.locator(`.claim[data-claim="${id('c1')}"] button.reinstate`).count(),
  ).resolves.toBe(0);
  // Retracted today: today's board no longer counts it (no reload).
  await b.page.keyboard.press('Escape');
  await b.page
    .locator(`#board[aria-busy="false"] .hyp[data-id="${H1}"] .chips.supporters .muted`)
    .waitFor();
  await expect(supporter(b, H1, id('analyst')).count()).resolves.toBe(0);
  await signOut();
  // Nothing on its way when the page is left (an aborted request would be a problem).
  await waitForAch(b);
  await b.page.locator('#trajectory-chart[aria-busy="false"]').waitFor({ state: 'attached' });

  // The admin replays the record before the retraction, where the claim still stands.
  await open('2020-02-01');
  await signIn(keys.admin, '2020-02-01');
  await supporter(b, H1, id('analyst')).click();
  await dialog.waitFor();
  const again = dialog.locator(`.claim[data-claim="${id('c1')}"]`);
  await again.locator('button.reinstate').click();
  await again.locator('#reinstate-form [name="reason"]').fill('The quote was right after all.');
  await again.locator('#reinstate-form button[type="submit"]').click();
  const back = dialog.locator(`.claim[data-claim="${id('c1')}"]`);
  await back.locator('button.retract').waitFor();
  await expect(back.locator('.retracted').count()).resolves.toBe(0);

  // Its audit trail: the retraction and the reinstatement, who and when.
  await back.locator('button.audit').click();
  const trail = back.locator(`.audit-trail[data-entity="${id('c1')}"]`);
  await trail.waitFor();
  await expect(
    trail
      .locator('.audit-entry')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-operation'))),
  ).resolves.toEqual(['retractClaim', 'reinstateClaim']);
  await expect(trail.locator('.audit-entry').last().textContent()).resolves.toContain(`${P} admin`);
  await b.shot('write-audit', { locator: dialog });
});
