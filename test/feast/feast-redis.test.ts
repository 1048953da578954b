/**
 * The real Feast (pinned, test/support/python/feast-requirements.txt) and featurestack
 * on one Redis and one Parquet file: each reads what the other materialized.
 */
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { FeatureStore } from '../../runtime/feature-store';
import { tableToParquet } from '../../runtime/io/parquet';
import { dumpRedis, openStore, rawClient, tempDir } from '../online/online-fixtures';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { writeFileSync, mkdirSync } from 'node:fs';
import {
  ALL_NULL,
  DRIVERS,
  FEATURE_REFS,
  FEATURES,
  featurestackManifest,
  feastViews,
  HOUR,
  latestRow,
  MISSING,
  rfc3339,
  rowsTable,
  runFeast,
  SECOND,
  STALE,
  TIED,
  TTL_SECONDS,
  makeRows,
  type FeastOnline,
  type Row,
} from './feast-fixtures';

jest.setTimeout(240_000);

const ENTITIES = [...DRIVERS, ...MISSING];
/** Now, whole hour (so every row time is whole seconds). */
const NOW = Math.floor((Date.now() * 1000) / HOUR) * HOUR;
const START = NOW - 72 * HOUR;
const rows = makeRows(NOW);

let server: RedisServer;
let raw: Redis;
let store: FeatureStore;
const dir = tempDir('fs-feast-');
const parquet = join(dir.path, 'lake', 'driver_stats', 'data.parquet');
const feastRepo = join(dir.path, 'feast_repo');
let feastOnlineOfFeast: FeastOnline;
let feastDump: Record<string, unknown>;

const redisStore = () => ({ type: 'redis' as const, connection_string: `127.0.0.1:${server.port}` });

beforeAll(async () => {
  server = await startRedisServer();
  raw = rawClient(server);
  mkdirSync(join(dir.path, 'lake', 'driver_stats'), { recursive: true });
  writeFileSync(parquet, await tableToParquet(rowsTable(rows)));
  store = await openStore(featurestackManifest(), server, join(dir.path, 'lake'));
  const [, , online] = (await runFeast({
    repo: feastRepo,
    online_store: redisStore(),
    views: feastViews(parquet),
    steps: [{ op: 'apply' }, { op: 'materialize', start: START, end: NOW }, { op: 'online', features: FEATURE_REFS, entities: { driver_id: ENTITIES } }],
  })) as [unknown, unknown, FeastOnline];
  feastOnlineOfFeast = online;
  feastDump = await dumpRedis(raw);
});

afterAll(async () => {
  await store?.close();
  raw?.disconnect();
  await server?.close();
  dir.cleanup();
});

type Status = 'PRESENT' | 'NULL_VALUE' | 'NOT_FOUND' | 'OUTSIDE_MAX_AGE';

/** What a lookup at NOW should give for each entity and feature: the latest row in [START, NOW], our TTL applied. */
function expected(): { values: unknown[][]; statuses: Status[][]; times: string[][] } {
  const values = FEATURES.map(() => [] as unknown[]);
  const statuses = FEATURES.map(() => [] as Status[]);
  const times = FEATURES.map(() => [] as string[]);
  for (const d of ENTITIES) {
    const r = latestRow(rows, d, NOW, 0);
    FEATURES.forEach(([name], f) => {
      const v = r ? r[name as keyof Row] : null;
      const stale = r !== undefined && r.event_timestamp < NOW - TTL_SECONDS * SECOND;
      values[f].push(stale ? null : v);
      statuses[f].push(!r ? 'NOT_FOUND' : stale ? 'OUTSIDE_MAX_AGE' : v === null ? 'NULL_VALUE' : 'PRESENT');
      times[f].push(rfc3339(r ? r.event_timestamp : 0));
    });
  }
  return { values, statuses, times };
}

function ours(): Promise<{ values: unknown[][]; statuses: string[][]; times: string[][] }> {
  return store.getOnlineFeatures({ features: FEATURE_REFS, entities: { driver_id: ENTITIES } }).then((res) => {
    expect(res.metadata.feature_names).toEqual(['driver_id', ...FEATURES.map(([n]) => n)]);
    const features = res.results.slice(1);
    return { values: features.map((c) => c.values), statuses: features.map((c) => c.statuses), times: features.map((c) => c.event_timestamps) };
  });
}

test('the data has every case: missing entities, stale rows, an all-null row, a created-timestamp tie', () => {
  const want = expected();
  const flat = want.statuses.flat();
  for (const s of ['PRESENT', 'NULL_VALUE', 'NOT_FOUND', 'OUTSIDE_MAX_AGE']) expect(flat).toContain(s);
  expect(want.statuses.map((s) => s[ENTITIES.indexOf(ALL_NULL)])).toEqual(FEATURES.map(() => 'NULL_VALUE'));
  expect(STALE.every((d) => want.statuses[0][ENTITIES.indexOf(d)] === 'OUTSIDE_MAX_AGE')).toBe(true);
  expect(latestRow(rows, TIED, NOW)!.created % (20 * SECOND)).toBe(0);
});

test('Feast materializes into Redis; featurestack (feast layout) reads every value with the right statuses', async () => {
  expect(await ours()).toEqual(expected());
});

/** Feast's answer as `{ feature: { values, statuses, times } }` (Feast orders its columns differently from run to run). */
function byName(online: FeastOnline): Record<string, { values: unknown[]; statuses: string[]; times: number[] }> {
  return Object.fromEntries(
    online.feature_names.map((name, i) => [name, { values: online.results[i].values, statuses: online.results[i].statuses, times: online.results[i].event_timestamps }]),
  );
}

/**
 * What Feast's own get_online_features (Redis) gives at NOW: the latest row's values, with
 * Feast's faults pinned: no TTL online (feast-dev/feast#6821, #1802), and every value
 * PRESENT: a null, and even an entity Redis does not hold (null value, epoch time),
 * where we say NULL_VALUE and NOT_FOUND.
 */
function expectedOfFeast(): ReturnType<typeof byName> {
  const out: ReturnType<typeof byName> = { driver_id: { values: ENTITIES, statuses: ENTITIES.map(() => 'PRESENT'), times: ENTITIES.map(() => 0) } };
  for (const [name] of FEATURES) {
    const col = { values: [] as unknown[], statuses: [] as string[], times: [] as number[] };
    for (const d of ENTITIES) {
      const r = latestRow(rows, d, NOW, 0);
      const v = r ? r[name as keyof Row] : null;
      col.values.push(v);
      col.statuses.push('PRESENT');
      col.times.push(r ? r.event_timestamp : 0);
    }
    out[name] = col;
  }
  return out;
}

test('Feast reads back what it materialized: the same values; no TTL online and every status PRESENT (Feast faults, pinned)', () => {
  expect(byName(feastOnlineOfFeast)).toEqual(expectedOfFeast());
});

test('featurestack materializes; Feast get_online_features reads every value, and the hashes are byte for byte Feast\'s', async () => {
  await raw.flushall();
  await store.materialize({ start: START, end: NOW });
  const ourDump = await dumpRedis(raw);
  const [online] = (await runFeast({
    repo: feastRepo,
    online_store: redisStore(),
    views: feastViews(parquet),
    steps: [{ op: 'online', features: FEATURE_REFS, entities: { driver_id: ENTITIES } }],
  })) as [FeastOnline];
  expect(byName(online)).toEqual(expectedOfFeast());
  const entityKeys = (d: Record<string, unknown>) => Object.fromEntries(Object.entries(d).filter(([k]) => k in feastDump));
  expect(entityKeys(ourDump)).toEqual(feastDump);
});
