// The shapes the explorer reads from the API (a subset of schema/*.graphql).

export interface ActorRef {
  id: string;
  name: string;
  kind: string;
}

export interface SourceRef {
  id: string;
  title: string;
  publisher: string;
  url: string | null;
  publishedAt: string | null;
}

export interface ClaimItem {
  id: string;
  text: string;
  textKind: 'QUOTE' | 'PARAPHRASE';
  statedAt: string | null;
  statedAtPrecision: string;
  stance: string;
  retractedAt: string | null;
  sources: SourceRef[];
  hypothesis?: { id: string; tag: string; statement: string } | null;
}

export interface Position {
  actor: ActorRef;
  claims: ClaimItem[];
}

export interface Contribution {
  kind: string;
  points: number;
}

export interface Hypothesis {
  id: string;
  tag: string;
  statement: string;
  suspects: ActorRef[];
  supporters: Position[];
  opponents: Position[];
  assessment: {
    rank: number;
    likelihood: string;
    likelihoodBand: string;
    confidence: string;
    confidenceReason: string;
    score: number;
    probability: number;
    explanation: Contribution[];
  };
}

export interface TimelineEntry {
  date: string | null;
  datePrecision: string;
  event: { id: string; title: string; kind: string; description: string } | null;
  claim: { id: string } | null;
}

export interface IncidentHead {
  id: string;
  name: string;
  summary: string;
  kind: string;
  startedAt: string | null;
  related: { relation: string; incident: { id: string; name: string } }[];
  timeline: {
    edges: { node: TimelineEntry }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

export type AchRatingWord =
  | 'VERY_CONSISTENT'
  | 'CONSISTENT'
  | 'NEUTRAL'
  | 'INCONSISTENT'
  | 'VERY_INCONSISTENT'
  | 'NOT_APPLICABLE';

export interface EvidenceRatingItem {
  id: string;
  rating: AchRatingWord;
  ratedAt: string | null;
  rationale: string;
  ratedBy: ActorRef;
  sources: SourceRef[];
}

export interface AchCellData {
  consensus: number | null;
  rating: AchRatingWord | null;
  disagreement: number;
  ratings: EvidenceRatingItem[];
}

export interface AchEvidence {
  id: string;
  tag: string;
  kind: string;
  title: string;
  description: string;
  credibility: number;
  credibilityReason: string;
  reportedAt: string | null;
  reportedAtPrecision: string;
  unverified: boolean;
  sources: SourceRef[];
}

export interface AchRowData {
  evidence: AchEvidence;
  weight: number;
  diagnosticity: number;
  cells: AchCellData[];
}

export interface AchHypothesis {
  id: string;
  tag: string;
  statement: string;
  assessment: { rank: number; score: number; probability: number; likelihood: string };
}

export interface AchMatrixData {
  hypotheses: AchHypothesis[];
  rows: AchRowData[];
  columns: {
    hypothesis: { id: string };
    weightedInconsistency: number;
    inconsistentItems: number;
  }[];
}

export interface CriticalItemData {
  kind: 'SOURCE' | 'CLAIMANT' | 'EVIDENCE';
  id: string;
  item:
    | { __typename: 'Source'; id: string; title: string; publisher: string; url: string | null }
    | { __typename: 'Actor'; id: string; name: string }
    | { __typename: 'Evidence'; id: string; tag: string; title: string }
    | { __typename: string; id: string }
    | null;
  top: { id: string; tag: string };
  ranking: {
    hypothesis: { id: string; tag: string };
    rank: number;
    score: number;
    probability: number;
    likelihood: string;
  }[];
}

export interface TrajectoryPoint {
  date: string;
  changes: number;
  hypotheses: {
    hypothesis: { id: string; tag: string; statement: string };
    rank: number;
    probability: number;
    likelihood: string;
    likelihoodBand: string;
  }[];
}
