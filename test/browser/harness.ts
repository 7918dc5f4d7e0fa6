// The browser-test harness: real headless Chromium (Debian's `chromium`, driven by playwright-core)
// against the real server on the seed, with a GUARD that fails a test on
//   - any HTTP response with status >= 400,
//   - any GraphQL response carrying `errors`,
//   - any error text the page shows (an element with `data-error`, or a status/alert region
//     saying "could not", "error" or "failed"), watched by a MutationObserver from the first paint,
//   - any browser console error, uncaught page error or failed request.
// A test that provokes an error on purpose takes it with `expectProblem(pattern)`; the guard
// self-test (test/browser/guard.test.ts) proves each tripwire trips.
// Screenshots are written to docs/screenshots/ only when SCREENSHOTS=1, so `npm test` leaves the
// working tree clean.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { ROOT } from '../../src/config';
import { startTestServer, type TestServer } from '../helpers';
import { until } from './poll';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, 'docs', 'screenshots');
const DIST = path.join(ROOT, 'web', 'dist');
/** Screenshots only when asked: `SCREENSHOTS=1 npx jest test/browser`. */
export const WRITE_SHOTS = process.env.SCREENSHOTS === '1';

/** Builds web/dist when it is missing or older than a file of web/ (npm ci builds it too). */
export function ensureBuilt(): void {
  const built = path.join(DIST, 'index.html');
  const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
  const newest = (dir: string): number =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.name !== 'dist' && e.name !== 'node_modules')
      .reduce((m, e) => {
        const p = path.join(dir, e.name);
        return Math.max(m, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
      }, 0);
  // web/ imports the report's operation from src/report/query.ts: it counts too.
  const sources = () =>
    Math.max(
      newest(path.join(ROOT, 'web')),
      fs.statSync(path.join(ROOT, 'src', 'report', 'query.ts')).mtimeMs,
    );
  if (builtAt > sources()) return;
  // Two test files may find it stale at once: build into a lock-protected step.
  const lock = path.join(ROOT, 'web', '.build-lock');
  let fd: number | null = null;
  for (let i = 0; i < 600 && fd === null; i++) {
    try {
      fd = fs.openSync(lock, 'wx');
    } catch {
      execFileSync('sleep', ['0.5']);
    }
  }
  try {
    const again = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
    if (again > sources()) return;
    // Built beside web/dist, then swapped in: a server another test file already started keeps
    // serving the old build meanwhile (vite empties its output folder first).
    const fresh = `${DIST}.building`;
    execFileSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
        'build',
        'web',
        '--outDir',
        fresh,
        '--emptyOutDir',
      ],
      { cwd: ROOT, stdio: 'inherit' },
    );
    const old = `${DIST}.old`;
    fs.rmSync(old, { recursive: true, force: true });
    if (fs.existsSync(DIST)) fs.renameSync(DIST, old);
    fs.renameSync(fresh, DIST);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    if (fd !== null) fs.closeSync(fd);
    fs.rmSync(lock, { force: true });
  }
}

/** How long the guard waits for a GraphQL response body (a page that never reads one stalls it). */
const BODY_WAIT_MS = 60_000;

/** Text in these regions that reads like a failure is an error the page shows. */
const ERROR_WORDS = /\b(could not|cannot|error|errors|failed|unavailable)\b/i;

/** Installed before any page script: reports error text as soon as it appears. */
const WATCH_SCRIPT = `(() => {
  const WORDS = ${ERROR_WORDS.toString()};
  const seen = new Set();
  const report = (text) => {
    if (!text || seen.has(text)) return;
    seen.add(text);
    window.__guardReport?.(text);
  };
  const scan = () => {
    document.querySelectorAll('[data-error]').forEach((el) => {
      if (el.hidden || el.closest('[hidden]')) return;
      report('page shows an error: ' + (el.textContent || el.getAttribute('data-error') || '').trim());
    });
    document.querySelectorAll('.status, [role="status"], [role="alert"]').forEach((el) => {
      const t = (el.textContent || '').trim();
      if (t && WORDS.test(t)) report('page shows an error: ' + t);
    });
  };
  const start = () => {
    scan();
    new MutationObserver(scan).observe(document.documentElement, {
      subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ['data-error', 'hidden'],
    });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();`;

export interface Harness {
  readonly base: string;
  readonly server: TestServer;
  readonly page: Page;
  readonly context: BrowserContext;
  /** Problems the guard saw in the current test (the afterEach fails on any left). */
  readonly problems: string[];
  /** Takes (removes) the problems matching `pattern`, failing when none matches: an expected error. */
  expectProblem(pattern: RegExp, timeoutMs?: number): Promise<string[]>;
  /** Waits for the guard's pending checks (GraphQL bodies being read) and returns the problems. */
  settle(): Promise<string[]>;
  /** A screenshot of the page (or of a locator) in docs/screenshots/, only when SCREENSHOTS=1. */
  shot(name: string, what?: { fullPage?: boolean; locator?: Locator }): Promise<void>;
  /** Polls an expression in the page until it is true (waitForFunction's string form trips the CSP). */
  until(expression: string, timeoutMs?: number): Promise<void>;
  /** A fresh context (e.g. another viewport); the guard watches it too. */
  newContext(options?: { width?: number; height?: number }): Promise<Page>;
}

/**
 * Registers beforeAll/afterAll/beforeEach/afterEach for a browser test file and returns the
 * harness. `env` is passed to the test server (e.g. auth settings).
 */
export function useBrowser(
  env: Record<string, string> = {},
  viewport = { width: 1280, height: 800 },
): Harness {
  // Chromium, the server and Neo4j share a busy machine: generous limits, never a silent pass.
  jest.setTimeout(240_000);
  let server: TestServer;
  let base = '';
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const pending = new Set<Promise<void>>();

  function watch(p: Page): void {
    p.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    p.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    p.on('requestfailed', (req) =>
      problems.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`),
    );
    p.on('response', (res) => {
      const url = res.url();
      if (res.status() >= 400)
        problems.push(`HTTP ${res.status()}: ${res.request().method()} ${url}`);
      if (!new URL(url).pathname.endsWith('/graphql') || res.request().method() !== 'POST') return;
      // A body the page never reads never arrives: the read gives up after BODY_WAIT_MS and says so.
      let timer: NodeJS.Timeout | undefined;
      const check = Promise.race([
        res
          .json()
          .then((body: { errors?: { message: string; extensions?: { code?: string } }[] }) => {
            for (const e of body?.errors ?? [])
              problems.push(`GraphQL error: ${e.extensions?.code ?? ''} ${e.message}`);
          })
          .catch(() => undefined), // not JSON, or the page went away (a status >= 400 is caught above)
        new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            problems.push(`GraphQL body never read: ${url}`);
            resolve();
          }, BODY_WAIT_MS);
        }),
      ]).finally(() => {
        clearTimeout(timer);
        pending.delete(check);
      });
      pending.add(check);
    });
  }

  async function openContext(size = viewport): Promise<Page> {
    context = await browser.newContext({ viewport: size });
    await context.exposeFunction('__guardReport', (text: string) => {
      problems.push(text);
    });
    await context.addInitScript(WATCH_SCRIPT);
    context.on('page', watch);
    context.setDefaultTimeout(90_000);
    page = await context.newPage();
    return page;
  }

  async function settle(): Promise<string[]> {
    while (pending.size) await Promise.all([...pending]);
    return problems;
  }

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(
        `No Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH.`,
      );
    }
    ensureBuilt();
    // The browser tests check behaviour, not speed (bench/ measures that): on a shared, busy
    // machine the first leave-one-out (a worker thread starting) may pass the 30 s default.
    server = await startTestServer({ REQUEST_TIMEOUT_MS: '120000', ...env });
    base = server.app.url.replace(/\/graphql$/, '');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  beforeEach(async () => {
    problems.length = 0;
    pending.clear(); // a read left over from the last test is that test's business

    await openContext();
  });

  afterEach(async () => {
    // A last look at the page, then the pending GraphQL bodies.
    await page
      .evaluate('void 0')
      .catch(() => undefined)
      .then(() => page.waitForTimeout(50))
      .catch(() => undefined);
    await settle();
    await context.close();
    expect(problems).toEqual([]);
  });

  return {
    get base() {
      return base;
    },
    get server() {
      return server;
    },
    get page() {
      return page;
    },
    get context() {
      return context;
    },
    problems,
    settle,
    async expectProblem(pattern: RegExp, timeoutMs = 15_000) {
      // Console messages and response bodies arrive a little after the page acts: poll.
      const end = Date.now() + timeoutMs;
      await settle();
      while (!problems.some((p) => pattern.test(p)) && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 50));
        await settle();
      }
      const taken = problems.filter((p) => pattern.test(p));
      if (!taken.length)
        throw new Error(`expected a problem matching ${pattern}; saw ${JSON.stringify(problems)}`);
      const rest = problems.filter((p) => !pattern.test(p));
      problems.length = 0;
      problems.push(...rest);
      return taken;
    },
    async shot(name, what = {}) {
      if (!WRITE_SHOTS) return;
      fs.mkdirSync(SHOTS, { recursive: true });
      const file = path.join(SHOTS, `${name}.png`);
      if (what.locator) await what.locator.screenshot({ path: file });
      else await page.screenshot({ path: file, fullPage: what.fullPage ?? false });
    },
    until: (expression, timeoutMs) => until(page, expression, timeoutMs),
    async newContext(options = {}) {
      await context.close();
      return openContext({
        width: options.width ?? viewport.width,
        height: options.height ?? viewport.height,
      });
    },
  };
}
