/** The feature server serves aggregation views: /push adds events to the tiles, /get-online-features combines them. */
import type { FastifyInstance } from 'fastify';
import { FeatureStore } from '../../runtime/feature-store';
import { withHash } from '../../runtime/manifest/canonical';
import type { Manifest } from '../../runtime/manifest/schema';
import { buildFeatureServer } from '../../runtime/server';
import { plainRows } from '../offline/fixtures';
import { client, listen } from '../server/http-client';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { AggregationLake, aggregationManifest, entityTable } from './fixtures';

let redis: RedisServer;
let lake: AggregationLake;
let store: FeatureStore;
let app: FastifyInstance;
let http: ReturnType<typeof client>;

beforeAll(async () => {
  [redis, lake] = await Promise.all([startRedisServer(), AggregationLake.create()]);
  await lake.writeTrips([[]]);
  const { hash: _h, ...rest } = aggregationManifest();
  const manifest = withHash<Manifest>({ ...rest, onlineStore: withHash({ kind: 'redis', host: '127.0.0.1', port: redis.port, tls: false, cluster: false, passwordEnv: null, layout: 'compact', keyTtlSeconds: null }) });
  store = await FeatureStore.open({ manifest, env: lake.env() });
  app = await buildFeatureServer(store, { maxEntities: 100, tokens: [], logLevel: 'error' });
  http = client(await listen(app));
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  await Promise.all([redis?.close(), lake?.remove()]);
});

test('events pushed over HTTP (online and offline) are counted by a lookup over HTTP, as training counts them', async () => {
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  const pushed = await http.post('/push', {
    push_source_name: 'trips_push',
    df: { rider_id: [7, 7, 7, 8], event_timestamp: [minutesAgo(2), minutesAgo(50), minutesAgo(200), minutesAgo(1)], created: [minutesAgo(1), minutesAgo(1), minutesAgo(1), minutesAgo(1)], fare: [10.5, 2.25, 100, 4], tip: [1, null, 3, 2] },
    to: 'online_and_offline',
  });
  expect(pushed.status).toBe(200);
  const res = await http.post('/get-online-features', { features: ['rider_trips:fare_count_6h', 'rider_trips:fare_max_6h', 'rider_trips:fare_last_1h', 'rider_trips:tip_sum_1h'], entities: { rider_id: [7, 8, 9] } });
  expect(res.status).toBe(200);
  const body = res.json();
  expect(body.metadata.feature_names).toEqual(['rider_id', 'fare_count_6h', 'fare_max_6h', 'fare_last_1h', 'tip_sum_1h']);
  expect(body.results.slice(1).map((c: { values: unknown[] }) => c.values)).toEqual([
    [3, 1, 0],
    [100, 4, null],
    [10.5, 4, null],
    [1, 2, null],
  ]);
  expect(body.results[1].statuses).toEqual(['PRESENT', 'PRESENT', 'NOT_FOUND']);
  // The pushed rows went to the lake too: training at the same instant agrees (windows ending now).
  const now = Date.now() * 1000;
  const training = plainRows(await store.getHistoricalFeatures({ entities: entityTable([7, 8, 9].map((rider_id) => ({ rider_id, event_timestamp: now }))), features: ['rider_trips:fare_count_6h', 'rider_trips:fare_max_6h'] }));
  expect(training.map((r) => [r.fare_count_6h, r.fare_max_6h])).toEqual([[3, 100], [1, 4], [0, null]]);
});
