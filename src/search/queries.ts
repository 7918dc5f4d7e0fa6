import { cypher } from '../db';
import type { NodeRow } from '../graph/entities';
import { ARTIFACT_LABELS, type Label } from '../model';

/** How many hits of one search can be paged through (the best ones). */
export const MAX_SEARCH_HITS = 1000;

/**
 * The labels the full-text indexes cover (`search`, `artifact_search`, `place_search`): what
 * `types` can narrow a search to (GraphQL `SearchType`, derived from this list).
 */
export const SEARCHED_LABELS = [
  'Incident',
  'Actor',
  'Alias',
  'Hypothesis',
  'Claim',
  'Source',
  'Evidence',
  'Event',
  ...ARTIFACT_LABELS,
  'Location',
] as const satisfies readonly Label[];

/**
 * One page of full-text hits, best first (ties by id), of the labels in `$types` (null: all):
 * the total, whether hits precede `$after`, and `$first` + 1 hits after the keyset cursor
 * (`$afterScore`, `$afterId`), so a page never shifts when records are added elsewhere.
 *
 * An entity whose name is the text searched (`$exact`, lower-cased) gets the best full-text score
 * added to its own, so it comes before every partial match: "Guardians of Peace" finds the actor
 * first, not the claims quoting the name (Lucene's scores move with the index's statistics).
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
     UNION ALL
     // Places by name, country code, region or city.
     CALL db.index.fulltext.queryNodes('place_search', $query, {limit: ${MAX_SEARCH_HITS}}) YIELD node, score
     RETURN node, score
   }
   WITH node, score
   WHERE $types IS NULL OR any(l IN labels(node) WHERE l IN $types)
   WITH collect({node: node, score: score}) AS hits, max(score) AS top
   UNWIND hits AS hit
   WITH hit.node AS node,
     hit.score + CASE WHEN toLower(hit.node.name) = $exact THEN top ELSE 0.0 END AS score
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

/** Nodes a path never passes through: techniques, indicators and places (every group shares them). */
export const NOT_WALKED = '!AttackPattern&!Indicator&!Location';

export interface PathRow {
  nodes: NodeRow[];
  rels: { type: string; from: string; to: string; props: Record<string, unknown> }[];
}

export const MAX_HOPS = 6;
export const MAX_PATHS = 10;

/**
 * A node with more relationships than this is a hub (a state named in thousands of incidents):
 * a path may end at one but never passes through one (every pair of actors would otherwise be
 * linked through it, and expanding it costs tens of thousands of rows).
 */
export const HUB_DEGREE = 1000;

/** How many paths one statement returns: one more than a page, to say whether it truncated. */
const PATH_ROWS = MAX_PATHS + 1;

/**
 * The paths of exactly `length` relationships from `s` to `t`, at most PATH_ROWS, appended to
 * `found` (skipped once `found` is full). Every hop after the first is its own subquery, so the
 * planner expands from the node already reached and never from `t` (which may be a hub); the
 * last hop is an Expand(Into), which walks the smaller of the two nodes' relationships.
 */
function pathsOfLength(length: number): string {
  const step = (i: number) => `r${i}:${LINK_TYPES} WHERE r${i}.retractedAt IS NULL`;
  const before = (i: number) => ['s', 't', ...Array.from({ length: i - 1 }, (_, k) => `x${k + 1}`)];
  const hop = (i: number) =>
    i === length
      ? [`MATCH (${i === 1 ? 's' : `x${i - 1}`})-[${step(i)}]-(t)`]
      : [
          `MATCH (${i === 1 ? 's' : `x${i - 1}`})-[${step(i)}]-(x${i}:${NOT_WALKED})`,
          `WHERE NOT x${i} IN [${before(i).join(', ')}] AND COUNT { (x${i})--() } <= ${HUB_DEGREE}`,
        ];
  const lines = [`CALL (s, t, found) {`, `  WITH * WHERE size(found) < ${PATH_ROWS}`];
  lines.push(...hop(1).map((l) => `  ${l}`));
  for (let i = 2; i <= length; i++)
    lines.push(
      `  CALL (${before(i).join(', ')}) {`,
      ...hop(i).map((l) => `    ${l}`),
      `    RETURN ${i === length ? `r${i}` : `x${i}, r${i}`}`,
      `  }`,
    );
  const xs = Array.from({ length: length - 1 }, (_, k) => `x${k + 1}`);
  const rs = Array.from({ length }, (_, k) => `r${k + 1}`);
  lines.push(
    `  WITH [${['s', ...xs, 't'].join(', ')}] AS ns, [${rs.join(', ')}] AS rs LIMIT ${PATH_ROWS}`,
    `  RETURN collect({ns: ns, rs: rs}) AS more`,
    `}`,
    `WITH s, t, forward, found + more AS found`,
  );
  return lines.join('\n');
}

/**
 * The shortest paths between two entities, one constant per hop bound (1..6): the bound is a
 * validated integer picking a prepared statement, never text from the request.
 *
 * Degree-aware: the search starts from the end with fewer relationships and goes out one length
 * at a time (1, 2, ... hops, stopping once PATH_ROWS paths are found), each hop expanded from the
 * node already reached, so a supernode at the far end is only ever probed (Expand(Into)), never
 * expanded; hubs ({@link HUB_DEGREE}) are not walked through. Paths are simple (no node twice)
 * and come back oriented from `$from` to `$to`, shortest first.
 */
export const SHORTEST_PATHS = Array.from({ length: MAX_HOPS }, (_, i) =>
  cypher<PathRow>(
    `suspectLinks${i + 1}`,
    `MATCH (a:Entity {id: $from}), (b:Entity {id: $to}) WHERE b:${NOT_WALKED}
WITH a, b, COUNT { (a)--() } <= COUNT { (b)--() } AS forward
WITH CASE WHEN forward THEN a ELSE b END AS s, CASE WHEN forward THEN b ELSE a END AS t, forward, [] AS found
${Array.from({ length: i + 1 }, (_, k) => pathsOfLength(k + 1)).join('\n')}
UNWIND found[..${PATH_ROWS}] AS path
WITH CASE WHEN forward THEN path.ns ELSE reverse(path.ns) END AS ns,
     CASE WHEN forward THEN path.rs ELSE reverse(path.rs) END AS rs
RETURN [n IN ns | {labels: labels(n), props: properties(n)}] AS nodes,
       [r IN rs | {type: type(r), from: startNode(r).id, to: endNode(r).id, props: properties(r)}] AS rels`,
  ),
);
