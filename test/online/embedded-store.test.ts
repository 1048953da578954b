import { join } from 'node:path';
import { Table } from 'apache-arrow';
import { open } from 'lmdb';
import type { FeatureStore } from '../../runtime/feature-store';
import type { OnlineLayout } from '../../runtime/manifest/schema';
import { readWatermarks, writeToOnlineStore, type GetOnlineFeaturesRequest } from '../../runtime/online';
import { float64s, int64s, TempLake, timestamps } from '../offline/fixtures';
import { dumpRedis, HOUR, onlineManifest, openStore, SECOND, T_GOLDEN, tempDir, redisPerFile } from './online-fixtures';

/** Moves Date forward by `ms` for the code under test; every timer keeps running for real. */
function moveClock(ms: number): void {
  jest.useFakeTimers({
    now: Date.now() + ms,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
}

const iso = (micros: number) => new Date(micros / 1000).toISOString();

const REQUESTS: GetOnlineFeaturesRequest[] = [
  { features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:avg_daily_trips', 'recent:score'], entities: { driver_id: [1, 2, 3, 4] } },
  { features: ['all_types:str', 'all_types:i64s', 'all_types:bin', 'all_types:seen'], entities: { user_id: ['a', 'b', 'zz'] } },
  { features: ['trips_by_city:trips', 'global_stats:total_trips'], entities: { driver_id: [1, 1], city: ['Paris', 'Rome'] } },
];

/** The same writes, in the same order, to any store; `recent` rows are relative to `now`. */
async function writeAll(store: FeatureStore, now: number): Promise<void> {
  const write = (featureView: string, rows: Record<string, unknown[]>) => writeToOnlineStore(store.context, { featureView, rows });
  await write('driver_hourly_stats', { driver_id: [1, 2, 3], event_timestamp: [iso(T_GOLDEN), iso(T_GOLDEN), iso(T_GOLDEN)], conv_rate: [0.5, null, 0.7], avg_daily_trips: [1, 2, 3] });
  await write('driver_hourly_stats', { driver_id: [1, 3], event_timestamp: [iso(T_GOLDEN - HOUR), iso(T_GOLDEN + HOUR)], conv_rate: [0.1, 0.9], avg_daily_trips: [10, 30] });
  await write('recent', { driver_id: [1, 2], event_timestamp: [iso(now - 2 * HOUR), iso(now)], score: [1, 2] });
  await write('all_types', { user_id: ['a', 'b'], event_timestamp: [iso(T_GOLDEN), iso(T_GOLDEN)], str: ['x', null], i64s: [[1, 2], []], bin: ['AAE=', null], seen: [iso(T_GOLDEN), null] });
  await write('trips_by_city', { driver_id: [1], city: ['Paris'], event_timestamp: [iso(T_GOLDEN)], trips: [4] });
  await write('global_stats', { event_timestamp: [iso(T_GOLDEN)], total_trips: [1000] });
}

/** The embedded store's entries as Redis holds them: records by key, Feast fields by hash key. */
function dumpEmbedded(path: string, layout: OnlineLayout): Record<string, unknown> {
  const root = open({ path, maxDbs: 16 });
  try {
    const db = root.openDB<Buffer, Buffer>({ name: layout, keyEncoding: 'binary', encoding: 'binary' });
    const out: Record<string, unknown> = {};
    for (const { key, value } of db.getRange()) {
      const stored = value.subarray(8).toString('hex');
      if (layout === 'compact') out[key.toString('hex')] = stored;
      else {
        const hashKey = key.subarray(4, 4 + key.readUInt32LE(0)).toString('hex');
        const fields = (out[hashKey] ??= {}) as Record<string, string>;
        fields[key.subarray(4 + key.readUInt32LE(0)).toString('hex')] = stored;
      }
    }
    return out;
  } finally {
    void root.close();
  }
}

const redis = redisPerFile();

describe.each<OnlineLayout>(['compact', 'feast'])('the embedded store, %s layout', (layout) => {
  let dir: { path: string; cleanup(): void };
  beforeEach(async () => {
    await redis.raw.flushall();
    dir = tempDir('fs-embedded-');
  });
  afterEach(() => dir.cleanup());

  test('answers as Redis does and holds the same bytes', async () => {
    const onRedis = await openStore(onlineManifest({ layout }), redis.server);
    const embedded = await openStore(onlineManifest({ layout, embeddedPath: join(dir.path, 'online') }), null);
    try {
      const now = Date.now() * 1000;
      await writeAll(onRedis, now);
      await writeAll(embedded, now);
      for (const request of REQUESTS) {
        expect(await embedded.getOnlineFeatures(request)).toEqual(await onRedis.getOnlineFeatures(request));
      }
    } finally {
      await Promise.all([onRedis.close(), embedded.close()]);
    }
    expect(dumpEmbedded(join(dir.path, 'online'), layout)).toEqual(await dumpRedis(redis.raw));
  });

  test('materializes from the lake as Redis does, watermarks included', async () => {
    const lake = await TempLake.create();
    const manifest = (embeddedPath?: string) => onlineManifest({ layout, embeddedPath, views: [{ name: 'recent', joinKeys: [{ name: 'driver_id', valueType: 'Int64' }], features: [['score', 'Float64']], ttlSeconds: 0, path: 'recent' }] });
    const onRedis = await openStore(manifest(), redis.server, lake.root);
    const embedded = await openStore(manifest(join(dir.path, 'online')), null, lake.root);
    try {
      await lake.write('recent/data.parquet', new Table({ driver_id: int64s([1, 1, 2]), event_timestamp: timestamps([T_GOLDEN, T_GOLDEN + SECOND, T_GOLDEN]), score: float64s([1, 2, 3]) }));
      for (const store of [onRedis, embedded]) await store.materialize({ start: T_GOLDEN, end: T_GOLDEN + HOUR });
      const request = { features: ['recent:score'], entities: { driver_id: [1, 2, 3] } };
      expect(await embedded.getOnlineFeatures(request)).toEqual(await onRedis.getOnlineFeatures(request));
      expect((await embedded.getOnlineFeatures(request)).results[1].values).toEqual([2, 3, null]);
      expect(await readWatermarks(embedded.context)).toEqual({ recent: T_GOLDEN + HOUR });
      expect(await readWatermarks(embedded.context)).toEqual(await readWatermarks(onRedis.context));
    } finally {
      await Promise.all([onRedis.close(), embedded.close(), lake.remove()]);
    }
  });

  test('keeps values across reopening, ignores older writes, and lets keys expire', async () => {
    const path = join(dir.path, 'online');
    const first = await openStore(onlineManifest({ layout, embeddedPath: path, keyTtlSeconds: 1 }), null);
    const row = (t: number, rate: number) => ({ driver_id: [9], event_timestamp: [iso(t)], conv_rate: [rate] });
    await writeToOnlineStore(first.context, { featureView: 'driver_hourly_stats', rows: row(T_GOLDEN, 0.5) });
    await first.close();
    const second = await openStore(onlineManifest({ layout, embeddedPath: path, keyTtlSeconds: 1 }), null);
    try {
      expect(await writeToOnlineStore(second.context, { featureView: 'driver_hourly_stats', rows: row(T_GOLDEN - HOUR, 0.1) })).toEqual({ rows: 1, written: 0 });
      const read = async () => (await second.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [9] } })).results[1];
      expect((await read()).values).toEqual([0.5]);
      moveClock(1001); // past the 1 s key TTL, without sleeping it out
      expect((await read()).statuses).toEqual(['NOT_FOUND']);
    } finally {
      jest.useRealTimers();
      await second.close();
    }
  });
});
