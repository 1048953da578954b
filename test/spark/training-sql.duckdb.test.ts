import { join } from 'node:path';
import { outputName, resolveFeatures, type FeatureSelection } from '../../runtime/manifest/features';
import { DUCKDB } from '../../runtime/spark/dialect';
import { trainingSql } from '../../runtime/spark/training-sql';
import { plainRows, type Plain } from './support/arrow-rows';
import { readParquetTable, runScript } from './support/duckdb';
import { useRandomLake } from './support/lake-fixture';
import type { EntityRow } from './support/random-lake';
import { latestAt } from './support/reference';

const fx = useRandomLake(20240501);

interface Case extends FeatureSelection {
  readonly fullFeatureNames?: boolean;
  readonly filterByCreatedTimestamp?: boolean;
}

/** What the semantics say the training set is, computed row by row. */
function expected(c: Case): Record<string, Plain>[] {
  const projections = resolveFeatures(fx.lake.manifest, c, c.fullFeatureNames ?? false);
  return fx.lake.entities.map((e: EntityRow) => {
    const out: Record<string, Plain> = { ...e };
    for (const p of projections) {
      const keys = p.joinKeys.map((k) => e[k.column as keyof EntityRow] as number | string | null);
      const row = latestAt(fx.lake.rows[p.view.name], { keys, at: e.event_timestamp, ttlSeconds: p.view.ttlSeconds, filterByCreatedTimestamp: c.filterByCreatedTimestamp });
      for (const f of p.features) out[outputName(p, f.name, c.fullFeatureNames ?? false)] = row ? row.features[f.name] : null;
    }
    return out;
  });
}

/** Runs the generated SQL, and checks it against the bundled runtime on the same files. */
async function runTraining(c: Case, name: string): Promise<Record<string, Plain>[]> {
  const outputUrl = join(fx.dir, `${name}.parquet`);
  await runScript(fx.duck, trainingSql(fx.lake.manifest, { ...c, entityUrl: fx.lake.entityFile, outputUrl }, DUCKDB));
  const sqlRows = plainRows(await readParquetTable(outputUrl));
  const runtimeRows = plainRows(await fx.store.getHistoricalFeatures({ ...c, entities: await readParquetTable(fx.lake.entityFile) }));
  expect(sqlRows).toEqual(runtimeRows);
  return sqlRows;
}

describe('training-set SQL run in DuckDB agrees with getHistoricalFeatures and the semantics', () => {
  test('matches the point-in-time semantics row for row: ttl windows, ties, composite keys, field mapping, entity-less view', async () => {
    const c: Case = { features: ['driver_stats:conv_rate', 'driver_stats:trips', 'driver_customer:score', 'weather:temp'] };
    const actual = await runTraining(c, 'features');
    const want = expected(c);
    expect(actual).toHaveLength(fx.lake.entities.length);
    expect(actual).toEqual(want);
    // The data exercises what it claims to: matches, misses and nulls in every view.
    for (const column of ['conv_rate', 'trips', 'score', 'temp']) {
      expect(want.some((r) => r[column] === null)).toBe(true);
      expect(want.filter((r) => r[column] !== null).length).toBeGreaterThan(fx.lake.entities.length / 4);
    }
  });

  test('a feature service with an alias, a join-key map and full feature names', async () => {
    const c: Case = { featureService: 'svc', fullFeatureNames: true };
    const actual = await runTraining(c, 'service');
    expect(Object.keys(actual[0])).toEqual(['driver_id', 'customer_id', 'other_driver', 'event_timestamp', 'label', 'other__trips', 'driver_stats__conv_rate', 'weather__temp']);
    expect(actual).toEqual(expected(c));
    // The alias reads through other_driver, not driver_id.
    expect(actual.some((r, i) => r.other__trips !== expected({ features: ['driver_stats:trips'] })[i].trips)).toBe(true);
  });

  test('filterByCreatedTimestamp drops rows created after the entity row', async () => {
    const c: Case = { features: ['driver_stats:conv_rate', 'weather:temp'], filterByCreatedTimestamp: true };
    const actual = await runTraining(c, 'filtered');
    expect(actual).toEqual(expected(c));
    const unfiltered = expected({ features: c.features });
    expect(actual.some((r, i) => r.conv_rate !== unfiltered[i].conv_rate)).toBe(true);
  });
});
