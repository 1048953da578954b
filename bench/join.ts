/**
 * Point-in-time join: getHistoricalFeatures against DuckDB `ASOF JOIN` on the same
 * Parquet files (Parquet in, Parquet out), each side in its own child process so
 * that its wall time and peak RSS are its own.
 *
 * Data (generated once into bench/out/join/, reused while the scale is unchanged):
 * 10M feature rows (driver_id, event_timestamp, 3 double features; zstd; 4 files of
 * several row groups) over 100k drivers and 30 days, and 1M entity rows. Both sides
 * write their output with BENCH_OUTPUT_CODEC (zstd, or snappy: with zstd, the
 * output's compression takes a large share of either side's time).
 * BENCH_SCALE=0.1 divides every size by 10 for a quick run; BENCH_REPEAT=3 runs each
 * side three times, alternating, and keeps each side's fastest run (for busy machines).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { FeatureStore } from '../runtime/feature-store';
import { readTableFile, writeTableFile } from '../runtime/io/table-file';
import { withHash } from '../runtime/manifest/canonical';
import type { Manifest } from '../runtime/manifest/schema';

const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? '1'));
const FEATURE_ROWS = Math.round(10_000_000 * SCALE);
const ENTITY_ROWS = Math.round(1_000_000 * SCALE);
const DRIVERS = Math.max(10, Math.round(100_000 * SCALE));
const FILES = 4;
const DAYS = 30;
const DIR = join(__dirname, 'out', 'join', `scale-${SCALE}`);
const FEATURES_DIR = join(DIR, 'driver_stats');
const ENTITIES = join(DIR, 'entities.parquet');
const OUTPUT_CODEC = process.env.BENCH_OUTPUT_CODEC === 'snappy' ? 'snappy' : 'zstd';

/** What a child reports on stdout (one JSON line). */
interface SideResult {
  readonly seconds: number;
  /** User + system CPU time of the child (DuckDB's spans its threads). */
  readonly cpuSeconds: number;
  readonly maxRssMb: number;
  readonly outputRows: number;
}

async function duck(): Promise<import('@duckdb/node-api').DuckDBConnection> {
  return (await DuckDBInstance.create(':memory:')).connect();
}

async function generate(): Promise<void> {
  const marker = join(DIR, 'complete.json');
  if (existsSync(marker)) return;
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(FEATURES_DIR, { recursive: true });
  process.stderr.write(`join bench: generating ${FEATURE_ROWS.toLocaleString()} feature rows and ${ENTITY_ROWS.toLocaleString()} entity rows in ${DIR}\n`);
  const db = await duck();
  const perFile = Math.ceil(FEATURE_ROWS / FILES);
  const span = DAYS * 86_400_000_000;
  for (let f = 0; f < FILES; f++) {
    await db.run(`COPY (
      SELECT (hash(i) % ${DRIVERS})::BIGINT AS driver_id,
             make_timestamptz(1704067200000000 + (hash(i * 7 + 1) % ${span})::BIGINT) AS event_timestamp,
             (hash(i * 7 + 2) % 1000000) / 1e6 AS f1,
             (hash(i * 7 + 3) % 1000000) / 1e3 AS f2,
             (hash(i * 7 + 4) % 1000000)::DOUBLE AS f3
      FROM range(${f * perFile}, ${Math.min(FEATURE_ROWS, (f + 1) * perFile)}) t(i)
    ) TO '${join(FEATURES_DIR, `part-${f}.parquet`)}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${Math.max(10_000, Math.ceil(perFile / 4))})`);
  }
  await db.run(`COPY (
    SELECT (hash(i * 13 + 5) % ${Math.round(DRIVERS * 1.1)})::BIGINT AS driver_id,
           make_timestamptz(1704067200000000 + (hash(i * 13 + 6) % ${span})::BIGINT) AS event_timestamp
    FROM range(${ENTITY_ROWS}) t(i)
  ) TO '${ENTITIES}' (FORMAT parquet, COMPRESSION zstd)`);
  db.closeSync();
  writeFileSync(marker, JSON.stringify({ FEATURE_ROWS, ENTITY_ROWS, DRIVERS }));
}

/** Child: DuckDB ASOF JOIN, Parquet in → Parquet out. */
async function runDuckDb(): Promise<number> {
  const db = await duck();
  const out = join(DIR, 'out-duckdb.parquet');
  await db.run(`COPY (
    SELECT e.driver_id, e.event_timestamp, f.f1, f.f2, f.f3
    FROM read_parquet('${ENTITIES}') e
    ASOF LEFT JOIN read_parquet('${FEATURES_DIR}/*.parquet') f
    ON e.driver_id = f.driver_id AND e.event_timestamp >= f.event_timestamp
  ) TO '${out}' (FORMAT parquet, COMPRESSION ${OUTPUT_CODEC})`);
  const rows = await db.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${out}')`);
  return Number(rows.getRows()[0][0]);
}

/** Child: getHistoricalFeatures, Parquet in → Parquet out. */
async function runFeatureStack(): Promise<number> {
  const meta = { description: '', tags: {}, owner: '' };
  const manifest = withHash<Manifest>({
    manifestVersion: 1,
    project: 'bench',
    stack: 'bench',
    onlineStore: withHash({ kind: 'embedded', path: join(DIR, 'online'), layout: 'compact', keyTtlSeconds: null }),
    lakes: [withHash({ kind: 'local', name: 'bench', root: DIR })],
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
        // ASOF JOIN has no TTL: compare like with like.
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
  const store = await FeatureStore.open({ manifest, env: {} });
  const entities = await readTableFile(ENTITIES);
  const table = await store.getHistoricalFeatures({ entities, features: ['driver_stats:f1', 'driver_stats:f2', 'driver_stats:f3'] });
  await writeTableFile(join(DIR, 'out-featurestack.parquet'), table, { compression: OUTPUT_CODEC });
  await store.close();
  return table.numRows;
}

async function child(side: string): Promise<void> {
  const started = process.hrtime.bigint();
  const outputRows = side === 'duckdb' ? await runDuckDb() : await runFeatureStack();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const usage = process.resourceUsage();
  const result: SideResult = { seconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, maxRssMb: usage.maxRSS / 1024, outputRows };
  process.stdout.write(JSON.stringify(result) + '\n');
}

function measure(side: 'duckdb' | 'featurestack'): SideResult {
  const run = spawnSync(process.execPath, ['--import', 'tsx', __filename, 'child', side], { encoding: 'utf8', env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) throw new Error(`join bench: the ${side} side failed (exit ${run.status})`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as SideResult;
}

/** Outputs must agree: same rows in the same order with the same values. */
async function checkSameOutput(): Promise<string> {
  const db = await duck();
  const diff = await db.runAndReadAll(`
    SELECT count(*)::INTEGER FROM (
      SELECT driver_id, epoch_us(event_timestamp) AS t, f1, f2, f3 FROM read_parquet('${join(DIR, 'out-featurestack.parquet')}')
      EXCEPT ALL
      SELECT driver_id, epoch_us(event_timestamp) AS t, f1, f2, f3 FROM read_parquet('${join(DIR, 'out-duckdb.parquet')}'))`);
  db.closeSync();
  const n = Number(diff.getRows()[0][0]);
  return n === 0 ? 'outputs agree' : `OUTPUTS DIFFER in ${n} rows`;
}

export async function run(): Promise<void> {
  await generate();
  const runs: Record<'duckdb' | 'featurestack', SideResult[]> = { duckdb: [], featurestack: [] };
  for (let i = 0; i < REPEAT; i++) for (const side of ['duckdb', 'featurestack'] as const) runs[side].push(measure(side));
  const fastest = (results: SideResult[]) => results.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const duckdb = fastest(runs.duckdb);
  const ours = fastest(runs.featurestack);
  const line = (name: string, r: SideResult) =>
    `  ${name.padEnd(22)} ${r.seconds.toFixed(2).padStart(7)} s  ${Math.round(ENTITY_ROWS / r.seconds).toLocaleString().padStart(11)} entity rows/s  ${Math.round(FEATURE_ROWS / r.seconds).toLocaleString().padStart(12)} feature rows/s  CPU ${r.cpuSeconds.toFixed(1).padStart(5)} s  peak RSS ${Math.round(r.maxRssMb).toLocaleString().padStart(6)} MB`;
  console.log(`join: ${FEATURE_ROWS.toLocaleString()} feature rows × ${ENTITY_ROWS.toLocaleString()} entity rows (3 double features, zstd Parquet in, ${OUTPUT_CODEC} Parquet out; best of ${REPEAT})`);
  console.log(line('DuckDB ASOF JOIN', duckdb));
  console.log(line('getHistoricalFeatures', ours));
  console.log(`  ratio (featurestack / DuckDB): time ${(ours.seconds / duckdb.seconds).toFixed(2)}×, CPU ${(ours.cpuSeconds / duckdb.cpuSeconds).toFixed(2)}×, memory ${(ours.maxRssMb / duckdb.maxRssMb).toFixed(2)}×; ${await checkSameOutput()}`);
}

if (require.main === module) {
  const [mode, side] = process.argv.slice(2);
  (mode === 'child' ? child(side) : run()).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
