export { Db, WriteTx, cypher, createDriver } from './driver';
export type { DbLimits, Query, ReadTx } from './driver';
export { connect, neo4jPassword } from './connect';
export type { Connection } from './connect';
export { migrate, schemaApplied, listMigrations, splitStatements } from './migrate';
export {
  startLocalNeo4j,
  stopLocalNeo4j,
  buildLauncher,
  localPassword,
  passwordFile,
  portInUse,
} from './local';
export { toDate, toIsoDate, cleanProps } from './values';
