/**
 * The schema check (docs/api-evolution.md): the schema is diffed with the last release's
 * (`schema/released/`) by GraphQL Inspector; every breaking change must be recorded in the
 * `Unreleased` section of CHANGELOG.md (its schema path, in backticks), and every deprecation
 * must say what to use instead and the date of its removal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema as buildSdl, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { ROOT } from '../config';
import { buildSchema } from './schema';

const RELEASED = path.join(ROOT, 'schema', 'released');

/** The newest released schema (files named by version). */
function lastRelease(): { version: string; sdl: string } {
  const files = fs
    .readdirSync(RELEASED)
    .filter((f) => f.endsWith('.graphql'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const file = files[files.length - 1];
  return {
    version: file.replace(/\.graphql$/, ''),
    sdl: fs.readFileSync(path.join(RELEASED, file), 'utf8'),
  };
}

/** The `## Unreleased` section of CHANGELOG.md. */
function unreleased(): string {
  const log = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
  const start = log.indexOf('## Unreleased');
  if (start < 0) throw new Error('CHANGELOG.md has no "## Unreleased" section');
  const next = log.indexOf('\n## ', start + 1);
  return log.slice(start, next < 0 ? undefined : next);
}

describe('schema evolution', () => {
  it('records every breaking change since the last release in CHANGELOG.md', async () => {
    const { version, sdl } = lastRelease();
    const changes = await diff(buildSdl(sdl), buildSchema());
    const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
    const log = unreleased();
    const missing = breaking
      .filter((c) => !log.includes(`\`${c.path ?? ''}\``))
      .map((c) => `${c.path}: ${c.message}`);
    // A breaking change not in the changelog: add its path (in backticks) and what to do to
    // the Unreleased section, or make the change additive (docs/api-evolution.md).
    expect({ since: version, unrecorded: missing }).toEqual({ since: version, unrecorded: [] });
  });

  it('gives every deprecation a replacement and a dated removal', () => {
    const schema = buildSchema();
    const bad: string[] = [];
    const check = (where: string, reason: string | null | undefined) => {
      if (reason != null && !/Use .+ Removal on \d{4}-\d{2}-\d{2}\.$/s.test(reason))
        bad.push(`${where}: ${reason}`);
    };
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (isObjectType(type) || isInterfaceType(type))
        for (const f of Object.values(type.getFields())) {
          check(`${type.name}.${f.name}`, f.deprecationReason);
          for (const a of f.args) check(`${type.name}.${f.name}(${a.name})`, a.deprecationReason);
        }
      if (isInputObjectType(type))
        for (const f of Object.values(type.getFields()))
          check(`${type.name}.${f.name}`, f.deprecationReason);
    }
    expect(bad).toEqual([]);
  });
});
