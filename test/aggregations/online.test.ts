import { FeatureStore } from '../../runtime/feature-store';
import { withHash } from '../../runtime/manifest/canonical';
import type { Manifest, OnlineStoreSpec } from '../../runtime/manifest/schema';
import { onlineResponse } from '../../runtime/online';
import { readOnlineRows } from '../../runtime/online/read/get-online-features';
import { plainRows } from '../offline/fixtures';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { rawClient } from '../online/online-fixtures';
import { AggregationLake, aggregationManifest, entityTable, generateTrips, HOUR, MINUTE, SECOND, T0, TILE, type TripEvent } from './fixtures';

const RIDERS = 12;
const ALL = aggregationManifest().featureViews.find((v) => v.name === 'rider_trips')!.features.map((f) => f.name);
const REFS = ALL.map((n) => `rider_trips:${n}`);
/** Every lake event is at or before this time. */
const MATERIALIZED = T0 + 20 * HOUR + 5 * MINUTE;

/** What getOnlineFeatures answers at `now`, per rider: { feature: value }, and the statuses. */
async function online(store: FeatureStore, now: number, riders: readonly number[]) {
  const response = onlineResponse(await readOnlineRows(await store.context.onlineStore(), { features: REFS, entities: { rider_id: [...riders] } }, now));
  const names = response.metadata.feature_names;
  return riders.map((_, r) => ({
    values: Object.fromEntries(names.slice(1).map((n, i) => [n, response.results[i + 1].values[r]])),
    statuses: names.slice(1).map((_, i) => response.results[i + 1].statuses[r]),
  }));
}

/** The training definition at the same instant. */
async function training(store: FeatureStore, now: number, riders: readonly number[]) {
  const table = await store.getHistoricalFeatures({ entities: entityTable(riders.map((rider_id) => ({ rider_id, event_timestamp: now }))), features: REFS });
  return plainRows(table).map((row) => Object.fromEntries(ALL.map((n) => [n, row[n]])));
}

async function flushRedis(server: RedisServer): Promise<void> {
  const raw = rawClient(server);
  await raw.flushall();
  raw.disconnect();
}

const riders = Array.from({ length: RIDERS + 1 }, (_, i) => i + 1); // the last has no events
/** Read times: at materialization, inside and on tile boundaries, up to past the longest window. */
const readTimes = [0, 1, 7 * MINUTE, TILE - MATERIALIZED % TILE, 40 * MINUTE + 3 * SECOND, HOUR, 2 * HOUR + TILE, 5 * HOUR + 59 * MINUTE, 6 * HOUR + TILE, 7 * HOUR].map((d) => MATERIALIZED + d);

async function expectOnlineEqualsTraining(store: FeatureStore, times: readonly number[]): Promise<void> {
  for (const now of times) {
    const got = await online(store, now, riders);
    expect({ now, values: got.map((g) => g.values) }).toEqual({ now, values: await training(store, now, riders) });
  }
}

function describeStore(name: string, onlineStore: (lake: AggregationLake) => OnlineStoreSpec, server?: () => RedisServer) {
  describe(`aggregation views online (${name})`, () => {
    let lake: AggregationLake;
    let store: FeatureStore;
    let events: TripEvent[];

    beforeAll(async () => {
      if (server) await flushRedis(server());
      lake = await AggregationLake.create();
      events = generateTrips(21, RIDERS, 2500, 20).filter((e) => e.event_timestamp <= MATERIALIZED);
      await lake.writeTrips([events.slice(0, 1200), events.slice(1200)]);
      const { hash: _h, ...rest } = aggregationManifest();
      const manifest = withHash<Manifest>({ ...rest, onlineStore: onlineStore(lake) });
      store = await FeatureStore.open({ manifest, env: { ...lake.env(), ...(server ? { FEATURESTACK_REDIS_URL: server().url } : {}) } });
    });

    afterAll(async () => {
      await store.close();
      await lake.remove();
    });

    test('after materialization, a read at t equals the training definition at t, for windows ending anywhere in a tile', async () => {
      const result = await store.materialize({ start: T0 - 24 * HOUR, end: MATERIALIZED });
      expect(result.views.map((v) => [v.name, v.rows])).toEqual([['rider_trips', RIDERS]]);
      await expectOnlineEqualsTraining(store, readTimes);
      // Not frozen at materialization: the 6 h counts fall as the window slides past the events.
      const total = async (t: number) => (await online(store, t, riders)).reduce((n, r) => n + (r.values.fare_count_6h as number), 0);
      const counts = await Promise.all(readTimes.map(total));
      expect(new Set(counts).size).toBeGreaterThan(4);
      expect(counts[0]).toBeGreaterThan(counts[counts.length - 2]);
      expect(counts[counts.length - 1]).toBe(0);
    });

    test('statuses: an unknown key is NOT_FOUND with count 0; an empty window is PRESENT 0 and NULL_VALUE for the rest', async () => {
      const [known, unknown] = await online(store, MATERIALIZED + 7 * HOUR, [1, RIDERS + 1]);
      expect(unknown.values.fare_count_1h).toBe(0);
      expect(unknown.values.fare_sum_1h).toBeNull();
      expect(new Set(unknown.statuses)).toEqual(new Set(['NOT_FOUND']));
      expect(known.values).toMatchObject({ fare_count_1h: 0, fare_sum_1h: null, fare_last_6h: null });
      expect(known.statuses[ALL.indexOf('fare_count_1h')]).toBe('PRESENT');
      expect(known.statuses[ALL.indexOf('fare_sum_1h')]).toBe('NULL_VALUE');
    });

    test('push adds new events into the current tiles: online moves with them and still equals training', async () => {
      const before = await online(store, MATERIALIZED + 30 * MINUTE, [1, 2]);
      const pushed = [
        { rider_id: 1, event_timestamp: MATERIALIZED + 10 * MINUTE, created: MATERIALIZED + 10 * MINUTE, fare: 12.5, tip: 3 },
        { rider_id: 1, event_timestamp: MATERIALIZED + 10 * MINUTE, created: MATERIALIZED + 11 * MINUTE, fare: 7.25, tip: null },
        { rider_id: 2, event_timestamp: MATERIALIZED + 20 * MINUTE, created: MATERIALIZED + 20 * MINUTE, fare: 99.75, tip: 5 },
      ];
      const iso = (t: number) => new Date(t / 1000).toISOString();
      const df = {
        rider_id: pushed.map((e) => e.rider_id),
        event_timestamp: pushed.map((e) => iso(e.event_timestamp)),
        created: pushed.map((e) => iso(e.created)),
        fare: pushed.map((e) => e.fare),
        tip: pushed.map((e) => e.tip),
      };
      const result = await store.push({ pushSourceName: 'trips_push', df, to: 'online_and_offline' });
      expect(result.online).toEqual([{ featureView: 'rider_trips', rows: 2, written: 2 }]);
      const after = await online(store, MATERIALIZED + 30 * MINUTE, [1, 2]);
      expect(after[0].values.fare_count_1h).toBe((before[0].values.fare_count_1h as number) + 2);
      expect(after[0].values.fare_last_1h).toBe(7.25); // same event time, created later
      expect(after[1].values.fare_max_6h).toBe(99.75);
      const later = MATERIALIZED + 20 * MINUTE;
      await expectOnlineEqualsTraining(store, [later, later + 1, later + HOUR, later + 6 * HOUR]);
      // A re-run of materialization rebuilds the same tiles from the lake (the push went offline too).
      await store.materialize({ start: T0 - 24 * HOUR, end: later });
      await expectOnlineEqualsTraining(store, [later, later + HOUR]);
    });

    test('concurrent pushes to one key lose no event', async () => {
      const at = MATERIALIZED + 50 * MINUTE;
      const one = (i: number) => ({ rider_id: [3], event_timestamp: [new Date(at / 1000).toISOString()], created: [new Date(at / 1000 + i).toISOString()], fare: [1], tip: [1] });
      const before = (await online(store, at, [3]))[0].values.fare_count_1h as number;
      await Promise.all(Array.from({ length: 8 }, (_, i) => store.push({ pushSourceName: 'trips_push', df: one(i), to: 'online' })));
      expect((await online(store, at, [3]))[0].values.fare_count_1h).toBe(before + 8);
    });
  });
}

describeStore('embedded', (lake) => withHash({ kind: 'embedded', path: `${lake.root}/online`, layout: 'compact', keyTtlSeconds: null }));

let redis: RedisServer;
let cluster: RedisServer;
beforeAll(async () => {
  [redis, cluster] = await Promise.all([startRedisServer(), startRedisServer({ cluster: true })]);
});
afterAll(async () => {
  await Promise.all([redis?.close(), cluster?.close()]);
});
describeStore('redis, compact layout', () => withHash({ kind: 'redis', host: '127.0.0.1', port: 1, tls: false, cluster: false, passwordEnv: null, layout: 'compact', keyTtlSeconds: null }), () => redis);
describeStore('redis, feast layout', () => withHash({ kind: 'redis', host: '127.0.0.1', port: 1, tls: false, cluster: false, passwordEnv: null, layout: 'feast', keyTtlSeconds: 3600 * 24 * 365 }), () => redis);
describeStore('redis cluster, compact layout', () => withHash({ kind: 'redis', host: '127.0.0.1', port: 1, tls: false, cluster: true, passwordEnv: null, layout: 'compact', keyTtlSeconds: null }), () => cluster);
