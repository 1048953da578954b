import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { FeatureStore } from '../../runtime/feature-store';
import type { Manifest } from '../../runtime/manifest/schema';
import { buildFeatureServer } from '../../runtime/server';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { client, listen } from './http-client';
import { partFiles, readLakeFile, writeLakeFile } from './lake-files';
import { serverManifest } from './server-manifest';

let redis: RedisServer;
let lakeRoot: string;
let manifest: Manifest;
let store: FeatureStore;
let app: FastifyInstance;
let http: ReturnType<typeof client>;

beforeAll(async () => {
  redis = await startRedisServer();
  lakeRoot = mkdtempSync(join(tmpdir(), 'fs-server-lake-'));
  manifest = serverManifest({ lakeRoot, redisPort: redis.port, wideFeatures: 3 });
  store = await FeatureStore.open({ manifest, env: {} });
  app = await buildFeatureServer(store, { maxEntities: 100, tokens: [], logLevel: 'error' });
  http = client(await listen(app));
});

afterAll(async () => {
  await app.close();
  await store.close();
  await redis.close();
  rmSync(lakeRoot, { recursive: true, force: true });
});

const MAY_1 = '2024-05-01T12:00:00Z';

describe('POST /get-online-features', () => {
  beforeAll(async () => {
    const res = await http.post('/write-to-online-store', {
      feature_view_name: 'driver_hourly_stats',
      df: { driver_id: [1001, 1002], event_timestamp: [MAY_1, MAY_1], conv_rate: [0.5, null], acc_rate: [0.9, 0.8], avg_daily_trips: [12, 7] },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ feature_view_name: 'driver_hourly_stats', rows: 2, written: 2 });
  });

  it("answers a Feast client's request with Feast's column-oriented response", async () => {
    const res = await http.post('/get-online-features', {
      features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:avg_daily_trips'],
      entities: { driver_id: [1001, 1002, 9999] },
      full_feature_names: false,
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      metadata: { feature_names: ['driver_id', 'conv_rate', 'avg_daily_trips'] },
      results: [
        { values: [1001, 1002, 9999], statuses: ['PRESENT', 'PRESENT', 'PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'] },
        { values: [0.5, null, null], statuses: ['PRESENT', 'NULL_VALUE', 'NOT_FOUND'], event_timestamps: [MAY_1, MAY_1, '1970-01-01T00:00:00Z'] },
        { values: [12, 7, null], statuses: ['PRESENT', 'PRESENT', 'NOT_FOUND'], event_timestamps: [MAY_1, MAY_1, '1970-01-01T00:00:00Z'] },
      ],
    });
  });

  it('serves a feature service with full feature names', async () => {
    const res = await http.post('/get-online-features', { feature_service: 'driver_activity', entities: { driver_id: [1001] }, full_feature_names: true });
    expect(res.status).toBe(200);
    expect(res.json().metadata.feature_names).toEqual(['driver_id', 'driver_hourly_stats__conv_rate', 'driver_hourly_stats__avg_daily_trips']);
    expect(res.json().results.map((r: { values: unknown[] }) => r.values[0])).toEqual([1001, 0.5, 12]);
  });

  it('gives each of many concurrent requests its own rows', async () => {
    const ids = [1001, 1002, 9999, 1001, 1002, 9999, 1001, 1002];
    const answers = await Promise.all(ids.map((id) => http.post('/get-online-features', { features: ['driver_hourly_stats:avg_daily_trips'], entities: { driver_id: [id] } })));
    expect(answers.map((a) => a.json().results[1].values[0])).toEqual([12, 7, null, 12, 7, null, 12, 7]);
  });

  it('writes, for batched and lone requests, the text JSON.stringify gives for the SDK response', async () => {
    const bodies = [
      { features: ['driver_hourly_stats:conv_rate', 'wide_stats:f1', 'driver_hourly_stats:avg_daily_trips', 'wide_stats:f0'], entities: { driver_id: [1002] } },
      { features: ['driver_hourly_stats:conv_rate', 'wide_stats:f1', 'driver_hourly_stats:avg_daily_trips', 'wide_stats:f0'], entities: { driver_id: [9999] } },
      { features: ['driver_hourly_stats:conv_rate', 'wide_stats:f1', 'driver_hourly_stats:avg_daily_trips', 'wide_stats:f0'], entities: { driver_id: [1001, 9999, 1002] } },
      { feature_service: 'driver_activity', entities: { driver_id: [1001] }, full_feature_names: true },
    ];
    const texts = await Promise.all(bodies.map(async (body) => (await http.post('/get-online-features', body)).text));
    for (const [i, body] of bodies.entries()) {
      const sdk = await store.getOnlineFeatures({ entities: body.entities, features: body.features, featureService: body.feature_service, fullFeatureNames: body.full_feature_names });
      expect(texts[i]).toBe(JSON.stringify(sdk));
    }
    expect(JSON.parse(texts[2]).results[1].statuses).toEqual(['PRESENT', 'NOT_FOUND', 'NULL_VALUE']);
  });

  it('answers an unknown feature with 404 naming it and listing the known ones', async () => {
    const res = await http.post('/get-online-features', { features: ['driver_hourly_stats:speed'], entities: { driver_id: [1001] } });
    expect(res.status).toBe(404);
    expect(res.json().error).toEqual({
      code: 'UNKNOWN_FEATURE',
      message: 'feature view "driver_hourly_stats" has no feature "speed"',
      hint: 'its features are: conv_rate, acc_rate, avg_daily_trips',
    });
  });
});

describe('POST /push', () => {
  it('pushes to online and offline, then the rows read back from both', async () => {
    const df = { driver_id: [2001, 2002], event_timestamp: ['2024-05-02T08:30:00.123456Z', '2024-05-02T08:31:00Z'], conv_rate: [0.25, 0.75], acc_rate: [1, 0], avg_daily_trips: [3, 4] };
    const res = await http.post('/push', { push_source_name: 'driver_stats_push', df, to: 'online_and_offline' });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ push_source_name: 'driver_stats_push', rows: 2, online: [{ feature_view: 'driver_hourly_stats', rows: 2, written: 2 }] });

    const online = await http.post('/get-online-features', { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [2002, 2001] } });
    expect(online.json().results[1]).toEqual({ values: [0.75, 0.25], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['2024-05-02T08:31:00Z', '2024-05-02T08:30:00.123456Z'] });

    expect(partFiles(lakeRoot, 'driver_stats')).toEqual([body.offline_file]);
    const file = readLakeFile(lakeRoot, 'driver_stats', body.offline_file);
    expect(file.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual([
      'event_timestamp: Timestamp<MICROSECOND, UTC>',
      'created: Timestamp<MICROSECOND, UTC>',
      'driver_id: Int64',
      'conv_rate: Float64',
      'acc_rate: Float64',
      'avg_daily_trips: Int64',
    ]);
    expect(file.getChild('event_timestamp')!.toArray()).toEqual(new BigInt64Array([1714638600123456n, 1714638660000000n]));
    expect([...file.getChild('driver_id')!.toArray()]).toEqual([2001n, 2002n]);
    expect([...file.getChild('conv_rate')!.toArray()]).toEqual([0.25, 0.75]);
  });

  it('pushes to offline only without touching the online store', async () => {
    const before = partFiles(lakeRoot, 'driver_stats').length;
    const df = { driver_id: [3001], event_timestamp: [MAY_1], conv_rate: [0.1], acc_rate: [0.1], avg_daily_trips: [1] };
    const res = await http.post('/push', { push_source_name: 'driver_stats_push', df, to: 'offline' });
    expect(res.status).toBe(200);
    expect(res.json().online).toEqual([]);
    expect(partFiles(lakeRoot, 'driver_stats')).toHaveLength(before + 1);
    const online = await http.post('/get-online-features', { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [3001] } });
    expect(online.json().results[1].statuses).toEqual(['NOT_FOUND']);
  });
});

describe('POST /materialize', () => {
  beforeAll(() => {
    writeLakeFile(manifest, lakeRoot, 'wide_stats', 'part-0.parquet', {
      driver_id: [5001, 5001, 5002],
      event_timestamp: ['2024-04-01T00:00:00Z', '2024-04-02T00:00:00Z', '2024-04-01T00:00:00Z'],
      created: ['2024-04-03T00:00:00Z', '2024-04-03T00:00:00Z', '2024-04-03T00:00:00Z'],
      f0: [1, 2, 3],
      f1: [10, 20, 30],
      f2: [100, 200, 300],
    });
  });

  it('loads the latest row per entity, and a second run while one goes gets 409', async () => {
    const body = { start_ts: '2024-03-01T00:00:00Z', end_ts: '2024-04-30T00:00:00Z', feature_views: ['wide_stats'] };
    const [first, second] = await Promise.all([http.post('/materialize', body), http.post('/materialize', body)]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const done = first.status === 200 ? first : second;
    const refused = first.status === 200 ? second : first;
    expect(done.json().views).toMatchObject([{ name: 'wide_stats', rows: 2 }]);
    expect(refused.json().error).toEqual({ code: 'CONFLICT', message: 'a materialization is already running on this server', hint: 'wait for it to finish, then try again' });

    const res = await http.post('/get-online-features', { features: ['wide_stats:f0', 'wide_stats:f2'], entities: { driver_id: [5001, 5002] } });
    expect(res.json().results.slice(1).map((r: { values: unknown[] }) => r.values)).toEqual([[2, 3], [200, 300]]);
  });

  it('runs again once the first has finished', async () => {
    const res = await http.post('/materialize-incremental', { end_ts: '2024-04-30T00:00:00Z', feature_views: ['wide_stats'] });
    expect(res.status).toBe(200);
  });
});

describe('GET /health', () => {
  /** Polls /health until it answers `status`, failing once the deadline passes (no fixed sleep). */
  async function healthUntil(status: number, deadlineMs = 10_000): Promise<{ status: number; json(): any }> {
    const deadline = Date.now() + deadlineMs;
    let last = 0;
    while (Date.now() < deadline) {
      const res = await http.get('/health');
      if (res.status === status) return res;
      last = res.status;
      await new Promise<void>((r) => setImmediate(r));
    }
    throw new Error(`/health did not answer ${status} within ${deadlineMs} ms (last: ${last})`);
  }

  it('is 503 while Redis is down and 200 again once it is back, without a restart', async () => {
    expect((await http.get('/health')).status).toBe(200);
    await redis.stop();
    const down = await healthUntil(503);
    expect(down.json().error.code).toBe('ONLINE_STORE_UNREACHABLE');
    const read = await http.post('/get-online-features', { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1001] } });
    expect(read.status).toBe(503);
    expect(read.json().error.code).toBe('ONLINE_STORE_UNREACHABLE');
    const metrics = await http.get('/metrics');
    expect(metrics.text).toMatch(/^featurestack_online_store_errors_total\{code="ONLINE_STORE_UNREACHABLE"\} [1-9]\d*$/m);

    await redis.start();
    expect((await healthUntil(200)).json()).toEqual({ status: 'ok' });
  });
});

describe('the same writes through the public FeatureStore API, in process', () => {
  it('push, writeFrame, writeToOnlineStore, health and watermarks answer as the server does', async () => {
    await expect(store.health()).resolves.toBeUndefined();
    const df = { driver_id: [4001], event_timestamp: ['2024-05-03T00:00:00Z'], conv_rate: [0.4], acc_rate: [0.5], avg_daily_trips: [6] };
    expect(await store.push({ pushSourceName: 'driver_stats_push', df })).toEqual({
      pushSourceName: 'driver_stats_push',
      rows: 1,
      online: [{ featureView: 'driver_hourly_stats', rows: 1, written: 1 }],
      offlineFile: null,
    });
    expect(await store.writeFrame({ featureViewName: 'driver_hourly_stats', df: { ...df, driver_id: [4002], conv_rate: [0.6] } })).toEqual({ rows: 1, written: 1 });
    expect(await store.writeToOnlineStore({ featureView: 'driver_hourly_stats', rows: { ...df, driver_id: [4003], conv_rate: [0.7] } })).toEqual({ rows: 1, written: 1 });
    const online = await store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [4001, 4002, 4003] } });
    expect(online.results[1].values).toEqual([0.4, 0.6, 0.7]);
    await expect(store.push({ pushSourceName: 'nope', df })).rejects.toMatchObject({ code: 'UNKNOWN_PUSH_SOURCE' });
    expect(await store.watermarks()).toEqual({});
  });
});
