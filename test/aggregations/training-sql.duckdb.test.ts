import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { FeatureStore } from '../../runtime/feature-store';
import { DUCKDB } from '../../runtime/spark/dialect';
import { trainingSql } from '../../runtime/spark/training-sql';
import { plainRows } from '../offline/fixtures';
import { openDuckDb, readParquetTable, runScript } from '../spark/support/duckdb';
import { AggregationLake, aggregationManifest, generateEntityRows, generateTrips, HOUR } from './fixtures';

const manifest = aggregationManifest();
const ALL = manifest.featureViews.find((v) => v.name === 'rider_trips')!.features.map((f) => `rider_trips:${f.name}`);

let lake: AggregationLake;
let store: FeatureStore;
let duck: DuckDBConnection;
let entityFile: string;

beforeAll(async () => {
  lake = await AggregationLake.create();
  const trips = generateTrips(31, 30, 2000, 24);
  const late = generateTrips(32, 30, 300, 8).map((e) => ({ ...e, created: e.created + 30 * HOUR }));
  await lake.writeTrips([trips.slice(0, 1000), trips.slice(1000), late]);
  entityFile = await lake.writeEntities(generateEntityRows(33, 30, 800, 24));
  store = await FeatureStore.open({ manifest, env: lake.env() });
  duck = await openDuckDb();
});

afterAll(async () => {
  await store.close();
  duck.closeSync();
  await lake.remove();
});

async function bothWays(request: { features?: string[]; featureService?: string; fullFeatureNames?: boolean; filterByCreatedTimestamp?: boolean }, name: string) {
  const outputUrl = join(lake.root, `${name}.parquet`);
  await runScript(duck, trainingSql(manifest, { ...request, entityUrl: entityFile, outputUrl }, DUCKDB, { env: lake.env() }));
  const sql = plainRows(await readParquetTable(outputUrl));
  const runtime = plainRows(await store.getHistoricalFeatures({ ...request, entities: await readParquetTable(entityFile) }));
  return { sql, runtime };
}

describe('the generated training-set SQL computes aggregation views as getHistoricalFeatures does', () => {
  test('every function and window, ties, late rows, empty windows, null and unknown keys', async () => {
    const { sql, runtime } = await bothWays({ features: ALL }, 'all');
    expect(sql).toHaveLength(800);
    expect(sql).toEqual(runtime);
  });

  test('filterByCreatedTimestamp, and a feature service with full feature names', async () => {
    const filtered = await bothWays({ features: ALL, filterByCreatedTimestamp: true }, 'filtered');
    expect(filtered.sql).toEqual(filtered.runtime);
    const service = await bothWays({ featureService: 'rider_service', fullFeatureNames: true }, 'service');
    expect(Object.keys(service.sql[0])).toEqual(['rider_id', 'event_timestamp', 'rider_trips__fare_count_1h', 'rider_trips__fare_sum_6h', 'rider_trips__tip_last_1h']);
    expect(service.sql).toEqual(service.runtime);
  });
});
