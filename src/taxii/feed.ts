import { STIX_NAMESPACE, type StixObject, ourProps } from '../stix/model';
import { uuidv5 } from '../model';

/** The TAXII 2.1 media type: every response of the feed has it, every request must accept it. */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
/** The media type of the objects a collection holds. */
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/** Objects (or manifest records) per page when the client asks for none (or for 0). */
export const DEFAULT_LIMIT = 100;
/** The most objects one page holds, whatever the client asks. */
export const MAX_LIMIT = 1000;

/** Alias of the collection of every incident. */
export const ALL_ALIAS = 'all';

/** Stable collection id: UUIDv5 (the STIX namespace) of `taxii-collection:<incident id>` (`*` for all). */
export function collectionId(incident: string | null): string {
  return uuidv5(`taxii-collection:${incident ?? '*'}`, STIX_NAMESPACE);
}

/** A client error, answered as a TAXII error message with this HTTP status. */
export class TaxiiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly description?: string,
  ) {
    super(description ?? title);
    this.name = 'TaxiiError';
  }
}

/** The TAXII 2.1 error message (section 3.6.1); `http_status` is a string in TAXII 2.1. */
export function errorMessage(status: number, title: string, description?: string) {
  return {
    title,
    ...(description ? { description } : {}),
    http_status: String(status),
  };
}

/**
 * Whether an Accept header admits TAXII 2.1: one of its media ranges is
 * `application/taxii+json` with version 2.1 or no version (TAXII 3.1.1), and not q=0. No header,
 * `*\/*`, `application/json` or another TAXII version do not.
 */
export function acceptsTaxii(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((range) => {
    const [type, ...rawParams] = range.split(';').map((s) => s.trim().toLowerCase());
    if (type !== 'application/taxii+json') return false;
    const params = new Map(
      rawParams.map((p) => {
        const eq = p.indexOf('=');
        return eq < 0
          ? [p, '']
          : [
              p.slice(0, eq).trim(),
              p
                .slice(eq + 1)
                .trim()
                .replace(/^"(.*)"$/, '$1'),
            ];
      }),
    );
    const q = params.get('q');
    if (q !== undefined && !(Number(q) > 0)) return false;
    const version = params.get('version');
    return version === undefined || version === '2.1';
  });
}

/** One object of a collection with its TAXII facts. */
export interface Entry {
  object: StixObject;
  id: string;
  type: string;
  /** When the object (this version) was added to the feed, RFC 3339, millisecond precision. */
  dateAdded: string;
  /** The object's version: its `modified` (or `created`), millisecond precision. */
  version: string;
  specVersion: string;
}

/** Normalises an RFC 3339 timestamp to `YYYY-MM-DDTHH:MM:SS.mmmZ`; undefined when not one. */
export function normTimestamp(v: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(v))
    return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/**
 * The entries of a bundle's objects, sorted by date added then id (the order of every TAXII
 * list). `addedAt(object)` gives a recorded time of addition, when there is one; otherwise the
 * object's version stands for it.
 */
export function toEntries(
  objects: StixObject[],
  addedAt: (o: StixObject) => string | undefined = () => undefined,
): Entry[] {
  return objects
    .map((object) => {
      const recorded = addedAt(object);
      // A cyber observable has no modified or created: the day our record first reports it,
      // else when it was added.
      const firstReported = ourProps(object).x_attribution_first_reported;
      const version =
        normTimestamp(String(object.modified ?? object.created ?? '')) ??
        (typeof firstReported === 'string' ? `${firstReported}T00:00:00.000Z` : recorded) ??
        '1970-01-01T00:00:00.000Z';
      return {
        object,
        id: object.id,
        type: object.type,
        version,
        dateAdded: recorded && recorded > version ? recorded : version,
        specVersion: String(object.spec_version ?? '2.0'),
      };
    })
    .sort((a, b) => compareKey(a, [b.dateAdded, b.id]));
}

function compareKey(e: Entry, [dateAdded, id]: [string, string]): number {
  if (e.dateAdded !== dateAdded) return e.dateAdded < dateAdded ? -1 : 1;
  return e.id < id ? -1 : e.id > id ? 1 : 0;
}

/** A query string value (repeated parameters joined by commas, as TAXII lists are written). */
export type QueryValue = string | string[] | undefined;
export type QueryParams = Record<string, unknown>;

function text(query: QueryParams, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.map(String).join(',');
  return String(v);
}

function list(query: QueryParams, name: string): string[] | undefined {
  const v = text(query, name);
  if (v === undefined) return undefined;
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The filters and paging a request asks for (TAXII 2.1 section 3.4). */
export interface ListRequest {
  addedAfter?: string;
  limit: number;
  /** The (dateAdded, id) key after which this page starts. */
  after?: [string, string];
  /** The snapshot of the collection the previous page was cut from (see src/taxii/snapshots.ts). */
  snapshot?: string;
  ids?: string[];
  types?: string[];
  /** `last`, `first`, `all` or timestamps (normalised). */
  versions?: string[];
  specVersions?: string[];
}

/** Which filters each endpoint takes (section 3.4.2). */
export type Filter = 'id' | 'type' | 'version' | 'spec_version';

/** Parses and checks the query string of a list endpoint; a TaxiiError (400) when malformed. */
export function parseListRequest(query: QueryParams, allowed: Filter[]): ListRequest {
  for (const key of Object.keys(query)) {
    const m = /^match\[(.*)\]$/.exec(key);
    if (m && !allowed.includes(m[1] as Filter))
      throw new TaxiiError(
        400,
        'Unsupported filter',
        `This endpoint filters on ${allowed.map((f) => `match[${f}]`).join(', ')}; not on ${key}.`,
      );
  }
  const req: ListRequest = { limit: DEFAULT_LIMIT };

  const addedAfter = text(query, 'added_after');
  if (addedAfter !== undefined) {
    const t = normTimestamp(addedAfter);
    if (!t || addedAfter.includes(','))
      throw new TaxiiError(
        400,
        'Invalid added_after',
        'added_after must be one RFC 3339 timestamp.',
      );
    req.addedAfter = t;
  }

  const limit = text(query, 'limit');
  if (limit !== undefined) {
    if (!/^\d+$/.test(limit))
      throw new TaxiiError(400, 'Invalid limit', 'limit must be a non-negative integer.');
    const n = Number(limit);
    // 0 (what taxii2-client's as_pages sends by default) means "the server's page size".
    req.limit = n === 0 ? DEFAULT_LIMIT : Math.min(n, MAX_LIMIT);
  }

  const next = text(query, 'next');
  if (next !== undefined) Object.assign(req, decodeCursor(next));

  if (allowed.includes('id')) req.ids = list(query, 'match[id]');
  if (allowed.includes('type')) req.types = list(query, 'match[type]');
  if (allowed.includes('version')) {
    const versions = list(query, 'match[version]');
    if (versions)
      req.versions = versions.map((v) => {
        if (v === 'last' || v === 'first' || v === 'all') return v;
        const t = normTimestamp(v);
        if (!t)
          throw new TaxiiError(
            400,
            'Invalid match[version]',
            `"${v}" is neither last, first, all nor an RFC 3339 timestamp.`,
          );
        return t;
      });
  }
  if (allowed.includes('spec_version')) req.specVersions = list(query, 'match[spec_version]');
  return req;
}

/**
 * The opaque `next` value: the (date added, id) of the last entry of the page, and the snapshot
 * the page was cut from when there is one, base64url. The key alone is enough to go on: when the
 * snapshot has expired, the next page is cut from a fresh export after the same key.
 */
export function encodeCursor(e: Entry, snapshot?: string): string {
  const v = snapshot ? [e.dateAdded, e.id, snapshot] : [e.dateAdded, e.id];
  return Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
}

export function decodeCursor(next: string): { after: [string, string]; snapshot?: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(next, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      (v.length === 2 || (v.length === 3 && typeof v[2] === 'string' && v[2].length <= 64)) &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      normTimestamp(v[0])
    )
      return { after: [v[0], v[1]], ...(v.length === 3 ? { snapshot: v[2] as string } : {}) };
  } catch {
    // falls through to the error below
  }
  throw new TaxiiError(400, 'Invalid next', 'next must be a value a previous response gave.');
}

/**
 * Applies the filters of a request (not the paging). Every object here has one version, so
 * `last`, `first` and `all` all select it; a timestamp selects the objects of that version.
 */
export function filterEntries(entries: Entry[], req: ListRequest): Entry[] {
  const ids = req.ids && new Set(req.ids);
  const types = req.types && new Set(req.types);
  const specVersions = req.specVersions && new Set(req.specVersions);
  return entries.filter(
    (e) =>
      (!req.addedAfter || e.dateAdded > req.addedAfter) &&
      (!ids || ids.has(e.id)) &&
      (!types || types.has(e.type)) &&
      (!specVersions || specVersions.has(e.specVersion)) &&
      (!req.versions ||
        req.versions.some((v) => v === 'last' || v === 'first' || v === 'all' || v === e.version)),
  );
}

export interface Page {
  entries: Entry[];
  more: boolean;
  next?: string;
}

/** One page of filtered entries: those after the cursor, `limit` at most; `next` names `snapshot`. */
export function paginate(entries: Entry[], req: ListRequest, snapshot?: string): Page {
  const after = req.after;
  const start = after ? entries.findIndex((e) => compareKey(e, after) > 0) : 0;
  const rest = start < 0 ? [] : entries.slice(start);
  const page = rest.slice(0, req.limit);
  const more = rest.length > page.length;
  return {
    entries: page,
    more,
    ...(more ? { next: encodeCursor(page[page.length - 1], snapshot) } : {}),
  };
}

/** The X-TAXII-Date-Added-First / -Last headers of a page (none when it is empty). */
export function dateAddedHeaders(entries: Entry[]): Record<string, string> {
  if (entries.length === 0) return {};
  return {
    'X-TAXII-Date-Added-First': entries[0].dateAdded,
    'X-TAXII-Date-Added-Last': entries[entries.length - 1].dateAdded,
  };
}

/** The envelope of a page of objects (section 3.7): `objects` left out when there are none. */
export function envelope(page: Page) {
  return {
    more: page.more,
    ...(page.next ? { next: page.next } : {}),
    ...(page.entries.length ? { objects: page.entries.map((e) => e.object) } : {}),
  };
}

/** The manifest resource of a page (section 5.3.1). */
export function manifest(page: Page) {
  return {
    more: page.more,
    ...(page.next ? { next: page.next } : {}),
    ...(page.entries.length
      ? {
          objects: page.entries.map((e) => ({
            id: e.id,
            date_added: e.dateAdded,
            version: e.version,
            media_type: STIX_MEDIA_TYPE,
          })),
        }
      : {}),
  };
}
