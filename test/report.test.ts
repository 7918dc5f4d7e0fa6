// The case report: `attribution report --incident ID [--as-of DATE]` prints Markdown with every
// section, against the real seed (the CLI as a user runs it, and its builder in-process).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config';
import { ROOT } from '../src/config';
import {
  buildReport,
  citedSources,
  observedArtifacts,
  reportData,
  reportMarkdown,
} from '../src/report';
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
    '## Technical profile',
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

test('the report carries the technical profile: techniques by tactic, malware, tools, each with who observed it, when, and its sources', async () => {
  const config = loadConfig();
  const data = await reportData(conn.db(), config, 'sony-pictures-2014', '2014-12-20');
  const inc = data.incident!;
  const md = reportMarkdown(data, '2026-01-01');
  const tech = md.slice(md.indexOf('## Technical profile'), md.indexOf('## Sources'));
  const list = md.slice(md.indexOf('## Sources'));
  const numberOf = (id: string) => citedSources(inc).findIndex((s) => s.id === id) + 1;
  // Techniques under their ATT&CK tactic, with the ATT&CK id, the claimant and the day.
  const impact = inc.technicalProfile.tactics.find((t) => t.tactic === 'impact')!;
  const wipe = impact.techniques.find((o) => o.artifact.externalIds.includes('T1485'))!;
  expect(wipe.sources.length).toBeGreaterThan(0);
  const wipeLine = tech
    .slice(tech.indexOf('### Techniques: impact'))
    .split('\n')
    .find((l) => l.includes('**T1485** Data Destruction'))!;
  expect(wipeLine).toContain(
    `observed per ${wipe.claims[0].claimant.name}, ${wipe.claims[0].stated}`,
  );
  for (const s of wipe.sources) expect(wipeLine).toContain(String(numberOf(s.id)));
  // Malware and tools, the UNVERIFIED flag carried.
  expect(tech).toContain('### Malware');
  expect(tech).toMatch(/^- Destover \(malware\): observed per Trend Micro, 2014-12-04 \[/m);
  expect(tech).toContain('### Tools');
  expect(tech).toMatch(/\(tool\) UNVERIFIED: observed per/);
  // Every source of the profile is listed with its reliability.
  for (const o of observedArtifacts(inc))
    for (const s of o.sources) {
      expect(numberOf(s.id)).toBeGreaterThan(0);
      expect(list).toContain(`${numberOf(s.id)}. ${s.tag ? `${s.tag} ` : ''}`);
    }
  // As of 2 Dec 2014 Trend Micro had not yet tied Destover to Sony (4 Dec): not in the profile.
  const before = await reportData(conn.db(), config, 'sony-pictures-2014', '2014-12-02');
  expect(before.incident!.technicalProfile.malware.map((o) => o.artifact.id)).not.toContain(
    'malware-destover',
  );
  expect(inc.technicalProfile.malware.map((o) => o.artifact.id)).toContain('malware-destover');
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
