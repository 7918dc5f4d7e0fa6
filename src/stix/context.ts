import { createHash } from 'node:crypto';
import {
  ARTIFACT_LABELS,
  type Label,
  type PlainRelType,
  aliasNodeId,
  dateProps as partialDateProps,
  partialDateOf,
} from '../model';
import type { Checked } from './reader';
import { X_ID, normTime } from './model';

/**
 * What every STIX family shares while an import runs: the index of ids (built once, in the read
 * pass), the trust setting, the report counters and the derivations several families use
 * (claimant, cited sources, producer). The families (src/stix/families/) map objects to rows;
 * the passes (src/stix/passes.ts) read and write them.
 */

export type Props = Record<string, unknown>;

/** What the read pass remembers of each object (small: no descriptions, no arrays). */
export interface Entry {
  type: string;
  /** The family that maps it (see families/index.ts). */
  family: string;
  /** Our node id for it, when its family maps it to a node another object can point at. */
  node?: string;
  name?: string;
  modified: string;
  /** For attributed-to: source and target STIX ids, and our hypothesis id if we exported it. */
  src?: string;
  tgt?: string;
  hyp?: string;
  revoked?: boolean;
  file: number;
}

export interface TypeCounts {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

export interface ExternalRef {
  source_name: string;
  description?: string;
  url?: string;
  external_id?: string;
}

/** A node row a family wants written: its label, properties and the object it stands for. */
export type AddNode = (label: NodeLabel, props: Props, primary?: string) => void;
/** A relationship a family wants written. */
export type AddLink = (type: LinkType, from: string, to: string, props?: Props) => void;

/** Node labels the importer writes (from the registry, never taken from input). */
export const NODE_LABELS = [
  'Incident',
  'Actor',
  'Alias',
  'Hypothesis',
  'Claim',
  'Source',
  'Evidence',
  'Rating',
  'Event',
  'StixObject',
  'Location',
  ...ARTIFACT_LABELS,
] as const satisfies readonly Label[];
export type NodeLabel = (typeof NODE_LABELS)[number];

/** Plain relationship types the importer writes (from the registry). */
export const LINK_TYPES = [
  'ABOUT',
  'SUSPECTS',
  'BY',
  'SUPPORTS',
  'DISPUTES',
  'CITES',
  'SUBJECT',
  'OBJECT',
  'PUBLISHED_BY',
  'RELAYS',
  'CARRIES',
  'SPONSORED_BY',
  'BASED_ON',
  'OBSERVED_IN',
  'RATES',
  'AGAINST',
  'IN',
  'INVOLVES',
  'STIX_REF',
] as const satisfies readonly PlainRelType[];
export type LinkType = (typeof LINK_TYPES)[number];

const MAX_SAMPLES = 50;

export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;
const dayOf = (ts: string) => ts.slice(0, 10);
const hash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 20);

/** Date properties of a STIX timestamp: its day, at day precision (unknown when absent). */
export const dateProps = (prefix: string, ts: string | undefined): Props =>
  partialDateProps(prefix, ts && dayOf(ts));

/**
 * Date properties from our own export (`x_attribution_*` day and precision), as the seed writes
 * them: the start of the period, its precision, and `knownFrom` = the end of the period.
 */
export const periodProps = (prefix: string, day: string | undefined, precision: string): Props =>
  partialDateProps(prefix, day && partialDateOf(day, precision));

/** Our date when the object carries it (`x_attribution_<name>` and its precision), else `fallback`. */
export const ourDate = (
  o: Checked,
  prefix: string,
  name: string,
  fallback: string | undefined,
): Props => {
  const precision = str(o[`x_attribution_${name}_precision`]);
  return precision
    ? periodProps(prefix, str(o[`x_attribution_${name}`]), precision)
    : dateProps(prefix, fallback);
};

/** The modified time of an object as the index compares versions (created when no modified). */
export const versionOf = (o: Checked): string =>
  normTime(str(o.modified) ?? str(o.created) ?? '1970-01-01T00:00:00Z');

export class ImportContext {
  readonly index = new Map<string, Entry>();
  readonly citedByReport = new Set<string>();
  readonly bundles: string[] = [];
  readonly byType: Record<string, TypeCounts> = {};
  readonly derived = { created: 0, updated: 0 };
  readonly warnings = { total: 0, byKind: {} as Record<string, number>, samples: [] as string[] };
  /** Sources given a publisher in this run. */
  readonly published = new Set<string>();
  /** Objects whose warnings were given (the links pass meets them again: warn once). */
  quiet = false;
  /** STIX ids named by this import but held by earlier imports: their node ids. */
  readonly external = new Map<string, string>();
  /** Objects whose node is native (trusted bundle naming our nodes): their links exist already. */
  readonly nativeObjects = new Set<string>();
  /** Node ids this import created (their new relationships are CREATEd, not MERGEd). */
  readonly createdHere = new Set<string>();
  /**
   * What the nodes pass knows of node ids: the `stixModified` of a node an import created (this
   * one, or an earlier one), null for a native node. Read once per id.
   */
  readonly existing = new Map<string, string | null>();
  /** Incidents this import created: their revisions are bumped once more when it is done. */
  readonly createdIncidents = new Set<string>();
  /**
   * Observed data tied to an incident or campaign by a relationship (either way): the STIX id of
   * that incident (the first one read), per observed-data id. Filled by the read pass.
   */
  readonly observedIn = new Map<string, string>();
  /** Artifacts given USES links: their specificity counts are refreshed when the import is done. */
  readonly usedArtifacts = new Set<string>();

  constructor(
    readonly prefix: string,
    /** Honour our own ids (x_attribution_id, x_attribution_hypothesis) and link native nodes. */
    readonly trust: boolean,
  ) {}

  counts(type: string): TypeCounts {
    return (this.byType[type] ??= { read: 0, created: 0, updated: 0, unchanged: 0, skipped: 0 });
  }

  warn(kind: string, detail: string): void {
    if (this.quiet) return;
    this.warnings.total += 1;
    this.warnings.byKind[kind] = (this.warnings.byKind[kind] ?? 0) + 1;
    // A few samples per kind, so one noisy kind does not hide the others.
    if (this.warnings.samples.length < MAX_SAMPLES && this.warnings.byKind[kind] <= 3)
      this.warnings.samples.push(`${kind}: ${detail}`);
  }

  /** The report key of an object: its type, or `relationship/<type>`. */
  key(o: Checked): string {
    return o.type === 'relationship' ? `relationship/${o.relationship_type as string}` : o.type;
  }

  /**
   * Our node id for a STIX object: our own id when we exported it AND the operator trusts the
   * bundle (--trust), else the (prefixed) STIX id: an untrusted bundle never names our nodes.
   */
  nodeOf(o: Checked): string {
    const ours = this.trust ? str(o[X_ID]) : undefined;
    return ours ?? this.prefix + o.id;
  }

  /**
   * The node a reference of our properties names, when it is of `family` (in this import), or a
   * node of an earlier import (its family not known here; the links refuse native ends untrusted).
   */
  refNode(ref: unknown, family: string): string | undefined {
    if (typeof ref !== 'string') return undefined;
    const e = this.index.get(ref);
    if (e) return e.node && !e.revoked && e.family === family ? e.node : undefined;
    return this.external.get(ref);
  }

  /** Our node id for a STIX id named by a reference (in this import or an earlier one). */
  nodeOfRef(ref: string): string | undefined {
    const e = this.index.get(ref);
    return e ? e.node : this.external.get(ref);
  }

  /** Is this object the version the index kept (the newest of its duplicates)? */
  current(o: Checked): boolean {
    const e = this.index.get(o.id);
    return !!e && e.modified === versionOf(o);
  }

  stixProps(o: Checked, modified: string): Props {
    return {
      stixId: o.id,
      stixType: o.type,
      stixSpec: str(o.spec_version) ?? '2.0',
      stixModified: modified,
    };
  }

  /** Producer of bundle file `i`, standing in when an object names no creator. */
  producer(file: number): { id: string; row: Props } {
    const bundle = this.bundles[file];
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
  bundleSource(file: number): { id: string; row: Props } {
    const bundle = this.bundles[file];
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
  creatorOf(o: Checked, file: number): { id: string; name: string; fallback?: Props } {
    const ref = str(o.created_by_ref);
    const e = ref ? this.index.get(ref) : undefined;
    if (e?.node && !e.revoked) return { id: e.node, name: e.name ?? e.node };
    if (ref && !e) this.warn('dangling created_by_ref', `${o.id} -> ${ref}`);
    const p = this.producer(file);
    return { id: p.id, name: p.row.name as string, fallback: p.row };
  }

  /** Source rows for external references (deterministic ids), with a URL or an external id. */
  refSources(refs: ExternalRef[]): { id: string; row: Props }[] {
    return refs.map((r) => {
      const id = `${this.prefix}ref-${hash(JSON.stringify([r.source_name, r.external_id ?? '', r.url ?? '', r.description ?? '']))}`;
      const title = r.description
        ? `${r.source_name}: ${r.description}`
        : `${r.source_name}${r.external_id ? ` ${r.external_id}` : ''}`;
      return {
        id,
        row: {
          id,
          tag: r.external_id ?? 'REF',
          title: title.slice(0, 500),
          url: safeUrl(r.url),
          reliability: 'F',
          reliabilityReason: 'External reference in an imported STIX object; not graded.',
          publishedAtPrecision: 'unknown',
          unverified: false,
          stixModified: '',
        },
      };
    });
  }

  /** What an object cites: its external references (if no report in the import cites it). */
  citations(o: Checked, file: number, refs?: ExternalRef[]): { id: string; row: Props }[] {
    if (this.citedByReport.has(o.id)) return [];
    const list = refs ?? (o.external_references as ExternalRef[] | undefined) ?? [];
    const cited = this.refSources(list.filter((r) => r.url || r.external_id));
    return cited.length ? cited : [this.bundleSource(file)];
  }

  /** The hypothesis node an attributed-to relationship stands for, with its incident and suspect. */
  hypothesisOf(relId: string): { id: string; incident: string; suspect: string } | undefined {
    const r = this.index.get(relId);
    if (!r?.src || !r.tgt || r.revoked) return undefined;
    const s = this.index.get(r.src);
    const t = this.index.get(r.tgt);
    if (!s?.node || !t?.node || s.family !== 'incident' || t.family !== 'actor') return undefined;
    if (r.hyp) return { id: r.hyp, incident: s.node, suspect: t.node };
    return { id: `${this.prefix}hyp:${s.node}>${t.node}`, incident: s.node, suspect: t.node };
  }

  /**
   * The Alias node of a name: the shared one (as the seed and the API name it) for a trusted
   * bundle, else one of imports' own (`stix-name-...`), never a native node.
   */
  aliasNode(name: string): string {
    return `${this.prefix}${this.trust ? '' : 'stix-'}${aliasNodeId(name)}`;
  }
}

/** A URL kept only when its scheme is http(s) (an imported `javascript:` link is dropped). */
export function safeUrl(u: string | undefined): string | undefined {
  return u && /^https?:\/\//i.test(u) ? u : undefined;
}
