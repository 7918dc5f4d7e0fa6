export { exportImported, exportStix } from './export';
export type { ExportOptions } from './export';
export { importStix } from './import';
export type { ImportOptions, ImportProgress, ImportReport, TypeCounts } from './import';
export { StixFormatError, streamBundle, checkObject } from './reader';
export {
  stixId,
  sortObjects,
  credibilityToConfidence,
  confidenceToCredibility,
  STIX_NAMESPACE,
  X_ID,
} from './model';
export type { StixBundle, StixObject } from './model';
export { uuidv5 } from './uuid';
