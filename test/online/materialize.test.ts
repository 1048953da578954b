import { Table } from 'apache-arrow';
import type { FeatureStore } from '../../runtime/feature-store';
import type { OnlineLayout } from '../../runtime/manifest/schema';
import { readWatermarks, type MaterializeProgress, type OnlineFeaturesResponse } from '../../runtime/online';
import { float64s, int64s, TempLake, timestamps } from '../offline/fixtures';
import { DRIVER_STATS, dumpRedis, HOUR, onlineManifest, openStore, RECENT, redisPerFile } from './online-fixtures';

const T0 = Date.UTC(2024, 0, 1) * 1000;
const iso = (micros: number) => new Date(micros / 1000).toISOString();

function driverRows(rows: readonly [driver: number, event: number, created: number, rate: number][]): Table {
  return new Table({
    driver_id: int64s(rows.map((r) => r[0])),
    event_timestamp: timestamps(rows.map((r) => r[1])),
    created: timestamps(rows.map((r) => r[2])),
    conv_rate: float64s(rows.map((r) => r[3])),
    acc_rate: float64s(rows.map(() => 0.5)),
    avg_daily_trips: int64s(rows.map((r) => r[0] * 10)),
  });
}

/** `count` drivers, each with one row at `event` and a rate derived from `salt`. */
function manyDrivers(count: number, event: number, salt: number): Table {
  return driverRows(Array.from({ length: count }, (_, i) => [i, event, event, i + salt] as [number, number, number, number]));
}

function rates(response: OnlineFeaturesResponse): unknown[] {
  return response.results[response.metadata.feature_names.indexOf('conv_rate')].values;
}

const redis = redisPerFile();
let lake: TempLake;

describe.each<OnlineLayout>(['compact', 'feast'])('materialization, %s layout', (layout) => {
  let store: FeatureStore;
  const open = () => openStore(onlineManifest({ layout, views: [DRIVER_STATS, RECENT] }), redis.server, lake.root);
  const readRates = async (drivers: number[], s = store) => rates(await s.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: drivers } }));

  beforeEach(async () => {
    await redis.raw.flushall();
    lake = await TempLake.create();
    store = await open();
  });
  afterEach(async () => {
    await store.close();
    await lake.remove();
  });

  test('writes the latest row per entity in [start, end]: latest event, then latest created, then read last', async () => {
    await lake.write('driver_stats/part-00000.parquet', driverRows([
      [1, T0 + HOUR, T0, 0.1],
      [1, T0 + 2 * HOUR, T0, 0.2],
      [1, T0 + 5 * HOUR, T0, 0.9], // after end
      [2, T0 + 2 * HOUR, T0 + 3 * HOUR, 0.3],
      [2, T0 + 2 * HOUR, T0 + 2 * HOUR, 0.4],
      [3, T0 + HOUR, T0, 0.5],
      [4, T0 - HOUR, T0, 0.7], // before start
    ]));
    await lake.write('driver_stats/part-00001.parquet', driverRows([[3, T0 + HOUR, T0, 0.6]]));
    const result = await store.materialize({ start: iso(T0), end: iso(T0 + 4 * HOUR), views: ['driver_hourly_stats'] });
    expect(result.views).toEqual([{ name: 'driver_hourly_stats', rows: 3, rowsRead: 8, start: iso(T0), end: iso(T0 + 4 * HOUR) }]);
    expect(await readRates([1, 2, 3, 4])).toEqual([0.2, 0.3, 0.6, null]);
    expect(await readWatermarks(store.context)).toEqual({ driver_hourly_stats: T0 + 4 * HOUR });
  });

  test('the source field mapping and timestamp field are applied', async () => {
    const mapped = { ...DRIVER_STATS, timestampField: 'ts', createdTimestampColumn: null, fieldMapping: { driver: 'driver_id', rate: 'conv_rate' } };
    const mappedStore = await openStore(onlineManifest({ layout, views: [mapped] }), redis.server, lake.root);
    try {
      await lake.write('driver_stats/data.parquet', new Table({ driver: int64s([1, 2]), ts: timestamps([T0, T0]), rate: float64s([0.25, 0.75]), acc_rate: float64s([0, 0]), avg_daily_trips: int64s([0, 0]) }));
      await mappedStore.materialize({ start: T0, end: T0 });
      expect(await readRates([1, 2], mappedStore)).toEqual([0.25, 0.75]);
    } finally {
      await mappedStore.close();
    }
  });

  test('an older window never replaces newer values; a re-run changes nothing', async () => {
    await lake.write('driver_stats/data.parquet', driverRows([
      [1, T0, T0, 0.1],
      [1, T0 + 3 * HOUR, T0, 0.3],
      [2, T0, T0, 0.2],
    ]));
    const views = ['driver_hourly_stats'];
    await store.materialize({ start: T0 + 2 * HOUR, end: T0 + 4 * HOUR, views });
    await store.materialize({ start: T0, end: T0 + HOUR, views });
    expect(await readRates([1, 2])).toEqual([0.3, 0.2]);
    const before = await dumpRedis(redis.raw);
    await store.materialize({ start: T0, end: T0 + 4 * HOUR, views });
    await store.materialize({ start: T0 + 2 * HOUR, end: T0 + 4 * HOUR, views });
    expect(await dumpRedis(redis.raw)).toEqual(before);
  });

  test('two materializations at once end with the newest values', async () => {
    await lake.write('old/data.parquet', manyDrivers(3000, T0, 0));
    await lake.write('new/data.parquet', manyDrivers(3000, T0 + HOUR, 0.5));
    const view = (path: string) => ({ ...DRIVER_STATS, path });
    const oldStore = await openStore(onlineManifest({ layout, views: [view('old')] }), redis.server, lake.root);
    const newStore = await openStore(onlineManifest({ layout, views: [view('new')] }), redis.server, lake.root);
    try {
      await Promise.all([
        oldStore.materialize({ start: T0, end: T0 + HOUR }),
        newStore.materialize({ start: T0, end: T0 + HOUR }),
        oldStore.materialize({ start: T0, end: T0 + HOUR }),
      ]);
      const drivers = Array.from({ length: 3000 }, (_, i) => i);
      expect(await readRates(drivers, newStore)).toEqual(drivers.map((i) => i + 0.5));
    } finally {
      await Promise.all([oldStore.close(), newStore.close()]);
    }
  });

  test('a run stopped between batches keeps its watermark; the re-run ends as one clean run', async () => {
    // More batches than the writer keeps in flight, so stopping leaves some unwritten.
    const drivers = 12000;
    await lake.write('driver_stats/data.parquet', manyDrivers(drivers, T0, 0.25), 4000);
    let batches = 0;
    const stopAfterFirstBatch = (p: MaterializeProgress) => {
      if (p.phase === 'writing' && ++batches === 1) throw new Error('killed');
    };
    await expect(store.materialize({ start: T0, end: T0 + HOUR, views: ['driver_hourly_stats'], onProgress: stopAfterFirstBatch })).rejects.toThrow('killed');
    expect(await readWatermarks(store.context)).toEqual({});
    const written = await redis.raw.dbsize();
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(drivers);

    await store.materialize({ start: T0, end: T0 + HOUR, views: ['driver_hourly_stats'] });
    const resumed = await dumpRedis(redis.raw);
    await redis.raw.flushall();
    await store.materialize({ start: T0, end: T0 + HOUR, views: ['driver_hourly_stats'] });
    expect(resumed).toEqual(await dumpRedis(redis.raw));
  });

  test('progress reports rows read, then rows written with the total', async () => {
    await lake.write('driver_stats/data.parquet', manyDrivers(2500, T0, 0), 1000);
    const seen: MaterializeProgress[] = [];
    await store.materialize({ start: T0, end: T0, views: ['driver_hourly_stats'], onProgress: (p) => seen.push(p) });
    expect(seen.filter((p) => p.phase === 'reading').map((p) => p.rows)).toEqual([1000, 2000, 2500]);
    const writing = seen.filter((p) => p.phase === 'writing');
    expect(writing.at(-1)).toMatchObject({ view: 'driver_hourly_stats', rows: 2500, totalRows: 2500 });
    expect(writing.every((p) => p.totalRows === 2500 && p.rowsPerSecond >= 0)).toBe(true);
  });

  test('incremental runs start at the watermark, or end - ttl, or end - 52 weeks', async () => {
    await lake.write('driver_stats/part-00000.parquet', driverRows([[1, T0 - 40 * 7 * 24 * HOUR, T0, 0.1]]));
    await lake.write('recent/part-00000.parquet', new Table({ driver_id: int64s([1, 2]), event_timestamp: timestamps([T0 - 2 * HOUR, T0 - HOUR / 2]), score: float64s([1, 2]) }));
    const first = await store.materializeIncremental({ end: iso(T0) });
    expect(first.views.map((v) => [v.name, v.start, v.rows])).toEqual([
      ['driver_hourly_stats', iso(T0 - 52 * 7 * 24 * HOUR), 1],
      ['recent', iso(T0 - HOUR), 1],
    ]);
    await lake.write('driver_stats/part-00001.parquet', driverRows([[1, T0 + HOUR, T0, 0.2], [2, T0 - HOUR, T0, 0.9]]));
    const second = await store.materializeIncremental({ end: iso(T0 + 2 * HOUR), views: ['driver_hourly_stats'] });
    expect(second.views).toMatchObject([{ name: 'driver_hourly_stats', rows: 1, start: iso(T0), end: iso(T0 + 2 * HOUR) }]);
    expect(await readRates([1, 2])).toEqual([0.2, null]);
    expect(await readWatermarks(store.context)).toEqual({ driver_hourly_stats: T0 + 2 * HOUR, recent: T0 });
  });

  test('bad windows and views are refused', async () => {
    await expect(store.materializeIncremental({ end: new Date(Date.now() + 3600_000) })).rejects.toMatchObject({ code: 'TIMESTAMP_INVALID', message: expect.stringContaining('in the future') });
    await expect(store.materialize({ start: T0 + HOUR, end: T0 })).rejects.toMatchObject({ code: 'TIMESTAMP_INVALID' });
    await expect(store.materialize({ start: T0, end: T0, views: ['nope'] })).rejects.toMatchObject({ code: 'UNKNOWN_FEATURE_VIEW' });
    await expect(store.materialize({ start: 'yesterday', end: T0 })).rejects.toMatchObject({ code: 'TIMESTAMP_INVALID' });
  });
});
