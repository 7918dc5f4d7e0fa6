import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { requireRole, type Principal, type Role } from '../auth';
import type { Db } from '../db';
import { AppError, ErrorCode } from '../errors';
import { seedNamespace } from '../seed/namespaces';
import { maySpeakAs } from './authority';
import { invalid, parseInput } from './inputs';
import { APPEND_AUDIT } from './queries';
import { shortSuffix, slugify } from '../model';
import { bumpRevisions } from '../revisions';
import { redact } from './util';
import { Write, conflict } from './write';

/** What a mutation needs from the request. */
export interface Caller {
  db: Db;
  principal: Principal;
}

/**
 * The id rule of a mutation that creates an entity: the client's slug (`input.id`), or one made
 * from `from(input)` with a short random suffix. Either way outside the seed's namespaces.
 */
export interface IdRule<I> {
  given: (input: I) => string | null | undefined;
  from: (input: I) => string;
}

/**
 * One mutation, declared once. Its resolver, role check, input parsing, id rule, authority over
 * the actor it speaks as, transaction and audit entry are all derived from this (runMutation).
 */
export interface MutationDef<I = unknown, O extends object = object> {
  name: string;
  /** The weakest role allowed; checked before the input is read. */
  role: Role;
  /** zod schema of `input` (content rules; GraphQL has checked types and enums). */
  input: z.ZodType<I>;
  /** Present when the mutation creates an entity with a client-chosen or generated id. */
  id?: IdRule<I>;
  /** Input fields naming the actor the writer speaks as (a key bound to an actor: that one only). */
  speaksAs?: (keyof I & string)[];
  /** Rules across fields that need no database (BAD_USER_INPUT naming the field). */
  check?: (input: I) => void;
  /** The write, inside the transaction: returns the payload's fields (`{ claim }`). */
  write: (w: Write, input: I, id: string) => Promise<O>;
}

/**
 * A mutation of the table whatever its input type (the table is heterogeneous; each entry was
 * type-checked by defineMutation against its own schema).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMutation = MutationDef<any, object>;

/** Declares a mutation (a typed identity: the table is an array of these). */
export function defineMutation<I, O extends object>(def: MutationDef<I, O>): MutationDef<I, O> {
  return def;
}

/** The id of a new entity: the client's (outside the seed namespaces) or a generated one. */
export function entityId<I>(rule: IdRule<I>, input: I): string {
  const given = rule.given(input);
  if (given) {
    const ns = seedNamespace(given);
    if (ns)
      throw invalid(
        'input.id',
        `"${given}" is in the seed's namespace "${ns}", which the API does not write; choose another id`,
      );
    return given;
  }
  const base = slugify(rule.from(input));
  return `${seedNamespace(base) ? `x-${base}` : base}-${shortSuffix()}`;
}

/**
 * Runs a mutation for a caller: role, input, id rule and speaker checks, then the write and its
 * audit entry in ONE write transaction (all or nothing). Errors are AppErrors; the resolver turns
 * input problems into `userErrors` (toUserErrors). A uniqueness violation raised by the database
 * (two clients creating the same id at once) becomes CONFLICT naming `input.id`.
 */
export async function runMutation<I, O extends object>(
  def: MutationDef<I, O>,
  caller: Caller,
  raw: unknown,
): Promise<O> {
  const { principal } = caller;
  requireRole(principal, def.role, def.name);
  const input = parseInput(def.input, raw);
  def.check?.(input);
  for (const field of def.speaksAs ?? [])
    maySpeakAs(principal, `input.${field}`, input[field] as string | null | undefined);
  const id = def.id ? entityId(def.id, input) : '';
  try {
    return await caller.db.write(async (tx) => {
      const w = new Write(tx, principal);
      const result = await def.write(w, input, id);
      await appendAudit(w, def.name, raw);
      // Every incident whose answers read what this mutation touched gets a new revision, in this
      // transaction (src/revisions): caches keyed on it cannot serve the old answer after commit.
      // Last, so the revision node's lock (writes to one incident queue on it) is held briefly.
      await bumpRevisions(w.tx, w.touched);
      return result;
    });
  } catch (err) {
    if (
      def.id &&
      err instanceof AppError &&
      err.extensions.code === ErrorCode.CONFLICT &&
      !err.extensions.argument
    )
      throw conflict('input.id', id);
    throw err;
  }
}

/** Appends the audit entry of a mutation, inside its transaction. */
async function appendAudit(w: Write, operation: string, raw: unknown): Promise<void> {
  const args = Object.keys(w.auditExtra).length ? { input: raw, ...w.auditExtra } : raw;
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

/** An input problem as the payload reports it: the mutation changed nothing. */
export interface UserError {
  /** The field as the message names it: `input.sources[1]`. */
  field: string;
  /** The same as a path: `["input", "sources", "1"]`. */
  path: string[];
  code: ErrorCode.BAD_USER_INPUT | ErrorCode.NOT_FOUND | ErrorCode.CONFLICT;
  message: string;
}

const USER_ERROR_CODES = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
  ErrorCode.CONFLICT,
]);

const pathOf = (field: string) => field.split(/\.|\[(\d+)\]/).filter((s) => s !== '' && s != null);

/**
 * The user errors an error stands for, or null when it must stay a top-level error
 * (authentication, authorization, outages, time-outs, bugs).
 */
export function toUserErrors(err: unknown): UserError[] | null {
  if (!(err instanceof AppError)) return null;
  const code = String(err.extensions.code);
  if (!USER_ERROR_CODES.has(code)) return null;
  const issues = err.extensions.issues as { field: string; message: string }[] | undefined;
  const list = issues?.length
    ? issues.map((i) => ({ field: i.field, message: `${i.field}: ${i.message}` }))
    : [{ field: String(err.extensions.argument ?? 'input'), message: err.message }];
  return list.map(({ field, message }) => ({
    field,
    path: pathOf(field),
    code: code as UserError['code'],
    message,
  }));
}
