/**
 * The window rule written independently as one DuckDB range query: each entity row
 * joined to its key's events with tile_end - w < ts <= t (tile_end = t rounded up to
 * the tile), grouped per entity row, one FILTER per window; `last` by arg_max over
 * (event time, created time, file, row in file).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AggregationSpec } from '../../runtime/manifest/schema';

export async function referenceAggregates(
  duck: DuckDBConnection,
  spec: AggregationSpec,
  entityFile: string,
  eventsGlob: string,
  features: readonly string[],
  filterByCreated = false,
): Promise<Record<string, number | null>[]> {
  const tile = spec.tileSeconds * 1_000_000;
  const longest = Math.max(...spec.outputs.map((o) => o.windowSeconds)) * 1_000_000;
  const selects = features.map((name) => {
    const o = spec.outputs.find((x) => x.feature === name)!;
    const inWindow = `f.ts > e.tile_end - ${o.windowSeconds * 1_000_000}${filterByCreated ? ' AND f.c <= e.t' : ''}`;
    const col = `f."${o.column}"`;
    const cast = spec.columns.find((c) => c.name === o.column)!.dtype.startsWith('Int') && o.function !== 'mean' ? 'BIGINT' : 'DOUBLE';
    const expr = {
      count: `COUNT(${col}) FILTER (WHERE ${inWindow})`,
      sum: `SUM(${col}) FILTER (WHERE ${inWindow})`,
      mean: `AVG(${col}) FILTER (WHERE ${inWindow})`,
      min: `MIN(${col}) FILTER (WHERE ${inWindow})`,
      max: `MAX(${col}) FILTER (WHERE ${inWindow})`,
      last: `arg_max(${col}, (f.ts, f.c, f.filename, f.file_row_number)) FILTER (WHERE ${inWindow} AND ${col} IS NOT NULL)`,
    }[o.function];
    return `CASE WHEN e.rider_id IS NULL THEN NULL ELSE CAST(${expr} AS ${o.function === 'count' ? 'BIGINT' : cast}) END AS "${name}"`;
  });
  const sql = `
    WITH e AS (
      SELECT file_row_number AS rid, rider_id, epoch_us(event_timestamp) AS t,
             CAST(ceil(epoch_us(event_timestamp) / ${tile}) AS BIGINT) * ${tile} AS tile_end
      FROM read_parquet('${entityFile}', file_row_number = true)),
    f AS (
      SELECT rider_id, epoch_us(event_timestamp) AS ts, epoch_us(created) AS c, fare, tip, filename, file_row_number
      FROM read_parquet('${eventsGlob}', filename = true, file_row_number = true))
    SELECT ${selects.join(',\n  ')}
    FROM e LEFT JOIN f ON f.rider_id = e.rider_id AND f.ts <= e.t AND f.ts > e.tile_end - ${longest}
    GROUP BY e.rid, e.rider_id
    ORDER BY e.rid`;
  const rows = (await duck.runAndReadAll(sql)).getRowObjectsJS();
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : (v as number | null)])));
}
