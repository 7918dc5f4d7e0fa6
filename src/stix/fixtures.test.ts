import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'stix');

/** Every file below `dir` whose name ends with one of `exts` (node_modules and dist left out). */
function filesUnder(dir: string, exts: string[]): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory())
      return e.name === 'node_modules' || e.name === 'dist' || e.name === 'fixtures'
        ? []
        : filesUnder(p, exts);
    return exts.some((x) => e.name.endsWith(x)) ? [p] : [];
  });
}

describe('STIX fixtures inside the repository', () => {
  const readme = fs.readFileSync(path.join(FIXTURES, 'README.md'), 'utf8');
  const listed = new Map(
    [...readme.matchAll(/^([0-9a-f]{64}) {2}(\S+\.json)$/gm)].map((m) => [m[2], m[1]]),
  );

  it('every bundle has its provenance and licence recorded, and is the published file (sha256)', () => {
    const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) {
      expect({ f, listed: listed.has(f) }).toEqual({ f, listed: true });
      const sum = createHash('sha256')
        .update(fs.readFileSync(path.join(FIXTURES, f)))
        .digest('hex');
      expect({ f, sum }).toEqual({ f, sum: listed.get(f) });
    }
    for (const licence of ['MITRE Corporation', 'BSD-3-Clause', 'Apache', 'MIT License'])
      expect(readme).toContain(licence);
  });

  it('no code or test reads a path outside the repository (../shared, /work/...)', () => {
    const code = ['src', 'test', 'bench', 'web/src', '.ci'].flatMap((d) =>
      filesUnder(path.join(ROOT, d), ['.ts', '.tsx', '.js', '.mjs', 'run', '.sh', '.py']),
    );
    expect(code.length).toBeGreaterThan(20);
    const self = path.basename(__filename);
    const offenders = code
      .filter((f) => path.basename(f) !== self)
      .filter((f) => /['"`](\/work\/|(\.\.\/)+shared\/)/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(ROOT, f));
    expect(offenders).toEqual([]);
  });
});
