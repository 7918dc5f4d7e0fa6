/**
 * Writes a synthetic STIX 2.1 bundle of N objects for the import benchmark, streamed (never
 * held whole). Per group of 10 objects: an intrusion-set with 3 aliases, a campaign attributed
 * to it, two opinions on that attribution (agree, disagree), a report citing them, two malware
 * and two `uses` relationships (malware artifacts and USES claims); one producer identity per
 * 100 groups.
 *
 *   npx tsx bench/stix-generate.ts <objects> <out.json>
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { uuidv5 } from '../src/model';

const NS = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
const id = (type: string, key: string) => `${type}--${uuidv5(`bench:${key}`, NS)}`;
const T = '2024-01-01T00:00:00.000Z';

function group(g: number): object[] {
  const producer = id('identity', `p${Math.floor(g / 100)}`);
  const set = id('intrusion-set', `s${g}`);
  const campaign = id('campaign', `c${g}`);
  const rel = id('relationship', `r${g}`);
  const ops = [0, 1].map((k) => id('opinion', `o${g}-${k}`));
  const malware = [0, 1].map((k) => id('malware', `m${g}-${k}`));
  const common = { spec_version: '2.1', created: T, modified: T, created_by_ref: producer };
  return [
    {
      type: 'intrusion-set',
      id: set,
      ...common,
      name: `Bench Set ${g}`,
      aliases: [`Bench Alias ${g}a`, `Bench Alias ${g}b`, `Bench Alias ${g}c`],
      external_references: [
        { source_name: 'bench', external_id: `G${g}`, url: `https://example.org/groups/${g}` },
      ],
    },
    { type: 'campaign', id: campaign, ...common, name: `Bench Campaign ${g}`, first_seen: T },
    {
      type: 'relationship',
      id: rel,
      ...common,
      relationship_type: 'attributed-to',
      source_ref: campaign,
      target_ref: set,
    },
    ...ops.map((o, k) => ({
      type: 'opinion',
      id: o,
      ...common,
      opinion: k ? 'disagree' : 'agree',
      explanation: `Analyst ${k} on group ${g}`,
      object_refs: [rel],
      confidence: 50,
    })),
    {
      type: 'report',
      id: id('report', `rep${g}`),
      ...common,
      name: `Bench report ${g}`,
      published: T,
      report_types: ['threat-report'],
      object_refs: ops,
      external_references: [{ source_name: 'bench', url: `https://example.org/reports/${g}` }],
    },
    ...malware.map((m, k) => ({
      type: 'malware',
      id: m,
      ...common,
      name: `Bench Malware ${g}-${k}`,
      is_family: true,
    })),
    ...malware.map((m, k) => ({
      type: 'relationship',
      id: id('relationship', `u${g}-${k}`),
      ...common,
      relationship_type: 'uses',
      source_ref: set,
      target_ref: m,
    })),
  ];
}

async function main() {
  const [n = '100000', out = 'bench-stix.json'] = process.argv.slice(2);
  const total = Number(n);
  const w = fs.createWriteStream(out);
  const write = async (s: string) => {
    if (!w.write(s)) await once(w, 'drain');
  };
  await write(`{"type":"bundle","id":"${id('bundle', n)}","objects":[\n`);
  let written = 0;
  let first = true;
  const emit = async (o: object) => {
    if (written >= total) return;
    await write((first ? '' : ',\n') + JSON.stringify(o));
    first = false;
    written += 1;
  };
  for (let g = 0; written < total; g++) {
    if (g % 100 === 0)
      await emit({
        type: 'identity',
        spec_version: '2.1',
        id: id('identity', `p${g / 100}`),
        created: T,
        modified: T,
        name: `Bench Producer ${g / 100}`,
        identity_class: 'organization',
      });
    for (const o of group(g)) await emit(o);
  }
  await write('\n]}\n');
  w.end();
  await once(w, 'finish');
  process.stderr.write(
    `wrote ${written} objects to ${out} (${(fs.statSync(out).size / 1e6).toFixed(1)} MB)\n`,
  );
}

void main();
