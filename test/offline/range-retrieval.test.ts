import { Table } from 'apache-arrow';
import type { FeatureStore } from '../../runtime/feature-store';
import { float64s, HOUR, int64s, manifestOf, MINUTE, plainRows, strings, T0, TempLake, timestamps, type ViewDef } from './fixtures';

const key = [{ name: 'driver_id', valueType: 'Int64' as const }];
const stats: ViewDef = { name: 'stats', joinKeys: key, features: [['rate', 'Float64']], ttlSeconds: 60, path: 'stats', createdTimestampColumn: 'created' };
const extra: ViewDef = { name: 'extra', joinKeys: key, features: [['bonus', 'Float64']], ttlSeconds: 0, path: 'extra.parquet' };
const weather: ViewDef = { name: 'weather', joinKeys: [], features: [['temp', 'Float64']], ttlSeconds: 0, path: 'weather.parquet' };
const cities: ViewDef = { name: 'cities', joinKeys: [{ name: 'city', valueType: 'String' }], features: [['size', 'Float64']], ttlSeconds: 0, path: 'cities.parquet' };

let lake: TempLake;
let store: FeatureStore;

beforeAll(async () => {
  lake = await TempLake.create();
  await lake.write(
    'stats/part-0.parquet',
    new Table({
      driver_id: int64s([1, 2, 1, 3]),
      event_timestamp: timestamps([T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 5 * HOUR]),
      created: timestamps([T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 5 * HOUR]),
      rate: float64s([0.1, 0.2, 0.3, 0.9]),
    }),
  );
  await lake.write(
    'stats/part-1.parquet',
    new Table({
      driver_id: int64s([1, 2]),
      event_timestamp: timestamps([T0 + 2 * HOUR, T0 - HOUR]),
      created: timestamps([T0 + 2 * HOUR + MINUTE, T0 - HOUR]),
      rate: float64s([0.35, 0.05]),
    }),
  );
  await lake.write('extra.parquet', new Table({ driver_id: int64s([2, 4]), event_timestamp: timestamps([T0 + 150 * MINUTE, T0 + HOUR]), bonus: float64s([7, 8]) }));
  await lake.write('weather.parquet', new Table({ event_timestamp: timestamps([T0, T0 + 2 * HOUR, T0 + 4 * HOUR]), temp: float64s([5, 7, 9]) }));
  await lake.write('cities.parquet', new Table({ city: strings(['rome']), event_timestamp: timestamps([T0]), size: float64s([1]) }));
  store = await lake.store(manifestOf([stats, extra, weather, cities]));
});

afterAll(async () => {
  await store?.close();
  await lake?.remove();
});

describe('getHistoricalFeatures without entity rows: the latest row per key in a range', () => {
  test('one row per key seen in [start, end], with its latest row there (TTL not applied)', async () => {
    const table = await store.getHistoricalFeatures({ features: ['stats:rate'], start: T0, end: T0 + 3 * HOUR });
    expect(table.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual(['driver_id:Int64', 'event_timestamp:Timestamp<MICROSECOND, UTC>', 'rate:Float64']);
    expect(plainRows(table)).toEqual([
      { driver_id: 1, event_timestamp: T0 + 2 * HOUR, rate: 0.35 },
      { driver_id: 2, event_timestamp: T0 + HOUR, rate: 0.2 },
    ]);
  });

  test('views sharing the join key are combined; entity-less views apply to every row', async () => {
    const rows = plainRows(await store.getHistoricalFeatures({ features: ['stats:rate', 'extra:bonus', 'weather:temp'], start: new Date(T0 / 1000), end: '2024-01-01T03:00:00Z' }));
    expect(rows).toEqual([
      { driver_id: 1, event_timestamp: T0 + 2 * HOUR, rate: 0.35, bonus: null, temp: 7 },
      { driver_id: 2, event_timestamp: T0 + 150 * MINUTE, rate: 0.2, bonus: 7, temp: 7 },
      { driver_id: 4, event_timestamp: T0 + HOUR, rate: null, bonus: 8, temp: 7 },
    ]);
  });

  test('an entity-less view alone gives one row, and an empty range none', async () => {
    expect(plainRows(await store.getHistoricalFeatures({ features: ['weather:temp'], start: T0 + HOUR, end: T0 + 5 * HOUR }))).toEqual([{ event_timestamp: T0 + 4 * HOUR, temp: 9 }]);
    expect((await store.getHistoricalFeatures({ features: ['stats:rate'], start: T0 + 10 * HOUR, end: T0 + 11 * HOUR })).numRows).toBe(0);
  });

  test('views with different join keys cannot share one range retrieval', async () => {
    await expect(store.getHistoricalFeatures({ features: ['stats:rate', 'cities:size'], start: T0, end: T0 + HOUR })).rejects.toMatchObject({
      code: 'REQUEST_INVALID',
      message: 'a range retrieval needs views with the same join keys: "stats" has (driver_id Int64), "cities" has (city String)',
    });
  });
});
