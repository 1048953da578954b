/**
 * The point-in-time join benches' data and sides, shared by bench/join.ts (against
 * DuckDB) and bench/spark.ts (against DuckDB and Spark): a generated lake of driver
 * features and entity rows, its registry, DuckDB's `ASOF JOIN` and getHistoricalFeatures
 * over it, each run as a child process that reports its own time and CPU.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { FeatureStore } from '../runtime/feature-store';
import { readTableFile, writeTableFile } from '../runtime/io/table-file';
import { withHash } from '../runtime/manifest/canonical';
import type { Manifest } from '../runtime/manifest/schema';

export const FEATURES = ['driver_stats:f1', 'driver_stats:f2', 'driver_stats:f3'];
const FILES = 4;
const DAYS = 30;

export interface JoinLake {
  readonly dir: string;
  readonly featuresDir: string;
  readonly entities: string;
  readonly featureRows: number;
  readonly entityRows: number;
  readonly drivers: number;
}

/** A lake under bench/out/<name>/scale-<scale>/ of `featureRows` over `drivers` and 30 days, and `entityRows`. */
export function joinLake(name: string, scale: number, sizes: { featureRows: number; entityRows: number; drivers: number }): JoinLake {
  const dir = join(__dirname, 'out', name, `scale-${scale}`);
  const featureRows = Math.round(sizes.featureRows * scale);
  const entityRows = Math.round(sizes.entityRows * scale);
  const drivers = Math.max(10, Math.round(sizes.drivers * scale));
  return { dir, featuresDir: join(dir, 'driver_stats'), entities: join(dir, 'entities.parquet'), featureRows, entityRows, drivers };
}

/** What a child side reports on stdout (one JSON line). */
export interface SideResult {
  readonly seconds: number;
  /** User + system CPU time of the process (DuckDB's spans its threads). */
  readonly cpuSeconds: number;
  readonly maxRssMb?: number;
  readonly outputRows?: number;
}

export async function duck(threads?: number): Promise<DuckDBConnection> {
  return (await DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : {})).connect();
}

/**
 * Writes the lake (zstd, 4 files of several row groups) unless a previous run did;
 * returns whether it wrote it, so that a bench can add its own files beside.
 */
export async function generateJoinLake(lake: JoinLake, label: string): Promise<boolean> {
  const marker = join(lake.dir, 'complete.json');
  if (existsSync(marker)) return false;
  rmSync(lake.dir, { recursive: true, force: true });
  mkdirSync(lake.featuresDir, { recursive: true });
  process.stderr.write(`${label}: generating ${lake.featureRows.toLocaleString()} feature rows and ${lake.entityRows.toLocaleString()} entity rows in ${lake.dir}\n`);
  const db = await duck();
  const perFile = Math.ceil(lake.featureRows / FILES);
  const span = DAYS * 86_400_000_000;
  for (let f = 0; f < FILES; f++) {
    await db.run(`COPY (
      SELECT (hash(i) % ${lake.drivers})::BIGINT AS driver_id,
             make_timestamptz(1704067200000000 + (hash(i * 7 + 1) % ${span})::BIGINT) AS event_timestamp,
             (hash(i * 7 + 2) % 1000000) / 1e6 AS f1,
             (hash(i * 7 + 3) % 1000000) / 1e3 AS f2,
             (hash(i * 7 + 4) % 1000000)::DOUBLE AS f3
      FROM range(${f * perFile}, ${Math.min(lake.featureRows, (f + 1) * perFile)}) t(i)
    ) TO '${join(lake.featuresDir, `part-${f}.parquet`)}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${Math.max(10_000, Math.ceil(perFile / 4))})`);
  }
  await db.run(`COPY (
    SELECT (hash(i * 13 + 5) % ${Math.round(lake.drivers * 1.1)})::BIGINT AS driver_id,
           make_timestamptz(1704067200000000 + (hash(i * 13 + 6) % ${span})::BIGINT) AS event_timestamp
    FROM range(${lake.entityRows}) t(i)
  ) TO '${lake.entities}' (FORMAT parquet, COMPRESSION zstd)`);
  db.closeSync();
  writeFileSync(marker, JSON.stringify({ featureRows: lake.featureRows, entityRows: lake.entityRows, drivers: lake.drivers }));
  return true;
}

/** The lake's registry: one offline view of the three features, no TTL (ASOF JOIN has none: like with like). */
export function joinManifest(lake: JoinLake): Manifest {
  const meta = { description: '', tags: {}, owner: '' };
  return withHash<Manifest>({
    manifestVersion: 1,
    project: 'bench',
    stack: 'bench',
    onlineStore: withHash({ kind: 'embedded', path: join(lake.dir, 'online'), layout: 'compact', keyTtlSeconds: null }),
    lakes: [withHash({ kind: 'local', name: 'bench', root: lake.dir })],
    entities: [withHash({ name: 'driver', joinKeys: [{ name: 'driver_id', valueType: 'Int64' }], ...meta })],
    dataSources: [
      withHash({ kind: 'batch', name: 'driver_stats_source', declaredAs: 'file', lake: 'bench', filesystem: null, path: 'driver_stats', format: 'parquet', timestampField: 'event_timestamp', createdTimestampColumn: null, fieldMapping: {}, ...meta }),
    ],
    featureViews: [
      withHash({
        name: 'driver_stats',
        entities: ['driver'],
        joinKeys: [{ name: 'driver_id', valueType: 'Int64' }],
        features: ['f1', 'f2', 'f3'].map((name) => ({ name, dtype: 'Float64', description: '', tags: {} })),
        ttlSeconds: 0,
        source: 'driver_stats_source',
        batchSource: 'driver_stats_source',
        online: false,
        offline: true,
        ...meta,
      }),
    ],
    featureServices: [],
  });
}

/** DuckDB's side: ASOF JOIN, Parquet in → Parquet out; returns the rows written. */
export async function runDuckDbSide(lake: JoinLake, out: string, codec: string, threads?: number): Promise<number> {
  const db = await duck(threads);
  await db.run(`COPY (
    SELECT e.driver_id, e.event_timestamp, f.f1, f.f2, f.f3
    FROM read_parquet('${lake.entities}') e
    ASOF LEFT JOIN read_parquet('${lake.featuresDir}/*.parquet') f
    ON e.driver_id = f.driver_id AND e.event_timestamp >= f.event_timestamp
  ) TO '${out}' (FORMAT parquet, COMPRESSION ${codec})`);
  const rows = await db.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${out}')`);
  return Number(rows.getRows()[0][0]);
}

/** Our side: getHistoricalFeatures, Parquet in → Parquet out; returns the rows written. */
export async function runFeatureStackSide(lake: JoinLake, out: string, codec: 'zstd' | 'snappy'): Promise<number> {
  const store = await FeatureStore.open({ manifest: joinManifest(lake), env: {} });
  const entities = await readTableFile(lake.entities);
  const table = await store.getHistoricalFeatures({ entities, features: FEATURES });
  await writeTableFile(out, table, { compression: codec });
  await store.close();
  return table.numRows;
}

/** In a child process: runs one side and prints its SideResult. */
export async function reportChild(side: () => Promise<number>): Promise<void> {
  const started = process.hrtime.bigint();
  const outputRows = await side();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const usage = process.resourceUsage();
  const result: SideResult = { seconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, maxRssMb: usage.maxRSS / 1024, outputRows };
  process.stdout.write(JSON.stringify(result) + '\n');
}

/** Runs `<bench file> child <side>` in a new process and returns what it reported. */
export function measureChild(file: string, side: string, label: string): SideResult {
  const run = spawnSync(process.execPath, ['--import', 'tsx', file, 'child', side], { encoding: 'utf8', env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) throw new Error(`${label}: the ${side} side failed (exit ${run.status})`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as SideResult;
}
