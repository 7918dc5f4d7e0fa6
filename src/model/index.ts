export {
  NODE_KINDS,
  LABELS,
  TYPE_OF_LABEL,
  REL_KINDS,
  REL_TYPES,
  CLAIM_LINK_TYPES,
  PLAIN_REL_TYPES,
  TECHNICAL_LINK_TYPES,
  ARTIFACT_LABELS,
  claimLinkProps,
  claimLinkEnds,
  isLabel,
  isArtifactLabel,
  isTechnicalLinkType,
  labelList,
  nodeLabels,
} from './kinds';
export type {
  Label,
  RelType,
  ClaimLinkType,
  PlainRelType,
  TechnicalLinkType,
  ArtifactLabel,
  NodeKind,
  RelKind,
} from './kinds';
export {
  ActorKind,
  Stance,
  ClaimStance,
  TextKind,
  DatePrecision,
  AchRating,
  EvidenceKind,
  EventKind,
  Reliability,
  OpinionValue,
  TechnicalLink,
  ArtifactKind,
  LocationType,
  ObservableType,
  graphqlEnum,
  graphqlEnumName,
} from './enums';
export {
  parsePartialDate,
  partialDateOf,
  PartialDate,
  PartialDateOrUnknown,
  PARTIAL_DATE_MESSAGE,
  dateProps,
  startDate,
} from './dates';
export type { ParsedDate, Precision } from './dates';
export {
  STIX_NAMESPACE,
  EVIDENCE_TYPE,
  EVENT_TYPE,
  NATIVE_STIX_TYPES,
  NATIVE_STIX_MISSING,
  NATIVE_STIX_SET,
  SUSPECTS_STIX_MISSING,
  SUSPECTS_STIX_SET,
  attributedToStixId,
  nativeStixProps,
  observableStixId,
  relStixProps,
  stixId,
} from './stixIds';
export { uuidv5 } from './uuid';
export { SLUG, MAX_ID_LENGTH, slug, text, slugify, shortSuffix, newId, aliasNodeId } from './ids';
export {
  MERGE_CLAIM_LINK,
  claimLinkCypher,
  groupClaimLinkRows,
  aliasClaimText,
  affiliationClaimText,
  technicalClaimText,
  ARTIFACT_LABEL_OF_KIND,
  KIND_OF_ARTIFACT_LABEL,
  linkTypeOf,
  technicalLinkOf,
} from './claimLinks';
export type { ClaimLinkRow } from './claimLinks';
export {
  artifactSearchText,
  refreshSpecificity,
  REFRESH_SPECIFICITY,
  REFRESH_ARTIFACT_USERS,
} from './artifacts';
export type { ArtifactSearchFields } from './artifacts';
