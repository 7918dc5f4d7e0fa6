/**
 * docs/clients.md: the pandas walk-through runs, as printed, against a real server on the seed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../src/config';
import { TestServer, startTestServer } from './helpers';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

it('the pandas walk-through of docs/clients.md answers a cross-incident question', async () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'clients.md'), 'utf8');
  const m = /<!-- walkthrough -->\s*```python\n([\s\S]*?)```/.exec(doc);
  expect(m).not.toBeNull();
  // Asynchronously: the server answering it runs in this process.
  const { stdout: out } = await promisify(execFile)('python3', ['-c', m![1]], {
    env: { ...process.env, API_URL: t.app.url },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(out).toMatch(/Federal Bureau of Investigation \(FBI\)/);
  const total = /(\d+) claims in (\d+) incidents/.exec(out);
  expect(Number(total![1])).toBeGreaterThan(10);
  expect(Number(total![2])).toBeGreaterThanOrEqual(2);
});
