import { nativeRequire } from '../esm';

/** One token of stream-json's parser (packed values only: we turn streaming of values off). */
export interface JsonToken {
  name:
    | 'startObject'
    | 'endObject'
    | 'startArray'
    | 'endArray'
    | 'keyValue'
    | 'stringValue'
    | 'numberValue'
    | 'nullValue'
    | 'trueValue'
    | 'falseValue';
  value?: string | boolean | null;
}

/** stream-json's Assembler: rebuilds one JS value from tokens. */
export interface Assembler {
  consume(token: JsonToken): Assembler;
  current: unknown;
  done: boolean;
  depth: number;
}

/** The result of one call of stream-json's tokenizer: no token, one, or several (`many`). */
type TokenBatch = symbol | JsonToken | { values: JsonToken[] };

interface StreamJson {
  /** stream-json's bare tokenizer: call with text chunks, then with `none` to flush. */
  jsonParser(options?: Record<string, unknown>): (chunk: string | symbol) => TokenBatch;
  none: symbol;
  Assembler: new () => Assembler;
}

let cached: StreamJson | undefined;

/** stream-json's tokenizer and assembler (loaded once). */
export function streamJson(): StreamJson {
  if (!cached) {
    const main = nativeRequire('stream-json/core/parser.js') as Pick<StreamJson, 'jsonParser'>;
    const asm = nativeRequire('stream-json/assembler.js') as { default: StreamJson['Assembler'] };
    const defs = nativeRequire('stream-chain/defs.js') as { none: symbol };
    cached = { jsonParser: main.jsonParser, none: defs.none, Assembler: asm.default };
  }
  return cached;
}

/** Flattens one tokenizer result into a list of tokens. */
export function tokensOf(batch: TokenBatch): JsonToken[] {
  if (typeof batch === 'symbol') return [];
  return 'values' in batch ? batch.values : [batch];
}
