/**
 * Time-window aggregations, as ratios against a reference measured in the same run.
 *
 * Training: getHistoricalFeatures of an aggregation view (fare count, sum and mean
 * over 1 h and 24 h, 5 min tiles: 6 aggregates) against DuckDB computing the same
 * window rule on the same Parquet files (a range join of each entity row to its
 * key's events, grouped per entity row, one FILTER per window: the reference query
 * of the tests), Parquet in, Parquet out, each side in its own child process.
 * Data (generated once into bench/out/aggregations/, reused while the scale is
 * unchanged): 10M raw events (taxi_id, event_timestamp, fare; zstd; 4 files) over
 * 100k taxis and 30 days, and 1M entity rows. The outputs are compared.
 *
 * Online: getOnlineFeatures of 10 aggregates (fare count, sum, mean, min, max over
 * 1 h and 24 h, from tiles pushed for the last 24 h, about 48 events per taxi) against
 * a plain lookup of 10 stored features, both on one real redis-server (compact
 * layout), 1 and 100 entities per request, blocks alternating so both see the same load.
 *
 * BENCH_SCALE=0.1 divides the training sizes by 10 (the online part is unchanged).
 * Run: npx tsx bench/aggregations.ts, or npm run bench -- aggregations
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeatureStore } from '../runtime/feature-store';
import { readTableFile, writeTableFile } from '../runtime/io/table-file';
import { aggregationFeatureName, aggregationOutputDtype } from '../runtime/manifest/aggregation';
import { withHash } from '../runtime/manifest/canonical';
import type { AggregationFunction, FeatureViewSpec, Manifest, OnlineStoreSpec } from '../runtime/manifest/schema';
import { startRedisServer } from '../test/support/redis-server';
import { duck, measureChild, reportChild, type SideResult } from './join-lake';

const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const EVENTS = Math.round(10_000_000 * SCALE);
const ENTITY_ROWS = Math.round(1_000_000 * SCALE);
const TAXIS = Math.max(10, Math.round(100_000 * SCALE));
const DAYS = 30;
const FILES = 4;
const DIR = join(__dirname, 'out', 'aggregations', `scale-${SCALE}`);
const EVENTS_DIR = join(DIR, 'trips');
const ENTITIES = join(DIR, 'entities.parquet');
const OUT = { duckdb: join(DIR, 'out-duckdb.parquet'), featurestack: join(DIR, 'out-featurestack.parquet') };
const T0 = 1704067200000000; // 2024-01-01
const TILE_SECONDS = 300;
const HOUR = 3600;
const meta = { description: '', tags: {}, owner: '' };

interface Output {
  readonly feature: string;
  readonly column: string;
  readonly function: AggregationFunction;
  readonly windowSeconds: number;
}

function outputs(functions: readonly AggregationFunction[]): Output[] {
  return functions.flatMap((fn) => [HOUR, 24 * HOUR].map((w) => ({ feature: aggregationFeatureName('fare', fn, w), column: 'fare', function: fn, windowSeconds: w })));
}

function aggregationView(name: string, source: string, functions: readonly AggregationFunction[], online: boolean): FeatureViewSpec {
  const outs = outputs(functions);
  return withHash<FeatureViewSpec>({
    name,
    entities: ['taxi'],
    joinKeys: [{ name: 'taxi_id', valueType: 'Int64' }],
    features: outs.map((o) => ({ name: o.feature, dtype: aggregationOutputDtype(o.function, 'Float64'), description: '', tags: {} })),
    ttlSeconds: 24 * HOUR,
    source,
    batchSource: source,
    online,
    offline: true,
    aggregation: { tileSeconds: TILE_SECONDS, columns: [{ name: 'fare', dtype: 'Float64' }], outputs: outs },
    ...meta,
  });
}

function manifestOf(onlineStore: OnlineStoreSpec, views: FeatureViewSpec[]): Manifest {
  return withHash<Manifest>({
    manifestVersion: 1,
    project: 'bench',
    stack: 'bench',
    onlineStore,
    lakes: [withHash({ kind: 'local', name: 'bench', root: DIR })],
    entities: [withHash({ name: 'taxi', joinKeys: [{ name: 'taxi_id', valueType: 'Int64' }], ...meta })],
    dataSources: [
      withHash({ kind: 'batch', name: 'trips', declaredAs: 'file', lake: 'bench', filesystem: null, path: 'trips', format: 'parquet', timestampField: 'event_timestamp', createdTimestampColumn: null, fieldMapping: {}, ...meta }),
    ],
    featureViews: views,
    featureServices: [],
  });
}

const TRAINING_FUNCTIONS: AggregationFunction[] = ['count', 'sum', 'mean'];
const TRAINING_FEATURES = outputs(TRAINING_FUNCTIONS).map((o) => o.feature);
const trainingManifest = () =>
  manifestOf(withHash({ kind: 'embedded', path: join(DIR, 'online'), layout: 'compact', keyTtlSeconds: null }), [aggregationView('taxi_trips_recent', 'trips', TRAINING_FUNCTIONS, false)]);

async function generate(): Promise<void> {
  const marker = join(DIR, 'complete.json');
  if (existsSync(marker)) return;
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(EVENTS_DIR, { recursive: true });
  process.stderr.write(`aggregations bench: generating ${EVENTS.toLocaleString()} events and ${ENTITY_ROWS.toLocaleString()} entity rows in ${DIR}\n`);
  const db = await duck();
  const span = DAYS * 86_400_000_000;
  const perFile = Math.ceil(EVENTS / FILES);
  for (let f = 0; f < FILES; f++) {
    // Fares in quarters of a dollar: every sum is exact whatever the order of addition.
    await db.run(`COPY (
      SELECT (hash(i) % ${TAXIS})::BIGINT AS taxi_id,
             make_timestamptz(${T0} + (hash(i * 7 + 1) % ${span})::BIGINT) AS event_timestamp,
             CASE WHEN hash(i * 7 + 2) % 20 = 0 THEN NULL ELSE (hash(i * 7 + 3) % 400) / 4.0 END::DOUBLE AS fare
      FROM range(${f * perFile}, ${Math.min(EVENTS, (f + 1) * perFile)}) t(i)
    ) TO '${join(EVENTS_DIR, `part-${f}.parquet`)}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${Math.max(10_000, Math.ceil(perFile / 4))})`);
  }
  await db.run(`COPY (
    SELECT (hash(i * 13 + 5) % ${Math.round(TAXIS * 1.1)})::BIGINT AS taxi_id,
           make_timestamptz(${T0} + (hash(i * 13 + 6) % ${span})::BIGINT) AS event_timestamp
    FROM range(${ENTITY_ROWS}) t(i)
  ) TO '${ENTITIES}' (FORMAT parquet, COMPRESSION zstd)`);
  db.closeSync();
  writeFileSync(marker, JSON.stringify({ events: EVENTS, entityRows: ENTITY_ROWS, taxis: TAXIS }));
}

/** DuckDB's side: the window rule as a range join and GROUP BY, in entity-row order. */
async function duckdbSide(): Promise<number> {
  const db = await duck();
  const tile = TILE_SECONDS * 1_000_000;
  const selects = outputs(TRAINING_FUNCTIONS).map((o) => {
    const filter = `FILTER (WHERE f.ts > e.tile_end - ${o.windowSeconds * 1_000_000})`;
    const expr = { count: `COUNT(f.fare) ${filter}`, sum: `SUM(f.fare) ${filter}`, mean: `AVG(f.fare) ${filter}` }[o.function as 'count' | 'sum' | 'mean'];
    return `CAST(${expr} AS ${o.function === 'count' ? 'BIGINT' : 'DOUBLE'}) AS ${o.feature}`;
  });
  await db.run(`COPY (
    WITH e AS (
      SELECT file_row_number AS rid, taxi_id, event_timestamp, epoch_us(event_timestamp) AS t,
             CAST(ceil(epoch_us(event_timestamp) / ${tile}) AS BIGINT) * ${tile} AS tile_end
      FROM read_parquet('${ENTITIES}', file_row_number = true)),
    f AS (SELECT taxi_id, epoch_us(event_timestamp) AS ts, fare FROM read_parquet('${EVENTS_DIR}/*.parquet'))
    SELECT e.taxi_id, e.event_timestamp, ${selects.join(', ')}
    FROM e LEFT JOIN f ON f.taxi_id = e.taxi_id AND f.ts <= e.t AND f.ts > e.tile_end - ${24 * HOUR * 1_000_000}
    GROUP BY e.rid, e.taxi_id, e.event_timestamp
    ORDER BY e.rid
  ) TO '${OUT.duckdb}' (FORMAT parquet, COMPRESSION zstd)`);
  const rows = await db.runAndReadAll(`SELECT count(*)::INTEGER FROM read_parquet('${OUT.duckdb}')`);
  db.closeSync();
  return Number(rows.getRows()[0][0]);
}

async function featurestackSide(): Promise<number> {
  const store = await FeatureStore.open({ manifest: trainingManifest(), env: {} });
  const entities = await readTableFile(ENTITIES);
  const table = await store.getHistoricalFeatures({ entities, features: TRAINING_FEATURES.map((f) => `taxi_trips_recent:${f}`) });
  await writeTableFile(OUT.featurestack, table, { compression: 'zstd' });
  await store.close();
  return table.numRows;
}

async function checkSameOutput(): Promise<string> {
  const db = await duck();
  const columns = `taxi_id, epoch_us(event_timestamp), ${TRAINING_FEATURES.map((f) => (f.includes('mean') ? `round(${f}, 9)` : f)).join(', ')}`;
  const diff = await db.runAndReadAll(`SELECT count(*)::INTEGER FROM (
    SELECT ${columns} FROM read_parquet('${OUT.featurestack}') EXCEPT ALL SELECT ${columns} FROM read_parquet('${OUT.duckdb}'))`);
  db.closeSync();
  const n = Number(diff.getRows()[0][0]);
  return n === 0 ? 'outputs agree' : `OUTPUTS DIFFER in ${n} rows`;
}

async function training(): Promise<void> {
  await generate();
  const measure = (side: 'duckdb' | 'featurestack'): SideResult => measureChild(__filename, side, 'aggregations bench');
  const duckdb = measure('duckdb');
  const ours = measure('featurestack');
  const line = (name: string, r: SideResult) =>
    `  ${name.padEnd(30)} ${r.seconds.toFixed(2).padStart(7)} s  ${Math.round(ENTITY_ROWS / r.seconds).toLocaleString().padStart(10)} entity rows/s  CPU ${r.cpuSeconds.toFixed(1).padStart(5)} s  peak RSS ${Math.round(r.maxRssMb ?? 0).toLocaleString().padStart(6)} MB`;
  console.log(`aggregations, training: ${EVENTS.toLocaleString()} events × ${ENTITY_ROWS.toLocaleString()} entity rows, ${TAXIS.toLocaleString()} taxis, fare count/sum/mean over 1 h and 24 h (zstd Parquet in and out)`);
  console.log(line('DuckDB range join + GROUP BY', duckdb));
  console.log(line('getHistoricalFeatures', ours));
  console.log(`  ratio (featurestack / DuckDB): time ${(ours.seconds / duckdb.seconds).toFixed(2)}×, CPU ${(ours.cpuSeconds / duckdb.cpuSeconds).toFixed(2)}×, memory ${((ours.maxRssMb ?? 0) / (duckdb.maxRssMb ?? 1)).toFixed(2)}×; ${await checkSameOutput()}`);
}

// ---- online ----

const ONLINE_TAXIS = 1000;
const ONLINE_FUNCTIONS: AggregationFunction[] = ['count', 'sum', 'mean', 'min', 'max'];
const SAMPLES = 2000;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function alternate(samples: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number[], number[]]> {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < 300; i++) await a(), await b();
  while (xs.length < samples) {
    for (const [fn, into] of [[a, xs], [b, ys]] as const) {
      for (let i = 0; i < 25; i++) {
        const t = performance.now();
        await fn();
        into.push(performance.now() - t);
      }
    }
  }
  return [xs.sort((p, q) => p - q), ys.sort((p, q) => p - q)];
}

async function online(): Promise<void> {
  const redis = await startRedisServer();
  const plain = withHash<FeatureViewSpec>({
    name: 'taxi_plain',
    entities: ['taxi'],
    joinKeys: [{ name: 'taxi_id', valueType: 'Int64' }],
    features: Array.from({ length: 10 }, (_, i) => ({ name: `f${i}`, dtype: 'Float64' as const, description: '', tags: {} })),
    ttlSeconds: 0,
    source: 'trips',
    batchSource: 'trips',
    online: true,
    offline: true,
    ...meta,
  });
  const store = withHash<OnlineStoreSpec>({ kind: 'redis', host: '127.0.0.1', port: 1, tls: false, cluster: false, passwordEnv: null, layout: 'compact', keyTtlSeconds: null });
  const fs = await FeatureStore.open({ manifest: manifestOf(store, [aggregationView('taxi_recent', 'trips', ONLINE_FUNCTIONS, true), plain]), env: { FEATURESTACK_REDIS_URL: redis.url } });
  try {
    const now = Date.now() * 1000;
    const ids = Array.from({ length: ONLINE_TAXIS }, (_, i) => i);
    const plainRows: Record<string, unknown[]> = { taxi_id: ids, event_timestamp: ids.map(() => new Date().toISOString()) };
    for (let f = 0; f < 10; f++) plainRows[`f${f}`] = ids.map((i) => i / 3 + f);
    await fs.writeToOnlineStore({ featureView: 'taxi_plain', rows: plainRows });
    // About 48 trips per taxi over the last 24 h, pushed into the tiles in batches.
    for (let batch = 0; batch < 48; batch++) {
      await fs.writeToOnlineStore({
        featureView: 'taxi_recent',
        rows: {
          taxi_id: ids,
          event_timestamp: ids.map((i) => new Date((now - ((i * 7919 + batch * 1_799_000_000) % (24 * HOUR * 1_000_000))) / 1000).toISOString()),
          fare: ids.map((i) => ((i + batch * 13) % 400) / 4),
        },
      });
    }
    const aggregated = ONLINE_FUNCTIONS.flatMap((fn) => [HOUR, 24 * HOUR].map((w) => `taxi_recent:${aggregationFeatureName('fare', fn, w)}`));
    const stored = plain.features.map((f) => `taxi_plain:${f.name}`);
    console.log(`aggregations, online: getOnlineFeatures on redis-server (compact layout), ${ONLINE_TAXIS} taxis, ~48 trips each in the last 24 h (5 min tiles); p50 / p99 ms over ${SAMPLES} requests`);
    for (const n of [1, 100]) {
      const entities = { taxi_id: Array.from({ length: n }, (_, i) => (i * 37) % ONLINE_TAXIS) };
      const [agg, base] = await alternate(
        SAMPLES,
        () => fs.getOnlineFeatures({ features: aggregated, entities }),
        () => fs.getOnlineFeatures({ features: stored, entities }),
      );
      const fmt = (xs: number[]) => `${percentile(xs, 0.5).toFixed(3)} / ${percentile(xs, 0.99).toFixed(3)}`;
      console.log(`  ${`${n}×10`.padEnd(7)} 10 aggregates ${fmt(agg).padStart(15)}   10 stored features ${fmt(base).padStart(15)}   ratio p50 ${(percentile(agg, 0.5) / percentile(base, 0.5)).toFixed(2)}×  p99 ${(percentile(agg, 0.99) / percentile(base, 0.99)).toFixed(2)}×`);
    }
  } finally {
    await fs.close();
    await redis.close();
  }
}

export async function run(): Promise<void> {
  await training();
  await online();
}

if (require.main === module) {
  const [mode, side] = process.argv.slice(2);
  (mode === 'child' ? reportChild(side === 'duckdb' ? duckdbSide : featurestackSide) : run()).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
