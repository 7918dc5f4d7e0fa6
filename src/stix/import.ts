import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Db, WriteTx } from '../db';
import { cleanProps, toDate } from '../db';
import { UNGUARDED_LINKS, bumpRevisions } from '../revisions';
import {
  ActorKind,
  LABELS,
  MERGE_CLAIM_LINK,
  PLAIN_REL_TYPES,
  aliasClaimText,
  aliasNodeId,
  dateProps as partialDateProps,
  partialDateOf,
  type ClaimLinkRow,
  type Label,
  type PlainRelType,
} from '../model';
import {
  IMPORT_ACTORS_BY_NAME,
  IMPORT_EXISTING,
  IMPORT_MERGE_RELS,
  IMPORT_UPSERT_NODES,
} from './queries';
import { BundleMeta, Checked, checkBundle, checkObject, streamBundle } from './reader';
import { OPINION_TO_STANCE, X_ID, confidenceToCredibility, normTime } from './model';

type Props = Record<string, unknown>;

export interface ImportProgress {
  /** `check`: first pass, validating (bytes); `nodes` / `links`: the two writing passes (objects). */
  phase: 'check' | 'nodes' | 'links';
  done: number;
  total: number;
}

export interface ImportOptions {
  /** Prefix for the ids of nodes made from STIX ids (default none); tests use it to stay apart. */
  idPrefix?: string;
  /** Objects per write transaction (default 500). */
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
  /** Readable used for the input `-` (default process.stdin). */
  stdin?: Readable;
}

export interface TypeCounts {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

export interface ImportReport {
  files: string[];
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  /** Per STIX type (relationships as `relationship/<relationship_type>`). */
  byType: Record<string, TypeCounts>;
  /** Nodes derived from objects (alias claims, hypotheses, cited sources, alias names, producers). */
  derived: { created: number; updated: number };
  /** Database updates (nodes, relationships and properties written): 0 when nothing changed. */
  dbUpdates: number;
  warnings: { total: number; byKind: Record<string, number>; samples: string[] };
  batches: number;
  ms: number;
}

/** What the first pass remembers of each object (small: no descriptions, no arrays). */
interface Entry {
  type: string;
  node?: string;
  name?: string;
  modified: string;
  /** For attributed-to: source and target STIX ids, and our hypothesis id if we exported it. */
  src?: string;
  tgt?: string;
  hyp?: string;
  revoked?: boolean;
}

const ACTOR_TYPES = new Set(['identity', 'threat-actor', 'intrusion-set']);
const INCIDENT_TYPES = new Set(['incident', 'campaign']);
const SOURCE_TYPES = new Set(['report', 'note']);
const ACTOR_KINDS = new Set<string>(ActorKind.options);
const IDENTITY_KIND: Record<string, string> = {
  individual: 'person',
  group: 'group',
  organization: 'company',
  class: 'group',
  system: 'company',
  unknown: 'persona',
};
const MAX_SAMPLES = 50;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const dayOf = (ts: string) => ts.slice(0, 10);
/** Date properties of a STIX timestamp: its day, at day precision. */
const dateProps = (prefix: string, ts: string | undefined): Props =>
  partialDateProps(prefix, ts && dayOf(ts));
/**
 * Date properties from our own export (`x_attribution_*` day and precision), as the seed writes
 * them: the start of the period, its precision, and `knownFrom` = the end of the period.
 */
const periodProps = (prefix: string, day: string | undefined, precision: string): Props =>
  partialDateProps(prefix, day && partialDateOf(day, precision));
/** Our date when the object carries it (`x_attribution_<name>` and its precision), else `fallback`. */
const ourDate = (o: Checked, prefix: string, name: string, fallback: string | undefined): Props => {
  const precision = str(o[`x_attribution_${name}_precision`]);
  return precision
    ? periodProps(prefix, str(o[`x_attribution_${name}`]), precision)
    : dateProps(prefix, fallback);
};
const hash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 20);

/** An alias claim as our export writes it in `x_attribution_alias_claims` (docs/stix-mapping.md). */
interface AliasClaim {
  id: string;
  alias: string;
  text?: string;
  text_kind?: string;
  claimant_ref?: string;
  stated?: string;
  stated_precision?: string;
  credibility?: number;
  unverified?: boolean;
  note?: string;
  source_refs?: string[];
}

/** The well-formed entries of `x_attribution_alias_claims` (others are ignored). */
function aliasClaimsOf(o: Checked): AliasClaim[] {
  const list = o.x_attribution_alias_claims;
  if (!Array.isArray(list)) return [];
  return list.filter((c): c is AliasClaim => {
    const x = c as Partial<AliasClaim> | null;
    return !!x && typeof x.id === 'string' && x.id !== '' && typeof x.alias === 'string';
  });
}

/** What an alias claim needs written: its node, claimant, derived sources and cited sources. */
interface AliasClaimRows {
  id: string;
  alias: string;
  creator: { id: string; name: string; fallback?: Props };
  /** Sources derived from external references (or the bundle), published by the creator. */
  cites: { id: string; row: Props }[];
  /** Reports and notes of the import that the claim cites (x_attribution_alias_claims). */
  sources: string[];
  props: Props;
}

interface ExternalRef {
  source_name: string;
  description?: string;
  url?: string;
  external_id?: string;
}

/** Reads input `-` (stdin) into a temporary file, streamed, so it can be read in several passes. */
async function spool(stdin: Readable): Promise<{ file: string; cleanup: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stix-import-'));
  const file = path.join(dir, 'stdin.json');
  await pipeline(stdin, fs.createWriteStream(file));
  return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Imports STIX 2.0/2.1 bundles (files, or `-` for stdin). Three streaming passes with
 * stream-json, never holding a file whole: (1) validate everything and index ids and types:
 * any malformed bundle stops here, before a single write, with the file, object index and field;
 * (2) write the nodes, (3) write the links, each in batches of `batchSize` objects per write
 * transaction, a few UNWIND statements per batch. Idempotent by STIX id: an object already
 * imported is rewritten only by a newer `modified`; native nodes (seed, our own export read
 * back through x_attribution_id) are never touched. See docs/stix-mapping.md.
 */
export async function importStix(
  db: Db,
  inputs: string[],
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const t0 = Date.now();
  const prefix = opts.idPrefix ?? '';
  const batchSize = opts.batchSize ?? 500;
  const cleanups: (() => void)[] = [];
  const files: { path: string; name: string }[] = [];
  try {
    for (const input of inputs) {
      if (input === '-') {
        const s = await spool(opts.stdin ?? process.stdin);
        cleanups.push(s.cleanup);
        files.push({ path: s.file, name: '<stdin>' });
      } else files.push({ path: input, name: input });
    }
    const importer = new Importer(db, prefix, batchSize, opts.onProgress);
    await importer.check(files);
    await importer.writeNodes(files);
    await importer.writeLinks(files);
    return importer.report(
      files.map((f) => f.name),
      Date.now() - t0,
    );
  } finally {
    cleanups.forEach((c) => c());
  }
}

class Importer {
  private readonly index = new Map<string, Entry>();
  private readonly citedByReport = new Set<string>();
  private readonly metas: BundleMeta[] = [];
  private readonly byType: Record<string, TypeCounts> = {};
  private readonly derived = { created: 0, updated: 0 };
  private readonly warnings = {
    total: 0,
    byKind: {} as Record<string, number>,
    samples: [] as string[],
  };
  /** Ids of native nodes met (never written to, nor linked from). */
  private readonly native = new Set<string>();
  /** Sources given a publisher in this run. */
  private readonly published = new Set<string>();
  private read = 0;
  private quiet = false;
  private dbUpdates = 0;
  private batches = 0;

  constructor(
    private readonly db: Db,
    private readonly prefix: string,
    private readonly batchSize: number,
    private readonly onProgress?: (p: ImportProgress) => void,
  ) {}

  private counts(type: string): TypeCounts {
    return (this.byType[type] ??= { read: 0, created: 0, updated: 0, unchanged: 0, skipped: 0 });
  }

  private warn(kind: string, detail: string): void {
    if (this.quiet) return; // the links pass meets the same objects again: warn once
    this.warnings.total += 1;
    this.warnings.byKind[kind] = (this.warnings.byKind[kind] ?? 0) + 1;
    // A few samples per kind, so one noisy kind does not hide the others.
    if (this.warnings.samples.length < MAX_SAMPLES && this.warnings.byKind[kind] <= 3)
      this.warnings.samples.push(`${kind}: ${detail}`);
  }

  /** The report key of an object: its type, or `relationship/<type>`. */
  private key(o: Checked): string {
    return o.type === 'relationship' ? `relationship/${o.relationship_type as string}` : o.type;
  }

  /** Our node id for a STIX object: our own id when we exported it, else the (prefixed) STIX id. */
  private nodeOf(o: Checked): string {
    return str(o[X_ID]) ?? this.prefix + o.id;
  }

  // ----------------------------------------------------------------- pass 1: validate and index

  async check(files: { path: string; name: string }[]): Promise<void> {
    const total = files.reduce((n, f) => n + fs.statSync(f.path).size, 0);
    let done = 0;
    const onBytes = (n: number) => {
      done += n;
      this.onProgress?.({ phase: 'check', done, total });
    };
    for (const f of files) {
      const it = streamBundle(f.path, onBytes);
      for (;;) {
        const r = await it.next();
        if (r.done) {
          checkBundle(f.name, r.value);
          this.metas.push(r.value);
          break;
        }
        const o = checkObject(f.name, r.value.index, r.value.object);
        this.read += 1;
        this.counts(this.key(o)).read += 1;
        this.remember(o);
      }
    }
  }

  private remember(o: Checked): void {
    const modified = normTime(str(o.modified) ?? str(o.created) ?? '1970-01-01T00:00:00Z');
    const prev = this.index.get(o.id);
    if (prev && prev.modified >= modified) return;
    const e: Entry = { type: o.type, modified, revoked: o.revoked === true || undefined };
    if (ACTOR_TYPES.has(o.type) || INCIDENT_TYPES.has(o.type) || SOURCE_TYPES.has(o.type)) {
      e.node = this.nodeOf(o);
      e.name = str(o.name) ?? str(o.abstract);
    } else if (o.type === 'opinion') e.node = this.nodeOf(o);
    else if (o.type === 'relationship' && o.relationship_type === 'attributed-to') {
      e.src = o.source_ref as string;
      e.tgt = o.target_ref as string;
      e.hyp = str(o.x_attribution_hypothesis);
    }
    if (SOURCE_TYPES.has(o.type) && Array.isArray(o.object_refs))
      for (const r of o.object_refs as string[]) this.citedByReport.add(r);
    this.index.set(o.id, e);
  }

  // ----------------------------------------------------------------- shared derivations

  /** Producer of bundle file `i`, standing in when an object names no creator. */
  private producer(file: number): { id: string; row: Props } {
    const bundle = this.metas[file].id as string;
    const id = `${this.prefix}${bundle}#producer`;
    return {
      id,
      row: {
        id,
        name: `Producer of STIX ${bundle}`,
        kind: 'persona',
        unverified: true,
        stixModified: '',
      },
    };
  }

  /** The bundle itself as a source, cited when an object cites nothing. */
  private bundleSource(file: number): { id: string; row: Props } {
    const bundle = this.metas[file].id as string;
    const id = `${this.prefix}${bundle}`;
    return {
      id,
      row: {
        id,
        tag: 'STIX',
        title: `STIX bundle ${bundle}`,
        reliability: 'F',
        reliabilityReason: 'Imported STIX bundle; the producer gives no reliability grade.',
        publishedAtPrecision: 'unknown',
        unverified: false,
        stixModified: '',
      },
    };
  }

  /** The actor node that states an object: its created_by_ref identity, else the producer. */
  private creatorOf(o: Checked, file: number): { id: string; name: string; fallback?: Props } {
    const ref = str(o.created_by_ref);
    const e = ref ? this.index.get(ref) : undefined;
    if (e?.node) return { id: e.node, name: e.name ?? e.node };
    if (ref) this.warn('dangling created_by_ref', `${o.id} -> ${ref}`);
    const p = this.producer(file);
    return { id: p.id, name: p.row.name as string, fallback: p.row };
  }

  /** Source rows for external references (deterministic ids), with a URL or an external id. */
  private refSources(refs: ExternalRef[]): { id: string; row: Props }[] {
    return refs.map((r) => {
      const id = `${this.prefix}ref-${hash(JSON.stringify([r.source_name, r.external_id ?? '', r.url ?? '', r.description ?? '']))}`;
      const title = r.description
        ? `${r.source_name}: ${r.description}`
        : `${r.source_name}${r.external_id ? ` ${r.external_id}` : ''}`;
      return {
        id,
        row: cleanProps({
          id,
          tag: r.external_id ?? 'REF',
          title: title.slice(0, 500),
          url: r.url,
          reliability: 'F',
          reliabilityReason: 'External reference in an imported STIX object; not graded.',
          publishedAtPrecision: 'unknown',
          unverified: false,
          stixModified: '',
        }),
      };
    });
  }

  /** What an object cites: its external references (if no report in the import cites it). */
  private citations(o: Checked, file: number, refs?: ExternalRef[]): { id: string; row: Props }[] {
    if (this.citedByReport.has(o.id)) return [];
    const list = refs ?? (o.external_references as ExternalRef[] | undefined) ?? [];
    const cited = this.refSources(list.filter((r) => r.url || r.external_id));
    return cited.length ? cited : [this.bundleSource(file)];
  }

  /** ATT&CK-style alias citations: the reference named after the alias points to its citation. */
  private aliasRefs(o: Checked, alias: string): ExternalRef[] {
    const refs = (o.external_references as ExternalRef[] | undefined) ?? [];
    const own = refs.filter((r) => r.external_id && r.url).slice(0, 1);
    const named = refs.find((r) => r.source_name === alias);
    const m = named?.description ? /\(Citation: ([^)]+)\)/.exec(named.description) : null;
    const cited = m ? refs.filter((r) => r.source_name === m[1]) : [];
    return [...own, ...cited];
  }

  /**
   * The alias claims of an actor object: first ours (`x_attribution_alias_claims`: id, claimant,
   * date, text and cited sources kept), then one per remaining alias, stated by the object's
   * creator and citing its external references, ATT&CK-style. `cites` are derived sources,
   * `sources` the reports and notes of the import that the claim cites.
   */
  private aliasClaims(o: Checked, file: number): AliasClaimRows[] {
    const node = this.nodeOf(o);
    const modified = this.index.get(o.id)!.modified;
    const stix = { ...this.stixProps(o, modified), stixId: `${o.id}#alias` };
    const creator = this.creatorOf(o, file);
    const out = aliasClaimsOf(o).map((c): AliasClaimRows => {
      const by = c.claimant_ref ? this.index.get(c.claimant_ref) : undefined;
      if (c.claimant_ref && !by?.node)
        this.warn('dangling created_by_ref', `${o.id} alias claim ${c.id} -> ${c.claimant_ref}`);
      const claimant = by?.node ? { id: by.node, name: by.name ?? by.node } : creator;
      const sources = (c.source_refs ?? []).flatMap((r) => {
        const e = this.index.get(r);
        return e?.node && SOURCE_TYPES.has(e.type) ? [e.node] : [];
      });
      return {
        id: c.id,
        alias: c.alias,
        creator: claimant,
        cites: sources.length ? [] : this.citations(o, file, this.aliasRefs(o, c.alias)),
        sources,
        props: {
          id: c.id,
          stance: 'asserts-alias',
          alias: c.alias,
          textKind: c.text_kind ?? 'paraphrase',
          text: c.text ?? aliasClaimText(claimant.name, c.alias, o.name as string),
          credibility: typeof c.credibility === 'number' ? c.credibility : undefined,
          unverified: c.unverified === true,
          note: c.note,
          ...(c.stated_precision
            ? periodProps('statedAt', c.stated, c.stated_precision)
            : dateProps('statedAt', modified)),
          ...stix,
        },
      };
    });
    const ours = new Set(out.map((c) => c.alias));
    for (const alias of new Set((o.aliases as string[] | undefined) ?? [])) {
      if (ours.has(alias)) continue;
      out.push({
        id: `${node}#alias:${aliasNodeId(alias)}`,
        alias,
        creator,
        cites: this.citations(o, file, this.aliasRefs(o, alias)),
        sources: [],
        props: {
          id: `${node}#alias:${aliasNodeId(alias)}`,
          stance: 'asserts-alias',
          alias,
          textKind: 'paraphrase',
          text: aliasClaimText(creator.name, alias, o.name as string),
          unverified: false,
          ...dateProps('statedAt', modified),
          ...stix,
        },
      });
    }
    return out;
  }

  /** The hypothesis node an attributed-to relationship stands for, with its incident and suspect. */
  private hypothesisOf(
    relId: string,
  ): { id: string; incident: string; suspect: string; ours: boolean } | undefined {
    const r = this.index.get(relId);
    if (!r?.src || !r.tgt) return undefined;
    const s = this.index.get(r.src);
    const t = this.index.get(r.tgt);
    if (!s?.node || !t?.node || !INCIDENT_TYPES.has(s.type) || !ACTOR_TYPES.has(t.type))
      return undefined;
    if (r.hyp) return { id: r.hyp, incident: s.node, suspect: t.node, ours: true };
    return {
      id: `${this.prefix}hyp:${s.node}>${t.node}`,
      incident: s.node,
      suspect: t.node,
      ours: false,
    };
  }

  private stixProps(o: Checked, modified: string): Props {
    return {
      stixId: o.id,
      stixType: o.type,
      stixSpec: str(o.spec_version) ?? '2.0',
      stixModified: modified,
    };
  }

  // ----------------------------------------------------------------- passes 2 and 3

  private async *batchesOf(files: { path: string; name: string }[], phase: 'nodes' | 'links') {
    let batch: { o: Checked; file: number }[] = [];
    let done = 0;
    for (let i = 0; i < files.length; i++) {
      for await (const { object } of streamBundle(files[i].path)) {
        batch.push({ o: object as Checked, file: i });
        if (batch.length >= this.batchSize) {
          yield batch;
          done += batch.length;
          this.onProgress?.({ phase, done, total: this.read });
          batch = [];
        }
      }
    }
    if (batch.length) {
      yield batch;
      done += batch.length;
      this.onProgress?.({ phase, done, total: this.read });
    }
  }

  /** Is this object the version the index kept (the newest of its duplicates)? */
  private current(o: Checked): boolean {
    const e = this.index.get(o.id);
    return (
      !!e && e.modified === normTime(str(o.modified) ?? str(o.created) ?? '1970-01-01T00:00:00Z')
    );
  }

  async writeNodes(files: { path: string; name: string }[]): Promise<void> {
    const seen = new Set<string>();
    for await (const batch of this.batchesOf(files, 'nodes')) {
      // Derived rows (alias claims, cited sources, producers) remember the objects they come
      // from: when every one of them is a native node, nothing is derived (native is untouched).
      const rows = new Map<
        string,
        { label: Label; props: Props; primary?: string; owners: Set<string> }
      >();
      let owner = '';
      const add = (label: Label, props: Props, primary?: string) => {
        const id = props.id as string;
        const prev = rows.get(id);
        if (!prev || (primary && !prev.primary))
          rows.set(id, {
            label,
            props: cleanProps(props),
            primary,
            owners: new Set([...(prev?.owners ?? []), owner]),
          });
        else prev.owners.add(owner);
      };
      const outcomes: { key: string; node: string }[] = [];
      for (const { o, file } of batch) {
        const key = this.key(o);
        if (seen.has(o.id) || !this.current(o)) {
          this.counts(key).unchanged += 1; // an older or repeated copy of an object in this import
          continue;
        }
        seen.add(o.id);
        owner = this.nodeOf(o);
        const mapped = this.nodeRows(o, file, add);
        if (!mapped) {
          this.counts(key).skipped += 1;
          continue;
        }
        outcomes.push({ key, node: mapped });
      }
      if (!rows.size) {
        outcomes.forEach((x) => (this.counts(x.key).unchanged += 1));
        continue;
      }
      await this.db.write(async (tx) => {
        const existing = new Map(
          (await tx.run(IMPORT_EXISTING, { ids: [...rows.keys()] })).records.map((r) => [
            r.id,
            r.stixModified,
          ]),
        );
        const outcome = new Map<string, 'created' | 'updated' | 'unchanged'>();
        const byLabel = new Map<Label, Props[]>();
        for (const id of rows.keys())
          if (existing.has(id) && existing.get(id) === null) this.native.add(id);
        for (const [id, row] of rows) {
          if (!row.primary && [...row.owners].every((o) => this.native.has(o))) continue;
          let result: 'created' | 'updated' | 'unchanged';
          if (!existing.has(id)) result = 'created';
          else if (existing.get(id) === null) {
            this.native.add(id);
            result = 'unchanged';
          } else
            result =
              (existing.get(id) as string) < (row.props.stixModified as string)
                ? 'updated'
                : 'unchanged';
          outcome.set(id, result);
          if (result === 'unchanged') continue;
          if (!row.primary) this.derived[result] += 1;
          byLabel.set(row.label, [...(byLabel.get(row.label) ?? []), row.props]);
        }
        for (const label of LABELS) {
          const list = byLabel.get(label);
          if (list?.length)
            this.dbUpdates += (await tx.run(IMPORT_UPSERT_NODES[label], { rows: list })).updates;
        }
        await bumpRevisions(
          tx,
          [...byLabel.values()].flatMap((list) => list.map((p) => String(p.id))),
        );
        for (const x of outcomes) this.counts(x.key)[outcome.get(x.node) ?? 'unchanged'] += 1;
      });
      this.batches += 1;
    }
  }

  /**
   * Node rows for one object (through `add`); returns its primary node id, or undefined when the
   * object is skipped (type not mapped, revoked, or not about anything we can map).
   */
  private nodeRows(
    o: Checked,
    file: number,
    add: (label: Label, props: Props, primary?: string) => void,
  ): string | undefined {
    const e = this.index.get(o.id)!;
    if (o.revoked === true) {
      this.warn('revoked object skipped', o.id);
      return undefined;
    }
    const modified = e.modified;
    const stix = this.stixProps(o, modified);
    const node = this.nodeOf(o);
    const common = {
      id: node,
      unverified: o.x_attribution_unverified === true,
      note: str(o.x_attribution_note),
      ...stix,
    };
    const need = (x: { fallback?: Props } | { row: Props }) => {
      if ('fallback' in x && x.fallback) add('Actor', x.fallback);
      if ('row' in x) add('Source', x.row);
    };

    if (ACTOR_TYPES.has(o.type)) {
      const xk = str(o.x_attribution_kind);
      const kind =
        xk && ACTOR_KINDS.has(xk)
          ? xk
          : o.type === 'identity'
            ? (IDENTITY_KIND[str(o.identity_class) ?? 'unknown'] ?? 'persona')
            : 'group';
      add(
        'Actor',
        {
          ...common,
          name: o.name,
          kind,
          description: str(o.description),
          country: str(o.x_attribution_country),
        },
        o.id,
      );
      for (const c of this.aliasClaims(o, file)) {
        need(c.creator);
        c.cites.forEach(need);
        add('Claim', c.props);
      }
      return node;
    }
    if (INCIDENT_TYPES.has(o.type)) {
      const started = str(o.first_seen) ?? str(o.created);
      add(
        'Incident',
        {
          ...common,
          name: o.name,
          summary: str(o.description) ?? (o.name as string),
          kind: str(o.x_attribution_kind) ?? o.type,
          ...ourDate(o, 'startedAt', 'started', started),
        },
        o.id,
      );
      return node;
    }
    if (SOURCE_TYPES.has(o.type)) {
      const refs = (o.external_references as ExternalRef[] | undefined) ?? [];
      const reliability = /^([A-F])\b/.exec(str(o.x_opencti_reliability) ?? '')?.[1] ?? 'F';
      const creator = this.creatorOf(o, file);
      need(creator);
      add(
        'Source',
        {
          ...common,
          tag: str(o.x_attribution_tag) ?? (o.type === 'report' ? 'STIX-REPORT' : 'STIX-NOTE'),
          title: (str(o.name) ?? str(o.abstract) ?? (o.content as string)).slice(0, 500),
          url: refs.find((r) => r.url)?.url,
          reliability,
          reliabilityReason:
            str(o.x_attribution_reliability_reason) ??
            (str(o.x_opencti_reliability)
              ? `Graded by the STIX producer: ${o.x_opencti_reliability as string}.`
              : 'Imported from STIX; the producer gives no reliability grade.'),
          ...(str(o.x_attribution_published_precision)
            ? periodProps(
                'publishedAt',
                str(o.published)?.slice(0, 10),
                o.x_attribution_published_precision as string,
              )
            : dateProps('publishedAt', str(o.published))),
        },
        o.id,
      );
      return node;
    }
    if (o.type === 'opinion') {
      const stance = OPINION_TO_STANCE[o.opinion as string];
      const hyps = ((o.object_refs as string[]) ?? [])
        .map((r) => this.hypothesisOf(r))
        .filter((h) => h);
      if (!stance || hyps.length === 0) {
        this.warn(
          stance ? 'opinion about no attributed-to relationship' : 'neutral opinion',
          `${o.id}: not mapped to a claim`,
        );
        return undefined;
      }
      const creator = this.creatorOf(o, file);
      need(creator);
      this.citations(o, file).forEach(need);
      add('Claim', this.claimProps(o, common, stance, creator.name, modified), o.id);
      return node;
    }
    if (o.type === 'relationship' && o.relationship_type === 'attributed-to') {
      const s = this.index.get(o.source_ref as string);
      const t = this.index.get(o.target_ref as string);
      if (!s?.node || !t?.node) {
        this.warn(
          'dangling or unmapped reference',
          `${o.id}: ${o.source_ref as string} -> ${o.target_ref as string}`,
        );
        return undefined;
      }
      const h = this.hypothesisOf(o.id);
      const ours = str(o.x_attribution_hypothesis);
      if (ours) {
        if (!h) return undefined;
        const statement = (str(o.description) ?? '').replace(/^Hypothesis [^:]*: /, '');
        add(
          'Hypothesis',
          {
            id: ours,
            tag: str(o.x_attribution_hypothesis_tag) ?? 'STIX',
            statement: statement || `${t.name ?? t.node} carried out ${s.name ?? s.node}.`,
            unverified: o.x_attribution_unverified === true,
            note: str(o.x_attribution_note),
            ...stix,
          },
          o.id,
        );
        return ours;
      }
      const creator = this.creatorOf(o, file);
      if (h) {
        need(creator);
        this.citations(o, file).forEach(need);
        add('Hypothesis', {
          id: h.id,
          tag: 'STIX',
          statement: `${t.name ?? t.node} carried out ${s.name ?? s.node}.`,
          unverified: false,
          ...stix,
          stixId: `${o.source_ref as string}>${o.target_ref as string}`,
        });
        add(
          'Claim',
          this.claimProps(
            o,
            common,
            'supports',
            creator.name,
            modified,
            `${creator.name} attributes ${s.name ?? s.node} to ${t.name ?? t.node}.`,
          ),
          o.id,
        );
        return node;
      }
      if (ACTOR_TYPES.has(s.type) && ACTOR_TYPES.has(t.type)) {
        need(creator);
        this.citations(o, file).forEach(need);
        add(
          'Claim',
          {
            ...this.claimProps(
              o,
              common,
              'asserts-affiliation',
              creator.name,
              modified,
              `${creator.name} attributes ${s.name ?? s.node} to ${t.name ?? t.node}.`,
            ),
            role: 'attributed-to',
          },
          o.id,
        );
        return node;
      }
      this.warn('attributed-to between types not mapped', `${o.id}: ${s.type} -> ${t.type}`);
      return undefined;
    }
    this.warn(`type not imported: ${this.key(o)}`, o.id);
    return undefined;
  }

  private claimProps(
    o: Checked,
    common: Props,
    stance: string,
    creator: string,
    modified: string,
    fallbackText?: string,
  ): Props {
    const text =
      str(o.explanation) ??
      str(o.description) ??
      fallbackText ??
      `${creator}: ${o.opinion as string}.`;
    const xcred = o.x_attribution_credibility;
    const retracted = str(o.x_attribution_retracted);
    return {
      ...common,
      stance,
      text,
      textKind: str(o.x_attribution_text_kind) ?? 'paraphrase',
      credibility:
        typeof xcred === 'number'
          ? xcred
          : typeof o.confidence === 'number'
            ? confidenceToCredibility(o.confidence)
            : undefined,
      ...ourDate(o, 'statedAt', 'stated', str(o.created)),
      retractedAt: retracted ? toDate(retracted.slice(0, 10)) : undefined,
      retractionReason: str(o.x_attribution_retraction_reason),
      stixModified: modified,
    };
  }

  async writeLinks(files: { path: string; name: string }[]): Promise<void> {
    this.quiet = true;
    const seen = new Set<string>();
    for await (const batch of this.batchesOf(files, 'links')) {
      const rels = new Map<PlainRelType, Map<string, Props>>();
      const knownAs: ClaimLinkRow[] = [];
      const partOf: ClaimLinkRow[] = [];
      const aliasWanted: { subject: string; name: string; claim: string }[] = [];
      const link = (type: PlainRelType, from: string, to: string) => {
        if (!rels.has(type)) rels.set(type, new Map());
        rels.get(type)!.set(`${from}|${to}`, { from, to });
      };
      const publish = (source: string, publisher: string) => {
        if (this.published.has(source) || this.native.has(source)) return;
        this.published.add(source);
        link('PUBLISHED_BY', source, publisher);
      };
      const cite = (claim: string, sources: { id: string }[], publisher: string) =>
        sources.forEach((s) => {
          link('CITES', claim, s.id);
          publish(s.id, publisher);
        });

      for (const { o, file } of batch) {
        if (seen.has(o.id) || !this.current(o) || o.revoked === true) continue;
        seen.add(o.id);
        const node = this.nodeOf(o);
        if (ACTOR_TYPES.has(o.type)) {
          if (this.native.has(node)) continue;
          for (const c of this.aliasClaims(o, file)) {
            if (this.native.has(c.id)) continue;
            link('BY', c.id, c.creator.id);
            link('SUBJECT', c.id, node);
            cite(c.id, c.cites, c.creator.id);
            for (const src of c.sources) link('CITES', c.id, src);
            aliasWanted.push({ subject: node, name: c.alias, claim: c.id });
          }
        } else if (SOURCE_TYPES.has(o.type)) {
          if (this.native.has(node)) continue;
          publish(node, this.creatorOf(o, file).id);
          for (const r of (o.object_refs as string[] | undefined) ?? []) {
            const e = this.index.get(r);
            const citer = e?.type === 'relationship' ? this.prefix + r : e?.node;
            if (
              citer &&
              !this.native.has(citer) &&
              (e?.type === 'opinion' ||
                e?.type === 'relationship' ||
                (e && INCIDENT_TYPES.has(e.type)))
            )
              link('CITES', citer, node);
          }
        } else if (o.type === 'opinion') {
          if (this.native.has(node)) continue;
          const stance = OPINION_TO_STANCE[o.opinion as string];
          const hyps = ((o.object_refs as string[]) ?? [])
            .map((r) => this.hypothesisOf(r))
            .filter((h) => h);
          if (!stance || !hyps.length) continue;
          const creator = this.creatorOf(o, file);
          link('BY', node, creator.id);
          for (const h of hyps) link(stance === 'supports' ? 'SUPPORTS' : 'DISPUTES', node, h!.id);
          cite(node, this.citations(o, file), creator.id);
        } else if (o.type === 'relationship' && o.relationship_type === 'attributed-to') {
          const s = this.index.get(o.source_ref as string);
          const t = this.index.get(o.target_ref as string);
          if (!s?.node || !t?.node) continue;
          const h = this.hypothesisOf(o.id);
          if (h && !this.native.has(h.id)) {
            link('ABOUT', h.id, h.incident);
            link('SUSPECTS', h.id, h.suspect);
          }
          if (str(o.x_attribution_hypothesis) || this.native.has(node)) continue;
          const creator = this.creatorOf(o, file);
          if (h) {
            link('BY', node, creator.id);
            link('SUPPORTS', node, h.id);
            cite(node, this.citations(o, file), creator.id);
          } else if (ACTOR_TYPES.has(s.type) && ACTOR_TYPES.has(t.type)) {
            link('BY', node, creator.id);
            link('SUBJECT', node, s.node);
            link('OBJECT', node, t.node);
            cite(node, this.citations(o, file), creator.id);
            partOf.push({
              from: s.node,
              to: t.node,
              claims: [node],
              props: { role: 'attributed-to' },
            });
          }
        }
      }

      await this.db.write(async (tx) => {
        await this.resolveAliases(tx, aliasWanted, link, knownAs);
        for (const type of PLAIN_REL_TYPES) {
          const list = rels.get(type);
          if (list?.size)
            this.dbUpdates += (
              await tx.run(IMPORT_MERGE_RELS[type], { rows: [...list.values()] })
            ).updates;
        }
        if (knownAs.length)
          this.dbUpdates += (await tx.run(MERGE_CLAIM_LINK.KNOWN_AS, { rows: knownAs })).updates;
        if (partOf.length)
          this.dbUpdates += (await tx.run(MERGE_CLAIM_LINK.PART_OF, { rows: partOf })).updates;
        await bumpRevisions(
          tx,
          [...rels]
            .filter(([type]) => !UNGUARDED_LINKS.has(type))
            .flatMap(([, list]) => [...list.values()].map((r) => String(r.from))),
        );
      });
      this.batches += 1;
    }
  }

  /**
   * Where an alias name points: an actor of exactly that name (a native one first, never the
   * subject itself), as the seed's `refersTo` does; otherwise the shared Alias node of the name.
   */
  private async resolveAliases(
    tx: WriteTx,
    wanted: { subject: string; name: string; claim: string }[],
    link: (type: PlainRelType, from: string, to: string) => void,
    knownAs: ClaimLinkRow[],
  ): Promise<void> {
    if (!wanted.length) return;
    const names = [...new Set(wanted.map((w) => w.name))];
    const actors = new Map<string, string[]>();
    for (const r of (await tx.run(IMPORT_ACTORS_BY_NAME, { names })).records)
      actors.set(r.name, [...(actors.get(r.name) ?? []), r.id]);
    const aliasNodes = new Map<string, Props>();
    for (const w of wanted) {
      let target = (actors.get(w.name) ?? []).find((id) => id !== w.subject);
      if (!target) {
        target = `${this.prefix}${aliasNodeId(w.name)}`;
        aliasNodes.set(target, { id: target, name: w.name, stixModified: '' });
      }
      link('OBJECT', w.claim, target);
      knownAs.push({ from: w.subject, to: target, claims: [w.claim], props: { name: w.name } });
    }
    if (aliasNodes.size) {
      const ids = [...aliasNodes.keys()];
      const existing = new Set((await tx.run(IMPORT_EXISTING, { ids })).records.map((r) => r.id));
      const rows = ids.filter((id) => !existing.has(id)).map((id) => aliasNodes.get(id)!);
      if (rows.length) {
        this.derived.created += rows.length;
        this.dbUpdates += (await tx.run(IMPORT_UPSERT_NODES.Alias, { rows })).updates;
      }
    }
  }

  report(files: string[], ms: number): ImportReport {
    const sum = (k: keyof TypeCounts) => Object.values(this.byType).reduce((n, c) => n + c[k], 0);
    const sorted = Object.fromEntries(
      Object.entries(this.byType).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    return {
      files,
      read: this.read,
      created: sum('created'),
      updated: sum('updated'),
      unchanged: sum('unchanged'),
      skipped: sum('skipped'),
      byType: sorted,
      derived: this.derived,
      dbUpdates: this.dbUpdates,
      warnings: this.warnings,
      batches: this.batches,
      ms,
    };
  }
}
