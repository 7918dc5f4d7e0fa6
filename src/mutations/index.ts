export { mutationResolvers } from './resolvers';
export {
  addAffiliation,
  addAlias,
  addOpinion,
  auditLog,
  correctText,
  createActor,
  createApiKey,
  createClaim,
  createEvidence,
  createHypothesis,
  createIncident,
  createSource,
  keyView,
  rateEvidence,
  retractClaim,
  revokeApiKey,
} from './service';
export type { Caller } from './service';
