/**
 * What an upstream resolver computed about an object it returns, for the field resolvers
 * beneath it, kept per request beside the object instead of in fields on it: a hypothesis's
 * assessment as of the date its parent asked for, the sources a claim was counted on, a source's
 * publisher name read with the bundle. Each folder declares the keys it owns and reads
 * (`new FactKey<V>('name')`); a writer imports the key from the folder that reads it.
 *
 * Objects served from the process-wide cache are shared by requests, so facts about them are
 * set per request (a cached value is never mutated); an object reached without its facts (through
 * `node(id)`, another path) simply has none, and its resolvers compute the path-free value.
 */
export class FactKey<V> {
  /** Only carries the value type (never set). */
  declare readonly valueType?: V;
  constructor(readonly name: string) {}
}

/** One request's facts: per key, a weak map from the object to its value. */
export class Facts {
  private readonly tables = new Map<FactKey<unknown>, WeakMap<object, unknown>>();

  /** Records `value` for `on` under `key`; returns `on`. */
  set<V, T extends object>(key: FactKey<V>, on: T, value: V): T {
    let table = this.tables.get(key as FactKey<unknown>);
    if (!table) this.tables.set(key as FactKey<unknown>, (table = new WeakMap()));
    table.set(on, value);
    return on;
  }

  /** The value recorded for `on` under `key`, if any. */
  get<V>(key: FactKey<V>, on: object): V | undefined {
    return this.tables.get(key as FactKey<unknown>)?.get(on) as V | undefined;
  }
}
