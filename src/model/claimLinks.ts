import { cypher, type Query } from '../db';
import type { ArtifactKind, TechnicalLink } from './enums';
import {
  CLAIM_LINK_TYPES,
  claimLinkProps,
  type ArtifactLabel,
  type ClaimLinkType,
  type TechnicalLinkType,
} from './kinds';

/**
 * Links that claims materialise. "MITRE ATT&CK gives Guardians of Peace as a name of Lazarus
 * Group" is a Claim node; the shortcut `(lazarus-group)-[:KNOWN_AS]->(guardians-of-peace)` is
 * kept beside it for traversal and lists in `claims` the id of every claim asserting it. Every
 * writer (seed, mutations, STIX import) merges such a link with ONE statement per type, so they
 * all behave alike:
 *
 * - one relationship per (from, type, to);
 * - `claims` is a set: a claim id is added once, ids already there (from any writer) are kept;
 * - the link's properties (`name`, `role`) are the first claim's: later claims never overwrite them;
 * - provenance (`prov`, e.g. createdBy/createdAt) is set when the link is created;
 * - nothing is written when the link already lists every claim id: a reload changes nothing.
 */

/** One link to merge: the ends, the claim ids asserting it, its properties and provenance. */
export interface ClaimLinkRow {
  from: string;
  to: string;
  claims: string[];
  props?: Record<string, unknown>;
  prov?: Record<string, unknown>;
}

/** The merge statement of one materialised link type (properties named by the registry). */
export function claimLinkCypher(type: ClaimLinkType): string {
  const props = claimLinkProps(type);
  const missing = props.map((p) => ` OR (r.${p} IS NULL AND row.props.${p} IS NOT NULL)`).join('');
  const set = props.map((p) => `, r.${p} = coalesce(r.${p}, row.props.${p})`).join('');
  return `UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:${type}]->(b)
ON CREATE SET r += coalesce(row.prov, {})
WITH r, row, coalesce(r.claims, []) AS had
WITH r, row, had, reduce(acc = [], c IN row.claims | CASE WHEN c IN had OR c IN acc THEN acc ELSE acc + c END) AS added
WHERE size(added) > 0${missing}
SET r.claims = had + added${set}
RETURN row.from AS id`;
}

/**
 * Rows of one link type grouped by their ends (claims united, the first row's properties and
 * provenance): the merge statement reads `r.claims` once per row, so two rows of one batch for the
 * same link would each see the link without the other's claim, and the second claim id would be
 * lost. Every batched writer sends rows through this first.
 */
export function groupClaimLinkRows(rows: readonly ClaimLinkRow[]): ClaimLinkRow[] {
  const byEnds = new Map<string, ClaimLinkRow>();
  for (const row of rows) {
    const key = `${row.from}\u0000${row.to}`;
    const had = byEnds.get(key);
    if (!had) byEnds.set(key, { ...row, claims: [...new Set(row.claims)] });
    else for (const c of row.claims) if (!had.claims.includes(c)) had.claims.push(c);
  }
  return [...byEnds.values()];
}

/** The merge statement per materialised link type; returns the `from` id of each link it changed. */
export const MERGE_CLAIM_LINK = Object.fromEntries(
  CLAIM_LINK_TYPES.map((type) => [
    type,
    cypher<{ id: string }>(`claimLinkMerge${type}`, claimLinkCypher(type)),
  ]),
) as Record<ClaimLinkType, Query<{ id: string }>>;

/** The generated text of an alias claim. */
export function aliasClaimText(
  claimant: string | undefined,
  alias: string,
  actor: string | undefined,
): string {
  return `${claimant} gives "${alias}" as a name of ${actor}.`;
}

/** The generated text of an affiliation claim. */
export function affiliationClaimText(
  claimant: string | undefined,
  member: string | undefined,
  organisation: string | undefined,
  role?: string | null,
): string {
  return `${claimant} places ${member} within ${organisation}${role ? ` (${role})` : ''}.`;
}

/** The relationship type of a technical link: `communicates-with` -> `COMMUNICATES_WITH`. */
export const linkTypeOf = (link: TechnicalLink): TechnicalLinkType =>
  link.toUpperCase().replace(/-/g, '_') as TechnicalLinkType;

/** The technical link a relationship type stands for: `COMMUNICATES_WITH` -> `communicates-with`. */
export const technicalLinkOf = (type: TechnicalLinkType): TechnicalLink =>
  type.toLowerCase().replace(/_/g, '-') as TechnicalLink;

/** The node label of each artifact kind, and back. */
export const ARTIFACT_LABEL_OF_KIND: Record<ArtifactKind, ArtifactLabel> = {
  malware: 'Malware',
  tool: 'Tool',
  infrastructure: 'Infrastructure',
  'attack-pattern': 'AttackPattern',
  indicator: 'Indicator',
  vulnerability: 'Vulnerability',
  observable: 'Observable',
};
export const KIND_OF_ARTIFACT_LABEL = Object.fromEntries(
  Object.entries(ARTIFACT_LABEL_OF_KIND).map(([k, l]) => [l, k]),
) as Record<ArtifactLabel, ArtifactKind>;

const LINK_VERB: Record<TechnicalLink, string> = {
  uses: 'uses',
  'communicates-with': 'communicates with',
  indicates: 'indicates',
  'variant-of': 'is a variant of',
  drops: 'drops',
  'resolves-to': 'resolves to',
  targets: 'targets',
  'located-at': 'is located at',
  'observed-in': 'was observed in',
};

/** The generated text of a technical-link claim ("US-CERT says SMB Worm Tool communicates with 88.53.215.64."). */
export function technicalClaimText(
  claimant: string | undefined,
  link: TechnicalLink,
  from: string | undefined,
  to: string | undefined,
): string {
  return `${claimant} says ${from} ${LINK_VERB[link]} ${to}.`;
}
