// Browser test of the technical half of the explorer: the technical profile (techniques by
// ATT&CK tactic, malware, tools, observables), artifacts in the graph view (a shape per kind) and
// the overlap panel. Real headless Chromium against the real server on the seed; fails on any
// console error, page error or failed request. Screenshots only with SCREENSHOTS=1.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../src/config';
import { startTestServer, type TestServer } from './helpers';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'docs', 'screenshots');
const DIST = path.join(ROOT, 'web', 'dist', 'index.html');

let server: TestServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `No Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH).`,
    );
  const srcDir = path.join(ROOT, 'web', 'src');
  const src = Math.max(
    fs.statSync(path.join(ROOT, 'web', 'index.html')).mtimeMs,
    ...fs.readdirSync(srcDir).map((f) => fs.statSync(path.join(srcDir, f)).mtimeMs),
  );
  if (!fs.existsSync(DIST) || fs.statSync(DIST).mtimeMs < src)
    execFileSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web'],
      { cwd: ROOT, stdio: 'inherit' },
    );
  server = await startTestServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  expect(problems).toEqual([]);
});

const shot = async (name: string, selector: string) => {
  if (!process.env.SCREENSHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.locator(selector).screenshot({ path: path.join(SHOTS, `${name}.png`) });
};

jest.setTimeout(240_000);

describe('explorer, technical half', () => {
  it('shows the Sony technical profile by ATT&CK tactic, with who says so', async () => {
    const base = server.app.url.replace(/\/graphql$/, '');
    await page.goto(`${base}/`);
    const profile = page.locator('#tech-profile[data-asof="today"][aria-busy="false"]');
    await profile.waitFor({ timeout: 150_000 });
    const text = await profile.innerText();
    expect(text).toMatch(/Technique: impact/i);
    expect(text).toContain('T1485');
    expect(text).toContain('Destover');
    expect(text).toContain('SMB Worm Tool');
    expect(await page.locator('#tech-candidates li').first().innerText()).toContain(
      'Lazarus Group',
    );
    await shot('technical-profile', '#technical');
  });

  it('draws artifacts in the graph view with their own shapes', async () => {
    await page.fill('#center-id', 'malware-destover');
    await page.locator('#center-form button').click();
    await page
      .locator('#graph[data-types*="Malware"][data-types*="Observable"]')
      .waitFor({ timeout: 120_000 });
    const types = (await page.locator('#graph').getAttribute('data-types')) ?? '';
    expect(types.split(' ')).toEqual(
      expect.arrayContaining(['Malware', 'Observable', 'Incident', 'Tool']),
    );
    await shot('graph-artifacts', '#explorer');
  });

  it('compares two incidents in the overlap panel, terms summing to the score', async () => {
    await page.fill('#overlap-a', 'sony-pictures-2014');
    await page.fill('#overlap-b', 'wannacry-2017');
    await page.locator('#overlap-form button').click();
    const result = page.locator('#overlap-result[data-score]');
    await result.waitFor({ timeout: 120_000 });
    expect(Number(await result.getAttribute('data-score'))).toBeGreaterThan(0);
    expect(await page.locator('#overlap-result tbody tr').count()).toBeGreaterThan(0);
    expect(await result.innerText()).toContain('Destover');
    await shot('overlap-panel', '#technical');
  });
});
