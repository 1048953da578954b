/**
 * One small feature view, its Parquet file, and the real Feast beside us: the same
 * view declared to featurestack (a manifest, Redis in the `feast` layout) and to Feast
 * (a repository written and driven by `feast_driver.py` in the pinned venv).
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Table } from 'apache-arrow';
import type { Manifest } from '../../runtime/manifest/schema';
import { bools, float32s, float64s, int64s, strings, timestamps, type ViewDef } from '../offline/fixtures';
import { onlineManifest, PROJECT } from '../online/online-fixtures';
import { venvPython } from '../support/python-env';

export { PROJECT };
export const SECOND = 1_000_000;
export const HOUR = 3600 * SECOND;
export const TTL_SECONDS = 24 * 3600;
export const VIEW_NAME = 'driver_stats';

export const FEATURES = [
  ['trips', 'Int64'],
  ['acc_rate', 'Float32'],
  ['conv_rate', 'Float64'],
  ['city', 'String'],
  ['active', 'Bool'],
] as const;
export const FEATURE_REFS = FEATURES.map(([name]) => `${VIEW_NAME}:${name}`);

export const VIEW: ViewDef = {
  name: VIEW_NAME,
  joinKeys: [{ name: 'driver_id', valueType: 'Int64' }],
  features: FEATURES,
  ttlSeconds: TTL_SECONDS,
  path: 'driver_stats',
  createdTimestampColumn: 'created',
};

export interface Row {
  driver_id: number;
  event_timestamp: number;
  created: number;
  trips: number | null;
  acc_rate: number | null;
  conv_rate: number | null;
  city: string | null;
  active: boolean | null;
}

/** Drivers with rows: 1001..1019. 1020 and 9999 have none. */
export const DRIVERS = Array.from({ length: 19 }, (_, i) => 1001 + i);
export const MISSING = [1020, 9999];
/** Drivers whose latest row is older than the TTL (online: OUTSIDE_MAX_AGE for us). */
export const STALE = [1017, 1018];
/** Its latest row has every feature null. */
export const ALL_NULL = 1015;
/** Two rows at its latest event time: the later `created` wins. */
export const TIED = 1016;

const CITIES = ['Paris', 'Zürich', 'Kraków', 'São Paulo', '東京'];

/**
 * Deterministic rows relative to `now` (whole seconds, so Feast's Timestamp and ours
 * agree): three hourly rows per driver within the TTL, one older; stale drivers only
 * old rows; nulls scattered.
 */
export function makeRows(now: number): Row[] {
  const rows: Row[] = [];
  let n = 0;
  const row = (driver: number, at: number, created = at + 60 * SECOND): Row => {
    n++;
    const nulls = n % 4 === 0;
    return {
      driver_id: driver,
      event_timestamp: at,
      created,
      trips: nulls && n % 8 === 0 ? null : n * 7 + (driver === 1019 ? 2 ** 40 : 0),
      acc_rate: nulls ? null : Math.fround(0.25 + (n % 13) / 17),
      conv_rate: n % 5 === 0 ? null : (n * 0.1) / 3,
      city: n % 6 === 0 ? null : CITIES[n % CITIES.length],
      active: n % 7 === 0 ? null : n % 2 === 0,
    };
  };
  for (const d of DRIVERS) {
    const k = d - 1001;
    if (STALE.includes(d)) {
      rows.push(row(d, now - 30 * HOUR), row(d, now - 40 * HOUR));
      continue;
    }
    rows.push(row(d, now - ((k % 5) + 1) * HOUR), row(d, now - ((k % 5) + 3) * HOUR), row(d, now - 30 * HOUR));
    if (d === ALL_NULL) rows.push({ ...row(d, now - 0.5 * HOUR), trips: null, acc_rate: null, conv_rate: null, city: null, active: null });
    if (d === TIED) {
      const at = now - 0.25 * HOUR;
      rows.push(row(d, at, at + 10 * SECOND), row(d, at, at + 20 * SECOND), row(d, at, at + 5 * SECOND));
    }
  }
  return rows;
}

/** The latest row per driver at or before `at`, within the TTL (ties: latest created). */
export function latestRow(rows: readonly Row[], driver: number, at: number, ttlSeconds = TTL_SECONDS): Row | undefined {
  let best: Row | undefined;
  for (const r of rows) {
    if (r.driver_id !== driver || r.event_timestamp > at) continue;
    if (ttlSeconds > 0 && r.event_timestamp < at - ttlSeconds * SECOND) continue;
    if (!best || r.event_timestamp > best.event_timestamp || (r.event_timestamp === best.event_timestamp && r.created > best.created)) best = r;
  }
  return best;
}

export function rowsTable(rows: readonly Row[]): Table {
  return new Table({
    driver_id: int64s(rows.map((r) => r.driver_id)),
    event_timestamp: timestamps(rows.map((r) => r.event_timestamp)),
    created: timestamps(rows.map((r) => r.created)),
    trips: int64s(rows.map((r) => r.trips)),
    acc_rate: float32s(rows.map((r) => r.acc_rate)),
    conv_rate: float64s(rows.map((r) => r.conv_rate)),
    city: strings(rows.map((r) => r.city)),
    active: bools(rows.map((r) => r.active)),
  });
}

/** Our manifest: the view over `<lake>/driver_stats/`, Redis in Feast's layout, project PROJECT. */
export function featurestackManifest(): Manifest {
  return onlineManifest({ layout: 'feast', views: [VIEW] });
}

export interface FeastViewDef {
  readonly push_source?: string | null;
}

/** The same view for Feast, over the same Parquet file. */
export function feastViews(parquet: string, options: FeastViewDef = {}): unknown[] {
  return [
    {
      name: VIEW_NAME,
      entity: 'driver',
      join_key: 'driver_id',
      join_key_type: 'INT64',
      ttl_seconds: TTL_SECONDS,
      parquet,
      timestamp_field: 'event_timestamp',
      created_timestamp_column: 'created',
      push_source: options.push_source ?? null,
      features: FEATURES,
    },
  ];
}

export type OnlineStoreConfig = { type: 'redis'; connection_string: string } | { type: 'remote'; path: string };

export interface FeastRequest {
  readonly repo: string;
  readonly project?: string;
  readonly online_store: OnlineStoreConfig;
  readonly views: unknown[];
  readonly steps: readonly Record<string, unknown>[];
}

export interface FeastOnline {
  feature_names: string[];
  results: { values: unknown[]; statuses: string[]; event_timestamps: number[] }[];
}

export interface FeastHistorical {
  columns: string[];
  dtypes: Record<string, string>;
  rows: Record<string, unknown>[];
}

const DRIVER = join(__dirname, 'feast_driver.py');

/** Runs the Feast driver once (one Python process, every step in order) and returns each step's answer. */
export function runFeast(request: FeastRequest): Promise<unknown[]> {
  const python = venvPython('feast');
  if (!python) {
    throw new Error('the Feast venv is not provisioned: jest globalSetup (test/support/provision.ts) should have made it with ensureVenv("feast")');
  }
  mkdirSync(request.repo, { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(python, [DRIVER], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1', FEAST_USAGE: 'False' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`feast_driver.py exited ${code}:\n${err.slice(-6000)}`));
      try {
        resolve((JSON.parse(out) as { results: unknown[] }).results);
      } catch (e) {
        reject(new Error(`feast_driver.py answered no JSON (${(e as Error).message}):\n${out.slice(0, 2000)}\n${err.slice(-4000)}`));
      }
    });
    child.stdin.end(JSON.stringify({ project: PROJECT, ...request }));
  });
}

/** Epoch micros → RFC 3339 as our online responses write it. */
export function rfc3339(micros: number): string {
  return new Date(micros / 1000).toISOString().replace('.000Z', 'Z');
}
