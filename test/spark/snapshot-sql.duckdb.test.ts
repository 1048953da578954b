import { join } from 'node:path';
import { DUCKDB } from '../../runtime/spark/dialect';
import { snapshotSql } from '../../runtime/spark/snapshot-sql';
import { plainRows, type Plain } from './support/arrow-rows';
import { readParquetTable, runScript } from './support/duckdb';
import { useRandomLake } from './support/lake-fixture';
import { T0 } from './support/random-lake';
import { snapshot } from './support/reference';

const HOUR = 3_600_000_000;
const fx = useRandomLake(7);

const byKey = (a: Record<string, Plain>, b: Record<string, Plain>) => JSON.stringify(a) < JSON.stringify(b) ? -1 : 1;

function expectedSnapshot(viewName: string, start: number, end: number): Record<string, Plain>[] {
  const view = fx.lake.manifest.featureViews.find((v) => v.name === viewName)!;
  return [...snapshot(fx.lake.rows[viewName], start, end).values()]
    .map((row) => ({
      ...Object.fromEntries(view.joinKeys.map((k, i) => [k.name, row.keys[i]])),
      ...Object.fromEntries(view.features.map((f) => [f.name, row.features[f.name]])),
      event_timestamp: row.ts,
    }))
    .sort(byKey);
}

describe('materialization snapshot SQL run in DuckDB', () => {
  test.each([
    ['driver_stats', T0 + 6 * HOUR, T0 + 18 * HOUR],
    ['driver_customer', T0, T0 + 20 * HOUR],
    ['weather', T0 + 2 * HOUR, T0 + 9 * HOUR],
  ])('%s: the latest row per entity key inside [start, end], both ends inclusive', async (viewName, start, end) => {
    const outputUrl = join(fx.dir, `${viewName}.parquet`);
    await runScript(fx.duck, snapshotSql(fx.lake.manifest, { featureView: viewName, start: { micros: start }, end: { micros: end }, outputUrl }, DUCKDB));
    const actual = plainRows(await readParquetTable(outputUrl)).sort(byKey);
    const want = expectedSnapshot(viewName, start, end);
    expect(want.length).toBeGreaterThan(0);
    expect(actual).toEqual(want);
    // Rows sit exactly on both ends of the window.
    expect(fx.lake.rows[viewName].some((r) => r.ts === start)).toBe(true);
    expect(fx.lake.rows[viewName].some((r) => r.ts === end)).toBe(true);
  });

  test('a window given as parameters is filled in by the driver at run time', async () => {
    const outputUrl = join(fx.dir, 'param.parquet');
    const script = snapshotSql(fx.lake.manifest, { featureView: 'driver_stats', start: { parameter: 'end', minusSeconds: 6 * 3600 }, end: { parameter: 'end' }, outputUrl }, DUCKDB);
    expect(script.parameters).toEqual(['end']);
    await runScript(fx.duck, script, { end: '2024-05-01T20:00:00+02:00' });
    const actual = plainRows(await readParquetTable(outputUrl)).sort(byKey);
    expect(actual).toEqual(expectedSnapshot('driver_stats', T0 + 12 * HOUR, T0 + 18 * HOUR));
  });
});
