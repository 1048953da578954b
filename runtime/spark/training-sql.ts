import { isOnDemandView, outputName, resolveFeatures, type FeatureSelection, type ResolvedProjection } from '../manifest/features';
import { FeatureStoreError } from '../errors';
import type { Manifest } from '../manifest/schema';
import type { SqlDialect } from './dialect';
import type { LakeUrlOptions } from './lake-urls';
import { COL, indent, latestFirst, sourceRowsQuery } from './source-rows';
import { sqlScript, type SqlScript } from './sql-script';
import { aggregationStatements } from '../aggregations/training-sql';

export interface TrainingSqlRequest extends FeatureSelection {
  /** Parquet file or folder holding the entity rows (a URL the engine reads, or `${param}`). */
  readonly entityUrl: string;
  /** Where the training set is written as Parquet. */
  readonly outputUrl: string;
  /** The entity rows' event time column. @default 'event_timestamp' */
  readonly entityTimestampColumn?: string;
  /** Name output columns `view__feature`. @default false */
  readonly fullFeatureNames?: boolean;
  /** Ignore feature rows created after the entity row's time. @default false */
  readonly filterByCreatedTimestamp?: boolean;
}

/**
 * The point-in-time join as SQL, following Feast's plan. Per requested view:
 * 1. `<view>_entities`: the distinct (join keys, event time) pairs of the entity rows;
 * 2. `<view>_rows`: the view's source, bounded to the entity rows' time span (minus TTL);
 * 3. `<view>_latest`: entity pairs joined to rows on keys and the TTL window, with
 *    `ROW_NUMBER` keeping the latest row per pair (event time, then created time,
 *    then the row read last).
 * Last, the entity rows are read again and left-joined to each `<view>_latest`, in
 * input order (file path, then row position), so duplicates and rows without a match
 * stay, one output row per entity row.
 */
/** On-demand transforms are TypeScript: Spark cannot run them, and leaving them out silently would drop columns. */
function refuseOnDemandViews(manifest: Manifest, request: FeatureSelection): void {
  const service = request.featureService === undefined ? undefined : manifest.featureServices.find((s) => s.name === request.featureService);
  const named = [...(request.features ?? []).map((f) => f.split(':')[0]), ...(service?.projections.map((p) => p.featureView) ?? [])];
  const onDemand = [...new Set(named.filter((v) => isOnDemandView(manifest, v)))];
  if (onDemand.length === 0) return;
  throw new FeatureStoreError(
    'NOT_IMPLEMENTED',
    `the Spark training job cannot compute on-demand views (${onDemand.join(', ')}): their transforms are TypeScript`,
    'give the Spark job only stored features (--features view:feature,...), and build training sets with on-demand views with getHistoricalFeatures (featurestack get-historical)',
  );
}

export function trainingSql(manifest: Manifest, request: TrainingSqlRequest, dialect: SqlDialect, options: LakeUrlOptions = {}): SqlScript {
  const fullFeatureNames = request.fullFeatureNames ?? false;
  refuseOnDemandViews(manifest, request);
  const projections = resolveFeatures(manifest, request, fullFeatureNames);
  const entityTs = dialect.toUtcTimestamp(`e.${dialect.quote(request.entityTimestampColumn ?? 'event_timestamp')}`);
  const entities = dialect.readParquet(request.entityUrl, 'e');
  const statements: string[] = [];
  const latestViews: string[] = [];

  projections.forEach((p, index) => {
    const prefix = `fs_${index + 1}_${p.name}`;
    const keyColumns = p.joinKeys.map((k) => `e.${dialect.quote(k.column)}`);
    const keyMatch = p.joinKeys.map((_, i) => `r.${COL.key(i)} = p.${COL.key(i)}`);
    const ttl = p.view.ttlSeconds;
    const window = (rowTs: string, entityTime: string) => [
      `${rowTs} <= ${entityTime}`,
      ...(ttl > 0 ? [`${rowTs} >= ${entityTime} - ${dialect.interval(ttl)}`] : []),
      ...(request.filterByCreatedTimestamp ? [`(r.${COL.created} IS NULL OR r.${COL.created} <= ${entityTime})`] : []),
    ];

    statements.push(
      createView(
        `${prefix}_entities`,
        [
          `SELECT DISTINCT ${[...keyColumns.map((c, i) => `${c} AS ${COL.key(i)}`), `${entityTs} AS ${COL.entityTs}`].join(', ')}`,
          `FROM ${entities}`,
        ].join('\n'),
      ),
    );
    if (p.view.aggregation) {
      const filterByCreatedTimestamp = request.filterByCreatedTimestamp ?? false;
      statements.push(...aggregationStatements({ manifest, projection: p, spec: p.view.aggregation, prefix, dialect, options, filterByCreatedTimestamp, entitiesView: `${prefix}_entities` }));
      latestViews.push(`${prefix}_latest`);
      return;
    }
    statements.push(
      createView(
        `${prefix}_rows`,
        sourceRowsQuery(manifest, dialect, {
          view: p.view,
          features: p.features,
          timeConditions: (ts) => [
            `${ts} <= (SELECT MAX(${COL.entityTs}) FROM ${prefix}_entities)`,
            ...(ttl > 0 ? [`${ts} >= (SELECT MIN(${COL.entityTs}) FROM ${prefix}_entities) - ${dialect.interval(ttl)}`] : []),
          ],
        }, options),
      ),
    );
    const pairColumns = [...p.joinKeys.map((_, i) => COL.key(i)), COL.entityTs];
    const featureColumns = p.features.map((_, i) => COL.feature(i));
    statements.push(
      createView(
        `${prefix}_latest`,
        [
          `SELECT ${[...pairColumns, ...featureColumns].join(', ')}`,
          'FROM (',
          indent(
            [
              `SELECT ${[...pairColumns.map((c) => `p.${c}`), ...featureColumns.map((c) => `r.${c}`)].join(', ')},`,
              `       ROW_NUMBER() OVER (${pairColumns.length > 0 ? `PARTITION BY ${pairColumns.map((c) => `p.${c}`).join(', ')} ` : ''}ORDER BY ${latestFirst('r')}) AS ${COL.rank}`,
              `FROM ${prefix}_entities p`,
              `JOIN ${prefix}_rows r`,
              `  ON ${[...keyMatch, ...window(`r.${COL.ts}`, `p.${COL.entityTs}`)].join('\n AND ')}`,
            ].join('\n'),
          ),
          ') ranked',
          `WHERE ${COL.rank} = 1`,
        ].join('\n'),
      ),
    );
    latestViews.push(`${prefix}_latest`);
  });

  statements.push(dialect.writeParquet(finalSelect(projections, latestViews, dialect, entities, entityTs, fullFeatureNames), request.outputUrl));
  const names = projections.map((p) => p.name).join(', ');
  return sqlScript(dialect, `featurestack training set: ${names} (point-in-time join, ${dialect.name} dialect)`, statements);
}

function createView(name: string, query: string): string {
  return `CREATE OR REPLACE TEMPORARY VIEW ${name} AS\n${query}`;
}

function finalSelect(
  projections: readonly ResolvedProjection[],
  latestViews: readonly string[],
  dialect: SqlDialect,
  entities: string,
  entityTs: string,
  fullFeatureNames: boolean,
): string {
  const columns = [dialect.dataColumns('e')];
  const joins: string[] = [];
  projections.forEach((p, index) => {
    const alias = `l${index + 1}`;
    p.features.forEach((f, i) => columns.push(`${alias}.${COL.feature(i)} AS ${dialect.quote(outputName(p, f.name, fullFeatureNames))}`));
    const on = [
      ...p.joinKeys.map((k, i) => `${alias}.${COL.key(i)} = e.${dialect.quote(k.column)}`),
      `${alias}.${COL.entityTs} = ${entityTs}`,
    ];
    joins.push(`LEFT JOIN ${latestViews[index]} ${alias}\n  ON ${on.join(' AND ')}`);
  });
  const position = dialect.rowPosition('e');
  return [`SELECT ${columns.join(',\n       ')}`, `FROM ${entities}`, ...joins, `ORDER BY ${position.file}, ${position.position}`].join('\n');
}
