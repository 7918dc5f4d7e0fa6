import { ID_KEY, dateKey, keysetStatements, recordedKey } from '../graph/keyset';
import { relationQuery } from '../graph/entities';

export const CLAIM_CLAIMANT = relationQuery('claimClaimant', '(n)-[:BY]->(m:Actor)');
export const CLAIM_HYPOTHESIS = relationQuery(
  'claimHypothesis',
  '(n)-[:SUPPORTS|DISPUTES]->(m:Hypothesis)',
);
export const CLAIM_SOURCES = relationQuery(
  'claimSources',
  '(n)-[:CITES]->(m:Source)',
  'm.publishedAt, m.id',
);
export const CLAIM_EVIDENCE = relationQuery(
  'claimEvidence',
  '(n)-[:BASED_ON]->(m:Evidence)',
  'm.tag',
);

/**
 * The claims matching a `ClaimFilter` (each filter a `$parameter`, null when not given), bound
 * as `x`. Within a list any value matches; across fields all must.
 */
const CLAIMS_MATCH = `MATCH (x:Claim)
   WHERE ($claimants IS NULL OR EXISTS { (x)-[:BY]->(a:Actor) WHERE a.id IN $claimants })
     AND ($stances IS NULL OR x.stance IN $stances)
     AND ($hypotheses IS NULL OR EXISTS { (x)-[:SUPPORTS|DISPUTES]->(h:Hypothesis) WHERE h.id IN $hypotheses })
     AND ($incidents IS NULL OR EXISTS { (x)-[:SUPPORTS|DISPUTES]->(:Hypothesis)-[:ABOUT]->(i:Incident) WHERE i.id IN $incidents })
     AND ($suspects IS NULL OR EXISTS { (x)-[:SUPPORTS|DISPUTES]->(:Hypothesis)-[:SUSPECTS]->(s:Actor) WHERE s.id IN $suspects })
     AND ($sources IS NULL OR EXISTS { (x)-[:CITES]->(s:Source) WHERE s.id IN $sources })
     AND ($statedFrom IS NULL OR x.statedAt >= $statedFrom)
     AND ($statedTo IS NULL OR x.knownFrom <= $statedTo)
     AND ($retracted IS NULL OR (x.retractedAt IS NOT NULL) = $retracted)
     AND ($recordedAfter IS NULL OR x.createdAt > $recordedAfter
          OR x.retractionRecordedAt > $recordedAfter OR x.correctedAt > $recordedAfter)`;

/** The claim list, one statement per order (`Query.claims`, `Actor.claims`, `Source.claims`). */
export const CLAIMS_LIST = keysetStatements({
  name: 'claimsList',
  match: CLAIMS_MATCH,
  orders: {
    STATED_AT: dateKey('x.statedAt'),
    RECORDED_AT: recordedKey(),
    ID: ID_KEY,
  },
});
