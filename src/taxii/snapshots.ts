import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Entry } from './feed';

/** Bytes (JSON of the objects) the snapshots of all collections may hold together. */
export const SNAPSHOT_MAX_BYTES = 32 * 1024 * 1024;
/** How long a client has to ask for the next page before its snapshot goes. */
export const SNAPSHOT_TTL_MS = 5 * 60_000;

interface Snapshot {
  /** The collection as the path named it (id or alias): a cursor serves that collection only. */
  collection: string;
  entries: Entry[];
}

/**
 * The entries of a collection as its first page was cut from them, kept for the pages after it
 * (the `next` cursor names the snapshot): a client paging through a collection costs one export,
 * not one per page, and sees one consistent state of it. Bounded in bytes and in time; when a
 * snapshot is gone the next page is cut from a fresh export after the cursor's key.
 */
export class CollectionSnapshots {
  private readonly cache = new LRUCache<string, Snapshot>({
    maxSize: SNAPSHOT_MAX_BYTES,
    ttl: SNAPSHOT_TTL_MS,
    sizeCalculation: (s) =>
      Math.max(
        1,
        s.entries.reduce((n, e) => n + JSON.stringify(e.object).length + 200, 0),
      ),
  });

  /** Keeps `entries` of `collection`; returns the snapshot's id (none when too big to keep). */
  put(collection: string, entries: Entry[]): string | undefined {
    const id = randomBytes(12).toString('base64url');
    this.cache.set(id, { collection, entries });
    return this.cache.has(id) ? id : undefined;
  }

  /** The entries of snapshot `id` when it is still kept and is of `collection`. */
  get(id: string, collection: string): Entry[] | undefined {
    const s = this.cache.get(id);
    return s && s.collection === collection ? s.entries : undefined;
  }
}
