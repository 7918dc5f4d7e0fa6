import neo4j, { DateTime } from 'neo4j-driver';
import type { Principal } from '../auth';
import { cleanProps, WriteTx } from '../db';
import { AppError, ErrorCode } from '../errors';
import { toEntity, type Entity } from '../graph/entities';
import { todayIso } from '../graph/dates';
import { nativeStixProps, relStixProps } from '../model';
import { invalid } from './inputs';
import {
  CHECK_REFS,
  CREATE_LINKS,
  CREATE_NODE,
  INCIDENT_OF,
  INCIDENT_TAGS,
  LinkType,
  NodeLabel,
} from './queries';

type Props = Record<string, unknown>;

/** A reference from an input field to an entity that must exist with a given label. */
export interface Ref {
  field: string;
  id: string;
  /** The label it must have, or the labels it may have (any one of them). */
  label: string | readonly string[];
}

/** The current instant as a Neo4j datetime (UTC). */
export function nowDateTime(): DateTime<number> {
  return neo4j.types.DateTime.fromStandardDate(new Date()) as DateTime<number>;
}

/**
 * One mutation's write transaction: checks references, creates nodes and relationships with
 * provenance (who and when), and remembers the ids it touched for the audit entry.
 */
export class Write {
  readonly touched: string[] = [];
  /** Added to the audit entry beside the input (e.g. the text a correction replaced). */
  readonly auditExtra: Record<string, unknown> = {};
  readonly now = nowDateTime();
  readonly today = todayIso();

  constructor(
    readonly tx: WriteTx,
    readonly principal: Principal,
  ) {}

  /** Who, for `createdBy` and friends: the key id (or `cli`). */
  get by(): string {
    return this.principal.id ?? this.principal.name;
  }

  /** Provenance of a node: who created it and when. */
  get prov(): Props {
    return { createdBy: this.by, createdByName: this.principal.name, createdAt: this.now };
  }

  /** Provenance of a relationship. */
  get relProv(): Props {
    return { createdBy: this.by, createdAt: this.now };
  }

  touch(...ids: string[]): void {
    for (const id of ids) if (!this.touched.includes(id)) this.touched.push(id);
  }

  /**
   * Checks, in one statement, that every reference names an entity with the expected label
   * (NOT_FOUND naming the field otherwise) and that no new id is taken (CONFLICT). Returns the
   * names of the entities found, by id.
   */
  async check(
    refs: Ref[],
    newIds: { field: string; id: string }[] = [],
  ): Promise<Map<string, string>> {
    const all = [
      ...refs.map((r) => ({ field: r.field, id: r.id })),
      ...newIds.map((n) => ({ field: n.field, id: n.id })),
    ];
    if (!all.length) return new Map();
    const { records } = await this.tx.run(CHECK_REFS, { refs: all });
    const names = new Map<string, string>();
    records.forEach((row, i) => {
      if (i >= refs.length) {
        if (row.labels) throw conflict(row.field, row.id);
        return;
      }
      const wants = typeof refs[i].label === 'string' ? [refs[i].label] : refs[i].label;
      if (!row.labels || !wants.some((l) => row.labels!.includes(l))) {
        const what = row.labels?.find((l) => l !== 'Entity' && l !== 'Artifact');
        const want = wants.map((l) => `${article(l)} ${l}`).join(' or ');
        throw new AppError(
          ErrorCode.NOT_FOUND,
          what
            ? `${row.field}: "${row.id}" is ${article(what)} ${what}, not ${want}`
            : `${row.field}: no ${wants.join(' or ').toLowerCase()} has id "${row.id}"`,
          { argument: row.field },
        );
      }
      if (row.name !== null) names.set(row.id, row.name);
    });
    return names;
  }

  /** Creates one node (with the shared :Entity label and provenance) and returns it. */
  async create(label: NodeLabel, props: Props): Promise<Entity> {
    const id = String(props.id);
    const { records } = await this.tx.run(CREATE_NODE[label], {
      props: cleanProps({ ...props, ...nativeStixProps(label, id), ...this.prov }),
    });
    this.touch(id);
    return toEntity(records[0].node.labels, records[0].node.props);
  }

  /** Creates relationships `type` from `from` to each of `to` (with provenance). */
  async link(type: LinkType, from: string, to: (string | null | undefined)[], props: Props = {}) {
    const rows = to
      .filter((t): t is string => !!t)
      .map((t) => ({
        from,
        to: t,
        props: cleanProps({ ...props, ...relStixProps(type, from, t), ...this.relProv }),
      }));
    if (rows.length) await this.tx.run(CREATE_LINKS[type], { rows });
  }
}

function article(label: string): string {
  return /^[AEIOU]/.test(label) ? 'an' : 'a';
}

/** CONFLICT naming the field whose id is already taken. */
export function conflict(field: string, id: string): AppError {
  return new AppError(ErrorCode.CONFLICT, `${field}: an entity with id "${id}" already exists`, {
    argument: field,
  });
}

/** References from a list field: `input.sources[0]`, `input.sources[1]`... */
export const refs = (field: string, ids: string[] | null | undefined, label: Ref['label']): Ref[] =>
  (ids ?? []).map((id, i) => ({ field: `${field}[${i}]`, id, label }));
/** A reference from a single field, when given. */
export const ref = (field: string, id: string | null | undefined, label: Ref['label']): Ref[] =>
  id ? [{ field, id, label }] : [];

/** The next free tag number for an incident's hypotheses (H) or evidence (E). */
export async function nextTag(w: Write, incident: string, label: 'Hypothesis' | 'Evidence') {
  const { records } = await w.tx.run(INCIDENT_TAGS, { incident, label });
  const letter = label === 'Hypothesis' ? 'H' : 'E';
  const re = new RegExp(`^(?:([A-Z]+)-)?${letter}(\\d+)`);
  let max = 0;
  let prefix = '';
  for (const t of records[0]?.tags ?? []) {
    const m = re.exec(t);
    if (!m) continue;
    if (Number(m[2]) > max) max = Number(m[2]);
    prefix = m[1] ? `${m[1]}-` : prefix;
  }
  return `${prefix}${letter}${max + 1}`;
}

/**
 * Fails unless every item (hypotheses, evidence) is about the same incident as `anchor`, in one
 * statement for all of them.
 */
export async function sameIncident(w: Write, anchor: string, items: Ref[]): Promise<void> {
  if (!items.length) return;
  const { records } = await w.tx.run(INCIDENT_OF, { ids: [anchor, ...items.map((i) => i.id)] });
  const of = new Map(records.map((r) => [r.id, r.incident]));
  const incident = of.get(anchor) ?? null;
  for (const item of items) {
    const theirs = of.get(item.id) ?? null;
    if (theirs !== incident)
      throw invalid(
        item.field,
        `"${item.id}" is about incident "${theirs}", not "${incident}" like the rest of the input`,
      );
  }
}
