import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Id rules. Every entity id is a lowercase slug, unique across all kinds (the :Entity
 * constraint). A client may give one; otherwise a new id is a slug of the entity's name with a
 * random suffix. The node of an alias name has an id derived from the name alone.
 */

export const SLUG = /^[a-z0-9][a-z0-9-]*$/;
export const MAX_ID_LENGTH = 120;

/** An entity id (zod). */
export const slug = z
  .string()
  .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)
  .regex(SLUG, 'must be a lowercase slug (a-z, 0-9, -), e.g. "fbi" or "sony-pictures-2014"');

/** Free text of at most `max` characters, trimmed, not empty (zod). */
export const text = (max = 4000) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** A readable slug from free text: lowercase ASCII words joined by `-`, at most `max` characters. */
export function slugify(text: string, max = 40): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = s.slice(0, max).replace(/-+$/, '');
  return cut || 'item';
}

/** A short random suffix (6 characters, a-z0-9), so generated ids do not collide. */
export function shortSuffix(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** The id for a new entity: the client's, or a slug of `name` with a random suffix. */
export function newId(given: string | null | undefined, name: string): string {
  return given ?? `${slugify(name)}-${shortSuffix()}`;
}

/**
 * A stable id for the node of an alias name, shared by every claim asserting that name
 * (`name-` + the name in lowercase ASCII; ids already stored depend on this exact rule).
 */
export function aliasNodeId(name: string): string {
  return `name-${name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;
}
