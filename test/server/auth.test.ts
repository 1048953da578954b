import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { FeatureStore } from '../../runtime/feature-store';
import { buildFeatureServer, serverOptions } from '../../runtime/server';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { call, listen } from './http-client';
import { serverManifest } from './server-manifest';

let redis: RedisServer;
let lakeRoot: string;
let store: FeatureStore;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  redis = await startRedisServer();
  lakeRoot = mkdtempSync(join(tmpdir(), 'fs-server-auth-'));
  store = await FeatureStore.open({ manifest: serverManifest({ lakeRoot, redisPort: redis.port }), env: {} });
  const { tokens } = serverOptions({}, { FEATURESTACK_SERVER_TOKENS: ' tok-a , tok-b,' });
  app = await buildFeatureServer(store, { tokens, logLevel: 'error' });
  base = await listen(app);
});

afterAll(async () => {
  await app.close();
  await store.close();
  await redis.close();
  rmSync(lakeRoot, { recursive: true, force: true });
});

const read = { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1001] } };

describe('bearer-token auth', () => {
  it('refuses a request without a token with 401 and says how to send one', async () => {
    const res = await call(base, 'POST', '/get-online-features', read);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.json().error).toEqual({
      code: 'UNAUTHORIZED',
      message: 'this server needs a bearer token',
      hint: "send Authorization: Bearer <token> with a token from the server's FEATURESTACK_SERVER_TOKENS",
    });
  });

  it('refuses a wrong token without echoing it', async () => {
    const res = await call(base, 'POST', '/get-online-features', read, { authorization: 'Bearer tok-c' });
    expect(res.status).toBe(401);
    expect(res.json().error.message).toBe('the bearer token is not valid');
    expect(res.text).not.toContain('tok-');
  });

  it('accepts every configured token', async () => {
    for (const token of ['tok-a', 'tok-b']) {
      const res = await call(base, 'POST', '/get-online-features', read, { authorization: `Bearer ${token}` });
      expect(res.status).toBe(200);
      expect(res.json().results[1].statuses).toEqual(['NOT_FOUND']);
    }
  });

  it('protects /metrics and /materialize but leaves /health open', async () => {
    expect((await call(base, 'GET', '/metrics')).status).toBe(401);
    expect((await call(base, 'POST', '/materialize', { start_ts: 'a', end_ts: 'b' })).status).toBe(401);
    expect((await call(base, 'GET', '/metrics', undefined, { authorization: 'Bearer tok-b' })).status).toBe(200);
    expect((await call(base, 'GET', '/health')).status).toBe(200);
  });
});
