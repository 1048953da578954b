import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { FeatureStore } from '../../runtime/feature-store';
import { buildFeatureServer } from '../../runtime/server';
import { client, listen } from './http-client';
import { serverManifest } from './server-manifest';

// Requests the server must refuse before touching any store: the online store
// here points at a closed port on purpose.
let lakeRoot: string;
let store: FeatureStore;
let app: FastifyInstance;
let http: ReturnType<typeof client>;

beforeAll(async () => {
  lakeRoot = mkdtempSync(join(tmpdir(), 'fs-server-lake-'));
  store = await FeatureStore.open({ manifest: serverManifest({ lakeRoot, redisPort: 1 }) });
  app = await buildFeatureServer(store, { maxEntities: 10, bodyLimit: 2048, tokens: [] });
  http = client(await listen(app));
});

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(lakeRoot, { recursive: true, force: true });
});

const post = (url: string, payload: string | object) => http.post(url, payload);

describe('feature server request checks', () => {
  it('answers malformed JSON with 400 and a JSON error', async () => {
    const res = await post('/get-online-features', '{"entities": {"driver_id": [1001]');
    expect(res.status).toBe(400);
    expect(res.json().error.code).toBe('REQUEST_INVALID');
    expect(res.json().error.message).toMatch(/^request body is not valid JSON/);
    expect(res.json().error.hint).toBe('check the JSON syntax (quotes, commas, brackets)');
  });

  it('answers an oversized body with 413 naming the limit', async () => {
    const res = await post('/get-online-features', { entities: { driver_id: [1] }, features: ['x'.repeat(3000)] });
    expect(res.status).toBe(413);
    expect(res.json().error).toEqual({
      code: 'REQUEST_TOO_LARGE',
      message: 'request body is larger than 2048 bytes',
      hint: 'send fewer rows per request, or start the server with a larger --body-limit',
    });
  });

  it('refuses more entity rows than --max-entities', async () => {
    const res = await post('/get-online-features', { entities: { driver_id: Array.from({ length: 11 }, (_, i) => i) }, features: ['driver_hourly_stats:conv_rate'] });
    expect(res.status).toBe(400);
    expect(res.json().error.message).toBe("entities has 11 rows, more than this server's limit of 10");
  });

  it('names a missing or mistyped field of the Feast request', async () => {
    const missing = await post('/get-online-features', { features: ['driver_hourly_stats:conv_rate'] });
    expect(missing.status).toBe(400);
    expect(missing.json().error.message).toBe("request body must have required property 'entities'");
    const mistyped = await post('/get-online-features', { entities: { driver_id: [1] }, features: ['driver_hourly_stats:conv_rate'], full_feature_names: 'true' });
    expect(mistyped.status).toBe(400);
    expect(mistyped.json().error.message).toBe('request body/full_feature_names must be boolean');
    const notColumns = await post('/get-online-features', { entities: { driver_id: 1 }, features: ['driver_hourly_stats:conv_rate'] });
    expect(notColumns.json().error.message).toBe('request body/entities/driver_id must be array');
  });

  it('answers an unknown route with 404 JSON', async () => {
    const res = await http.get('/get-online-feature');
    expect(res.status).toBe(404);
    expect(res.json().error.code).toBe('UNKNOWN_ROUTE');
    expect(res.json().error.message).toBe('no route GET /get-online-feature');
  });

  it('serves the feature catalog at GET /catalog', async () => {
    const res = await http.get('/catalog');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toContain('driver_hourly_stats');
  });

  it('checks materialize requests against Feast\'s shape', async () => {
    const res = await post('/materialize', { end_ts: '2024-05-01T00:00:00Z' });
    expect(res.status).toBe(400);
    expect(res.json().error.message).toBe("request body must have required property 'start_ts'");
  });
});

describe('push validation writes nothing on a bad frame', () => {
  const goodRow = { driver_id: [1001], event_timestamp: ['2024-05-01T12:00:00Z'], conv_rate: [0.5], acc_rate: [0.9], avg_daily_trips: [12] };

  async function pushError(df: object, extra: object = {}) {
    const res = await post('/push', { push_source_name: 'driver_stats_push', df, to: 'online_and_offline', ...extra });
    expect(readdirSync(lakeRoot)).toEqual([]);
    return { status: res.status, ...res.json().error };
  }

  it('names a value of the wrong type with its column and row', async () => {
    expect(await pushError({ ...goodRow, driver_id: [1001, 1002], event_timestamp: ['2024-05-01T12:00:00Z', 'x'], conv_rate: [0.5, 0.6], acc_rate: [1, 1], avg_daily_trips: [1, 2] })).toEqual({
      status: 400,
      code: 'TIMESTAMP_INVALID',
      message: 'df column "event_timestamp", row 2: "x" is not a timestamp',
      hint: 'use ISO 8601, e.g. 2024-05-01T12:00:00Z (no zone means UTC)',
    });
    expect(await pushError({ ...goodRow, avg_daily_trips: [1.5] })).toEqual({
      status: 400,
      code: 'REQUEST_INVALID',
      message: 'df column "avg_daily_trips", row 1: 1.5 is not an integer',
      hint: 'give an integer',
    });
    expect(await pushError({ ...goodRow, driver_id: [null] })).toEqual({
      code: 'REQUEST_INVALID',
      status: 400,
      message: 'df column "driver_id", row 1: null, but this column needs a value in every row',
      hint: 'send a value for "driver_id" in every row',
    });
  });

  it('names missing and unknown columns', async () => {
    const { conv_rate: _dropped, ...withoutConvRate } = goodRow;
    expect(await pushError(withoutConvRate)).toMatchObject({ status: 400, message: 'df lacks columns: conv_rate' });
    expect(await pushError({ ...goodRow, speed: [3] })).toMatchObject({ status: 400, message: 'df has columns this write does not use: speed' });
  });

  it('refuses columns of different lengths', async () => {
    expect(await pushError({ ...goodRow, conv_rate: [0.5, 0.6] })).toMatchObject({ status: 400, message: 'df columns have different lengths (driver_id: 1, event_timestamp: 1, conv_rate: 2, acc_rate: 1, avg_daily_trips: 1)' });
  });

  it('names an unknown push source and lists the known ones', async () => {
    expect(await pushError(goodRow, { push_source_name: 'nope' })).toEqual({
      status: 404,
      code: 'UNKNOWN_PUSH_SOURCE',
      message: 'unknown push source "nope"',
      hint: 'known push sources: driver_stats_push',
    });
  });

  it('refuses a "to" other than online, offline or online_and_offline', async () => {
    expect(await pushError(goodRow, { to: 'lake' })).toMatchObject({ status: 400, message: 'request body/to must be equal to one of the allowed values' });
  });
});

describe('metrics', () => {
  it('counts requests by route and status in Prometheus text', async () => {
    await post('/materialize', {});
    await post('/materialize', {});
    const res = await http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const lines = res.text.split('\n');
    const count = lines.find((l) => l.startsWith('featurestack_http_requests_total{route="/materialize",method="POST",status="400"}'));
    expect(Number(count?.split(' ')[1])).toBeGreaterThanOrEqual(3);
    expect(lines).toContain('# TYPE featurestack_http_request_duration_seconds histogram');
    expect(lines.some((l) => /^featurestack_http_request_duration_seconds_bucket\{route="\/materialize",le="\+Inf"\} \d+$/.test(l))).toBe(true);
  });
});
