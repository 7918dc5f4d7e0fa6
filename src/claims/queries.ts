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
