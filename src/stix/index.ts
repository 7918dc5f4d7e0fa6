export { exportImported, exportStix, extensionObjects } from './export';
export type { ExportOptions } from './export';
export { importStix } from './import';
export type { ImportOptions, ImportProgress, ImportReport, TypeCounts } from './import';
export { StixFormatError, streamBundle, checkObject } from './reader';
export {
  stixId,
  stixIdOfNode,
  STIX_TYPE_OF_LABEL,
  EXTENSION_ID,
  sortObjects,
  credibilityToConfidence,
  confidenceToCredibility,
  STIX_NAMESPACE,
  X_ID,
} from './model';
export type { StixBundle, StixObject } from './model';
export { uuidv5 } from '../model';
export { STIX_FACTS, BY_STORED_STIX_ID, stixIdsOf, stixTypeOf } from './bridge';
export type { StixFacts } from './bridge';
export { stixBridgeResolvers } from './resolvers';
export { stixBundleResolvers } from './bundleResolvers';
