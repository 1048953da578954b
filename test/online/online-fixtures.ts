/** Manifests, stores and raw access for the online-store tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { FeatureStore } from '../../runtime/feature-store';
import { withHash } from '../../runtime/manifest/canonical';
import type { FeatureServiceSpec, Manifest, OnlineLayout, OnlineStoreSpec } from '../../runtime/manifest/schema';
import { manifestOf, type ViewDef } from '../offline/fixtures';
import { startRedisServer, type RedisServer, type RedisServerOptions } from '../support/redis-server';

export const PROJECT = 'driver_demo';
/** 2021-03-31T22:00:00Z (Feast's golden Timestamp, 1617228000 s) in epoch µs. */
export const T_GOLDEN = 1617228000 * 1_000_000;
export const SECOND = 1_000_000;
export const HOUR = 3600 * SECOND;

const DRIVER_ID = { name: 'driver_id', valueType: 'Int64' } as const;

export const DRIVER_STATS: ViewDef = {
  name: 'driver_hourly_stats',
  joinKeys: [DRIVER_ID],
  features: [
    ['conv_rate', 'Float64'],
    ['acc_rate', 'Float32'],
    ['avg_daily_trips', 'Int64'],
  ],
  ttlSeconds: 0,
  path: 'driver_stats',
  createdTimestampColumn: 'created',
};

export const ALL_TYPES: ViewDef = {
  name: 'all_types',
  joinKeys: [{ name: 'user_id', valueType: 'String' }],
  features: [
    ['i32', 'Int32'],
    ['i64', 'Int64'],
    ['f32', 'Float32'],
    ['f64', 'Float64'],
    ['str', 'String'],
    ['bin', 'Bytes'],
    ['flag', 'Bool'],
    ['seen', 'UnixTimestamp'],
    ['i32s', 'Array(Int32)'],
    ['i64s', 'Array(Int64)'],
    ['f32s', 'Array(Float32)'],
    ['f64s', 'Array(Float64)'],
    ['strs', 'Array(String)'],
    ['bins', 'Array(Bytes)'],
    ['flags', 'Array(Bool)'],
    ['seens', 'Array(UnixTimestamp)'],
  ],
  ttlSeconds: 0,
  path: 'all_types',
};

export const TRIPS_BY_CITY: ViewDef = {
  name: 'trips_by_city',
  joinKeys: [DRIVER_ID, { name: 'city', valueType: 'String' }],
  features: [['trips', 'Int32']],
  ttlSeconds: 0,
  path: 'trips',
};

export const GLOBAL_STATS: ViewDef = {
  name: 'global_stats',
  joinKeys: [],
  features: [['total_trips', 'Int64']],
  ttlSeconds: 0,
  path: 'global',
};

/** A view with a one-hour TTL: values older than an hour are OUTSIDE_MAX_AGE. */
export const RECENT: ViewDef = {
  name: 'recent',
  joinKeys: [DRIVER_ID],
  features: [['score', 'Float64']],
  ttlSeconds: 3600,
  path: 'recent',
};

export const VIEWS = [DRIVER_STATS, ALL_TYPES, TRIPS_BY_CITY, GLOBAL_STATS, RECENT];

export interface OnlineManifestOptions {
  readonly layout: OnlineLayout;
  /** @default a Redis store (endpoint from FEATURESTACK_REDIS_URL) */
  readonly embeddedPath?: string;
  readonly keyTtlSeconds?: number | null;
  readonly cluster?: boolean;
  readonly passwordEnv?: string | null;
  readonly views?: readonly ViewDef[];
  readonly services?: readonly Omit<FeatureServiceSpec, 'hash' | 'description' | 'tags' | 'owner'>[];
}

export function onlineManifest(options: OnlineManifestOptions): Manifest {
  const { hash: _hash, ...base } = manifestOf(options.views ?? VIEWS, options.services ?? []);
  const keyTtlSeconds = options.keyTtlSeconds ?? null;
  const onlineStore: OnlineStoreSpec =
    options.embeddedPath !== undefined
      ? withHash({ kind: 'embedded', path: options.embeddedPath, layout: options.layout, keyTtlSeconds })
      : withHash({
          kind: 'redis',
          // Unreachable on purpose: tests point at their server with FEATURESTACK_REDIS_URL.
          host: '127.0.0.1',
          port: 1,
          tls: false,
          cluster: options.cluster ?? false,
          passwordEnv: options.passwordEnv ?? null,
          layout: options.layout,
          keyTtlSeconds,
        });
  return withHash<Manifest>({ ...base, project: PROJECT, onlineStore });
}

/** A FeatureStore on `manifest`, its Redis at `server`, its local lake at `lakeRoot`. */
export function openStore(manifest: Manifest, server: RedisServer | null, lakeRoot = tmpdir(), env: NodeJS.ProcessEnv = {}): Promise<FeatureStore> {
  return FeatureStore.open({
    manifest,
    env: { FEATURESTACK_LAKE_ROOT: lakeRoot, ...(server ? { FEATURESTACK_REDIS_URL: server.url } : {}), ...env },
  });
}

/**
 * A redis-server for the whole test file, started before its tests with a raw client
 * beside it, both stopped after them. Read `server` and `raw` inside tests and hooks.
 */
export function redisPerFile(options?: RedisServerOptions): { readonly server: RedisServer; readonly raw: Redis } {
  const handle = {} as { server: RedisServer; raw: Redis };
  beforeAll(async () => {
    handle.server = await startRedisServer(options);
    handle.raw = rawClient(handle.server);
  });
  afterAll(async () => {
    handle.raw?.disconnect();
    await handle.server?.close();
  });
  return handle;
}

/** A raw ioredis client, for reading the bytes the store wrote. */
export function rawClient(server: RedisServer): Redis {
  return new Redis({ host: server.host, port: server.port, lazyConnect: false });
}

function hashPairsHex(flat: Buffer[]): Record<string, string> {
  const pairs: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i].toString('hex'), flat[i + 1].toString('hex')]);
  return Object.fromEntries(pairs.sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** A hash's fields and values as hex, sorted by field. */
export async function hashHex(raw: Redis, key: Buffer): Promise<Record<string, string>> {
  return hashPairsHex((await raw.callBuffer('HGETALL', [key])) as Buffer[]);
}

/** Every key and value in Redis as hex, sorted: strings as `hex`, hashes as `{ fieldHex: valueHex }`. */
export async function dumpRedis(raw: Redis): Promise<Record<string, unknown>> {
  const keys = (await raw.keysBuffer('*')).sort(Buffer.compare);
  const types = await raw.pipeline(keys.map((k) => ['type', k])).exec();
  const reads = raw.pipeline();
  keys.forEach((k, i) => (types![i][1] === 'hash' ? reads.callBuffer('HGETALL', [k]) : reads.getBuffer(k)));
  const values = await reads.exec();
  const out: Record<string, unknown> = {};
  keys.forEach((k, i) => {
    const value = values![i][1] as Buffer | Buffer[];
    out[k.toString('hex')] = Array.isArray(value) ? hashPairsHex(value) : value.toString('hex');
  });
  return out;
}

/** A temp folder removed by `cleanup()`. */
export function tempDir(prefix: string): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
