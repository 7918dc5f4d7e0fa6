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
  /**
   * Technical artifacts (named as in STIX 2.1) also carry the shared `:Artifact` label, for
   * uniqueness and search; `stixType` is the STIX type of the kind (an Observable's own STIX
   * type, `ipv4-addr`, `file`, ..., is stored on the node).
   */
  artifact?: { stixType: string };
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
  /**
   * A place (STIX `location`): a region, country, administrative area, city or point. Actors
   * and artifacts are linked to it by claims (TARGETS: victimology; LOCATED_AT).
   */
  Location: { type: 'Location' },
  Malware: { type: 'Malware', artifact: { stixType: 'malware' } },
  Tool: { type: 'Tool', artifact: { stixType: 'tool' } },
  Infrastructure: { type: 'Infrastructure', artifact: { stixType: 'infrastructure' } },
  AttackPattern: { type: 'AttackPattern', artifact: { stixType: 'attack-pattern' } },
  Indicator: { type: 'Indicator', artifact: { stixType: 'indicator' } },
  Vulnerability: { type: 'Vulnerability', artifact: { stixType: 'vulnerability' } },
  Observable: { type: 'Observable', artifact: { stixType: 'observable' } },
} as const satisfies Record<string, NodeKind>;

export type Label = keyof typeof NODE_KINDS;

/** Every node label, in a fixed order (the order the seed writes them in). */
export const LABELS = Object.keys(NODE_KINDS) as Label[];

/** GraphQL type per node label. */
export const TYPE_OF_LABEL: Readonly<Record<string, string>> = Object.fromEntries(
  LABELS.map((l) => [l, NODE_KINDS[l].type]),
);

type ArtifactOf<K> = K extends Label
  ? (typeof NODE_KINDS)[K] extends { artifact: object }
    ? K
    : never
  : never;
/** The labels of technical artifacts (each node of them is also `:Artifact`). */
export type ArtifactLabel = ArtifactOf<Label>;
export const ARTIFACT_LABELS = LABELS.filter((l) => 'artifact' in NODE_KINDS[l]) as ArtifactLabel[];
export const isArtifactLabel = (s: string): s is ArtifactLabel =>
  (ARTIFACT_LABELS as string[]).includes(s);

const LABEL_LISTS = {} as Record<Label, readonly string[]>;
for (const l of LABELS)
  LABEL_LISTS[l] = isArtifactLabel(l) ? ['Entity', 'Artifact', l] : ['Entity', l];

/** The labels a node of `label` is created with, as a list (one shared array per label). */
export const labelList = (label: Label): readonly string[] => LABEL_LISTS[label];

/** The labels a node of `label` is created with, for Cypher templates: `Entity:Artifact:Malware`. */
export const nodeLabels = (label: Label): string => LABEL_LISTS[label].join(':');

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
  /**
   * Present on links materialised from claims: the link properties the first claim sets, and
   * whether it is a technical link (asserted by an `asserts-link` claim naming the type).
   */
  claimLink?: {
    props: readonly string[];
    technical?: boolean;
    /** Where a claim may start the link, when narrower than `from` (OBSERVED_IN: artifacts only). */
    from?: readonly Label[];
  };
  /** Also written directly between some ends (OBSERVED_IN: Evidence -> Incident). */
  plain?: boolean;
}

const ARTIFACTS = [
  'Malware',
  'Tool',
  'Infrastructure',
  'AttackPattern',
  'Indicator',
  'Vulnerability',
  'Observable',
] as const;

/** Relationship types (see the table in docs/data-model.md). */
export const REL_KINDS = {
  RELATED_TO: { from: ['Incident'], to: ['Incident'] },
  CITES: {
    from: ['Claim', 'Evidence', 'Rating', 'Event', 'Incident', ...ARTIFACTS],
    to: ['Source'],
  },
  ABOUT: { from: ['Hypothesis', 'Evidence'], to: ['Incident', ...ARTIFACTS] },
  SUSPECTS: { from: ['Hypothesis'], to: ['Actor'] },
  /** The state behind a hypothesis at the strategic level (Q model); hypotheses sharing it add up to a marginal. */
  SPONSORED_BY: { from: ['Hypothesis'], to: ['Actor'] },
  BY: { from: ['Claim', 'Rating'], to: ['Actor'] },
  SUPPORTS: { from: ['Claim'], to: ['Hypothesis'] },
  DISPUTES: { from: ['Claim'], to: ['Hypothesis'] },
  BASED_ON: { from: ['Claim'], to: ['Evidence'] },
  SUBJECT: { from: ['Claim'], to: ['Actor', 'Location', ...ARTIFACTS] },
  OBJECT: { from: ['Claim'], to: ['Actor', 'Alias', 'Incident', 'Location', ...ARTIFACTS] },
  KNOWN_AS: { from: ['Actor'], to: ['Actor', 'Alias'], claimLink: { props: ['name'] } },
  PART_OF: { from: ['Actor'], to: ['Actor'], claimLink: { props: ['role'] } },
  // Evidence -> Incident is written directly; Artifact -> Incident is materialised from claims.
  OBSERVED_IN: {
    from: ['Evidence', ...ARTIFACTS],
    to: ['Incident'],
    claimLink: { props: [], technical: true, from: ARTIFACTS },
    plain: true,
  },
  RATES: { from: ['Rating'], to: ['Evidence'] },
  AGAINST: { from: ['Rating'], to: ['Hypothesis'] },
  PUBLISHED_BY: { from: ['Source'], to: ['Actor'] },
  RELAYS: { from: ['Source'], to: ['Actor'] },
  CARRIES: { from: ['Source'], to: ['Source'] },
  IN: { from: ['Event'], to: ['Incident'] },
  INVOLVES: { from: ['Event'], to: ['Actor'] },
  // Technical links, each materialised from claims ("US-CERT says the SMB worm tool contacts this IP").
  USES: {
    from: ['Actor', 'Malware', 'Tool', 'Incident'],
    to: ['Malware', 'Tool', 'AttackPattern', 'Infrastructure', 'Vulnerability'],
    claimLink: { props: [], technical: true },
  },
  COMMUNICATES_WITH: {
    from: ['Malware', 'Tool', 'Infrastructure', 'Observable'],
    to: ['Infrastructure', 'Observable'],
    claimLink: { props: [], technical: true },
  },
  INDICATES: {
    from: ['Indicator', 'Observable'],
    to: ['Malware', 'Tool', 'AttackPattern', 'Actor', 'Infrastructure'],
    claimLink: { props: [], technical: true },
  },
  VARIANT_OF: {
    from: ['Malware', 'Tool'],
    to: ['Malware', 'Tool'],
    claimLink: { props: [], technical: true },
  },
  DROPS: {
    from: ['Malware', 'Tool'],
    to: ['Malware', 'Tool', 'Observable'],
    claimLink: { props: [], technical: true },
  },
  RESOLVES_TO: {
    from: ['Observable'],
    to: ['Observable'],
    claimLink: { props: [], technical: true },
  },
  TARGETS: {
    from: ['Malware', 'Tool', 'AttackPattern', 'Actor'],
    to: ['Vulnerability', 'Infrastructure', 'Observable', 'Location'],
    claimLink: { props: [], technical: true },
  },
  /** Where an actor, infrastructure or place is (a city in a country, a country in a region). */
  LOCATED_AT: {
    from: ['Actor', 'Infrastructure', 'Location'],
    to: ['Location'],
    claimLink: { props: [], technical: true },
  },
  /** A reference of a kept STIX object (`field`: source_ref, object_refs...) to what it names. */
  STIX_REF: {
    from: ['StixObject', 'Location', ...ARTIFACTS],
    to: [
      'StixObject',
      'Actor',
      'Incident',
      'Source',
      'Claim',
      'Hypothesis',
      'Alias',
      'Location',
      'Evidence',
      ...ARTIFACTS,
    ],
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
export type PlainRelType = Exclude<RelType, ClaimLinkType> | 'OBSERVED_IN';
/** Technical link types: asserted by `asserts-link` claims, as-of aware through their claims. */
export type TechnicalLinkType = Exclude<ClaimLinkType, 'KNOWN_AS' | 'PART_OF'>;

export const CLAIM_LINK_TYPES = REL_TYPES.filter(
  (t) => 'claimLink' in REL_KINDS[t],
) as ClaimLinkType[];
export const PLAIN_REL_TYPES = REL_TYPES.filter(
  (t) => !('claimLink' in REL_KINDS[t]) || (REL_KINDS[t] as RelKind).plain,
) as PlainRelType[];
export const TECHNICAL_LINK_TYPES = CLAIM_LINK_TYPES.filter(
  (t) => (REL_KINDS[t] as RelKind).claimLink?.technical,
) as TechnicalLinkType[];
export const isTechnicalLinkType = (s: string): s is TechnicalLinkType =>
  (TECHNICAL_LINK_TYPES as string[]).includes(s);

/** The labels a claim-asserted link of `type` may start and end at (seed, mutations, STIX). */
export function claimLinkEnds(type: ClaimLinkType): {
  from: readonly Label[];
  to: readonly Label[];
} {
  const kind = REL_KINDS[type] as RelKind;
  return { from: kind.claimLink!.from ?? kind.from, to: kind.to };
}

/** The properties a materialised link takes from its first claim (`name` for KNOWN_AS, ...). */
export const claimLinkProps = (type: ClaimLinkType): readonly string[] =>
  (REL_KINDS[type] as RelKind).claimLink!.props;
