/**
 * The online route's fast paths (reused feature lists, coalesced reads, hand-written
 * JSON, in-process columns handed over) change no byte of an answer: the same
 * requests, sent at once to a server with them and one without, get the same bodies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { FeatureStore } from '../../runtime/feature-store';
import { onlineResponse } from '../../runtime/online';
import { buildFeatureServer } from '../../runtime/server';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { call, listen } from './http-client';
import { serverManifest } from './server-manifest';

const WIDE = 50;
let redis: RedisServer;
let lakeRoot: string;
let store: FeatureStore;
const apps: FastifyInstance[] = [];
let fast: string;
let plain: string;

beforeAll(async () => {
  redis = await startRedisServer();
  lakeRoot = mkdtempSync(join(tmpdir(), 'fs-fast-paths-'));
  store = await FeatureStore.open({ manifest: serverManifest({ lakeRoot, redisPort: redis.port, wideFeatures: WIDE }), env: {} });
  const ids = Array.from({ length: 40 }, (_, i) => 1000 + i);
  await store.writeToOnlineStore({
    featureView: 'driver_hourly_stats',
    rows: {
      driver_id: ids,
      event_timestamp: ids.map((id) => new Date(Date.UTC(2024, 4, 1, 12, 0, id % 60, id % 7 === 0 ? 0 : id % 1000)).toISOString()),
      conv_rate: ids.map((id) => (id % 5 === 0 ? null : id / 7)),
      acc_rate: ids.map((id) => (id % 3 === 0 ? -0 : 1e21 / id)),
      avg_daily_trips: ids.map((id) => (id % 4 === 0 ? '9007199254740993' : id * 1000)),
    },
  });
  const wide: Record<string, unknown[]> = { driver_id: ids.slice(0, 20), event_timestamp: ids.slice(0, 20).map(() => '2024-05-01T00:00:00.000001Z') };
  for (let f = 0; f < WIDE; f++) wide[`f${f}`] = ids.slice(0, 20).map((id) => (id + f) % 9 === 0 ? null : (id * f) / 3);
  await store.writeToOnlineStore({ featureView: 'wide_stats', rows: wide });
  for (const fastPaths of [true, false]) {
    const app = await buildFeatureServer(store, { logLevel: 'error', fastPaths });
    apps.push(app);
    if (fastPaths) fast = await listen(app);
    else plain = await listen(app);
  }
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await store.close();
  await redis.close();
  rmSync(lakeRoot, { recursive: true, force: true });
});

const wideFeatures = Array.from({ length: WIDE }, (_, f) => `wide_stats:f${f}`);
const REQUESTS: object[] = [
  ...Array.from({ length: 30 }, (_, i) => ({ features: wideFeatures, entities: { driver_id: [1000 + (i % 25)] } })),
  ...Array.from({ length: 10 }, (_, i) => ({ features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:avg_daily_trips', 'driver_hourly_stats:acc_rate'], entities: { driver_id: [1000 + i, 1039 - i, 5000] } })),
  { features: [...wideFeatures.slice(0, 5), 'driver_hourly_stats:conv_rate'], entities: { driver_id: Array.from({ length: 45 }, (_, i) => 1000 + i) }, full_feature_names: true },
  { feature_service: 'driver_activity', entities: { driver_id: [1001, 1004, 1010] } },
  { features: wideFeatures, entities: { driver_id: [1000, 1000, 1003] } },
  { features: ['driver_hourly_stats:nope'], entities: { driver_id: [1] } },
  { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: ['not a number'] } },
];

describe('the online fast paths', () => {
  test('change no byte of an answer, requests sent all at once (so they share reads)', async () => {
    const answers = async (base: string) => Promise.all(REQUESTS.map((body) => call(base, 'POST', '/get-online-features', body)));
    const [withFast, withoutFast] = await Promise.all([answers(fast), answers(plain)]);
    expect(withFast.filter((r) => r.status === 200)).toHaveLength(REQUESTS.length - 2);
    withFast.forEach((r, i) => {
      expect([i, r.status, r.text]).toEqual([i, withoutFast[i].status, withoutFast[i].text]);
    });
  });

  test("in process, getOnlineFeatures' answer (columns handed over, arrays shared) is the copying one's", async () => {
    for (const body of REQUESTS.slice(29, 42) as { features?: string[]; feature_service?: string; entities: Record<string, unknown[]>; full_feature_names?: boolean }[]) {
      const request = { features: body.features, featureService: body.feature_service, entities: body.entities, fullFeatureNames: body.full_feature_names };
      const taken = await store.getOnlineFeatures(request);
      const copied = onlineResponse(await store.getOnlineRows(request));
      expect(JSON.stringify(taken)).toBe(JSON.stringify(copied));
    }
  });
});
