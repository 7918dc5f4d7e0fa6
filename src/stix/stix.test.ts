import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkObject, OUR_PROPERTIES, streamBundle, StixFormatError } from './reader';
import { extensionObjects } from './export';
import {
  EXTENSION_ID,
  confidenceToCredibility,
  credibilityToConfidence,
  stixIdOfNode,
  sortObjects,
  stixId,
  STIX_NAMESPACE,
} from './model';
import { labelList, uuidv5 } from '../model';
import { HeapGovernor } from './memory';
import { HashedSet } from './passes';
import {
  IMPORT_CREATE_LINKS,
  IMPORT_CREATE_NODES,
  IMPORT_MERGE_LINKS,
  IMPORT_UPDATE_NODES,
} from './queries';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stix-unit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
};
const collect = async (f: string) => {
  const out: unknown[] = [];
  const it = streamBundle(f);
  for (;;) {
    const r = await it.next();
    if (r.done) return { objects: out, meta: r.value };
    out.push(r.value.object);
  }
};

describe('uuidv5', () => {
  it('matches the RFC 4122 reference (Python uuid.uuid5(NAMESPACE_DNS, "www.example.com"))', () => {
    expect(uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
  it('gives stable, type-scoped STIX ids, laid out as UUIDv4 (STIX 2.1)', () => {
    expect(stixId('identity', 'fbi')).toBe(stixId('identity', 'fbi'));
    expect(stixId('identity', 'fbi').slice(10)).not.toBe(stixId('threat-actor', 'fbi').slice(14));
    expect(stixId('identity', 'fbi')).toMatch(
      /^identity--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(STIX_NAMESPACE).toBe(
      uuidv5('https://github.com/attribution-graph/stix', '6ba7b811-9dad-11d1-80b4-00c04fd430c8'),
    );
  });
});

describe('stixIdOfNode', () => {
  it('keeps an imported id, derives ours from the label, and has none for labels STIX lacks', () => {
    const imported = 'intrusion-set--c93fccb1-e8e8-42cf-ae33-2ad1d183913a';
    expect(stixIdOfNode('Actor', { id: 'x/' + imported, stixId: imported })).toBe(imported);
    expect(stixIdOfNode('Actor', { id: 'dprk' })).toBe(stixId('threat-actor', 'dprk'));
    expect(stixIdOfNode('Incident', { id: 'sony-pictures-2014' })).toBe(
      stixId('incident', 'sony-pictures-2014'),
    );
    expect(stixIdOfNode('Rating', { id: 'r1' })).toBeNull();
  });
});

describe('the x-attribution extension', () => {
  it('its JSON schema (schema/stix) defines exactly the properties the importer checks', () => {
    const schema = JSON.parse(
      fs.readFileSync(
        path.join(__dirname, '..', '..', 'schema', 'stix', 'x-attribution.schema.json'),
        'utf8',
      ),
    ) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties).sort()).toEqual([...OUR_PROPERTIES].sort());
    const def = extensionObjects().find((o) => o.type === 'extension-definition')!;
    expect(def.extension_properties).toEqual([...OUR_PROPERTIES].sort());
    expect(def.id).toBe(EXTENSION_ID);
  });
});

describe('confidence (STIX 2.1 appendix A, Admiralty credibility)', () => {
  it('maps 1..5 to 90..10 and leaves 6 out', () => {
    expect([1, 2, 3, 4, 5, 6].map(credibilityToConfidence)).toEqual([
      90,
      70,
      50,
      30,
      10,
      undefined,
    ]);
  });
  it('maps back by ranges, absent to 6', () => {
    expect(
      [100, 80, 79, 60, 59, 40, 39, 20, 19, 0, undefined].map(confidenceToCredibility),
    ).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
    for (const c of [1, 2, 3, 4, 5])
      expect(confidenceToCredibility(credibilityToConfidence(c))).toBe(c);
  });
});

describe('sortObjects', () => {
  it('orders by type then id', () => {
    const s = sortObjects([
      { type: 'b', id: 'b--2' },
      { type: 'a', id: 'a--9' },
      { type: 'b', id: 'b--1' },
    ]);
    expect(s.map((o) => o.id)).toEqual(['a--9', 'b--1', 'b--2']);
  });
});

describe('streamBundle', () => {
  it('streams objects with their index and returns the bundle fields, whatever the key order', async () => {
    const f = file(
      'a.json',
      '\ufeff{"objects":[{"type":"x-a","id":"x-a--6ba7b810-9dad-11d1-80b4-00c04fd430c8","n":{"deep":[1,{"k":null}]}},{"type":"x-b","id":"x-b--6ba7b810-9dad-11d1-80b4-00c04fd430c8"}],"extra":{"objects":[1]},"type":"bundle","id":"bundle--6ba7b810-9dad-11d1-80b4-00c04fd430c8","spec_version":"2.0"}',
    );
    const r = await collect(f);
    expect(r.objects).toHaveLength(2);
    expect(r.objects[0]).toEqual({
      type: 'x-a',
      id: 'x-a--6ba7b810-9dad-11d1-80b4-00c04fd430c8',
      n: { deep: [1, { k: null }] },
    });
    expect(r.meta).toEqual({
      type: 'bundle',
      bytes: Buffer.byteLength(fs.readFileSync(f)),
      sha256: createHash('sha256').update(fs.readFileSync(f)).digest('hex'),
      id: 'bundle--6ba7b810-9dad-11d1-80b4-00c04fd430c8',
      spec_version: '2.0',
    });
  });
  it('names the object index on invalid JSON', async () => {
    const f = file('b.json', '{"type":"bundle","objects":[{"type":"x"},{"type": "y",,}]}');
    await expect(collect(f)).rejects.toThrow(/objects\[1\]: invalid JSON/);
  });
  it('rejects a non-object element and a truncated file', async () => {
    await expect(collect(file('c.json', '{"objects":[{},"s"]}'))).rejects.toThrow(
      /objects\[1\]: is not a JSON object/,
    );
    await expect(collect(file('d.json', '{"objects":[{"type":"x"'))).rejects.toThrow(
      StixFormatError,
    );
    await expect(collect(file('e.json', '[1,2]'))).rejects.toThrow(
      /bundle: the top level is not a JSON object/,
    );
  });
});

describe('checkObject', () => {
  const id = (t: string) => `${t}--6ba7b810-9dad-11d1-80b4-00c04fd430c8`;
  const base = { created: '2020-01-01T00:00:00Z', modified: '2020-01-01T00:00:00.123Z' };
  it('accepts unknown and custom types with a type and an id', () => {
    expect(
      checkObject('f', 0, {
        type: 'x-mitre-tactic',
        id: id('x-mitre-tactic'),
        x_mitre_data_source_ref: '',
      }).type,
    ).toBe('x-mitre-tactic');
  });
  it('names the field that is wrong', () => {
    expect(() =>
      checkObject('f', 3, {
        type: 'relationship',
        id: id('relationship'),
        ...base,
        relationship_type: 'uses',
        source_ref: 'nope',
        target_ref: id('malware'),
      }),
    ).toThrow('f: objects[3] field "source_ref": must be a STIX identifier');
    expect(() =>
      checkObject('f', 4, {
        type: 'opinion',
        id: id('opinion'),
        ...base,
        opinion: 'maybe',
        object_refs: [id('x')],
      }),
    ).toThrow(/objects\[4\] field "opinion"/);
    expect(() =>
      checkObject('f', 5, {
        type: 'intrusion-set',
        id: id('intrusion-set'),
        ...base,
        name: 'X',
        aliases: ['a', 1],
      }),
    ).toThrow(/objects\[5\] field "aliases\.1"/);
    expect(() =>
      checkObject('f', 6, { type: 'identity', id: id('tool'), ...base, name: 'X' }),
    ).toThrow(/objects\[6\] field "id": must start with "identity--"/);
    expect(() => checkObject('f', 7, { id: id('tool') })).toThrow(/objects\[7\] field "type"/);
    expect(() =>
      checkObject('f', 8, {
        type: 'incident',
        id: id('incident'),
        created: '2020-01-01',
        modified: base.modified,
        name: 'i',
      }),
    ).toThrow(/objects\[8\] field "created"/);
  });
  it("reads our properties inside a cyber observable's property-extension as top-level ones", () => {
    const sco = (ours: Record<string, unknown>) => ({
      type: 'ipv4-addr',
      id: id('ipv4-addr'),
      value: '198.51.100.7',
      extensions: { [EXTENSION_ID]: { extension_type: 'property-extension', ...ours } },
    });
    const o = checkObject(
      'f',
      0,
      sco({ x_attribution_id: 'ip-1', x_attribution_first_reported_precision: 'month' }),
    );
    expect(o).toMatchObject({
      value: '198.51.100.7',
      x_attribution_id: 'ip-1',
      x_attribution_first_reported_precision: 'month',
    });
    // ...and checks them with the same rules
    expect(() =>
      checkObject('f', 9, sco({ x_attribution_first_reported_precision: 'week' })),
    ).toThrow(/objects\[9\] field "x_attribution_first_reported_precision"/);
  });
});

describe('the import statements (templated: their Cypher is snapshotted)', () => {
  it('creates, updates and links with the batch stamp as one parameter', () => {
    expect(IMPORT_CREATE_NODES.text).toMatchSnapshot();
    expect(IMPORT_UPDATE_NODES.text).toMatchSnapshot();
    expect(IMPORT_CREATE_LINKS.text).toMatchSnapshot();
    expect(IMPORT_MERGE_LINKS.STIX_REF.text).toMatchSnapshot();
  });

  it('creates every label and type with one statement, the labels from the registry', () => {
    expect(labelList('Claim')).toEqual(['Entity', 'Claim']);
    expect(labelList('Malware')).toEqual(['Entity', 'Artifact', 'Malware']);
    expect(IMPORT_CREATE_NODES.text).toContain('CREATE (n:$(row.labels))');
    expect(IMPORT_CREATE_LINKS.text).toContain('CREATE (a)-[r:$(row.type)]->(b)');
  });
});

describe('HashedSet (the relationships an import created, as hashes)', () => {
  it('never says no for a string added; rarely yes for one not added', () => {
    const set = new HashedSet();
    const added = Array.from(
      { length: 20_000 },
      (_, i) => `CITES|bench/claim-${i}|bench/ref-${i % 97}|`,
    );
    added.forEach((s) => set.add(s));
    expect(added.every((s) => set.has(s))).toBe(true);
    const others = Array.from(
      { length: 20_000 },
      (_, i) => `BY|bench/claim-${i}|bench/actor-${i}|`,
    );
    expect(others.filter((s) => set.has(s)).length).toBeLessThan(10);
    expect(HashedSet.hash('x')).toBeLessThan(2 ** 30);
  });
});

describe('HeapGovernor (the heap bound between the batches of an import)', () => {
  it('collects once the heap outgrows its budget, not before', () => {
    // The rule alone, on a heap the test controls (V8's own collections would make it flaky).
    let heap = 100;
    const memory = new HeapGovernor(
      150,
      1.5,
      () => heap,
      () => () => (heap = 100),
    );
    memory.check(); // under the floor: no collection
    expect(memory.collections).toBe(0);
    heap = 160;
    memory.check(); // past the floor: collects, and learns that 100 is live
    expect(memory.collections).toBe(1);
    heap = 149;
    memory.check(); // under 1.5 times what is live (and the floor): no collection
    expect(memory.collections).toBe(1);
    heap = 151;
    memory.check(); // past both: collects
    expect(memory.collections).toBe(2);
    heap = 300;
    const refused = new HeapGovernor(
      0,
      1.5,
      () => heap,
      () => null,
    );
    refused.check(); // V8 refused to expose gc: nothing happens, nothing breaks
    expect(refused.collections).toBe(0);
  });

  it("runs V8's full collection for real", () => {
    const memory = new HeapGovernor(0, 1.5);
    memory.check(); // nothing live measured yet: collects, and learns what is live
    expect(memory.collections).toBe(1);
  });
});
