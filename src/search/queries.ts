import { cypher } from '../db';
import type { NodeRow } from '../graph/entities';

/** How many hits of one search can be paged through (the best ones). */
export const MAX_SEARCH_HITS = 1000;

/**
 * One page of full-text hits, best first (ties by id), of the labels in `$types` (null: all):
 * the total, whether hits precede `$after`, and `$first` + 1 hits after the keyset cursor
 * (`$afterScore`, `$afterId`), so a page never shifts when records are added elsewhere.
 */
export const FULLTEXT_SEARCH = cypher<{
  total: number;
  hasBefore: boolean;
  rows: { score: number; node: NodeRow }[];
}>(
  'fulltextSearch',
  `CALL () {
     CALL db.index.fulltext.queryNodes('search', $query, {limit: ${MAX_SEARCH_HITS}}) YIELD node, score
     RETURN node, score
     UNION ALL
     // Artifacts by name, alias, ATT&CK id (T1485), IP address, domain or hash.
     CALL db.index.fulltext.queryNodes('artifact_search', $query, {limit: ${MAX_SEARCH_HITS}}) YIELD node, score
     RETURN node, score
   }
   WITH node, score
   WHERE $types IS NULL OR any(l IN labels(node) WHERE l IN $types)
   WITH node, score ORDER BY score DESC, node.id ASC
   WITH collect({score: score, node: node}) AS everything
   WITH everything, [r IN everything WHERE $afterId IS NULL OR r.score < $afterScore
                      OR (r.score = $afterScore AND r.node.id > $afterId)] AS window
   RETURN size(everything) AS total, size(window) < size(everything) AS hasBefore,
     [r IN window[0..$first + 1] | {score: r.score, node: {labels: labels(r.node), props: properties(r.node)}}] AS rows`,
);

/**
 * Relationship types a suspect link may follow (citations and publishing are left out: every node
 * shares a source). A retracted KNOWN_AS / PART_OF link (`retractedAt` set) is not followed.
 */
export const LINK_TYPES =
  'KNOWN_AS|PART_OF|SUBJECT|OBJECT|BY|SUPPORTS|DISPUTES|SUSPECTS|ABOUT|BASED_ON|OBSERVED_IN|RELATED_TO|INVOLVES|IN|RATES|AGAINST|' +
  // Technical links: shared malware, tools, infrastructure and observables (each with its claims).
  'USES|COMMUNICATES_WITH|INDICATES|VARIANT_OF|DROPS|RESOLVES_TO|TARGETS';

/** Nodes a path never passes through: techniques and indicators (every group shares them). */
export const NOT_WALKED = '!AttackPattern&!Indicator';

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
     MATCH p = SHORTEST ${MAX_PATHS + 1} (a)(()-[r:${LINK_TYPES} WHERE r.retractedAt IS NULL]-(:${NOT_WALKED})){1,${i + 1}}(b)
     RETURN [n IN nodes(p) | {labels: labels(n), props: properties(n)}] AS nodes,
            [r IN relationships(p) | {type: type(r), from: startNode(r).id, to: endNode(r).id, props: properties(r)}] AS rels
     ORDER BY size(rels)`,
  ),
);
