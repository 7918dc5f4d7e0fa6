/**
 * What the method reads: one incident's hypotheses, items of evidence (with every party's
 * reading of each cell), parties' findings (claims) and the actors behind them, as they stood
 * on one date. Plain data, built by src/hypotheses/service.ts from the bundle statement.
 */
import type { Access, AchRating, Reliability } from './constants';

/** A page that carried an item or a finding. */
export interface SourceSpec {
  id: string;
  /** The carrier's Admiralty grade (the page as a channel: its fidelity, not the originator's reliability). */
  fidelity: Reliability;
  /** The upstream page (follows `carries` to the end): pages with the same root are one report. */
  root?: string;
}

/** A party, with the grades the method uses. */
export interface ActorSpec {
  id: string;
  name: string;
  kind?: string | null;
  country?: string | null;
  /** Admiralty reliability of the party as an originator (A-F); F when not graded. */
  reliability?: Reliability | null;
  /** What the party could see when it concluded; `public` when not recorded. */
  access?: Access | null;
  /** Organisations the party belongs to (PART_OF, followed upward). */
  parts?: { id: string; kind?: string | null; country?: string | null }[];
}

/** A hypothesis of the set (mutually exclusive, exhaustive with its "other or unknown"). */
export interface HypothesisSpec {
  id: string;
  tag: string;
  /** Prior weight (normalised over the set); uniform when absent. */
  prior?: number | null;
  /** Actor ids the hypothesis names. */
  suspects: string[];
  /** The state behind it at the strategic level (Q model), when it names one. */
  sponsor?: string | null;
  sponsorName?: string | null;
}

/** One party's reading of an item against one hypothesis (an ACH rating). */
export interface ReadingSpec {
  id: string;
  hypothesisId: string;
  rating: AchRating;
  raterId: string;
  /** Day from which the reading is on record: a later reading by the case analysts supersedes an earlier one. */
  knownFrom?: string | null;
}

/** An item of evidence with its readings. */
export interface ItemSpec {
  id: string;
  tag: string;
  title: string;
  /** Evidence kind (malware, infrastructure, motive, official-statement, classified...). */
  kind?: string | null;
  /** Admiralty information credibility (1-6) as it stood on the date asked. */
  credibility: number;
  sources: SourceSpec[];
  readings: ReadingSpec[];
  /** Day from which it is on record (YYYY-MM-DD), for the order of the log-odds steps. */
  knownFrom?: string | null;
}

/** A party's finding (a claim) for or against one hypothesis. */
export interface FindingSpec {
  id: string;
  claimantId: string;
  stance: 'supports' | 'disputes';
  hypothesisId: string;
  /** Admiralty information credibility (1-6) as it stood on the date asked; null = 6. */
  credibility: number | null;
  sources: SourceSpec[];
  /** Items of evidence the finding says it rests on (BASED_ON). */
  basis: string[];
  knownFrom?: string | null;
}

/** Everything the method needs for one incident on one date. */
export interface CaseInput {
  hypotheses: HypothesisSpec[];
  items: ItemSpec[];
  findings: FindingSpec[];
  actors: ActorSpec[];
}
