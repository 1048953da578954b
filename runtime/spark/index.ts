/** Spark SQL generated from the manifest: training sets and materialization snapshots. */
export { DUCKDB, SPARK, DIALECT_NAMES, dialectByName, type DialectName, type SqlDialect } from './dialect';
export { lakeUrl, sourceUrl, defaultSnapshotUrl, findLake, batchSourceOf, DEFAULT_NAMENODE_PORT, type LakeUrlOptions } from './lake-urls';
export { trainingSql, type TrainingSqlRequest } from './training-sql';
export { snapshotSql, findFeatureView, SNAPSHOT_TIMESTAMP_COLUMN, type SnapshotSqlRequest } from './snapshot-sql';
export { renderScript, splitStatements, type SqlScript } from './sql-script';
export { placeholder, type SqlTime } from './sql-time';
export { loadSnapshot, type LoadSnapshotRequest, type LoadSnapshotResult } from './snapshot-load';
export { snapshotJob, trainingJob, type Job } from './jobs';
export { sparkSubmitArgv, shellCommand, DRIVER_PATH, type SparkSubmitSpec } from './spark-submit';
