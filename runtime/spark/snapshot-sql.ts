import { findFeatureView } from '../manifest/features';
import { FeatureStoreError } from '../errors';
import type { FeatureViewSpec, Manifest } from '../manifest/schema';
import type { SqlDialect } from './dialect';
import type { LakeUrlOptions } from './lake-urls';
import { COL, indent, latestFirst, sourceRowsQuery } from './source-rows';
import { sqlScript, type SqlScript } from './sql-script';
import { timeSql, type SqlTime } from './sql-time';

/** The snapshot's event time column (the view's join keys and features keep their names). */
export const SNAPSHOT_TIMESTAMP_COLUMN = 'event_timestamp';

export interface SnapshotSqlRequest {
  readonly featureView: string;
  /** Inclusive window on the event time. */
  readonly start: SqlTime;
  readonly end: SqlTime;
  /** Where the snapshot is written as Parquet. */
  readonly outputUrl: string;
}

export { findFeatureView };

/**
 * The materialization snapshot as SQL: per entity key, the latest row with
 * `start <= event time <= end` (ties as in the point-in-time join; rows with a null
 * key are left out), written as
 * Parquet with the join keys, the features and `event_timestamp`.
 */
export function snapshotSql(manifest: Manifest, request: SnapshotSqlRequest, dialect: SqlDialect, options: LakeUrlOptions = {}): SqlScript {
  const view = findFeatureView(manifest, request.featureView);
  if (view.aggregation) {
    throw new FeatureStoreError(
      'REQUEST_INVALID',
      `feature view "${view.name}" is an aggregation view: it is served from tiles, not from a latest-row snapshot`,
      `materialize it with the bundled runtime (featurestack materialize <start> <end> --views ${view.name}), which writes its tiles`,
    );
  }
  const names = [...view.joinKeys.map((k) => k.name), ...view.features.map((f) => f.name)];
  if (names.includes(SNAPSHOT_TIMESTAMP_COLUMN)) {
    throw new FeatureStoreError(
      'REQUEST_INVALID',
      `feature view "${view.name}" has a column named "${SNAPSHOT_TIMESTAMP_COLUMN}", which the snapshot uses for the event time`,
      'rename that feature or join key',
    );
  }
  const rows = sourceRowsQuery(manifest, dialect, {
    view,
    features: view.features,
    timeConditions: (ts) => [`${ts} >= ${timeSql(dialect, request.start)}`, `${ts} <= ${timeSql(dialect, request.end)}`],
  }, options);
  const keys = view.joinKeys.map((_, i) => `r.${COL.key(i)}`);
  // A row without a full entity key cannot be stored online.
  const complete = keys.map((k) => `${k} IS NOT NULL`);
  const q = dialect.quote;
  const output = [
    ...view.joinKeys.map((k, i) => `${COL.key(i)} AS ${q(k.name)}`),
    ...view.features.map((f, i) => `${COL.feature(i)} AS ${q(f.name)}`),
    `${COL.ts} AS ${q(SNAPSHOT_TIMESTAMP_COLUMN)}`,
  ];
  const query = [
    `SELECT ${output.join(',\n       ')}`,
    'FROM (',
    indent(`SELECT r.*, ROW_NUMBER() OVER (${keys.length > 0 ? `PARTITION BY ${keys.join(', ')} ` : ''}ORDER BY ${latestFirst('r')}) AS ${COL.rank}`),
    '  FROM (',
    indent(rows, 4),
    '  ) r',
    ...(complete.length > 0 ? [`  WHERE ${complete.join(' AND ')}`] : []),
    ') ranked',
    `WHERE ${COL.rank} = 1`,
  ].join('\n');
  return sqlScript(dialect, `featurestack materialization snapshot: ${view.name} (latest row per entity, ${dialect.name} dialect)`, [
    dialect.writeParquet(query, request.outputUrl),
  ]);
}
