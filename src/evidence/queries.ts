import { relationQuery } from '../graph/entities';
import { ID_KEY, dateKey, keysetStatements, recordedKey } from '../graph/keyset';

export const EVIDENCE_SOURCES = relationQuery(
  'evidenceSources',
  '(n)-[:CITES]->(m:Source)',
  'm.publishedAt, m.id',
);
export const EVIDENCE_RATINGS = relationQuery(
  'evidenceRatings',
  '(n)<-[:RATES]-(m:Rating)',
  'm.knownFrom, m.id',
);
export const RATING_HYPOTHESIS = relationQuery(
  'ratingHypothesis',
  '(n)-[:AGAINST]->(m:Hypothesis)',
);
export const EVIDENCE_INCIDENT = relationQuery(
  'evidenceIncident',
  '(n)-[:OBSERVED_IN]->(m:Incident)',
);
export const EVIDENCE_CLAIMS = relationQuery(
  'evidenceClaims',
  '(n)<-[:BASED_ON]-(m:Claim)',
  'm.statedAt, m.id',
);
export const RATING_RATER = relationQuery('ratingRater', '(n)-[:BY]->(m:Actor)');
export const RATING_SOURCES = relationQuery(
  'ratingSources',
  '(n)-[:CITES]->(m:Source)',
  'm.publishedAt, m.id',
);

/** The evidence matching an `EvidenceFilter`, bound as `x`. */
const EVIDENCE_MATCH = `MATCH (x:Evidence)
   WHERE ($incidents IS NULL OR EXISTS { (x)-[:OBSERVED_IN]->(i:Incident) WHERE i.id IN $incidents })
     AND ($kinds IS NULL OR x.kind IN $kinds)
     AND ($rated IS NULL OR EXISTS { (x)<-[:RATES]-(:Rating) } = $rated)
     AND ($reportedFrom IS NULL OR x.reportedAt >= $reportedFrom)
     AND ($reportedTo IS NULL OR x.knownFrom <= $reportedTo)
     AND ($recordedAfter IS NULL OR x.createdAt > $recordedAfter)`;

/** The evidence list (`Query.evidence`, `Incident.evidence`), one statement per order. */
export const EVIDENCE_LIST = keysetStatements({
  name: 'evidenceList',
  match: EVIDENCE_MATCH,
  orders: {
    REPORTED_AT: dateKey('x.reportedAt'),
    TAG: `coalesce(x.tag, '')`,
    ID: ID_KEY,
    RECORDED_AT: recordedKey(),
  },
});
