import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { withHash } from '../../../runtime/manifest/canonical';
import type { BatchSourceSpec, FeatureDtype, FeatureServiceSpec, FeatureViewSpec, Manifest } from '../../../runtime/manifest/schema';
import { formatTimestamp } from '../../../runtime/arrow/timestamps';
import { writeParquet, type SqlValue } from './duckdb';

const meta = { description: '', tags: {}, owner: '' };
const MINUTE = 60_000_000;
export const T0 = Date.UTC(2024, 4, 1) * 1000;

/** A seeded generator, so a failure reproduces. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One feature row as the reference sees it: manifest names, times in micros. */
export interface FeatureRow {
  readonly keys: readonly (number | string | null)[];
  readonly features: Readonly<Record<string, number | null>>;
  readonly ts: number | null;
  readonly created: number | null;
  /** Read order: file index in path order, then position in the file. */
  readonly order: readonly [number, number];
}

export interface EntityRow {
  readonly driver_id: number | null;
  readonly customer_id: string | null;
  readonly other_driver: number;
  readonly event_timestamp: number;
  readonly label: number;
}

export interface RandomLake {
  readonly root: string;
  readonly manifest: Manifest;
  readonly entityFile: string;
  readonly entities: readonly EntityRow[];
  /** Feature rows per view name. */
  readonly rows: Readonly<Record<string, readonly FeatureRow[]>>;
}

const ts = (micros: number | null): SqlValue => (micros === null ? null : formatTimestamp(micros));

function view(name: string, joinKeys: FeatureViewSpec['joinKeys'], entities: string[], features: Record<string, FeatureDtype>, ttlSeconds: number): FeatureViewSpec {
  return withHash({
    name,
    entities,
    joinKeys,
    features: Object.entries(features).map(([f, dtype]) => ({ name: f, dtype, description: '', tags: {} })),
    ttlSeconds,
    source: `${name}_source`,
    batchSource: `${name}_source`,
    online: true,
    offline: true,
    ...meta,
  });
}

function source(name: string, path: string, timestampField: string, createdTimestampColumn: string | null, fieldMapping: Record<string, string> = {}): BatchSourceSpec {
  return withHash({ kind: 'batch', name, declaredAs: 'file', lake: 'lake', filesystem: null, path, format: 'parquet', timestampField, createdTimestampColumn, fieldMapping, ...meta });
}

export function randomLakeManifest(root: string): Manifest {
  const driverKey = { name: 'driver_id', valueType: 'Int64' as const };
  const customerKey = { name: 'customer_id', valueType: 'String' as const };
  const service: FeatureServiceSpec = withHash({
    name: 'svc',
    projections: [
      { featureView: 'driver_stats', alias: 'other', features: ['trips'], joinKeyMap: { driver_id: 'other_driver' } },
      { featureView: 'driver_stats', alias: null, features: ['conv_rate'], joinKeyMap: {} },
      { featureView: 'weather', alias: null, features: ['temp'], joinKeyMap: {} },
    ],
    ...meta,
  });
  return withHash<Manifest>({
    manifestVersion: 1,
    project: 'sparktest',
    stack: 'test',
    onlineStore: withHash({ kind: 'embedded', path: join(root, 'online'), layout: 'compact', keyTtlSeconds: null }),
    lakes: [withHash({ kind: 'local', name: 'lake', root })],
    entities: [
      withHash({ name: 'driver', joinKeys: [driverKey], ...meta }),
      withHash({ name: 'customer', joinKeys: [customerKey], ...meta }),
    ],
    dataSources: [
      source('driver_stats_source', 'driver_stats', 'event_timestamp', 'created'),
      source('driver_customer_source', 'driver_customer.parquet', 'ts', null, { drv: 'driver_id', cust_score: 'score' }),
      source('weather_source', 'weather', 'event_timestamp', 'created'),
    ],
    featureViews: [
      view('driver_stats', [driverKey], ['driver'], { conv_rate: 'Float64', trips: 'Int64' }, 6 * 3600),
      view('driver_customer', [driverKey, customerKey], ['driver', 'customer'], { score: 'Float64' }, 0),
      view('weather', [], [], { temp: 'Float64' }, 2 * 3600),
    ],
    featureServices: [service],
  });
}

/**
 * Random data on a coarse time grid (30 minutes), so event times, created times
 * and TTL boundaries tie often; nulls in features, keys and created times.
 */
export async function buildRandomLake(connection: DuckDBConnection, root: string, seed: number): Promise<RandomLake> {
  const rand = random(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const maybeNull = <T>(v: T, p: number): T | null => (rand() < p ? null : v);
  const slot = () => T0 + int(48) * 30 * MINUTE;
  const created = (t: number) => maybeNull(t + int(3) * MINUTE, 0.1);
  await mkdir(join(root, 'driver_stats'), { recursive: true });
  await mkdir(join(root, 'weather'), { recursive: true });

  const driverStats: FeatureRow[] = [];
  for (let file = 0; file < 2; file++) {
    const rows: SqlValue[][] = [];
    for (let i = 0; i < 1500; i++) {
      const t = slot();
      const row = { driver: maybeNull(1 + int(40), 0.01), conv: maybeNull(Math.round(rand() * 1e6) / 1e6, 0.1), trips: int(100), t, c: created(t) };
      rows.push([row.driver, row.conv, row.trips, ts(row.t), ts(row.c)]);
      driverStats.push({ keys: [row.driver], features: { conv_rate: row.conv, trips: row.trips }, ts: row.t, created: row.c, order: [file, i] });
    }
    const columns = [
      { name: 'driver_id', type: 'BIGINT' },
      { name: 'conv_rate', type: 'DOUBLE' },
      { name: 'trips', type: 'BIGINT' },
      { name: 'event_timestamp', type: 'TIMESTAMP' },
      { name: 'created', type: 'TIMESTAMP' },
    ];
    await writeParquet(connection, join(root, 'driver_stats', `part-${file}.parquet`), columns, rows, 400);
  }
  // Spark leaves these beside its part files; neither reader may take them for data.
  await writeFile(join(root, 'driver_stats', '_SUCCESS'), '');

  const driverCustomer: FeatureRow[] = [];
  const dcRows: SqlValue[][] = [];
  for (let i = 0; i < 1500; i++) {
    const row = { drv: 1 + int(40), customer: `c${1 + int(5)}`, score: maybeNull(int(1000) / 8, 0.05), t: slot() };
    dcRows.push([row.drv, row.customer, row.score, ts(row.t)]);
    driverCustomer.push({ keys: [row.drv, row.customer], features: { score: row.score }, ts: row.t, created: null, order: [0, i] });
  }
  await writeParquet(
    connection,
    join(root, 'driver_customer.parquet'),
    [
      { name: 'drv', type: 'BIGINT' },
      { name: 'customer_id', type: 'VARCHAR' },
      { name: 'cust_score', type: 'DOUBLE' },
      { name: 'ts', type: 'TIMESTAMPTZ' },
    ],
    dcRows,
  );

  const weather: FeatureRow[] = [];
  const weatherRows: SqlValue[][] = [];
  for (let i = 0; i < 60; i++) {
    const t = T0 + int(24) * 60 * MINUTE;
    const row = { temp: maybeNull(int(400) / 10, 0.1), t, c: created(t) };
    weatherRows.push([row.temp, ts(row.t), ts(row.c)]);
    weather.push({ keys: [], features: { temp: row.temp }, ts: row.t, created: row.c, order: [0, i] });
  }
  await writeParquet(
    connection,
    join(root, 'weather', 'data.parquet'),
    [
      { name: 'temp', type: 'DOUBLE' },
      { name: 'event_timestamp', type: 'TIMESTAMP' },
      { name: 'created', type: 'TIMESTAMP' },
    ],
    weatherRows,
  );

  const entities: EntityRow[] = [];
  for (let i = 0; i < 700; i++) {
    if (i > 0 && rand() < 0.08) {
      entities.push(entities[int(entities.length)]); // a duplicate entity row
      continue;
    }
    entities.push({
      driver_id: maybeNull(1 + int(45), 0.02), // 41..45 have no feature rows
      customer_id: maybeNull(`c${1 + int(6)}`, 0.02),
      other_driver: 1 + int(45),
      event_timestamp: T0 + int(54) * 30 * MINUTE + (rand() < 0.3 ? 15 * MINUTE : 0),
      label: i,
    });
  }
  const entityFile = join(root, 'entities.parquet');
  await writeParquet(
    connection,
    entityFile,
    [
      { name: 'driver_id', type: 'BIGINT' },
      { name: 'customer_id', type: 'VARCHAR' },
      { name: 'other_driver', type: 'BIGINT' },
      { name: 'event_timestamp', type: 'TIMESTAMPTZ' },
      { name: 'label', type: 'BIGINT' },
    ],
    entities.map((e) => [e.driver_id, e.customer_id, e.other_driver, ts(e.event_timestamp), e.label]),
    256,
  );
  return {
    root,
    manifest: randomLakeManifest(root),
    entityFile,
    entities,
    rows: { driver_stats: driverStats, driver_customer: driverCustomer, weather },
  };
}
