import DataLoader from 'dataloader';
import { isDate, isDateTime } from 'neo4j-driver';
import { Db, Query, cypher } from '../db';
import { TYPE_OF_LABEL } from '../model';

/** A graph node as the resolvers see it: its properties, dates as ISO strings, and its GraphQL type. */
export interface Entity {
  id: string;
  __typename: string;
  [prop: string]: unknown;
}

/** Converts Neo4j temporal values to ISO strings so GraphQL scalars and JSON see plain text. */
export function plain(v: unknown): unknown {
  if (isDate(v as object)) return String(v);
  if (isDateTime(v as object)) return new Date(String(v)).toISOString();
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** Builds an {@link Entity} from a node's labels and properties. */
export function toEntity(labels: string[], props: Record<string, unknown>): Entity {
  const label = labels.find((l) => l in TYPE_OF_LABEL);
  const out: Entity = {
    id: String(props.id),
    __typename: label ? TYPE_OF_LABEL[label] : 'Unknown',
  };
  for (const [k, v] of Object.entries(props)) out[k] = plain(v);
  return out;
}

/** The projection every entity query returns: `{labels, props}` per node. */
export type NodeRow = { labels: string[]; props: Record<string, unknown> };
export const fromRow = (r: NodeRow): Entity => toEntity(r.labels, r.props);

/**
 * An {@link Entity} from a row whose values are plain already (strings, numbers, booleans: the
 * hypotheses bundle sends dates and instants as strings), with no conversion per value.
 */
export function fromPlainRow(r: NodeRow): Entity {
  const label = r.labels.find((l) => l in TYPE_OF_LABEL);
  return {
    ...r.props,
    id: String(r.props.id),
    __typename: label ? TYPE_OF_LABEL[label] : 'Unknown',
  };
}

const ENTITIES_BY_ID = cypher<{ node: NodeRow }>(
  'entitiesById',
  `UNWIND $ids AS id
   MATCH (n:Entity {id: id})
   RETURN {labels: labels(n), props: properties(n)} AS node`,
);

/**
 * A relation between entities that resolvers follow, batched per request: one statement loads
 * the neighbours of every entity asked for in the same tick (so nested lists stay bounded).
 * The Cypher must take `$ids` and return `id` and `items` (a list of `{labels, props, rel}`).
 */
export interface RelationItem {
  node: Entity;
  rel: Record<string, unknown>;
}

/** Per-request batched loaders: entities by id and named relations. */
export class Loaders {
  readonly entity: DataLoader<string, Entity | null>;
  private readonly relations = new Map<string, DataLoader<string, RelationItem[]>>();
  private readonly rows = new Map<string, DataLoader<string, unknown>>();

  /** Entities a bigger projection already built, offered lazily (see {@link offer}). */
  private readonly offered: (() => Iterable<Entity>)[] = [];
  private known?: Map<string, Entity>;

  constructor(private readonly db: Db) {
    this.entity = new DataLoader(async (ids) => {
      const known = this.knownEntities();
      const missing = ids.filter((id) => !known.has(id));
      const rows = missing.length ? await db.read(ENTITIES_BY_ID, { ids: missing }) : [];
      const byId = new Map(rows.map((r) => [String(r.node.props.id), fromRow(r.node)]));
      return ids.map((id) => known.get(id) ?? byId.get(id) ?? null);
    });
  }

  /**
   * Offers entities that a bigger projection already built (e.g. an incident's bundle) to the
   * entity loader without priming it: they are indexed only if something asks for an entity by
   * id in this request, so a request that never does pays nothing.
   */
  offer(entities: () => Iterable<Entity>): void {
    this.offered.push(entities);
    this.known = undefined;
  }

  private knownEntities(): Map<string, Entity> {
    if (!this.known) {
      this.known = new Map();
      for (const list of this.offered) for (const e of list()) this.known.set(e.id, e);
    }
    return this.known;
  }

  /** Loads the neighbours of `id` over the relation `query` (batched with other ids). */
  relation(query: RelationQuery, id: string): Promise<RelationItem[]> {
    let loader = this.relations.get(query.name);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const rows = await this.db.read(query, { ids: [...ids] });
        const byId = new Map(
          rows.map((r) => [r.id, r.items.map((i) => ({ node: fromRow(i), rel: i.rel ?? {} }))]),
        );
        return ids.map((i) => byId.get(i) ?? []);
      });
      this.relations.set(query.name, loader);
    }
    return loader.load(id);
  }

  /** Like {@link relation}, returning only the neighbour entities. */
  async nodes(query: RelationQuery, id: string): Promise<Entity[]> {
    return (await this.relation(query, id)).map((i) => i.node);
  }

  /** Like {@link nodes}, for a to-one relation. */
  async one(query: RelationQuery, id: string): Promise<Entity | null> {
    return (await this.nodes(query, id))[0] ?? null;
  }

  /**
   * One row per id from a batched statement that takes `$ids` and returns a row with `id` per
   * id it knows (batched with the other ids of the same tick); undefined for an unknown id.
   */
  row<T extends { id: string }>(query: Query<T>, id: string): Promise<T | undefined> {
    let loader = this.rows.get(query.name) as DataLoader<string, T | undefined> | undefined;
    if (!loader) {
      loader = new DataLoader<string, T | undefined>(async (ids) => {
        const found = await this.db.read(query, { ids: [...ids] });
        const byId = new Map(found.map((r) => [r.id, r]));
        return ids.map((i) => byId.get(i));
      });
      this.rows.set(query.name, loader as DataLoader<string, unknown>);
    }
    return loader.load(id);
  }

  /** Primes the entity cache with entities loaded by a bigger projection. */
  prime(entities: Entity[]): void {
    for (const e of entities) this.entity.prime(e.id, e);
  }
}

export type RelationQuery = ReturnType<typeof relationQuery>;

/**
 * Declares a batched relation. `pattern` is a Cypher pattern from `(n)` to `(m)`, possibly
 * binding the relationship as `r`; results come back ordered by `order` (a Cypher expression).
 */
export function relationQuery(name: string, pattern: string, order = 'm.id', withRel = false) {
  return cypher<{ id: string; items: (NodeRow & { rel?: Record<string, unknown> })[] }>(
    name,
    `UNWIND $ids AS id
     MATCH (n:Entity {id: id})
     OPTIONAL MATCH ${pattern}
     WITH id, m${withRel ? ', r' : ''} ORDER BY ${order}
     RETURN id, [x IN collect({labels: labels(m), props: properties(m)${withRel ? ', rel: properties(r)' : ''}}) WHERE x.props IS NOT NULL] AS items`,
  );
}
