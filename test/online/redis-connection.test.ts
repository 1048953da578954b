import { FeatureStore } from '../../runtime/feature-store';
import { withHash } from '../../runtime/manifest/canonical';
import type { Manifest, OnlineLayout, RedisStoreSpec } from '../../runtime/manifest/schema';
import { writeToOnlineStore } from '../../runtime/online';
import { freePort } from '../support/free-port';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { onlineManifest, openStore, T_GOLDEN } from './online-fixtures';

const READ = { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } };
const ROWS = { driver_id: [1], event_timestamp: [new Date(T_GOLDEN / 1000).toISOString()], conv_rate: [0.5] };

/** The manifest with its own Redis endpoint (no FEATURESTACK_REDIS_URL). */
function pointedAt(manifest: Manifest, endpoint: Partial<RedisStoreSpec>): Manifest {
  const { hash: _h, ...spec } = manifest.onlineStore as RedisStoreSpec;
  const { hash: _m, ...rest } = manifest;
  return withHash<Manifest>({ ...rest, onlineStore: withHash<RedisStoreSpec>({ ...spec, ...endpoint }) });
}

async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('an unreachable Redis', () => {
  test('is a clear ONLINE_STORE_UNREACHABLE error, not a hang', async () => {
    const port = await freePort();
    const store = await FeatureStore.open({ manifest: onlineManifest({ layout: 'compact' }), env: { FEATURESTACK_REDIS_URL: `redis://127.0.0.1:${port}` } });
    try {
      await expect(store.getOnlineFeatures(READ)).rejects.toMatchObject({
        code: 'ONLINE_STORE_UNREACHABLE',
        message: expect.stringContaining(`Redis at 127.0.0.1:${port} is unreachable`),
        hint: expect.stringContaining('FEATURESTACK_REDIS_URL'),
      });
      await expect(store.materialize({ start: T_GOLDEN, end: T_GOLDEN })).rejects.toMatchObject({ code: 'ONLINE_STORE_UNREACHABLE' });
    } finally {
      await store.close();
    }
  }, 10000);

  test('fails requests while it is down and serves again once it is back', async () => {
    const server = await startRedisServer();
    const store = await openStore(onlineManifest({ layout: 'feast' }), server);
    try {
      await writeToOnlineStore(store.context, { featureView: 'driver_hourly_stats', rows: ROWS });
      await server.stop();
      await expect(store.getOnlineFeatures(READ)).rejects.toMatchObject({ code: 'ONLINE_STORE_UNREACHABLE' });
      await expect(writeToOnlineStore(store.context, { featureView: 'driver_hourly_stats', rows: ROWS })).rejects.toMatchObject({ code: 'ONLINE_STORE_UNREACHABLE' });
      await server.start();
      // The restarted server is empty: the write comes back as NOT_FOUND, served again.
      const response = await eventually(() => store.getOnlineFeatures(READ));
      expect(response.results[1].statuses).toEqual(['NOT_FOUND']);
    } finally {
      await store.close();
      await server.close();
    }
  }, 30000);
});

describe('Redis endpoints and credentials', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer({ password: 's3cret pass' });
  });
  afterAll(() => server.close());

  test("the manifest's endpoint, with the password from the variable it names", async () => {
    const manifest = pointedAt(onlineManifest({ layout: 'compact', passwordEnv: 'REDIS_PASSWORD' }), { host: server.host, port: server.port });
    const store = await FeatureStore.open({ manifest, env: { REDIS_PASSWORD: 's3cret pass' } });
    try {
      await writeToOnlineStore(store.context, { featureView: 'driver_hourly_stats', rows: ROWS });
      expect((await store.getOnlineFeatures(READ)).results[1].values).toEqual([0.5]);
    } finally {
      await store.close();
    }
  });

  test('FEATURESTACK_REDIS_URL overrides host, port and password', async () => {
    const manifest = onlineManifest({ layout: 'compact', passwordEnv: 'UNSET_PASSWORD' });
    const store = await FeatureStore.open({ manifest, env: { FEATURESTACK_REDIS_URL: server.url } });
    try {
      expect((await store.getOnlineFeatures(READ)).results[1].statuses).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  test('a missing or wrong password is UNAUTHORIZED, naming the variable', async () => {
    const manifest = pointedAt(onlineManifest({ layout: 'compact', passwordEnv: 'REDIS_PASSWORD' }), { host: server.host, port: server.port });
    const missing = await FeatureStore.open({ manifest, env: {} });
    await expect(missing.getOnlineFeatures(READ)).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('REDIS_PASSWORD') });
    await missing.close();
    const wrong = await FeatureStore.open({ manifest, env: { REDIS_PASSWORD: 'nope' } });
    await expect(wrong.getOnlineFeatures(READ)).rejects.toMatchObject({ code: 'UNAUTHORIZED', hint: expect.stringContaining('passwordEnv') });
    await wrong.close();
  });

  test('a malformed FEATURESTACK_REDIS_URL is refused with the expected form', async () => {
    const store = await FeatureStore.open({ manifest: onlineManifest({ layout: 'compact' }), env: { FEATURESTACK_REDIS_URL: 'localhost:6380' } });
    await expect(store.getOnlineFeatures(READ)).rejects.toMatchObject({ code: 'REQUEST_INVALID', hint: expect.stringContaining('redis://host:port') });
    await store.close();
  });
});

describe.each<OnlineLayout>(['compact', 'feast'])('Redis Cluster, %s layout', (layout) => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer({ cluster: true });
  });
  afterAll(() => server.close());

  test('writes compare-and-set per key and reads every view back', async () => {
    const store = await openStore(onlineManifest({ layout, cluster: true }), server);
    try {
      const at = (t: number, rates: number[]) => ({ driver_id: [1, 2, 3], event_timestamp: rates.map(() => new Date(t / 1000).toISOString()), conv_rate: rates });
      expect(await writeToOnlineStore(store.context, { featureView: 'driver_hourly_stats', rows: at(T_GOLDEN, [0.1, 0.2, 0.3]) })).toEqual({ rows: 3, written: 3 });
      expect(await writeToOnlineStore(store.context, { featureView: 'driver_hourly_stats', rows: at(T_GOLDEN - 1e6, [9, 9, 9]) })).toEqual({ rows: 3, written: 0 });
      await writeToOnlineStore(store.context, { featureView: 'global_stats', rows: { event_timestamp: ['2024-01-01'], total_trips: [5] } });
      const response = await store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate', 'global_stats:total_trips'], entities: { driver_id: [3, 1, 2, 4] } });
      expect(response.results.map((r) => r.values)).toEqual([
        [3, 1, 2, 4],
        [0.3, 0.1, 0.2, null],
        [5, 5, 5, 5],
      ]);
    } finally {
      await store.close();
    }
  });
});
