import type { Readable } from 'node:stream';
import type { Db, WriteTx } from '../db';
import { cleanProps } from '../db';
import {
  type Entry,
  type ImportContext,
  LINK_TYPES,
  type LinkType,
  type NodeLabel,
  type Props,
  versionOf,
} from './context';
import { FAMILIES, type Family, type LinkTools, familyOf, generic } from './families';
import {
  IMPORT_ACTORS_BY_NAME,
  IMPORT_BY_STIX_ID,
  IMPORT_CREATE_LINKS,
  IMPORT_CREATE_NODES,
  IMPORT_EXISTING,
  IMPORT_MERGE_LINKS,
  IMPORT_UPDATE_NODES,
} from './queries';
import {
  type ClaimLinkRow,
  MERGE_CLAIM_LINK,
  type TechnicalLinkType,
  groupClaimLinkRows,
  labelList,
  nativeStixProps,
  refreshSpecificity,
  relStixProps,
} from '../model';
import { UNGUARDED_LINKS, bumpIncidentRevisions, bumpRevisions } from '../revisions';
import {
  type Checked,
  StixFormatError,
  checkBundle,
  checkObject,
  ourRefs,
  streamBundle,
} from './reader';
import type { HeapGovernor } from './memory';

/**
 * The passes of an import. READ: one streaming parse of every file; each object is validated
 * (reader.ts) and indexed once, and kept in memory unless the files are larger than the
 * retention budget; references that make claims or links must resolve (in the import, or to an
 * earlier import's node); nothing is written before all of it passed. NODES, then LINKS: the
 * objects again (from memory, or re-read when not kept), batch by batch, each batch one write
 * transaction of a few UNWIND statements; the next batch is mapped while the current one is
 * being written.
 */

export interface InputFile {
  name: string;
  /** A path, or a stream (stdin: always kept in memory, it cannot be read twice). */
  path?: string;
  stream?: Readable;
  sha256?: string;
  bytes?: number;
}

export type Item = { o: Checked; file: number };

export interface Progress {
  /** `read`: parsing and validating (bytes); `nodes` / `links`: the two writing passes (objects). */
  phase: 'read' | 'nodes' | 'links';
  done: number;
  total: number;
}

/** References whose target must exist: they make claims or links. */
const REQUIRED: Record<string, readonly string[]> = Object.assign(Object.create(null), {
  relationship: ['source_ref', 'target_ref'],
  opinion: ['object_refs'],
  note: ['object_refs'],
  report: ['object_refs'],
  sighting: ['sighting_of_ref', 'observed_data_refs', 'where_sighted_refs'],
});

interface Wanted {
  ref: string;
  file: number;
  index: number;
  field: string;
}

/** The read pass: parse, validate, index. Returns the objects when kept, else null. */
export async function readPass(
  db: Db,
  ctx: ImportContext,
  files: InputFile[],
  keep: boolean,
  onProgress?: (p: Progress) => void,
): Promise<Item[] | null> {
  const items: Item[] | null = keep ? [] : null;
  const wanted: Wanted[] = [];
  const total = files.reduce((n, f) => n + (f.bytes ?? 0), 0);
  let done = 0;
  for (let file = 0; file < files.length; file++) {
    const f = files[file];
    const it = streamBundle(f.stream ?? f.path!, f.name, (n) => {
      done += n;
      onProgress?.({ phase: 'read', done, total: Math.max(total, done) });
    });
    for (;;) {
      const r = await it.next();
      if (r.done) {
        checkBundle(f.name, r.value);
        ctx.bundles.push(r.value.id as string);
        f.sha256 = r.value.sha256;
        f.bytes = r.value.bytes;
        break;
      }
      const o = checkObject(f.name, r.value.index, r.value.object);
      ctx.counts(ctx.key(o)).read += 1;
      remember(ctx, o, file);
      for (const field of REQUIRED[o.type] ?? []) {
        const v = o[field];
        if (typeof v === 'string') wanted.push({ ref: v, file, index: r.value.index, field });
        else if (Array.isArray(v))
          v.forEach((ref, i) =>
            typeof ref === 'string'
              ? wanted.push({ ref, file, index: r.value.index, field: `${field}.${i}` })
              : undefined,
          );
      }
      for (const w of ourRefs(o)) wanted.push({ ...w, file, index: r.value.index });
      items?.push({ o, file });
    }
  }
  await resolveRequired(db, ctx, files, wanted);
  return items;
}

/** Remembers an object in the index (the newest version of each id wins). */
function remember(ctx: ImportContext, o: Checked, file: number): void {
  const modified = versionOf(o);
  const prev = ctx.index.get(o.id);
  if (prev && prev.modified >= modified) return;
  const family = familyOf(o);
  const e: Entry = {
    type: o.type,
    family: family.name,
    modified,
    revoked: o.revoked === true || undefined,
    file,
    node: family === generic ? ctx.prefix + o.id : ctx.nodeOf(o),
  };
  family.remember?.(ctx, o, e);
  ctx.index.set(o.id, e);
}

/**
 * Every reference that makes a claim or a link names an object of the import or a node of an
 * earlier import (looked up by STIX id); otherwise the import stops here, before any write,
 * naming the file, object and field.
 */
async function resolveRequired(
  db: Db,
  ctx: ImportContext,
  files: InputFile[],
  wanted: Wanted[],
): Promise<void> {
  const missing = wanted.filter((w) => !ctx.index.has(w.ref));
  if (!missing.length) return;
  const ids = [...new Set(missing.map((w) => w.ref))];
  for (const r of await db.read(IMPORT_BY_STIX_ID, { ids })) ctx.external.set(r.stixId, r.id);
  const first = missing.find((w) => !ctx.external.has(w.ref));
  if (first)
    throw new StixFormatError(
      files[first.file].name,
      first.index,
      first.field,
      `names ${first.ref}, which is neither in the import nor imported before`,
    );
}

/**
 * The objects of the write passes: from memory, or read again (not validated twice: same bytes).
 * `release`: the last pass lets go of each kept object once handed out, so the memory they hold
 * shrinks as the pass goes (peak RSS).
 */
async function* itemsOf(
  files: InputFile[],
  kept: Item[] | null,
  release = false,
): AsyncGenerator<Item> {
  if (kept) {
    for (let i = 0; i < kept.length; i++) {
      const item = kept[i];
      if (release) kept[i] = RELEASED;
      yield item;
    }
    if (release) kept.length = 0;
    return;
  }
  for (let file = 0; file < files.length; file++)
    for await (const { object } of streamBundle(files[file].path!, files[file].name))
      yield { o: object as Checked, file };
}
const RELEASED: Item = { o: { type: '', id: '' }, file: -1 };

/** Batches of `size` items. */
async function* batchesOf(items: AsyncGenerator<Item>, size: number): AsyncGenerator<Item[]> {
  let batch: Item[] = [];
  for await (const x of items) {
    batch.push(x);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

export interface Stamp {
  importId: string;
  importedBy: string;
  importedAt: unknown;
}

/** Counters the passes add to. */
export interface WriteStats {
  dbUpdates: number;
  /**
   * Nodes created or updated; relationships written (created, merged onto existing ones, or
   * claim links created or given a new claim).
   */
  nodesWritten: number;
  relsWritten: number;
  batches: number;
  nativeLinksRefused: number;
}

/**
 * Runs `prepare` on each batch and writes the result, one transaction per batch, mapping the
 * next batch while the previous one is written (parsing is done: the overlap is of mapping in
 * Node with writing in Neo4j).
 */
async function pipelined<T>(
  db: Db,
  batches: AsyncGenerator<Item[]>,
  timeoutMs: number,
  prepare: (batch: Item[]) => T | Promise<T>,
  write: (tx: WriteTx, prepared: T) => Promise<void>,
  after: (n: number) => void,
  memory?: HeapGovernor,
): Promise<void> {
  let pending: Promise<void> = Promise.resolve();
  for await (const batch of batches) {
    memory?.check();
    const prepared = await prepare(batch);
    await pending;
    pending = db.write((tx) => write(tx, prepared), { timeoutMs }).then(() => after(batch.length));
    // Awaited on the next turn; a failure meanwhile is not an unhandled rejection.
    pending.catch(() => undefined);
  }
  await pending;
}

/** How the write passes batch: objects per transaction, and each transaction's time limit. */
export interface Batching {
  size: number;
  /**
   * A batch is bulk work, not an API request: it gets this long (the API's 15 s limit would cut
   * a 2,000-object batch on a loaded machine, and a cut batch fails the import).
   */
  timeoutMs: number;
  /** Keeps the heap near what is live between batches (peak RSS); none in tests. */
  memory?: HeapGovernor;
}

interface NodeRow {
  label: NodeLabel;
  props: Props;
  primary?: string;
  owners: Set<string>;
  file: number;
}

/** The nodes pass: each current object's family gives its node rows. */
export async function nodesPass(
  db: Db,
  ctx: ImportContext,
  files: InputFile[],
  kept: Item[] | null,
  batching: Batching,
  stamp: Stamp,
  stats: WriteStats,
  onProgress?: (p: Progress) => void,
): Promise<void> {
  const seen = new Set<string>();
  const total = Object.values(ctx.byType).reduce((n, c) => n + c.read, 0);
  let done = 0;
  const native = new Set<string>();
  await pipelined(
    db,
    batchesOf(itemsOf(files, kept), batching.size),
    batching.timeoutMs,
    async (batch) => {
      const rows = new Map<string, NodeRow>();
      let owner = '';
      let file = 0;
      const add = (label: NodeLabel, props: Props, primary?: string) => {
        const id = props.id as string;
        const prev = rows.get(id);
        if (!prev || (primary && !prev.primary))
          rows.set(id, {
            label,
            props: cleanProps(props),
            primary,
            owners: new Set([...(prev?.owners ?? []), owner]),
            file,
          });
        else prev.owners.add(owner);
      };
      const outcomes: { key: string; node: string }[] = [];
      for (const { o, file: f } of batch) {
        const key = ctx.key(o);
        if (seen.has(o.id) || !ctx.current(o)) {
          ctx.counts(key).unchanged += 1; // an older or repeated copy of an object
          continue;
        }
        seen.add(o.id);
        const e = ctx.index.get(o.id)!;
        if (e.family === 'own') {
          ctx.counts(key).unchanged += 1; // the definition of our own extension: nothing to hold
          continue;
        }
        owner = e.node!;
        file = f;
        let family: Family = FAMILIES[e.family];
        let node = family.nodes(ctx, o, f, add);
        if (!node && family !== generic) {
          // The model has no place for this one: kept as it is.
          family = generic;
          e.family = 'generic';
          e.node = owner = ctx.prefix + o.id;
          node = generic.nodes(ctx, o, f, add);
        }
        outcomes.push({ key, node: node! });
      }
      // Which of the rows exist, and at which version: those this import wrote or an earlier
      // batch read are known here; one read for the rest, done while the previous batch is
      // being written (nothing else creates nodes with an import's ids).
      const existing = ctx.existing;
      const unknown = [...rows.keys()].filter((id) => !existing.has(id));
      if (unknown.length)
        for (const r of await db.read(IMPORT_EXISTING, { ids: unknown }))
          existing.set(r.id, r.stixModified);
      for (const [id, v] of existing) if (v === null) native.add(id);
      for (const x of outcomes) if (native.has(x.node)) ctx.nativeObjects.add(x.node);
      const outcome = new Map<string, 'created' | 'updated' | 'unchanged'>();
      // Rows per file (each file's provenance is one parameter); each row with its labels.
      const create = new Map<number, { labels: readonly string[]; props: Props }[]>();
      const update = new Map<number, Props[]>();
      const incidents: string[] = [];
      for (const [id, row] of rows) {
        if (!row.primary && [...row.owners].every((o) => native.has(o))) continue;
        let result: 'created' | 'updated' | 'unchanged';
        const was = existing.get(id);
        if (was === null) result = 'unchanged';
        else if (was === undefined) result = 'created';
        else result = was < (row.props.stixModified as string) ? 'updated' : 'unchanged';
        outcome.set(id, result);
        if (result === 'unchanged') continue;
        if (!row.primary) ctx.derived[result] += 1;
        const props = { ...row.props, ...nativeStixProps(row.label, id) };
        existing.set(id, (row.props.stixModified as string | undefined) ?? '');
        if (result === 'created') {
          ctx.createdHere.add(id);
          if (row.label === 'Incident') {
            incidents.push(id);
            ctx.createdIncidents.add(id);
          }
          const list = create.get(row.file);
          const r = { labels: labelList(row.label), props };
          if (list) list.push(r);
          else create.set(row.file, [r]);
        } else {
          const list = update.get(row.file);
          if (list) list.push(props);
          else update.set(row.file, [props]);
        }
      }
      for (const x of outcomes) ctx.counts(x.key)[outcome.get(x.node) ?? 'unchanged'] += 1;
      return { create, update, incidents };
    },
    async (tx, { create, update, incidents }) => {
      const stampOf = (file: number) => ({
        ...stamp,
        importFile: files[file].name,
        importSha256: files[file].sha256,
      });
      for (const [file, rows] of create) {
        stats.dbUpdates += (
          await tx.run(IMPORT_CREATE_NODES, { rows, stamp: stampOf(file) })
        ).updates;
        stats.nodesWritten += rows.length;
      }
      for (const [file, rows] of update) {
        stats.nodesWritten += rows.length;
        stats.dbUpdates += (
          await tx.run(IMPORT_UPDATE_NODES, {
            rows,
            stamp: stampOf(file),
            importId: stamp.importId,
          })
        ).updates;
      }
      // Last: the revisions of the incidents whose answers read what was written. The incidents
      // created here are bumped by id (the cheap path; and again once the import is done, see
      // importStix); a node created here has no relationship yet (the links pass bumps what it
      // gets linked to); updated nodes existed before and keep their links.
      await bumpIncidentRevisions(tx, incidents);
      await bumpRevisions(
        tx,
        [...update.values()].flatMap((rows) => rows.map((p) => p.id as string)),
      );
      stats.batches += 1;
    },
    (n) => {
      done += n;
      onProgress?.({ phase: 'nodes', done, total });
    },
    batching.memory,
  );
}

interface LinkBatch {
  rels: Map<LinkType, Map<string, { from: string; to: string; props: Props }>>;
  knownAs: ClaimLinkRow[];
  partOf: ClaimLinkRow[];
  technical: Map<TechnicalLinkType, ClaimLinkRow[]>;
  aliases: { subject: string; name: string; claim: string }[];
}

/** The links pass: each current object's family gives its relationships. */
export async function linksPass(
  db: Db,
  ctx: ImportContext,
  files: InputFile[],
  kept: Item[] | null,
  batching: Batching,
  stamp: Stamp,
  stats: WriteStats,
  onProgress?: (p: Progress) => void,
): Promise<void> {
  ctx.quiet = true;
  // The nodes pass's knowledge of ids is not needed any more (createdHere holds what is).
  ctx.existing.clear();
  const seen = new Set<string>();
  const made = new HashedSet();
  const total = Object.values(ctx.byType).reduce((n, c) => n + c.read, 0);
  let done = 0;
  const relProps = { importId: stamp.importId };
  await pipelined(
    db,
    batchesOf(itemsOf(files, kept, true), batching.size),
    batching.timeoutMs,
    (batch): LinkBatch => {
      const b: LinkBatch = {
        rels: new Map(),
        knownAs: [],
        partOf: [],
        technical: new Map(),
        aliases: [],
      };
      const link = (type: LinkType, from: string, to: string, props?: Props) => {
        let m = b.rels.get(type);
        if (!m) b.rels.set(type, (m = new Map()));
        const key = `${from}|${to}|${(props?.field as string) ?? ''}`;
        m.set(key, { from, to, props: props ? { ...props, ...relProps } : relProps });
      };
      const publish = (source: string, publisher: string) => {
        if (ctx.published.has(source)) return;
        ctx.published.add(source);
        link('PUBLISHED_BY', source, publisher);
      };
      const t: LinkTools = {
        link,
        publish,
        cite: (claim, sources, publisher) =>
          sources.forEach((s) => {
            link('CITES', claim, s.id);
            publish(s.id, publisher);
          }),
        alias: (subject, name, claim) => b.aliases.push({ subject, name, claim }),
        partOf: (from, to, claim, role) =>
          b.partOf.push({ from, to, claims: [claim], props: cleanProps({ role }), prov: relProps }),
        claimLink: (type, from, to, claim) => {
          let list = b.technical.get(type);
          if (!list) b.technical.set(type, (list = []));
          list.push({ from, to, claims: [claim], props: {}, prov: relProps });
        },
      };
      for (const { o, file } of batch) {
        if (seen.has(o.id) || !ctx.current(o)) continue;
        seen.add(o.id);
        const e = ctx.index.get(o.id)!;
        if (ctx.nativeObjects.has(e.node!) || (e.hyp && ctx.nativeObjects.has(e.hyp))) continue;
        FAMILIES[e.family].links(ctx, o, file, t);
      }
      return b;
    },
    async (tx, b) => {
      await resolveAliases(tx, ctx, stamp, stats, b);
      const trust = ctx.trust;
      // New relationships of every type in one statement; merges one statement per type.
      const create: Props[] = [];
      const run = async (query: typeof IMPORT_CREATE_LINKS, rows: Props[]) => {
        const r = await tx.run(query, { rows, trust });
        stats.dbUpdates += r.updates;
        stats.relsWritten += r.records[0]?.n ?? 0;
        stats.nativeLinksRefused += rows.length - (r.records[0]?.n ?? 0);
      };
      for (const type of LINK_TYPES) {
        const list = b.rels.get(type);
        if (!list?.size) continue;
        const merge: Props[] = [];
        for (const [key, row] of list) {
          const k = `${type}|${key}`;
          const withIds = {
            type,
            from: row.from,
            to: row.to,
            props: { ...row.props, ...relStixProps(type, row.from, row.to) },
          };
          if ((ctx.createdHere.has(row.from) || ctx.createdHere.has(row.to)) && !made.has(k)) {
            made.add(k);
            create.push(withIds);
          } else merge.push(withIds);
        }
        if (merge.length) await run(IMPORT_MERGE_LINKS[type], merge);
      }
      if (create.length) await run(IMPORT_CREATE_LINKS, create);
      // The one claim-link merge of the registry; without --trust never onto a native node.
      for (const [type, all] of [
        ['KNOWN_AS', b.knownAs],
        ['PART_OF', b.partOf],
        ...b.technical,
      ] as const) {
        const allowed = trust
          ? all
          : all.filter((r) => !ctx.nativeObjects.has(r.from) && !ctx.nativeObjects.has(r.to));
        stats.nativeLinksRefused += all.length - allowed.length;
        const rows = groupClaimLinkRows(allowed);
        if (rows.length) {
          const r = await tx.run(MERGE_CLAIM_LINK[type], { rows });
          stats.dbUpdates += r.updates;
          stats.relsWritten += r.records.length; // links created or given a new claim
        }
        // Who uses what changed: the specificity counts of the overlap scores follow, once the
        // passes are done (settle).
        if (type === 'USES') rows.forEach((r) => ctx.usedArtifacts.add(r.to));
      }
      // Last: the revisions of the incidents whose answers read what was linked. A link between
      // two nodes this import created can only be read by an incident it created (bumped when
      // the import is done): only the links touching an older node are followed here.
      const old = (r: { from: unknown; to: unknown }) =>
        !ctx.createdHere.has(r.from as string) || !ctx.createdHere.has(r.to as string);
      await bumpRevisions(tx, [
        ...[...b.rels]
          .filter(([type]) => type !== 'STIX_REF' && !UNGUARDED_LINKS.has(type))
          .flatMap(([, list]) => [...list.values()].filter(old).map((r) => r.from)),
        ...b.partOf.filter(old).map((r) => r.from),
      ]);
      stats.batches += 1;
    },
    (n) => {
      done += n;
      onProgress?.({ phase: 'links', done, total });
    },
    batching.memory,
  );
}

/**
 * Where an alias name points: with --trust, an actor of exactly that name (a native one first,
 * never the subject itself), as the seed's `refersTo` does; without it, only an actor an import
 * created; otherwise this import's Alias node of the name.
 */
async function resolveAliases(
  tx: WriteTx,
  ctx: ImportContext,
  stamp: Stamp,
  stats: WriteStats,
  b: LinkBatch,
): Promise<void> {
  if (!b.aliases.length) return;
  const names = [...new Set(b.aliases.map((w) => w.name))];
  const actors = new Map<string, string[]>();
  for (const r of (await tx.run(IMPORT_ACTORS_BY_NAME, { names })).records)
    if (ctx.trust || !r.native) actors.set(r.name, [...(actors.get(r.name) ?? []), r.id]);
  const aliasNodes = new Map<string, Props>();
  const link = (from: string, to: string) => {
    let m = b.rels.get('OBJECT');
    if (!m) b.rels.set('OBJECT', (m = new Map()));
    m.set(`${from}|${to}|`, { from, to, props: { importId: stamp.importId } });
  };
  for (const w of b.aliases) {
    let target = (actors.get(w.name) ?? []).find((id) => id !== w.subject);
    if (!target) {
      target = ctx.aliasNode(w.name);
      aliasNodes.set(target, { id: target, name: w.name, stixModified: '' });
    }
    link(w.claim, target);
    b.knownAs.push({
      from: w.subject,
      to: target,
      claims: [w.claim],
      props: { name: w.name },
      prov: { importId: stamp.importId },
    });
  }
  if (aliasNodes.size) {
    const ids = [...aliasNodes.keys()];
    const existing = new Set((await tx.run(IMPORT_EXISTING, { ids })).records.map((r) => r.id));
    const rows = ids.filter((id) => !existing.has(id)).map((id) => aliasNodes.get(id)!);
    if (rows.length) {
      ctx.derived.created += rows.length;
      rows.forEach((r) => ctx.createdHere.add(r.id as string));
      stats.dbUpdates += (
        await tx.run(IMPORT_CREATE_NODES, {
          rows: rows.map((props) => ({ labels: labelList('Alias'), props })),
          stamp,
        })
      ).updates;
      stats.nodesWritten += rows.length;
    }
  }
}

/**
 * The end of the write passes, whether they finished or failed part way (what earlier batches
 * committed stays, so its derived state must follow): one transaction that bumps the revisions
 * of the incidents this import created once more (the batches after the one that created an
 * incident linked things to it, and an incident's answers read them) and brings the
 * specificity counts of the artifacts given new users up to date, once per import instead of
 * once per batch.
 */
export async function settle(db: Db, ctx: ImportContext, batching: Batching): Promise<void> {
  const incidents = [...ctx.createdIncidents];
  const artifacts = [...ctx.usedArtifacts];
  if (!incidents.length && !artifacts.length) return;
  await db.write(
    async (tx) => {
      for (let i = 0; i < incidents.length; i += batching.size)
        await bumpIncidentRevisions(tx, incidents.slice(i, i + batching.size));
      if (artifacts.length)
        for (let i = 0; i < artifacts.length; i += batching.size)
          await refreshSpecificity(tx, artifacts.slice(i, i + batching.size));
    },
    { timeoutMs: batching.timeoutMs },
  );
}

/**
 * A set of strings kept as 30-bit hashes (FNV-1a): a few bytes an entry instead of the string
 * (the relationships an import of a 45 MB file creates would take some 90 MB as keys). `has`
 * may say yes for a string never added (about once in 2^30 / size), never no for one added:
 * for use where a wrong yes costs only a MERGE instead of a CREATE.
 */
export class HashedSet {
  private readonly hashes = new Set<number>();

  static hash(s: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h >>> 2;
  }

  add(s: string): void {
    this.hashes.add(HashedSet.hash(s));
  }

  has(s: string): boolean {
    return this.hashes.has(HashedSet.hash(s));
  }
}
