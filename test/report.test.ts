// The case report: `attribution report --incident ID [--as-of DATE]` prints Markdown with every
// section, against the real seed (the CLI as a user runs it, and its builder in-process).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config';
import { ROOT } from '../src/config';
import { buildReport, citedSources, reportData } from '../src/report';
import { Connection } from '../src/db';
import { testConnect } from './helpers';

let conn: Connection;
beforeAll(async () => {
  conn = await testConnect();
});
afterAll(async () => {
  await conn.close();
});

test('the Markdown report as of 20 Dec 2014 has every section and cites every source with its reliability', async () => {
  const md = await buildReport(conn.db(), loadConfig(), 'sony-pictures-2014', '2014-12-20');
  for (const heading of [
    '# Attribution report: ',
    '## Ranking',
    '## ACH matrix',
    '## The consensus over time',
    '## Timeline',
    '## Sources',
  ])
    expect(md).toContain(heading);
  expect(md).toContain('as of the end of 2014-12-20');
  expect(md).toMatch(/\| 1 \| \*\*H1\*\*/);
  expect(md).toContain('Supported by: ');
  expect(md).toContain('Federal Bureau of Investigation');
  // Nothing after the day asked: the timeline stops there.
  expect(md).not.toMatch(/^- 2015-/m);
  const data = await reportData(conn.db(), loadConfig(), 'sony-pictures-2014', '2014-12-20');
  const sources = citedSources(data.incident!);
  expect(sources.length).toBeGreaterThan(5);
  const list = md.slice(md.indexOf('## Sources'));
  for (const s of sources) {
    expect(list).toContain(s.title);
    expect(list).toContain(`Reliability **${s.reliability}**`);
  }
});

test('the CLI prints it; a bad date or unknown incident is one clear line and exit code 1', async () => {
  const run = promisify(execFile);
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const cli = path.join(ROOT, 'src', 'cli.ts');
  const env = { ...process.env, LOG_LEVEL: 'silent' };
  const ok = await run(tsx, [cli, 'report', '--incident', 'sony-pictures-2014'], { env });
  expect(ok.stdout).toContain('# Attribution report: Sony Pictures');
  expect(ok.stdout).toContain('the whole record');
  await expect(
    run(tsx, [cli, 'report', '--incident', 'sony-pictures-2014', '--as-of', '20 Dec'], { env }),
  ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('--as-of: must be a date') });
  await expect(
    run(tsx, [cli, 'report', '--incident', 'no-such-incident'], { env }),
  ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('no incident with id') });
}, 180_000);
