/**
 * A real Feast client over our HTTP API: Feast's SDK with its `remote` online store
 * pointed at `featurestack serve`, reading (get_online_features) and writing (push),
 * beside Feast reading the same Redis directly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureStore } from '../../runtime/feature-store';
import { tableToParquet } from '../../runtime/io/parquet';
import { openStore, tempDir } from '../online/online-fixtures';
import { freePort } from '../support/free-port';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import {
  DRIVERS,
  FEATURE_REFS,
  FEATURES,
  featurestackManifest,
  feastViews,
  HOUR,
  makeRows,
  MISSING,
  rowsTable,
  runFeast,
  SECOND,
  STALE,
  type FeastOnline,
} from './feast-fixtures';

jest.setTimeout(240_000);

const CLI = join(__dirname, '../../bin/featurestack.js');
const ENTITIES = [...DRIVERS, ...MISSING];
const NOW = Math.floor((Date.now() * 1000) / HOUR) * HOUR;
const START = NOW - 72 * HOUR;
const rows = makeRows(NOW);
const PUSH_SOURCE = 'driver_stats_push';

let redis: RedisServer;
let store: FeatureStore;
let server: ChildProcess;
let base: string;
const dir = tempDir('fs-feast-remote-');
const lake = join(dir.path, 'lake');
const parquet = join(lake, 'driver_stats', 'data.parquet');

async function serve(manifestPath: string): Promise<void> {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [CLI, 'serve', '--manifest', manifestPath, '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, FEATURESTACK_REDIS_URL: redis.url, FEATURESTACK_LAKE_ROOT: lake },
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    server.stderr!.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.includes('listening on ')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
}

beforeAll(async () => {
  redis = await startRedisServer();
  mkdirSync(join(lake, 'driver_stats'), { recursive: true });
  writeFileSync(parquet, await tableToParquet(rowsTable(rows)));
  const manifest = featurestackManifest();
  const manifestPath = join(dir.path, 'registry.json');
  writeFileSync(manifestPath, JSON.stringify(manifest));
  store = await openStore(manifest, redis, lake);
  await store.materialize({ start: START, end: NOW });
  await serve(manifestPath);
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  await store?.close();
  await redis?.close();
  dir.cleanup();
});

/** A Feast answer or ours as `{ feature: { values, statuses } }`. */
function byName(names: string[], results: { values: unknown[]; statuses: readonly string[] }[]): Record<string, { values: unknown[]; statuses: readonly string[] }> {
  return Object.fromEntries(names.map((name, i) => [name, { values: results[i].values, statuses: results[i].statuses }]));
}

async function ours(entities: number[]) {
  const res = await store.getOnlineFeatures({ features: FEATURE_REFS, entities: { driver_id: entities } });
  return byName(res.metadata.feature_names, res.results);
}

/** Rows Feast's client pushes: newer rows for three drivers, a row for a driver with none, and one older than what is stored. */
const PUSHED = {
  driver_id: [1001, 1002, 1003, 1020, 1004],
  event_timestamp: [NOW + 0, NOW - 10 * SECOND, NOW - 20 * SECOND, NOW - 30 * SECOND, NOW - 50 * HOUR],
  created: [NOW, NOW, NOW, NOW, NOW],
  trips: [900001, 900002, null, 900004, 900005],
  acc_rate: [0.5, 0.25, 0.125, null, 0.75],
  conv_rate: [0.1, null, 0.3, 0.4, 0.5],
  city: ['Lyon', 'Gdańsk', null, 'Oslo', 'Rome'],
  active: [true, false, true, null, true],
};

test("Feast's SDK with its remote online store, pointed at featurestack serve, reads and pushes: the same answers as featurestack on Redis, and as Feast on Redis less Feast's faults", async () => {
  const remote = { type: 'remote' as const, path: base };
  const before = await ours(ENTITIES);
  const steps = [
    { op: 'apply' },
    { op: 'online', features: FEATURE_REFS, entities: { driver_id: ENTITIES } },
    { op: 'push', push_source: PUSH_SOURCE, rows: PUSHED, timestamp_columns: ['event_timestamp', 'created'] },
    { op: 'online', features: FEATURE_REFS, entities: { driver_id: ENTITIES } },
  ];
  const [, viaServer, , afterPush] = (await runFeast({
    repo: join(dir.path, 'feast_remote'),
    online_store: remote,
    views: feastViews(parquet, { push_source: PUSH_SOURCE }),
    steps,
  })) as [unknown, FeastOnline, unknown, FeastOnline];

  // Through our server, Feast's client sees exactly what featurestack reads from Redis.
  expect(byName(viaServer.feature_names, viaServer.results)).toEqual(before);
  const after = await ours(ENTITIES);
  expect(byName(afterPush.feature_names, afterPush.results)).toEqual(after);

  // The push landed: newer rows replaced, the older one ignored, the missing driver found.
  const at = (d: number) => ENTITIES.indexOf(d);
  expect(after.trips.values[at(1001)]).toBe(900001);
  expect(after.trips.statuses[at(1003)]).toBe('NULL_VALUE');
  expect(after.city.values[at(1020)]).toBe('Oslo');
  expect(after.trips.values[at(1004)]).toBe(before.trips.values[at(1004)]);
  expect(after.acc_rate.values[at(1002)]).toBe(0.25);

  // Feast reading the same Redis directly: the same values, where our TTL does not blank them
  // and where Feast's statuses (every value PRESENT, no TTL online) are its own faults.
  const [, direct] = (await runFeast({
    repo: join(dir.path, 'feast_direct'),
    online_store: { type: 'redis', connection_string: `127.0.0.1:${redis.port}` },
    views: feastViews(parquet, { push_source: PUSH_SOURCE }),
    steps: [{ op: 'apply' }, { op: 'online', features: FEATURE_REFS, entities: { driver_id: ENTITIES } }],
  })) as [unknown, FeastOnline];
  const fromRedis = byName(direct.feature_names, direct.results);
  for (const [name] of FEATURES) {
    ENTITIES.forEach((d, e) => {
      const ourStatus = after[name].statuses[e];
      expect([d, name, fromRedis[name].statuses[e]]).toEqual([d, name, 'PRESENT']);
      if (ourStatus === 'OUTSIDE_MAX_AGE') expect(STALE).toContain(d);
      else expect([d, name, fromRedis[name].values[e]]).toEqual([d, name, after[name].values[e]]);
    });
  }
});
