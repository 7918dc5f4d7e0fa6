import { cypher } from '../db';
import type { NodeRow } from '../graph/entities';

export const FULLTEXT_SEARCH = cypher<{ node: NodeRow; score: number }>(
  'fulltextSearch',
  `CALL db.index.fulltext.queryNodes('search', $query, {limit: $limit})
   YIELD node, score
   RETURN {labels: labels(node), props: properties(node)} AS node, score
   ORDER BY score DESC, node.id
   LIMIT $limit`,
);

/**
 * Relationship types a suspect link may follow (citations and publishing are left out: every node
 * shares a source). A retracted KNOWN_AS / PART_OF link (`retractedAt` set) is not followed.
 */
export const LINK_TYPES =
  'KNOWN_AS|PART_OF|SUBJECT|OBJECT|BY|SUPPORTS|DISPUTES|SUSPECTS|ABOUT|BASED_ON|OBSERVED_IN|RELATED_TO|INVOLVES|IN|RATES|AGAINST';

export interface PathRow {
  nodes: NodeRow[];
  rels: { type: string; from: string; to: string; props: Record<string, unknown> }[];
}

export const MAX_HOPS = 6;
export const MAX_PATHS = 10;

/**
 * The shortest paths between two entities, one constant per hop bound (1..6): the bound is a
 * validated integer picking a prepared statement, never text from the request.
 */
export const SHORTEST_PATHS = Array.from({ length: MAX_HOPS }, (_, i) =>
  cypher<PathRow>(
    `suspectLinks${i + 1}`,
    `MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
     MATCH p = SHORTEST ${MAX_PATHS} (a)-[r:${LINK_TYPES} WHERE r.retractedAt IS NULL]-{1,${i + 1}}(b)
     RETURN [n IN nodes(p) | {labels: labels(n), props: properties(n)}] AS nodes,
            [r IN relationships(p) | {type: type(r), from: startNode(r).id, to: endNode(r).id, props: properties(r)}] AS rels
     ORDER BY size(rels)`,
  ),
);
