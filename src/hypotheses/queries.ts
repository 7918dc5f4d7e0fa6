import { cypher } from '../db';
import type { NodeRow } from '../graph/entities';
import { ID_KEY, keysetStatements, recordedKey } from '../graph/keyset';

/** A source as the scoring needs it: the node, its publisher and the actor or source it relays. */
export interface SourceRow {
  source: NodeRow;
  publisher: string | null;
  /** The publisher's name, so `Source.publisher` needs no statement of its own. */
  publisherName: string | null;
  relays: string | null;
  carries: string | null;
}

/**
 * An organisation an actor belongs to (PART_OF, followed upward): what its dependency group is
 * made of. A link whose every affiliation claim was retracted by `$effective` is not followed.
 */
export interface PartRow {
  id: string;
  kind: string | null;
  country: string | null;
}

export interface ClaimRow {
  claim: NodeRow;
  stance: 'SUPPORTS' | 'DISPUTES';
  claimant: NodeRow;
  claimantParts: PartRow[];
  sources: SourceRow[];
  evidence: string[];
}

export interface RatingRow {
  rating: NodeRow;
  rater: NodeRow;
  raterParts: PartRow[];
  evidence: NodeRow;
  sources: SourceRow[];
}

/** What the bundle returns of one kind of node (see {@link BUNDLE_PROPS}). */
interface BundleKind {
  /** Properties as stored (strings, numbers, booleans). */
  props: readonly string[];
  /** Date properties, sent as `YYYY-MM-DD` strings (`toString` of a Neo4j date). */
  dates: readonly string[];
  /** Instants (DateTime), sent as ISO strings (the DateTime scalar normalises the fraction). */
  instants: readonly string[];
}

/** The provenance every recorded kind carries (GraphQL `Recorded`). */
const RECORDED = ['createdBy', 'createdByName'] as const;
const ANNOTATED = ['unverified', 'note'] as const;

/**
 * The properties of each kind the bundle returns: ONLY what the analysis reads (src/analysis
 * inputs, built in ./service.ts) and what the GraphQL fields of its type read, so Neo4j sends and
 * the driver decodes nothing else (STIX ids, import provenance, stored STIX JSON stay behind;
 * `stixIds` has its own batched statement). The entities built from these rows are offered to
 * the request's entity loader, so they must answer every field of their type: the unit test
 * src/server/projection.test.ts checks each field of each type is listed here or has a
 * resolver of its own. Dates and instants travel as strings: the driver decodes no temporal
 * structures and nothing converts them again.
 */
export const BUNDLE_PROPS = {
  Hypothesis: {
    props: ['id', 'tag', 'statement', 'prior', ...ANNOTATED, ...RECORDED],
    dates: [],
    instants: ['createdAt'],
  },
  Actor: {
    props: [
      'id',
      'name',
      'kind',
      'country',
      'description',
      'reliability',
      'access',
      ...ANNOTATED,
      ...RECORDED,
    ],
    dates: [],
    instants: ['createdAt'],
  },
  Claim: {
    props: [
      'id',
      'text',
      'textKind',
      'statedAtPrecision',
      'stance',
      'link',
      'retractedAtPrecision',
      'retractionReason',
      'credibility',
      'credibilityBefore',
      'retractedBy',
      'reinstatedBy',
      'reinstatementReason',
      ...ANNOTATED,
      ...RECORDED,
    ],
    dates: ['statedAt', 'knownFrom', 'retractedAt'],
    instants: ['createdAt', 'retractionRecordedAt', 'correctedAt', 'reinstatedAt'],
  },
  Source: {
    props: [
      'id',
      'tag',
      'title',
      'url',
      'publishedAtPrecision',
      'reliability',
      'reliabilityReason',
      ...ANNOTATED,
      ...RECORDED,
    ],
    dates: ['publishedAt', 'knownFrom'],
    instants: ['createdAt'],
  },
  Rating: {
    props: ['id', 'rating', 'ratedAtPrecision', 'rationale', ...RECORDED],
    dates: ['ratedAt', 'knownFrom'],
    instants: ['createdAt'],
  },
  Evidence: {
    props: [
      'id',
      'tag',
      'kind',
      'title',
      'description',
      'reportedAtPrecision',
      'credibility',
      'credibilityBefore',
      'credibilityReason',
      ...ANNOTATED,
      ...RECORDED,
    ],
    dates: ['reportedAt', 'knownFrom'],
    instants: ['createdAt'],
  },
} as const satisfies Record<string, BundleKind>;

/**
 * A node of the bundle as `{labels, props}`: its one type label as a literal (no `labels()`
 * call per node) and the properties {@link BUNDLE_PROPS} lists, dates and instants as strings.
 */
function node(v: string, label: keyof typeof BUNDLE_PROPS): string {
  const k: BundleKind = BUNDLE_PROPS[label];
  const fields = [
    ...k.props.map((p) => `.${p}`),
    ...[...k.dates, ...k.instants].map((d) => `${d}: toString(${v}.${d})`),
  ];
  return `{labels: ['${label}'], props: ${v} {${fields.join(', ')}}}`;
}

const SOURCE_PROJECTION = (v: string, s: string) => `COLLECT {
        MATCH (${v})-[:CITES]->(${s}:Source)
        WHERE $asOf IS NULL OR ${s}.publishedAt IS NULL OR ${s}.publishedAt <= $asOf
        RETURN {source: ${node(s, 'Source')},
                publisher: COLLECT { MATCH (${s})-[:PUBLISHED_BY]->(p) RETURN p.id }[0],
                publisherName: COLLECT { MATCH (${s})-[:PUBLISHED_BY]->(p) RETURN p.name }[0],
                relays: COLLECT { MATCH (${s})-[:RELAYS]->(o) RETURN o.id }[0],
                carries: COLLECT { MATCH (${s})-[:CARRIES]->(o) RETURN o.id }[0]} AS src
        ORDER BY ${s}.id
      }`;

const PARTS = (a: string) => `COLLECT {
        MATCH (${a})-[ps:PART_OF*1..4]->(o:Actor)
        WHERE all(p IN ps WHERE p.retractedAt IS NULL OR p.retractedAt > $effective)
        RETURN DISTINCT {id: o.id, kind: o.kind, country: o.country} AS o ORDER BY o.id
      }`;

/**
 * Everything needed to rank an incident's hypotheses, in ONE statement however many hypotheses,
 * claims and ratings there are: suspects, the sponsor (the state behind it, Q model), the claims on record by `$asOf` (not retracted by
 * `$effective`) with claimant, sources and evidence ids, and the evidence ratings on record.
 * Sources count only when published by `$asOf` (the start of their
 * period: a month-dated page may have been out that month); `$asOf` null means "everything",
 * undated claims included. Claimants and raters come with the organisations they belong to.
 */
/** The bundle's columns per hypothesis (shared by the two statements below). */
const BUNDLE_COLUMNS = `${node('h', 'Hypothesis')} AS hypothesis,
     COLLECT { MATCH (h)-[:SUSPECTS]->(s:Actor) RETURN ${node('s', 'Actor')} AS a ORDER BY s.name } AS suspects,
     COLLECT { MATCH (h)-[:SPONSORED_BY]->(s:Actor) RETURN ${node('s', 'Actor')} AS a }[0] AS sponsor,
     COLLECT {
       MATCH (c:Claim)-[st:SUPPORTS|DISPUTES]->(h)
       WHERE ($asOf IS NULL OR c.knownFrom <= $asOf) AND (c.retractedAt IS NULL OR c.retractedAt > $effective)
       MATCH (c)-[:BY]->(a:Actor)
       RETURN {claim: ${node('c', 'Claim')}, stance: type(st),
               claimant: ${node('a', 'Actor')}, claimantParts: ${PARTS('a')},
               sources: ${SOURCE_PROJECTION('c', 's')},
               evidence: COLLECT { MATCH (c)-[:BASED_ON]->(e:Evidence) RETURN e.id ORDER BY e.id }} AS row
       ORDER BY c.statedAt, c.id
     } AS claims,
     COLLECT {
       MATCH (r:Rating)-[:AGAINST]->(h)
       WHERE $asOf IS NULL OR r.knownFrom <= $asOf
       MATCH (r)-[:RATES]->(e:Evidence)
       WHERE $asOf IS NULL OR e.knownFrom <= $asOf
       MATCH (r)-[:BY]->(a:Actor)
       RETURN {rating: ${node('r', 'Rating')}, rater: ${node('a', 'Actor')}, raterParts: ${PARTS('a')},
               evidence: ${node('e', 'Evidence')},
               sources: ${SOURCE_PROJECTION('e', 's')}} AS row
       ORDER BY e.id, r.id
     } AS ratings
   ORDER BY h.tag, h.id`;

/** One row of the bundle: a hypothesis with everything its analysis and fields read. */
interface BundleColumns {
  hypothesis: NodeRow;
  suspects: NodeRow[];
  sponsor: NodeRow | null;
  claims: ClaimRow[];
  ratings: RatingRow[];
}

export const HYPOTHESES_BUNDLE = cypher<BundleColumns>(
  'hypothesesBundle',
  `MATCH (:Incident {id: $incident})<-[:ABOUT]-(h:Hypothesis)
   RETURN ${BUNDLE_COLUMNS}`,
);

/**
 * The bundle with the incident's revision on every row, read FIRST in the same statement (one
 * statement, one server: the rows are at least as new as the revision they are stored under).
 * What the analysis cache loads on a miss: one statement instead of a transaction of two.
 */
export const HYPOTHESES_BUNDLE_AT_REVISION = cypher<BundleColumns & { revision: number }>(
  'hypothesesBundleAtRevision',
  `OPTIONAL MATCH (rev:Revision {incident: $incident})
   WITH coalesce(rev.value, 0) AS revision
   MATCH (:Incident {id: $incident})<-[:ABOUT]-(h:Hypothesis)
   RETURN revision, ${BUNDLE_COLUMNS}`,
);

/** Which of the given ids exist, per label (to reject unknown ids in `exclude`). */
export const EXISTING_IDS = cypher<{ id: string }>(
  'existingIds',
  'MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id',
);

/** The hypotheses matching a `HypothesisFilter`, bound as `x`. */
const HYPOTHESES_MATCH = `MATCH (x:Hypothesis)
   WHERE ($incidents IS NULL OR EXISTS { (x)-[:ABOUT]->(i:Incident) WHERE i.id IN $incidents })
     AND ($suspects IS NULL OR EXISTS { (x)-[:SUSPECTS]->(s:Actor) WHERE s.id IN $suspects })
     AND ($supportedBy IS NULL OR EXISTS {
       (x)<-[:SUPPORTS]-(c:Claim)-[:BY]->(a:Actor) WHERE a.id IN $supportedBy AND c.retractedAt IS NULL })
     AND ($disputedBy IS NULL OR EXISTS {
       (x)<-[:DISPUTES]-(c:Claim)-[:BY]->(a:Actor) WHERE a.id IN $disputedBy AND c.retractedAt IS NULL })
     AND ($recordedAfter IS NULL OR x.createdAt > $recordedAfter)`;

/** The hypothesis list (`Query.hypotheses`, `Actor.suspectedIn`), one statement per order. */
export const HYPOTHESES_LIST = keysetStatements({
  name: 'hypothesesList',
  match: HYPOTHESES_MATCH,
  orders: {
    STARTED_AT: `coalesce(toString(COLLECT { MATCH (x)-[:ABOUT]->(i:Incident) RETURN i.startedAt }[0]), '~') + '|' + coalesce(x.tag, '')`,
    TAG: `coalesce(x.tag, '')`,
    ID: ID_KEY,
    RECORDED_AT: recordedKey(),
  },
});
