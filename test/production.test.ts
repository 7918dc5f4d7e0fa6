/**
 * Secrets and modes: the local Neo4j's random password (mode 0600, never on a command line), the
 * public default refused in production, no Apollo landing page or CDN asset in any mode, the
 * compiled build (`npm run build`, run by `npm ci`) serving production with its CLI.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PUBLIC_DEFAULT_PASSWORD, ROOT, loadConfig } from '../src/config';
import { passwordFile } from '../src/db';
import { TestServer, startTestServer } from './helpers';

const run = promisify(execFile);
const TEST_HOME = path.join(ROOT, '.neo4j', 'test');

describe('the local Neo4j password', () => {
  const local = process.env.TEST_NEO4J_LOCAL === '1';

  it('is random, kept beside the data with mode 0600, in a private folder', () => {
    if (!local) return;
    const file = passwordFile(TEST_HOME);
    const password = fs.readFileSync(file, 'utf8').trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(password).not.toBe(PUBLIC_DEFAULT_PASSWORD);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(TEST_HOME).mode & 0o077).toBe(0);
  });

  it('never appears on the command line of the Neo4j process', () => {
    if (!local) return;
    const pid = fs.readFileSync(path.join(TEST_HOME, 'neo4j.pid'), 'utf8').trim();
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const password = fs.readFileSync(passwordFile(TEST_HOME), 'utf8').trim();
    expect(cmdline).toContain('attribution.Neo4jLocal');
    expect(cmdline.join(' ')).not.toContain(password);
    expect(cmdline).toContain('--password-file');
  });
});

describe('production mode', () => {
  it('refuses the public default password', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', NEO4J_PASSWORD: PUBLIC_DEFAULT_PASSWORD }),
    ).toThrow(/NEO4J_PASSWORD: "local-dev-password" is a published default/);
    expect(loadConfig({ NODE_ENV: 'production', NEO4J_PASSWORD: 'a-real-secret' }).NODE_ENV).toBe(
      'production',
    );
  });
});

describe('no landing page, no CDN', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ NODE_ENV: 'development' });
  });
  afterAll(() => t?.close());

  it('serves no Apollo landing page on GET /graphql, even in development', async () => {
    const res = await fetch(t.app.url, { headers: { accept: 'text/html' } });
    const body = await res.text();
    expect(res.headers.get('content-type') ?? '').not.toMatch(/html/);
    expect(body).not.toMatch(/apollographql\.com|embeddable-sandbox|<html/i);
  });

  it('serves GraphiQL at /graphiql from this server only (no external script, style or font)', async () => {
    const base = t.app.url.replace(/\/graphql$/, '');
    const res = await fetch(`${base}/graphiql`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((u) => /^(https?:)?\/\//.test(u))).toEqual([]);
    for (const u of urls.filter((x) => x.startsWith('/assets/'))) {
      const asset = await fetch(`${base}${u}`);
      expect(asset.status).toBe(200);
      expect(await asset.text()).not.toMatch(/cdn\.jsdelivr|unpkg\.com|apollographql\.com/);
    }
  });
});

describe('the compiled build', () => {
  const cli = path.join(ROOT, 'dist', 'src', 'cli.js');

  it('exists after npm ci (prepare runs npm run build) and its CLI answers --help', async () => {
    expect(fs.existsSync(cli)).toBe(true);
    const { stdout } = await run(process.execPath, [cli, '--help'], { cwd: ROOT });
    expect(stdout).toMatch(/Usage: attribution/);
    expect(stdout).toMatch(/start/);
  });

  it('defaults to production, reading schema and seed from the project root', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '-e',
        `const c = require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'config'))});
         const s = require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'server', 'schema'))});
         const env = { NEO4J_PASSWORD: 'a-real-secret' };
         console.log(JSON.stringify({ mode: c.loadConfig(env).NODE_ENV, root: c.ROOT, sdl: s.loadTypeDefs().length }));`,
      ],
      { cwd: '/' },
    );
    const out = JSON.parse(stdout) as { mode: string; root: string; sdl: number };
    expect(out).toEqual({ mode: 'production', root: ROOT, sdl: expect.any(Number) });
    expect(out.sdl).toBeGreaterThan(5);
  });

  it('needs no devDependency at run time (no import of one from dist/src)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const dev = Object.keys(pkg.devDependencies);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.js'))
          for (const m of fs.readFileSync(p, 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)) {
            const name = m[1].startsWith('@')
              ? m[1].split('/').slice(0, 2).join('/')
              : m[1].split('/')[0];
            if (dev.includes(name)) offenders.push(`${path.relative(ROOT, p)}: ${name}`);
          }
      }
    };
    walk(path.join(ROOT, 'dist', 'src'));
    expect(offenders).toEqual([]);
  });
});
