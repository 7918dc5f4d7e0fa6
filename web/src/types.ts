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
  timeline: { edges: { node: TimelineEntry }[] };
}
