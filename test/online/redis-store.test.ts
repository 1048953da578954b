import type { FeatureStore } from '../../runtime/feature-store';
import type { OnlineLayout } from '../../runtime/manifest/schema';
import { compileEntityKey } from '../../runtime/online/entity-key';
import { CompactRecordCodec } from '../../runtime/online/compact/record';
import { writeToOnlineStore, type OnlineFeaturesResponse } from '../../runtime/online';
import { ALL_TYPES, DRIVER_STATS, dumpRedis, hashHex, HOUR, SECOND, onlineManifest, openStore, PROJECT, T_GOLDEN, redisPerFile } from './online-fixtures';

/** `{ feature: [values...] }` of a response, join keys included. */
function columns(response: OnlineFeaturesResponse, key: 'values' | 'statuses' | 'event_timestamps' = 'values'): Record<string, readonly unknown[]> {
  return Object.fromEntries(response.metadata.feature_names.map((name, i) => [name, response.results[i][key]]));
}

const DRIVER_FEATURES = ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:acc_rate', 'driver_hourly_stats:avg_daily_trips'];
const iso = (micros: number) => new Date(micros / 1000).toISOString();

const redis = redisPerFile();

describe.each<OnlineLayout>(['compact', 'feast'])('Redis, %s layout', (layout) => {
  let store: FeatureStore;
  const write = (featureView: string, rows: Record<string, unknown[]>) => writeToOnlineStore(store.context, { featureView, rows });

  beforeEach(async () => {
    await redis.raw.flushall();
    store = await openStore(onlineManifest({ layout }), redis.server);
  });
  afterEach(() => store.close());

  test('values read back with their statuses and event times; unknown entities are NOT_FOUND', async () => {
    await write('driver_hourly_stats', {
      driver_id: [1001, 1002],
      event_timestamp: [iso(T_GOLDEN), iso(T_GOLDEN + 7_000_000)],
      conv_rate: [0.5, null],
      acc_rate: [0.25, 0.75],
      avg_daily_trips: [10, 2 ** 53 + 2],
    });
    const response = await store.getOnlineFeatures({ features: DRIVER_FEATURES, entities: { driver_id: [1001, 1002, 1003] } });
    expect(response.metadata.feature_names).toEqual(['driver_id', 'conv_rate', 'acc_rate', 'avg_daily_trips']);
    expect(columns(response)).toEqual({
      driver_id: [1001, 1002, 1003],
      conv_rate: [0.5, null, null],
      acc_rate: [0.25, 0.75, null],
      avg_daily_trips: [10, String(2n ** 53n + 2n), null],
    });
    expect(columns(response, 'statuses')).toEqual({
      driver_id: ['PRESENT', 'PRESENT', 'PRESENT'],
      conv_rate: ['PRESENT', 'NULL_VALUE', 'NOT_FOUND'],
      acc_rate: ['PRESENT', 'PRESENT', 'NOT_FOUND'],
      avg_daily_trips: ['PRESENT', 'PRESENT', 'NOT_FOUND'],
    });
    expect(response.results[1].event_timestamps).toEqual(['2021-03-31T22:00:00Z', '2021-03-31T22:00:07Z', '1970-01-01T00:00:00Z']);
    expect(response.results[0].event_timestamps).toEqual(['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z']);
  });

  test('every value type, lists and nulls round-trip', async () => {
    const seen = T_GOLDEN + 42_000_000;
    await write('all_types', {
      user_id: ['u1', 'u2'],
      event_timestamp: [iso(T_GOLDEN), iso(T_GOLDEN)],
      i32: [-7, null],
      i64: ['-9007199254740993', null],
      f32: [0.1, null],
      f64: [1e-300, null],
      str: ['grüße', null],
      bin: [Buffer.from([0, 1, 255]).toString('base64'), null],
      flag: [false, null],
      seen: [iso(seen), null],
      i32s: [[1, -2], null],
      i64s: [[2 ** 40], []],
      f32s: [[0.5, 1.5], null],
      f64s: [[Math.E], null],
      strs: [['', 'x'], null],
      bins: [[Buffer.from('hi').toString('base64')], null],
      flags: [[true, false], null],
      seens: [[iso(seen)], null],
    });
    const features = ALL_TYPES.features.map(([name]) => `all_types:${name}`);
    const response = await store.getOnlineFeatures({ features, entities: { user_id: ['u1', 'u2'] } });
    expect(columns(response)).toEqual({
      user_id: ['u1', 'u2'],
      i32: [-7, null],
      i64: ['-9007199254740993', null],
      f32: [Math.fround(0.1), null],
      f64: [1e-300, null],
      str: ['grüße', null],
      bin: ['AAH/', null],
      flag: [false, null],
      seen: [seen / 1_000_000, null],
      i32s: [[1, -2], null],
      i64s: [[2 ** 40], []],
      f32s: [[0.5, 1.5], null],
      f64s: [[Math.E], null],
      strs: [['', 'x'], null],
      bins: [['aGk='], null],
      flags: [[true, false], null],
      seens: [[seen / 1_000_000], null],
    });
    const statuses = columns(response, 'statuses');
    expect(statuses.i32).toEqual(['PRESENT', 'NULL_VALUE']);
    expect(statuses.i64s).toEqual(['PRESENT', 'PRESENT']);
  });

  test('composite keys: each (driver, city) pair is its own entity, whatever the column order', async () => {
    await write('trips_by_city', {
      city: ['Paris', 'Lyon', 'Paris'],
      driver_id: [1, 1, 2],
      event_timestamp: [iso(T_GOLDEN), iso(T_GOLDEN), iso(T_GOLDEN)],
      trips: [10, 20, 30],
    });
    const response = await store.getOnlineFeatures({
      features: ['trips_by_city:trips'],
      entities: { driver_id: [2, 1, 1, 2], city: ['Paris', 'Paris', 'Lyon', 'Lyon'] },
    });
    expect(columns(response)).toEqual({ driver_id: [2, 1, 1, 2], city: ['Paris', 'Paris', 'Lyon', 'Lyon'], trips: [30, 10, 20, null] });
  });

  test('an entity-less view needs no entity columns', async () => {
    await write('global_stats', { event_timestamp: [iso(T_GOLDEN)], total_trips: [99] });
    const response = await store.getOnlineFeatures({ features: ['global_stats:total_trips'], entities: {} });
    expect(columns(response)).toEqual({ total_trips: [99] });
  });

  test('a value older than the view TTL is OUTSIDE_MAX_AGE and null; a fresh one is PRESENT', async () => {
    const now = Date.now() * 1000;
    await write('recent', { driver_id: [1, 2], event_timestamp: [iso(now - 2 * HOUR), iso(now - HOUR / 2)], score: [0.1, 0.2] });
    const response = await store.getOnlineFeatures({ features: ['recent:score'], entities: { driver_id: [1, 2] } });
    expect(columns(response).score).toEqual([null, 0.2]);
    expect(columns(response, 'statuses').score).toEqual(['OUTSIDE_MAX_AGE', 'PRESENT']);
    expect(columns(response, 'event_timestamps').score[0]).not.toBe('1970-01-01T00:00:00Z');
  });

  test('an older write is ignored; a newer one replaces', async () => {
    const at = (t: number, rate: number) => write('driver_hourly_stats', { driver_id: [7], event_timestamp: [iso(t)], conv_rate: [rate] });
    expect(await at(T_GOLDEN + 10 * HOUR, 0.9)).toEqual({ rows: 1, written: 1 });
    expect(await at(T_GOLDEN, 0.1)).toEqual({ rows: 1, written: 0 });
    const read = async () => columns(await store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [7] } })).conv_rate;
    expect(await read()).toEqual([0.9]);
    await at(T_GOLDEN + 11 * HOUR, 0.8);
    expect(await read()).toEqual([0.8]);
  });

  test('a write mixing new entities with entities holding newer values writes the new ones and keeps the newer; a write of new entities after it is whole', async () => {
    const rows = (ids: number[], t: number, rate: number) => ({ driver_id: ids, event_timestamp: ids.map(() => iso(t)), conv_rate: ids.map(() => rate) });
    expect(await write('driver_hourly_stats', rows([1, 2], T_GOLDEN + HOUR, 0.9))).toEqual({ rows: 2, written: 2 });
    expect(await write('driver_hourly_stats', rows([1, 2, 3, 4], T_GOLDEN, 0.1))).toEqual({ rows: 4, written: 2 });
    expect(await write('driver_hourly_stats', rows([5, 6], T_GOLDEN, 0.2))).toEqual({ rows: 2, written: 2 });
    const response = await store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1, 2, 3, 4, 5, 6] } });
    expect(columns(response).conv_rate).toEqual([0.9, 0.9, 0.1, 0.1, 0.2, 0.2]);
  });

  test('rows written again as they are count as written and leave the stored bytes alone; a newer row among them replaces', async () => {
    const rows = (ids: number[], rate: (id: number) => number, t = T_GOLDEN) => ({ driver_id: ids, event_timestamp: ids.map(() => iso(t)), conv_rate: ids.map(rate) });
    expect(await write('driver_hourly_stats', rows([1, 2, 3], (id) => id / 10))).toEqual({ rows: 3, written: 3 });
    const stored = await dumpRedis(redis.raw);
    expect(await write('driver_hourly_stats', rows([1, 2, 3], (id) => id / 10))).toEqual({ rows: 3, written: 3 });
    expect(await dumpRedis(redis.raw)).toEqual(stored);
    expect(await write('driver_hourly_stats', { ...rows([1, 2, 3], (id) => (id === 2 ? 0.9 : id / 10)), event_timestamp: [iso(T_GOLDEN), iso(T_GOLDEN + HOUR), iso(T_GOLDEN)] })).toEqual({ rows: 3, written: 3 });
    const response = await store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1, 2, 3] } });
    expect(columns(response).conv_rate).toEqual([0.1, 0.9, 0.3]);
  });

  test('within one write, the latest row per entity wins, then the latest created time', async () => {
    await write('driver_hourly_stats', {
      driver_id: [1, 1, 1, 2, 2],
      event_timestamp: [iso(T_GOLDEN + HOUR), iso(T_GOLDEN + 2 * HOUR), iso(T_GOLDEN), iso(T_GOLDEN), iso(T_GOLDEN)],
      created: [iso(T_GOLDEN), iso(T_GOLDEN), iso(T_GOLDEN), iso(T_GOLDEN + 5 * SECOND), iso(T_GOLDEN + SECOND)],
      conv_rate: [0.1, 0.2, 0.3, 0.4, 0.5],
    });
    const response = await store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1, 2] } });
    expect(columns(response).conv_rate).toEqual([0.2, 0.4]);
  });

  test('a feature service with an alias and full feature names', async () => {
    const manifest = onlineManifest({
      layout,
      services: [{ name: 'svc', projections: [{ featureView: 'driver_hourly_stats', alias: 'drv', features: ['conv_rate'], joinKeyMap: { driver_id: 'driver' } }] }],
    });
    const withService = await openStore(manifest, redis.server);
    try {
      await writeToOnlineStore(withService.context, { featureView: 'driver_hourly_stats', rows: { driver_id: [5], event_timestamp: [iso(T_GOLDEN)], conv_rate: [0.5] } });
      const response = await withService.getOnlineFeatures({ featureService: 'svc', entities: { driver: [5, 6] }, fullFeatureNames: true });
      expect(columns(response)).toEqual({ driver: [5, 6], drv__conv_rate: [0.5, null] });
    } finally {
      await withService.close();
    }
  });

  test('a request over several views and entities reads them in one command or one pipeline', async () => {
    await write('driver_hourly_stats', { driver_id: [1, 2], event_timestamp: [iso(T_GOLDEN), iso(T_GOLDEN)], conv_rate: [0.1, 0.2] });
    await write('recent', { driver_id: [1], event_timestamp: [iso(Date.now() * 1000)], score: [3] });
    await redis.raw.config('RESETSTAT');
    const response = await store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate', 'recent:score', 'global_stats:total_trips'], entities: { driver_id: [1, 2, 3] } });
    expect(columns(response)).toEqual({ driver_id: [1, 2, 3], conv_rate: [0.1, 0.2, null], score: [3, null, null], total_trips: [null, null, null] });
    const stats = await redis.raw.info('commandstats');
    const calls = (cmd: string) => Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    if (layout === 'compact') {
      expect([calls('mget'), calls('hmget'), calls('get')]).toEqual([1, 0, 0]);
    } else {
      // Views keyed by driver_id share one hash per driver: 3 drivers + the entity-less hash.
      expect([calls('mget'), calls('hmget'), calls('get')]).toEqual([0, 4, 0]);
    }
  });

  test('bad rows are refused before anything is written', async () => {
    await expect(write('driver_hourly_stats', { driver_id: [1, 2], event_timestamp: [iso(T_GOLDEN), iso(T_GOLDEN)], conv_rate: [0.5, 'high'] })).rejects.toMatchObject({
      code: 'REQUEST_INVALID',
      message: expect.stringContaining('"conv_rate" row 2'),
    });
    expect(await redis.raw.dbsize()).toBe(0);
    await expect(write('driver_hourly_stats', { driver_id: [1], conv_rate: [0.5] })).rejects.toMatchObject({ code: 'REQUEST_INVALID', message: expect.stringContaining('"event_timestamp" is missing') });
  });

  test('requests naming unknown things fail with the fix in the hint', async () => {
    await expect(store.getOnlineFeatures({ features: ['driver_hourly_stats:nope'], entities: { driver_id: [1] } })).rejects.toMatchObject({ code: 'UNKNOWN_FEATURE' });
    await expect(store.getOnlineFeatures({ features: DRIVER_FEATURES, entities: { user_id: ['x'], driver_id: [1] } })).rejects.toMatchObject({
      code: 'REQUEST_INVALID',
      message: 'entity column "user_id" is not a join key of the requested features',
    });
    await expect(store.getOnlineFeatures({ features: DRIVER_FEATURES, entities: {} })).rejects.toMatchObject({ code: 'REQUEST_INVALID', message: 'entity column "driver_id" is missing' });
    await expect(store.getOnlineFeatures({ features: DRIVER_FEATURES, entities: { driver_id: ['abc'] } })).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
  });

  test('the optional key TTL expires keys in Redis', async () => {
    const ttlStore = await openStore(onlineManifest({ layout, keyTtlSeconds: 600 }), redis.server);
    try {
      await writeToOnlineStore(ttlStore.context, { featureView: 'driver_hourly_stats', rows: { driver_id: [1], event_timestamp: [iso(T_GOLDEN)], conv_rate: [0.5] } });
      const [key] = await redis.raw.keysBuffer('*');
      const ttl = await redis.raw.ttl(key);
      expect(ttl).toBeGreaterThan(590);
      expect(ttl).toBeLessThanOrEqual(600);
      // The same row written again renews the key's TTL.
      await redis.raw.expire(key, 100);
      await writeToOnlineStore(ttlStore.context, { featureView: 'driver_hourly_stats', rows: { driver_id: [1], event_timestamp: [iso(T_GOLDEN)], conv_rate: [0.5] } });
      expect(await redis.raw.ttl(key)).toBeGreaterThan(590);
    } finally {
      await ttlStore.close();
    }
  });
});

describe('bytes on the wire', () => {
  const entityKey = compileEntityKey([{ name: 'driver_id', valueType: 'Int64' }]).encode([1001]);

  test('feast: the golden key holds the golden fields, Value and Timestamp', async () => {
    await redis.raw.flushall();
    const store = await openStore(onlineManifest({ layout: 'feast' }), redis.server);
    try {
      await writeToOnlineStore(store.context, {
        featureView: 'driver_hourly_stats',
        rows: { driver_id: [1001], event_timestamp: ['2021-03-31T22:00:00Z'], conv_rate: [0.5], acc_rate: [null], avg_daily_trips: [3] },
      });
    } finally {
      await store.close();
    }
    const key = Buffer.from('0100000002000000090000006472697665725f69640400000008000000e9030000000000006472697665725f64656d6f', 'hex');
    expect((await redis.raw.keysBuffer('*')).map((k) => k.toString('hex'))).toEqual([key.toString('hex')]);
    const fields = await hashHex(redis.raw, key);
    expect(fields['6160e3da']).toBe('29000000000000e03f');
    expect(fields[Buffer.from('_ts:driver_hourly_stats').toString('hex')]).toBe('08e0e1938306');
    expect(Object.values(fields).sort()).toEqual(['', '08e0e1938306', '2003', '29000000000000e03f'].sort());
  });

  test('compact: one record per (entity key, view) under <project>:<view>:<entity key>', async () => {
    await redis.raw.flushall();
    const store = await openStore(onlineManifest({ layout: 'compact' }), redis.server);
    try {
      await writeToOnlineStore(store.context, {
        featureView: 'driver_hourly_stats',
        rows: { driver_id: [1001], event_timestamp: ['2021-03-31T22:00:00Z'], created: ['2021-03-31T22:00:01Z'], conv_rate: [0.5], acc_rate: [null], avg_daily_trips: [3] },
      });
    } finally {
      await store.close();
    }
    const key = Buffer.concat([Buffer.from(`${PROJECT}:driver_hourly_stats:`), entityKey]);
    const record = await redis.raw.getBuffer(key);
    const fingerprint = new CompactRecordCodec(DRIVER_STATS.features.map(([name, dtype]) => ({ name, dtype, description: '', tags: {} }))).fingerprint;
    expect(record!.toString('hex')).toBe(
      '0005bedc3c75f800' + '0005bedc3c853a40' + fingerprint.toString('hex') + '02' + '000000000000e03f' + '0300000000000000',
    );
  });
});

test('compact: a record written under another schema is reported, not misread', async () => {
  await redis.raw.flushall();
  const before = await openStore(onlineManifest({ layout: 'compact' }), redis.server);
  await writeToOnlineStore(before.context, { featureView: 'driver_hourly_stats', rows: { driver_id: [1], event_timestamp: [iso(T_GOLDEN)], conv_rate: [0.5] } });
  await before.close();
  const changed = { ...DRIVER_STATS, features: [['conv_rate', 'Float32'], ...DRIVER_STATS.features.slice(1)] as typeof DRIVER_STATS.features };
  const after = await openStore(onlineManifest({ layout: 'compact', views: [changed] }), redis.server);
  try {
    await expect(after.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } })).rejects.toMatchObject({
      code: 'SCHEMA_MISMATCH',
      hint: expect.stringContaining('materialize'),
    });
    // Writing with the new schema replaces the stale record, whatever its time.
    await writeToOnlineStore(after.context, { featureView: 'driver_hourly_stats', rows: { driver_id: [1], event_timestamp: [iso(T_GOLDEN - HOUR)], conv_rate: [0.25] } });
    const response = await after.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } });
    expect(response.results[1].values).toEqual([0.25]);
  } finally {
    await after.close();
  }
});
