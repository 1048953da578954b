import { Table } from 'apache-arrow';
import { float64s, int64s, strings, TempLake, timestamps } from '../offline/fixtures';
import { featurestack, writeManifest } from '../catalog/run-cli';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { DRIVER_STATS, onlineManifest, rawClient, TRIPS_BY_CITY } from './online-fixtures';

const T0 = Date.UTC(2024, 0, 1) * 1000;
const HOUR = 3600 * 1_000_000;

let server: RedisServer;
let lake: TempLake;
let manifestPath: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  server = await startRedisServer();
  lake = await TempLake.create();
  await lake.write('driver_stats/data.parquet', new Table({
    driver_id: int64s([1001, 1002, 1001]),
    event_timestamp: timestamps([T0, T0, T0 + HOUR]),
    created: timestamps([T0, T0, T0]),
    conv_rate: float64s([0.1, 0.2, 0.3]),
    acc_rate: float64s([0.5, 0.5, 0.5]),
    avg_daily_trips: int64s([1, 2, 3]),
  }));
  await lake.write('trips/data.parquet', new Table({ driver_id: int64s([1001]), city: strings(['Chicago']), event_timestamp: timestamps([T0]), trips: float64s([7]) }));
  manifestPath = writeManifest(
    onlineManifest({
      layout: 'compact',
      views: [DRIVER_STATS, { ...TRIPS_BY_CITY, features: [['trips', 'Float64']] }],
      services: [{ name: 'driver_activity', projections: [{ featureView: 'driver_hourly_stats', alias: null, features: ['conv_rate'], joinKeyMap: {} }] }],
    }),
  );
  process.env.FEATURESTACK_REDIS_URL = server.url;
  process.env.FEATURESTACK_LAKE_ROOT = lake.root;
});
afterAll(async () => {
  process.env = savedEnv;
  await server.close();
  await lake.remove();
});

test('materialize, then get-online prints Feast response JSON', async () => {
  const run = await featurestack('materialize', '2024-01-01T00:00:00Z', '2024-01-01T02:00:00Z', '--manifest', manifestPath, '--json');
  expect(run).toMatchObject({ code: 0, stderr: '' });
  expect(JSON.parse(run.stdout).views.map((v: { name: string; rows: number }) => [v.name, v.rows])).toEqual([
    ['driver_hourly_stats', 2],
    ['trips_by_city', 1],
  ]);

  const online = await featurestack('get-online', '--manifest', manifestPath, '--features', 'driver_hourly_stats:conv_rate,driver_hourly_stats:avg_daily_trips', '--entity', 'driver_id=1001', '--entity', 'driver_id=1003');
  expect(online.code).toBe(0);
  expect(JSON.parse(online.stdout)).toEqual({
    metadata: { feature_names: ['driver_id', 'conv_rate', 'avg_daily_trips'] },
    results: [
      { values: [1001, 1003], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'] },
      { values: [0.3, null], statuses: ['PRESENT', 'NOT_FOUND'], event_timestamps: ['2024-01-01T01:00:00Z', '1970-01-01T00:00:00Z'] },
      { values: [3, null], statuses: ['PRESENT', 'NOT_FOUND'], event_timestamps: ['2024-01-01T01:00:00Z', '1970-01-01T00:00:00Z'] },
    ],
  });
});

test('get-online with composite keys, a service and full feature names', async () => {
  await featurestack('materialize', '2024-01-01', '2024-01-02', '--manifest', manifestPath, '--views', 'trips_by_city,driver_hourly_stats', '--json');
  const composite = await featurestack('get-online', '--manifest', manifestPath, '--features', 'trips_by_city:trips', '--entity', 'driver_id=1001,city=Chicago', '--entity', 'city=Boston,driver_id=1001');
  expect(JSON.parse(composite.stdout).results.map((r: { values: unknown[] }) => r.values)).toEqual([[1001, 1001], ['Chicago', 'Boston'], [7, null]]);
  const service = await featurestack('get-online', '--manifest', manifestPath, '--service', 'driver_activity', '--entity', 'driver_id=1002', '--full-feature-names');
  expect(JSON.parse(service.stdout).metadata.feature_names).toEqual(['driver_id', 'driver_hourly_stats__conv_rate']);
});

test('materialize-incremental reports each view from its watermark', async () => {
  const raw = rawClient(server);
  await raw.flushall();
  raw.disconnect();
  await featurestack('materialize', '2024-01-01', '2024-01-01T03:00:00Z', '--manifest', manifestPath, '--json');
  const run = await featurestack('materialize-incremental', '2024-01-02T00:00:00Z', '--manifest', manifestPath, '--views', 'driver_hourly_stats');
  expect(run.code).toBe(0);
  expect(run.stdout).toBe('driver_hourly_stats: 0 entity keys from 0 rows read, 2024-01-01T03:00:00.000Z .. 2024-01-02T00:00:00.000Z\n');
});

test('bad input exits 1 with the problem and the fix', async () => {
  const entity = await featurestack('get-online', '--manifest', manifestPath, '--features', 'driver_hourly_stats:conv_rate', '--entity', 'driver_id');
  expect(entity.code).toBe(1);
  expect(entity.stderr).toContain('error: --entity "driver_id": "driver_id" is not key=value');
  expect(entity.stderr).toContain('hint: write each entity row as --entity driver_id=1001');
  const future = await featurestack('materialize-incremental', '2999-01-01', '--manifest', manifestPath);
  expect(future.code).toBe(1);
  expect(future.stderr).toContain('is in the future');
  const view = await featurestack('materialize', '2024-01-01', '2024-01-02', '--manifest', manifestPath, '--views', 'nope');
  expect(view.stderr).toContain('unknown feature view "nope"');
});
