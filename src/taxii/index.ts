import express from 'express';
import type { ErrorRequestHandler, Express, Request, RequestHandler, Response } from 'express';
import { authenticate } from '../auth';
import type { Config } from '../config';
import type { Connection, Db } from '../db';
import { AppError, ErrorCode } from '../errors';
import { exportStix } from '../stix/export';
import { X_ID, type StixObject, ourProps } from '../stix/model';
import {
  ALL_ALIAS,
  type Entry,
  type ListRequest,
  type Page,
  STIX_MEDIA_TYPE,
  TAXII_MEDIA_TYPE,
  TaxiiError,
  acceptsTaxii,
  collectionId,
  dateAddedHeaders,
  envelope,
  errorMessage,
  filterEntries,
  manifest,
  paginate,
  parseListRequest,
  toEntries,
} from './feed';
import { TAXII_INCIDENTS, TAXII_LAST_AUDIT } from './queries';
import { CollectionSnapshots } from './snapshots';

export {
  ALL_ALIAS,
  DEFAULT_LIMIT,
  MAX_LIMIT,
  STIX_MEDIA_TYPE,
  TAXII_MEDIA_TYPE,
  acceptsTaxii,
  collectionId,
} from './feed';

/** The discovery endpoint (TAXII 2.1 section 4.1, the well-known `/taxii2/`). */
export const DISCOVERY_PATH = '/taxii2/';
/** The one API root. */
export const API_ROOT_PATH = '/api/';

/** A TAXII collection: one incident, or every incident (`incident` null). */
export interface TaxiiCollection {
  id: string;
  title: string;
  description: string;
  alias: string;
  incident: string | null;
}

/** The collections: "all" first, then one per incident, by incident id. */
export async function listCollections(db: Db): Promise<TaxiiCollection[]> {
  const incidents = await db.read(TAXII_INCIDENTS);
  return [
    {
      id: collectionId(null),
      title: 'All incidents',
      description:
        'Every incident of the attribution graph as STIX 2.1: incidents, suspects, rival attributions (attributed-to), the claims for and against them (opinion), claimants and publishers (identity) and sources (report, note).',
      alias: ALL_ALIAS,
      incident: null,
    },
    ...incidents.map((i) => ({
      id: collectionId(i.id),
      title: i.name,
      description: `Incident ${i.id} as STIX 2.1: the incident, its suspects, rival attributions, the claims for and against them, claimants, publishers and sources.${i.summary ? ` ${i.summary}` : ''}`,
      alias: i.id,
      incident: i.id,
    })),
  ];
}

/** The collection resource (section 5.2.1). */
function collectionResource(c: TaxiiCollection) {
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    alias: c.alias,
    can_read: true,
    can_write: false,
    media_types: [STIX_MEDIA_TYPE],
  };
}

/** Which of our entities an exported object stands for (their audit entries date it). */
function sourceIds(o: StixObject): string[] {
  if (o.type === 'relationship' && typeof o.x_attribution_hypothesis === 'string')
    return [o.x_attribution_hypothesis];
  const id = ourProps(o)[X_ID];
  return typeof id === 'string' ? [id] : [];
}

/**
 * The objects of a collection, from the STIX export, sorted by date added. An object's date
 * added is the last time the API recorded a change to the entity it stands for (its audit
 * entries), and its version (`modified`) when there is none (seed, STIX imports).
 */
export async function collectionEntries(db: Db, c: TaxiiCollection): Promise<Entry[]> {
  const bundle = await exportStix(db, c.incident ? { incident: c.incident } : {});
  const ids = [...new Set(bundle.objects.flatMap(sourceIds))];
  const audited = new Map(
    ids.length ? (await db.read(TAXII_LAST_AUDIT, { ids })).map((r) => [r.id, r.ms]) : [],
  );
  return toEntries(bundle.objects, (o) => {
    const ms = Math.max(...sourceIds(o).map((id) => audited.get(id) ?? -Infinity));
    return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
  });
}

/**
 * Sends a TAXII body with the TAXII media type (exactly, no charset added), and the number of
 * Cypher statements the request ran (`X-Cypher-Statements`, as GraphQL answers carry it).
 */
function send(res: Response, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.status(status);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  const d = res.locals.taxiiDb as Db | undefined;
  if (d) res.setHeader('X-Cypher-Statements', String(d.statements));
  res.setHeader('Content-Type', TAXII_MEDIA_TYPE);
  res.setHeader('Vary', 'Accept, Authorization');
  res.send(Buffer.from(JSON.stringify(body), 'utf8'));
}

const PREFIXES = ['/taxii2', '/api'];

/**
 * Mounts the read-only TAXII 2.1 feed: discovery at `/taxii2/`, one API root at `/api/` with a
 * collection per incident plus one (alias `all`) for everything; objects come from the STIX
 * export (docs/stix-mapping.md, "TAXII 2.1 feed"). Reads follow the API's rule: anonymous unless
 * ALLOW_ANONYMOUS_READS=0, otherwise `Authorization: Bearer <API key>` (any role).
 */
export function mountTaxii(app: Express, conn: Connection, config: Config): void {
  const router = express.Router();
  const db = (res: Response): Db => res.locals.taxiiDb as Db;

  // Read only: no method but GET (and HEAD); adding or deleting objects is forbidden.
  const guard: RequestHandler = async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const path = req.baseUrl + req.path;
      const objects = /^\/api\/collections\/[^/]+\/objects(\/[^/]+)?\/?$/.test(path);
      res.setHeader('Allow', 'GET, HEAD');
      throw objects && (req.method === 'POST' || req.method === 'DELETE')
        ? new TaxiiError(403, 'Read-only collection', 'This TAXII server does not take objects.')
        : new TaxiiError(405, 'Method not allowed', 'This TAXII server is read-only: use GET.');
    }
    if (!acceptsTaxii(req.headers.accept))
      throw new TaxiiError(
        406,
        'Not acceptable',
        `This TAXII 2.1 server answers ${TAXII_MEDIA_TYPE} only: send it in the Accept header.`,
      );
    const d = conn.db();
    await authenticate(d, req.headers.authorization);
    res.locals.taxiiDb = d;
    next();
  };
  router.use(PREFIXES, guard);

  router.get(DISCOVERY_PATH, (_req, res) => {
    send(res, 200, {
      title: 'Attribution graph TAXII 2.1 server',
      description:
        'A read-only feed of the cyber-incident attribution graph: every incident with its rival attributions and the claims for and against them, as STIX 2.1.',
      default: API_ROOT_PATH,
      api_roots: [API_ROOT_PATH],
    });
  });

  router.get(API_ROOT_PATH, (_req, res) => {
    send(res, 200, {
      title: 'Attribution graph',
      description: 'Incidents and their attributions, one collection per incident plus "all".',
      versions: [TAXII_MEDIA_TYPE],
      max_content_length: config.MAX_BODY_BYTES,
    });
  });

  router.get(`${API_ROOT_PATH}collections/`, async (_req, res) => {
    const collections = await listCollections(db(res));
    send(res, 200, { collections: collections.map(collectionResource) });
  });

  /** The collection named in the path, by id (or alias); 404 otherwise. */
  const collection = async (req: Request, res: Response): Promise<TaxiiCollection> => {
    const key = String(req.params.collection);
    const all = await listCollections(db(res));
    const found = all.find((c) => c.id === key) ?? all.find((c) => c.alias === key);
    if (!found)
      throw new TaxiiError(404, 'Collection not found', `No collection has the id "${key}".`);
    return found;
  };
  const base = `${API_ROOT_PATH}collections/:collection/`;

  /**
   * One page of a collection's objects: the first cut from a fresh export, which is kept as a
   * snapshot the `next` cursor names when there are more pages; the pages after it come from
   * that snapshot, with no export and no statement.
   */
  const snapshots = new CollectionSnapshots();
  const pageOf = async (req: Request, res: Response, list: ListRequest): Promise<Page> => {
    const key = String(req.params.collection);
    const kept = list.snapshot ? snapshots.get(list.snapshot, key) : undefined;
    const entries = kept ?? (await collectionEntries(db(res), await collection(req, res)));
    const filtered = filterEntries(entries, list);
    const page = paginate(filtered, list);
    if (!page.more) return page;
    return paginate(filtered, list, kept ? list.snapshot : snapshots.put(key, entries));
  };

  router.get(base, async (req, res) => {
    send(res, 200, collectionResource(await collection(req, res)));
  });

  router.get(`${base}objects/`, async (req, res) => {
    const list = parseListRequest(req.query, ['id', 'type', 'version', 'spec_version']);
    const page = await pageOf(req, res, list);
    send(res, 200, envelope(page), dateAddedHeaders(page.entries));
  });

  router.get(`${base}manifest/`, async (req, res) => {
    const list = parseListRequest(req.query, ['id', 'type', 'version', 'spec_version']);
    const page = await pageOf(req, res, list);
    send(res, 200, manifest(page), dateAddedHeaders(page.entries));
  });

  /** The entries of one object in a collection (one version each); 404 when it is not there. */
  const objectEntries = async (req: Request, res: Response): Promise<Entry[]> => {
    const id = String(req.params.object);
    const entries = (await collectionEntries(db(res), await collection(req, res))).filter(
      (e) => e.id === id,
    );
    if (entries.length === 0)
      throw new TaxiiError(404, 'Object not found', `The collection holds no object "${id}".`);
    return entries;
  };

  router.get(`${base}objects/:object/`, async (req, res) => {
    const list = parseListRequest(req.query, ['version', 'spec_version']);
    const page = paginate(filterEntries(await objectEntries(req, res), list), list);
    send(res, 200, envelope(page), dateAddedHeaders(page.entries));
  });

  router.get(`${base}objects/:object/versions/`, async (req, res) => {
    const list = parseListRequest(req.query, ['spec_version']);
    const page = paginate(filterEntries(await objectEntries(req, res), list), list);
    send(
      res,
      200,
      {
        more: page.more,
        ...(page.next ? { next: page.next } : {}),
        ...(page.entries.length ? { versions: page.entries.map((e) => e.version) } : {}),
      },
      dateAddedHeaders(page.entries),
    );
  });

  // Anything else under the TAXII prefixes (status resources included: nothing is ever added).
  router.use(PREFIXES, (req) => {
    const path = req.baseUrl + req.path;
    throw new TaxiiError(404, 'Not found', `This TAXII server has no resource at ${path}.`);
  });

  const errors: ErrorRequestHandler = (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof TaxiiError) {
      return send(res, err.status, errorMessage(err.status, err.title, err.description));
    }
    const code = err instanceof AppError ? String(err.extensions.code) : undefined;
    if (code === ErrorCode.UNAUTHENTICATED) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="attribution"');
      return send(res, 401, errorMessage(401, 'Unauthenticated', (err as Error).message));
    }
    if (code === ErrorCode.SERVICE_UNAVAILABLE || code === ErrorCode.TIMEOUT) {
      res.setHeader('Retry-After', '1');
      return send(res, 503, errorMessage(503, 'Service unavailable', (err as Error).message));
    }
    req.log?.error({ err }, 'unexpected TAXII error');
    return send(res, 500, errorMessage(500, 'Internal server error'));
  };
  router.use(PREFIXES, errors);

  app.use(router);
}
