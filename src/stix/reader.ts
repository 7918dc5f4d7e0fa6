import fs from 'node:fs';
import { z } from 'zod';
import { Assembler, JsonToken, streamJson, tokensOf } from './esm';
import { STIX_ID_RE, STIX_TIME_RE } from './model';

/** A bundle that cannot be imported: names the file, the object index and the field. */
export class StixFormatError extends Error {
  constructor(
    readonly file: string,
    readonly index: number | null,
    readonly field: string,
    detail: string,
  ) {
    super(
      `${file}: ${index === null ? 'bundle' : `objects[${index}]`}${field ? ` field "${field}"` : ''}: ${detail}`,
    );
    this.name = 'StixFormatError';
  }
}

export interface BundleMeta {
  type?: unknown;
  id?: unknown;
  spec_version?: unknown;
}

export type BundleItem = { index: number; object: unknown };

/** The bundle-reading state machine over stream-json tokens: complete objects land in `ready`. */
function bundleMachine(file: string) {
  const { Assembler } = streamJson();
  const meta: BundleMeta = {};
  let depth = 0; // nesting depth before the current token
  let key: string | null = null; // last key at depth 1
  let inObjects = false;
  let skipTo = -1; // skipping a value at depth 1 that is not `objects`
  let asm: Assembler | null = null;
  const opens = (t: JsonToken) => t.name === 'startObject' || t.name === 'startArray';
  const closes = (t: JsonToken) => t.name === 'endObject' || t.name === 'endArray';
  const m = {
    meta,
    index: 0,
    ready: [] as BundleItem[],
    get complete() {
      return depth === 0 && !asm;
    },
    feed(t: JsonToken) {
      if (asm) {
        asm.consume(t);
        depth += opens(t) ? 1 : closes(t) ? -1 : 0;
        if (asm.done) {
          m.ready.push({ index: m.index++, object: asm.current });
          asm = null;
        }
        return;
      }
      if (depth === 0) {
        if (t.name !== 'startObject')
          throw new StixFormatError(file, null, '', 'the top level is not a JSON object');
        depth = 1;
        return;
      }
      if (skipTo >= 0) {
        depth += opens(t) ? 1 : closes(t) ? -1 : 0;
        if (depth === skipTo) skipTo = -1;
        return;
      }
      if (inObjects && depth === 2) {
        if (t.name === 'endArray') {
          inObjects = false;
          depth = 1;
        } else if (t.name === 'startObject') {
          asm = new Assembler();
          asm.consume(t);
          depth += 1;
        } else throw new StixFormatError(file, m.index, '', 'is not a JSON object');
        return;
      }
      if (depth === 1) {
        if (t.name === 'keyValue') key = t.value as string;
        else if (t.name === 'endObject') depth = 0;
        else if (key === 'objects') {
          if (t.name !== 'startArray')
            throw new StixFormatError(file, null, 'objects', 'must be an array');
          inObjects = true;
          depth = 2;
        } else if (opens(t)) {
          skipTo = 1;
          depth = 2;
        } else if (key === 'type' || key === 'id' || key === 'spec_version') {
          meta[key] = t.name === 'numberValue' ? Number(t.value) : t.value;
        }
      }
    },
  };
  return m;
}

const CHUNK = 256 * 1024;
const openText = (file: string) =>
  fs.createReadStream(file, {
    highWaterMark: CHUNK,
    encoding: 'utf8',
  }) as unknown as AsyncIterable<string> & {
    destroy(): void;
  };

/**
 * Finds exactly where a file stops being JSON: replays the chunks that parsed, then the failing
 * chunk one character at a time (only ever run after an error), so the error names the object.
 */
async function locateJsonError(file: string, failingChunk: number): Promise<StixFormatError> {
  const { jsonParser, none } = streamJson();
  const tokenize = jsonParser({ streamValues: false });
  const m = bundleMachine(file);
  const input = openText(file);
  let n = 0;
  try {
    for await (let chunk of input) {
      if (n === 0 && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      const pieces = n === failingChunk ? [...chunk] : [chunk];
      for (const piece of pieces) {
        try {
          for (const t of tokensOf(tokenize(piece))) m.feed(t);
        } catch (err) {
          if (err instanceof StixFormatError) return err;
          return new StixFormatError(
            file,
            m.index,
            '',
            `invalid JSON (${err instanceof Error ? err.message : String(err)})`,
          );
        }
      }
      if (n++ === failingChunk) break;
    }
    tokensOf(tokenize(none)).forEach((t) => m.feed(t));
  } catch (err) {
    if (err instanceof StixFormatError) return err;
    return new StixFormatError(
      file,
      m.index,
      '',
      `invalid JSON (${err instanceof Error ? err.message : String(err)})`,
    );
  } finally {
    input.destroy();
  }
  return new StixFormatError(file, m.index, '', 'invalid JSON (unexpected end of input)');
}

/**
 * Streams the `objects` of one STIX bundle file, one object at a time, with stream-json's
 * tokenizer: the file is read in 256 KiB chunks and never held whole, only the object being
 * assembled. Calls `onBytes` with each chunk's size. Returns the bundle's own scalar fields
 * (`type`, `id`, `spec_version`) at the end. Invalid JSON gives a {@link StixFormatError} with
 * the index of the object it is in.
 */
export async function* streamBundle(
  file: string,
  onBytes?: (n: number) => void,
): AsyncGenerator<BundleItem, BundleMeta> {
  const { jsonParser, none } = streamJson();
  const tokenize = jsonParser({ streamValues: false });
  const m = bundleMachine(file);
  const input = openText(file);
  let n = 0;
  const run = async (chunk: string | symbol) => {
    try {
      for (const t of tokensOf(tokenize(chunk))) m.feed(t);
    } catch (err) {
      if (err instanceof StixFormatError) throw err;
      throw await locateJsonError(file, n);
    }
  };
  try {
    for await (const chunk of input) {
      onBytes?.(Buffer.byteLength(chunk));
      await run(n === 0 && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk);
      n += 1;
      while (m.ready.length) yield m.ready.shift()!;
    }
    await run(none);
    while (m.ready.length) yield m.ready.shift()!;
    if (!m.complete)
      throw new StixFormatError(file, m.index, '', 'invalid JSON (unexpected end of input)');
  } finally {
    input.destroy();
  }
  return m.meta;
}

// ----------------------------------------------------------------------------- validation

const stixIdOf = (type?: string) =>
  z
    .string()
    .regex(STIX_ID_RE, 'must be a STIX identifier (<type>--<UUID>)')
    .refine((s) => !type || s.startsWith(`${type}--`), { message: `must be a ${type} id` });
const ref = stixIdOf();
const time = z.string().regex(STIX_TIME_RE, 'must be an RFC 3339 UTC timestamp');
const text = z.string();

const externalReference = z.looseObject({
  source_name: z.string().min(1, 'must not be empty'),
  description: text.optional(),
  url: z.string().optional(),
  external_id: z.string().optional(),
});

/** Properties every object needs, whatever its type. */
const base = z.looseObject({
  type: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a STIX type name'),
  id: ref,
});

/** Common properties of the types we import (SDOs and SROs): checked when present or required. */
const sdo = {
  created: time,
  modified: time,
  created_by_ref: stixIdOf('identity').optional(),
  external_references: z.array(externalReference).optional(),
  confidence: z.number().int().min(0).max(100).optional(),
  revoked: z.boolean().optional(),
  spec_version: z.enum(['2.0', '2.1']).optional(),
};
const named = { ...sdo, name: z.string().min(1, 'must not be empty') };
const aliased = { ...named, aliases: z.array(z.string()).optional() };

/** Schemas of the types the importer maps (others only need a type and an id). */
export const KNOWN_TYPES: Record<string, z.ZodType> = {
  identity: z.looseObject(named),
  'threat-actor': z.looseObject(aliased),
  'intrusion-set': z.looseObject(aliased),
  campaign: z.looseObject(aliased),
  incident: z.looseObject(named),
  relationship: z.looseObject({
    ...sdo,
    relationship_type: z.string().min(1, 'must not be empty'),
    source_ref: ref,
    target_ref: ref,
  }),
  opinion: z.looseObject({
    ...sdo,
    opinion: z.enum(['strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree']),
    explanation: text.optional(),
    authors: z.array(z.string()).optional(),
    object_refs: z.array(ref).min(1, 'must name at least one object'),
  }),
  report: z.looseObject({
    ...named,
    published: time,
    object_refs: z.array(ref).optional(),
  }),
  note: z.looseObject({
    ...sdo,
    content: z.string(),
    abstract: text.optional(),
    object_refs: z.array(ref).min(1, 'must name at least one object'),
  }),
};

/** A checked STIX object of a type we may map. */
export type Checked = { type: string; id: string } & Record<string, unknown>;

/**
 * Checks one object: a type and an id (of that type) for every object; for the types we map,
 * the fields we use. Throws a {@link StixFormatError} naming the index and the field.
 */
export function checkObject(file: string, index: number, o: unknown): Checked {
  const fail = (r: z.ZodSafeParseError<unknown>, id?: string): never => {
    const issue = r.error.issues[0];
    const field = issue.path.map(String).join('.');
    throw new StixFormatError(file, index, field, `${issue.message}${id ? ` (${id})` : ''}`);
  };
  const b = base.safeParse(o);
  if (!b.success) fail(b);
  const obj = b.data as Checked;
  if (!obj.id.startsWith(`${obj.type}--`))
    throw new StixFormatError(file, index, 'id', `must start with "${obj.type}--" (${obj.id})`);
  const schema = KNOWN_TYPES[obj.type];
  if (schema) {
    const r = schema.safeParse(o);
    if (!r.success) fail(r, obj.id);
  }
  return obj;
}

/** Checks the bundle's own fields once the stream has ended. */
export function checkBundle(file: string, meta: BundleMeta): void {
  if (meta.type !== 'bundle')
    throw new StixFormatError(
      file,
      null,
      'type',
      `must be "bundle" (got ${JSON.stringify(meta.type)})`,
    );
  if (typeof meta.id !== 'string' || !STIX_ID_RE.test(meta.id) || !meta.id.startsWith('bundle--'))
    throw new StixFormatError(file, null, 'id', 'must be a bundle identifier (bundle--<UUID>)');
}
