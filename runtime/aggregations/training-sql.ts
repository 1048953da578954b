/**
 * An aggregation view's part of the generated training-set SQL (Spark, and DuckDB in
 * the tests), with the window rule of window.ts. Per entity (keys, time) pair:
 * 1. `<prefix>_windowed`: its key's events with tile_end - longest < ts <= t, each
 *    with how far it lies behind tile_end (tile_end = t rounded up to the tile);
 * 2. `<prefix>_last_<j>`: per `last` output, the latest non-null value in its window
 *    (event time, created time, then the row read last, as everywhere else);
 * 3. `<prefix>_latest`: one row per pair with every asked aggregate, each window a
 *    CASE inside the aggregate; an empty window counts 0 and is null otherwise.
 */
import type { ResolvedProjection } from '../manifest/features';
import { aggregatedFields } from '../manifest/aggregation';
import type { AggregationSpec, Manifest } from '../manifest/schema';
import type { SqlDialect } from '../spark/dialect';
import type { LakeUrlOptions } from '../spark/lake-urls';
import { COL, indent, latestFirst, sourceRowsQuery } from '../spark/source-rows';
import { resolveOutputs } from './resolve';
import { longestWindowSeconds } from './window';

const BEHIND = '__fs_behind';

export interface AggregationSqlInput {
  readonly manifest: Manifest;
  readonly projection: ResolvedProjection;
  readonly spec: AggregationSpec;
  readonly prefix: string;
  readonly dialect: SqlDialect;
  readonly filterByCreatedTimestamp: boolean;
  readonly options: LakeUrlOptions;
  /** The `<prefix>_entities` view: join keys as `__fs_k<i>`, time as `__fs_entity_ts`. */
  readonly entitiesView: string;
}

function epochMicros(dialect: SqlDialect, expression: string): string {
  return dialect.name === 'spark' ? `unix_micros(${expression})` : `epoch_us(${expression})`;
}

function createView(name: string, query: string): string {
  return `CREATE OR REPLACE TEMPORARY VIEW ${name} AS\n${query}`;
}

/** The statements creating `<prefix>_rows`, `_windowed`, `_last_<j>` and `_latest` (the view the final select joins). */
export function aggregationStatements(input: AggregationSqlInput): string[] {
  const { manifest, projection: p, spec, prefix, dialect, entitiesView } = input;
  const tile = spec.tileSeconds * 1_000_000;
  const longest = longestWindowSeconds(spec);
  const outputs = resolveOutputs(p.view, spec, p.features);
  const keys = p.joinKeys.map((_, i) => COL.key(i));
  const pair = [...keys, COL.entityTs];
  const columns = spec.columns.map((_, i) => COL.feature(i));
  const tileEnd = `CAST(CEIL(${epochMicros(dialect, `p.${COL.entityTs}`)} / ${tile}) AS BIGINT) * ${tile}`;
  const statements: string[] = [];

  statements.push(
    createView(
      `${prefix}_rows`,
      sourceRowsQuery(manifest, dialect, {
        view: p.view,
        features: aggregatedFields(spec),
        timeConditions: (ts) => [
          `${ts} <= (SELECT MAX(${COL.entityTs}) FROM ${entitiesView})`,
          `${ts} >= (SELECT MIN(${COL.entityTs}) FROM ${entitiesView}) - ${dialect.interval(longest)}`,
        ],
      }, input.options),
    ),
  );
  statements.push(
    createView(
      `${prefix}_windowed`,
      [
        `SELECT ${[...pair.map((c) => `p.${c}`), ...columns.map((c) => `r.${c}`), `r.${COL.ts}`, `r.${COL.created}`, `r.${COL.file}`, `r.${COL.position}`].join(', ')},`,
        `       ${tileEnd} - ${epochMicros(dialect, `r.${COL.ts}`)} AS ${BEHIND}`,
        `FROM ${entitiesView} p`,
        `JOIN ${prefix}_rows r`,
        `  ON ${[
          ...keys.map((k) => `r.${k} = p.${k}`),
          `r.${COL.ts} <= p.${COL.entityTs}`,
          `${epochMicros(dialect, `r.${COL.ts}`)} > ${tileEnd} - ${longest * 1_000_000}`,
          ...(input.filterByCreatedTimestamp ? [`(r.${COL.created} IS NULL OR r.${COL.created} <= p.${COL.entityTs})`] : []),
        ].join('\n AND ')}`,
      ].join('\n'),
    ),
  );

  const lastViews: { name: string; output: number }[] = [];
  outputs.forEach((o, j) => {
    if (o.fn !== 'last') return;
    const name = `${prefix}_last_${j + 1}`;
    const value = COL.feature(o.column);
    statements.push(
      createView(
        name,
        [
          `SELECT ${[...pair, value].join(', ')}`,
          'FROM (',
          indent(
            [
              `SELECT ${[...pair, value].map((c) => `w.${c}`).join(', ')},`,
              `       ROW_NUMBER() OVER (${pair.length > 0 ? `PARTITION BY ${pair.map((c) => `w.${c}`).join(', ')} ` : ''}ORDER BY ${latestFirst('w')}) AS ${COL.rank}`,
              `FROM ${prefix}_windowed w`,
              `WHERE w.${value} IS NOT NULL AND w.${BEHIND} < ${o.windowSeconds * 1_000_000}`,
            ].join('\n'),
          ),
          ') ranked',
          `WHERE ${COL.rank} = 1`,
        ].join('\n'),
      ),
    );
    lastViews.push({ name, output: j });
  });

  const aggregates = outputs.map((o, j) => {
    const integer = spec.columns[o.column].dtype.startsWith('Int');
    const type = o.fn === 'count' || (integer && o.fn !== 'mean') ? 'BIGINT' : 'DOUBLE';
    const inWindow = `CASE WHEN w.${BEHIND} < ${o.windowSeconds * 1_000_000} THEN w.${COL.feature(o.column)} END`;
    const last = lastViews.findIndex((l) => l.output === j);
    const expression = {
      count: `COUNT(${inWindow})`,
      sum: `SUM(${inWindow})`,
      mean: `AVG(${inWindow})`,
      min: `MIN(${inWindow})`,
      max: `MAX(${inWindow})`,
      last: `MAX(l${last + 1}.${COL.feature(o.column)})`,
    }[o.fn];
    return `CAST(${expression} AS ${type}) AS ${COL.feature(j)}`;
  });
  const on = (alias: string) => pair.map((c) => `${alias}.${c} = p.${c}`).join(' AND ');
  statements.push(
    createView(
      `${prefix}_latest`,
      [
        `SELECT ${[...pair.map((c) => `p.${c}`), ...aggregates].join(',\n       ')}`,
        `FROM ${entitiesView} p`,
        `LEFT JOIN ${prefix}_windowed w ON ${on('w')}`,
        ...lastViews.map((l, i) => `LEFT JOIN ${l.name} l${i + 1} ON ${on(`l${i + 1}`)}`),
        `GROUP BY ${pair.map((c) => `p.${c}`).join(', ')}`,
      ].join('\n'),
    ),
  );
  return statements;
}
