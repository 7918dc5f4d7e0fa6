export { Db, WriteTx, cypher, createDriver } from './driver';
export type { DbLimits, Query, ReadTx } from './driver';
export { connect } from './connect';
export type { Connection } from './connect';
export { migrate, schemaApplied, listMigrations, splitStatements } from './migrate';
export { startLocalNeo4j, stopLocalNeo4j, buildLauncher, portInUse } from './local';
export { toDate, toIsoDate, cleanProps } from './values';
