/**
 * The kinds of the graph: node labels and relationship types, declared once. The seed loader,
 * the mutations, the STIX importer and the resolvers take their labels and types from here, so
 * adding a kind is one entry below plus its SDL (schema/*.graphql) and, when it is new to
 * search or uniqueness, a migration (schema/migrations/).
 */

/** One node kind: its GraphQL type. Every node also carries the shared `:Entity` label. */
export interface NodeKind {
  /** The GraphQL object type that serves this label. */
  type: string;
}

/** Node labels (the `:Entity` label is shared by all and not listed). See docs/data-model.md. */
export const NODE_KINDS = {
  Incident: { type: 'Incident' },
  Actor: { type: 'Actor' },
  Alias: { type: 'Alias' },
  Hypothesis: { type: 'Hypothesis' },
  Claim: { type: 'Claim' },
  Evidence: { type: 'Evidence' },
  Rating: { type: 'EvidenceRating' },
  Source: { type: 'Source' },
  Event: { type: 'Event' },
  /** An analyst's opinion of a hypothesis (STIX `opinion`), recorded by `addOpinion`. */
  Opinion: { type: 'Opinion' },
  /**
   * A STIX object the model has no place for (x-mitre-*, extension SDOs, SCOs, relationships
   * other than attributed-to, revoked or deprecated objects), kept whole by the STIX importer:
   * `stixJson` intact, references as STIX_REF. Out of every view (they list the labels above).
   */
  StixObject: { type: 'StixObject' },
} as const satisfies Record<string, NodeKind>;

export type Label = keyof typeof NODE_KINDS;

/** Every node label, in a fixed order (the order the seed writes them in). */
export const LABELS = Object.keys(NODE_KINDS) as Label[];

/** GraphQL type per node label. */
export const TYPE_OF_LABEL: Readonly<Record<string, string>> = Object.fromEntries(
  LABELS.map((l) => [l, NODE_KINDS[l].type]),
);

/** True when `s` is a node label of the registry (for checks on strings from the database). */
export const isLabel = (s: string): s is Label => Object.hasOwn(NODE_KINDS, s);

/**
 * One relationship kind: the labels at each end, and, for a link that claims materialise (an
 * alias, an affiliation), the properties taken from the first claim asserting it. Such a link
 * lists in `claims` the id of every claim asserting it (see {@link ../model/claimLinks}).
 */
export interface RelKind {
  from: readonly Label[];
  to: readonly Label[];
  /** Present on links materialised from claims: the link properties the first claim sets. */
  claimLink?: { props: readonly string[] };
}

/** Relationship types (see the table in docs/data-model.md). */
export const REL_KINDS = {
  RELATED_TO: { from: ['Incident'], to: ['Incident'] },
  CITES: { from: ['Claim', 'Evidence', 'Rating', 'Event', 'Incident'], to: ['Source'] },
  ABOUT: { from: ['Hypothesis'], to: ['Incident'] },
  SUSPECTS: { from: ['Hypothesis'], to: ['Actor'] },
  /** The state behind a hypothesis at the strategic level (Q model); hypotheses sharing it add up to a marginal. */
  SPONSORED_BY: { from: ['Hypothesis'], to: ['Actor'] },
  BY: { from: ['Claim', 'Rating'], to: ['Actor'] },
  SUPPORTS: { from: ['Claim'], to: ['Hypothesis'] },
  DISPUTES: { from: ['Claim'], to: ['Hypothesis'] },
  BASED_ON: { from: ['Claim'], to: ['Evidence'] },
  SUBJECT: { from: ['Claim'], to: ['Actor'] },
  OBJECT: { from: ['Claim'], to: ['Actor', 'Alias'] },
  KNOWN_AS: { from: ['Actor'], to: ['Actor', 'Alias'], claimLink: { props: ['name'] } },
  PART_OF: { from: ['Actor'], to: ['Actor'], claimLink: { props: ['role'] } },
  OBSERVED_IN: { from: ['Evidence'], to: ['Incident'] },
  RATES: { from: ['Rating'], to: ['Evidence'] },
  AGAINST: { from: ['Rating'], to: ['Hypothesis'] },
  PUBLISHED_BY: { from: ['Source'], to: ['Actor'] },
  RELAYS: { from: ['Source'], to: ['Actor'] },
  CARRIES: { from: ['Source'], to: ['Source'] },
  IN: { from: ['Event'], to: ['Incident'] },
  INVOLVES: { from: ['Event'], to: ['Actor'] },
  /** A reference of a kept STIX object (`field`: source_ref, object_refs...) to what it names. */
  STIX_REF: {
    from: ['StixObject'],
    to: ['StixObject', 'Actor', 'Incident', 'Source', 'Claim', 'Hypothesis', 'Alias'],
  },
} as const satisfies Record<string, RelKind>;

export type RelType = keyof typeof REL_KINDS;

/** Every relationship type, in a fixed order (the order the seed writes them in). */
export const REL_TYPES = Object.keys(REL_KINDS) as RelType[];

type ClaimLinkOf<K> = K extends keyof typeof REL_KINDS
  ? (typeof REL_KINDS)[K] extends { claimLink: object }
    ? K
    : never
  : never;

/** Relationship types that claims materialise (they carry `claims`: the ids asserting them). */
export type ClaimLinkType = ClaimLinkOf<RelType>;
/** Relationship types written directly (no claim behind them). */
export type PlainRelType = Exclude<RelType, ClaimLinkType>;

export const CLAIM_LINK_TYPES = REL_TYPES.filter(
  (t) => 'claimLink' in REL_KINDS[t],
) as ClaimLinkType[];
export const PLAIN_REL_TYPES = REL_TYPES.filter(
  (t) => !('claimLink' in REL_KINDS[t]),
) as PlainRelType[];

/** The properties a materialised link takes from its first claim (`name` for KNOWN_AS, ...). */
export const claimLinkProps = (type: ClaimLinkType): readonly string[] =>
  (REL_KINDS[type] as RelKind).claimLink!.props;
