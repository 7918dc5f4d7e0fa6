import { randomUUID } from 'node:crypto';
import neo4j, { DateTime } from 'neo4j-driver';
import { Principal, requireRole, Role } from '../auth';
import { cleanProps, Db, WriteTx } from '../db';
import { AppError, ErrorCode } from '../errors';
import { toEntity, type Entity } from '../graph/entities';
import { todayIso } from '../graph/dates';
import {
  APPEND_AUDIT,
  CHECK_REFS,
  CREATE_LINKS,
  CREATE_NODE,
  LinkType,
  NodeLabel,
} from './queries';
import { bumpRevisions } from '../revisions';
import { redact } from './util';

type Props = Record<string, unknown>;

/** A reference from an input field to an entity that must exist with a given label. */
export interface Ref {
  field: string;
  id: string;
  label: string;
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
      const want = refs[i].label;
      if (!row.labels || !row.labels.includes(want)) {
        const what = row.labels?.find((l) => l !== 'Entity');
        throw new AppError(
          ErrorCode.NOT_FOUND,
          what
            ? `${row.field}: "${row.id}" is ${article(what)} ${what}, not ${article(want)} ${want}`
            : `${row.field}: no ${want.toLowerCase()} has id "${row.id}"`,
          { argument: row.field },
        );
      }
      if (row.name !== null) names.set(row.id, row.name);
    });
    return names;
  }

  /** Creates one node (with the shared :Entity label and provenance) and returns it. */
  async create(label: NodeLabel, props: Props): Promise<Entity> {
    const { records } = await this.tx.run(CREATE_NODE[label], {
      props: cleanProps({ ...props, ...this.prov }),
    });
    const id = String(props.id);
    this.touch(id);
    return toEntity(records[0].node.labels, records[0].node.props);
  }

  /** Creates relationships `type` from `from` to each of `to` (with provenance). */
  async link(type: LinkType, from: string, to: (string | null | undefined)[], props: Props = {}) {
    const rows = to
      .filter((t): t is string => !!t)
      .map((t) => ({ from, to: t, props: cleanProps({ ...props, ...this.relProv }) }));
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

/**
 * Runs one mutation: checks the principal's role, then runs `work` and appends the audit entry
 * in ONE write transaction (all or nothing). A uniqueness violation raised by the database (two
 * clients creating the same id at once) becomes CONFLICT naming `newIdField`.
 */
export async function mutate<T>(
  db: Db,
  principal: Principal,
  operation: string,
  role: Role,
  args: unknown,
  work: (w: Write) => Promise<T>,
  newId?: { field: string; id: string },
): Promise<T> {
  requireRole(principal, role, operation);
  try {
    return await db.write(async (tx) => {
      const w = new Write(tx, principal);
      const result = await work(w);
      await appendAudit(w, operation, args);
      // Every incident whose answers read what this mutation touched gets a new revision, in this
      // transaction (src/revisions): caches keyed on it cannot serve the old answer after commit.
      // Last, so the revision node's lock (writes to one incident queue on it) is held briefly.
      await bumpRevisions(w.tx, w.touched);
      return result;
    });
  } catch (err) {
    if (
      newId &&
      err instanceof AppError &&
      err.extensions.code === ErrorCode.CONFLICT &&
      !err.extensions.argument
    )
      throw conflict(newId.field, newId.id);
    throw err;
  }
}

/** Appends the audit entry of a mutation, inside its transaction. */
async function appendAudit(w: Write, operation: string, args: unknown): Promise<void> {
  await w.tx.run(APPEND_AUDIT, {
    props: {
      id: `audit-${randomUUID()}`,
      at: w.now,
      principal: w.by,
      principalName: w.principal.name,
      role: w.principal.role,
      operation,
      arguments: JSON.stringify(redact(args ?? {})),
      ids: w.touched,
    },
  });
}
