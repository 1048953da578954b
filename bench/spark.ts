/**
 * The training set on a real Spark beside getHistoricalFeatures and DuckDB, on the
 * same Parquet files, in one run, as ratios.
 *
 * Spark: the generated job, run as an operator runs it (`featurestack spark-submit
 * training … --run`), with the pinned pyspark of the tests (Spark 4.0, the 'spark'
 * venv; needs Java 17) in local mode on two cores (`--master local[2]`: one JVM is
 * driver and executor, as a two-core Standalone worker would be, without the daemons).
 * Its wall time includes the JVM and the Spark session starting; a spark-submit of an
 * empty job on the same settings is timed too, and the job's time without it shown.
 * getHistoricalFeatures and DuckDB's `ASOF JOIN` (bench/join.ts's reference query) each
 * run in their own child process. Every side reads the same files and writes Parquet
 * (snappy), and the three outputs are checked to be the same rows.
 *
 * Data (generated once into bench/out/spark/, reused while the scale is unchanged):
 * 1M feature rows (driver_id, event_timestamp, 3 double features; zstd; 4 files) over
 * 10k drivers and 30 days, and 100k entity rows. BENCH_SCALE=0.1 divides the sizes by
 * 10; BENCH_REPEAT=3 runs each side three times and keeps each side's fastest run.
 *
 *   npm run bench -- spark        (or: npx tsx bench/spark.ts)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { FeatureStore } from '../runtime/feature-store';
import { readTableFile, writeTableFile } from '../runtime/io/table-file';
import { withHash } from '../runtime/manifest/canonical';
import type { Manifest } from '../runtime/manifest/schema';
import { ensureVenv } from '../test/support/python-env';

const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? '1'));
const FEATURE_ROWS = Math.round(1_000_000 * SCALE);
const ENTITY_ROWS = Math.round(100_000 * SCALE);
const DRIVERS = Math.max(10, Math.round(10_000 * SCALE));
const FILES = 4;
const DAYS = 30;
const CORES = 2;
const DIR = join(__dirname, 'out', 'spark', `scale-${SCALE}`);
const FEATURES_DIR = join(DIR, 'driver_stats');
const ENTITIES = join(DIR, 'entities.parquet');
const REGISTRY = join(DIR, 'registry.json');
const OUT = { duckdb: join(DIR, 'out-duckdb.parquet'), featurestack: join(DIR, 'out-featurestack.parquet'), spark: join(DIR, 'out-spark') };
const FEATURES = ['driver_stats:f1', 'driver_stats:f2', 'driver_stats:f3'];

/** Spark's settings for every spark-submit of the bench (a conf folder: SPARK_CONF_DIR). */
const SPARK_DEFAULTS = `spark.ui.enabled false
spark.ui.showConsoleProgress false
spark.driver.memory 2g
spark.sql.shuffle.partitions ${CORES * 4}
`;
const LOG4J2 = `rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
`;

interface SideResult {
  readonly seconds: number;
  /** User + system CPU time of the process and what it waited for. */
  readonly cpuSeconds: number;
  readonly outputRows?: number;
}

async function duck(): Promise<DuckDBConnection> {
  return (await DuckDBInstance.create(':memory:', { threads: String(CORES) })).connect();
}

async function generate(): Promise<void> {
  const marker = join(DIR, 'complete.json');
  if (existsSync(marker)) return;
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(FEATURES_DIR, { recursive: true });
  process.stderr.write(`spark bench: generating ${FEATURE_ROWS.toLocaleString()} feature rows and ${ENTITY_ROWS.toLocaleString()} entity rows in ${DIR}\n`);
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
  writeFileSync(REGISTRY, JSON.stringify(manifest()));
  writeFileSync(join(DIR, 'log4j2.properties'), LOG4J2);
  writeFileSync(join(DIR, 'spark-defaults.conf'), SPARK_DEFAULTS);
  writeFileSync(join(DIR, 'noop.py'), "from pyspark.sql import SparkSession\nSparkSession.builder.getOrCreate().sql('SELECT 1').collect()\n");
  writeFileSync(marker, JSON.stringify({ FEATURE_ROWS, ENTITY_ROWS, DRIVERS }));
}

function manifest(): Manifest {
  const meta = { description: '', tags: {}, owner: '' };
  return withHash<Manifest>({
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
}

/** Child: DuckDB ASOF JOIN, Parquet in → Parquet out. */
async function runDuckDb(): Promise<number> {
  const db = await duck();
  await db.run(`COPY (
    SELECT e.driver_id, e.event_timestamp, f.f1, f.f2, f.f3
    FROM read_parquet('${ENTITIES}') e
    ASOF LEFT JOIN read_parquet('${FEATURES_DIR}/*.parquet') f
    ON e.driver_id = f.driver_id AND e.event_timestamp >= f.event_timestamp
  ) TO '${OUT.duckdb}' (FORMAT parquet, COMPRESSION snappy)`);
  const rows = await db.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${OUT.duckdb}')`);
  return Number(rows.getRows()[0][0]);
}

/** Child: getHistoricalFeatures, Parquet in → Parquet out. */
async function runFeatureStack(): Promise<number> {
  const store = await FeatureStore.open({ manifest: manifest(), env: {} });
  const entities = await readTableFile(ENTITIES);
  const table = await store.getHistoricalFeatures({ entities, features: FEATURES });
  await writeTableFile(OUT.featurestack, table, { compression: 'snappy' });
  await store.close();
  return table.numRows;
}

async function child(side: string): Promise<void> {
  const started = process.hrtime.bigint();
  const outputRows = side === 'duckdb' ? await runDuckDb() : await runFeatureStack();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const usage = process.resourceUsage();
  const result: SideResult = { seconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, outputRows };
  process.stdout.write(JSON.stringify(result) + '\n');
}

function measure(side: 'duckdb' | 'featurestack'): SideResult {
  const run = spawnSync(process.execPath, ['--import', 'tsx', __filename, 'child', side], { encoding: 'utf8', env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) throw new Error(`spark bench: the ${side} side failed (exit ${run.status})`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as SideResult;
}

/** The environment spark-submit runs with: the venv's pyspark as SPARK_HOME, the bench's conf folder. */
function sparkEnv(): { env: NodeJS.ProcessEnv; sparkSubmit: string } {
  const python = ensureVenv('spark');
  const home = spawnSync(python, ['-c', 'import pyspark, os; print(os.path.dirname(pyspark.__file__))'], { encoding: 'utf8' }).stdout.trim();
  if (!home) throw new Error(`spark bench: no pyspark in ${python}`);
  const env = { ...process.env, SPARK_HOME: home, PYSPARK_PYTHON: python, PYSPARK_DRIVER_PYTHON: python, SPARK_CONF_DIR: DIR, SPARK_LOCAL_IP: '127.0.0.1', SPARK_LOCAL_DIRS: join(DIR, 'spark-local') };
  return { env, sparkSubmit: join(home, 'bin', 'spark-submit') };
}

/** A timed command; CPU time is the children's (spark-submit's JVM and Python). */
function timed(argv: string[], env: NodeJS.ProcessEnv, what: string): SideResult {
  const started = process.hrtime.bigint();
  const run = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0 || run.stderr.includes('error:')) {
    throw new Error(`spark bench: ${what} failed (exit ${run.status}):\n${(run.stdout + run.stderr).slice(-4000)}`);
  }
  return { seconds, cpuSeconds: childCpuSeconds() };
}

/** CPU seconds of the children waited for since the last call. */
let childCpuSeen = 0;
function childCpuSeconds(): number {
  // /proc/self/stat fields 16 and 17: cutime and cstime, in clock ticks (100 per second on Linux).
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  const total = (Number(fields[13]) + Number(fields[14])) / 100;
  const delta = total - childCpuSeen;
  childCpuSeen = total;
  return delta;
}

function runSpark(): { job: SideResult; startup: SideResult } {
  const { env, sparkSubmit } = sparkEnv();
  const master = `local[${CORES}]`;
  childCpuSeconds();
  const startup = timed([sparkSubmit, '--master', master, join(DIR, 'noop.py')], env, 'spark-submit of an empty job');
  rmSync(OUT.spark, { recursive: true, force: true });
  const cli = join(__dirname, '..', 'bin', 'featurestack.js');
  const job = timed(
    [
      process.execPath, cli, 'spark-submit', 'training', '--manifest', REGISTRY, '--entities', ENTITIES, '--output', OUT.spark,
      '--features', ...FEATURES, '--master', master, '--spark-submit', sparkSubmit, '--sql-dir', join(DIR, 'sql'), '--run',
    ],
    env,
    'featurestack spark-submit training --run',
  );
  return { job, startup };
}

/** The three outputs hold the same rows (Spark's in its own order across part files). */
async function checkSameOutput(): Promise<string> {
  const db = await duck();
  const select = (from: string) => `SELECT driver_id, epoch_us(event_timestamp) AS t, f1, f2, f3 FROM read_parquet('${from}')`;
  const count = async (sql: string) => Number((await db.runAndReadAll(`SELECT count(*)::BIGINT FROM (${sql})`)).getRows()[0][0]);
  const notes: string[] = [];
  for (const [name, from] of [['featurestack', OUT.featurestack], ['Spark', `${OUT.spark}/*.parquet`]] as const) {
    const rows = await count(select(from));
    const missing = await count(`${select(OUT.duckdb)} EXCEPT ALL ${select(from)}`);
    const extra = await count(`${select(from)} EXCEPT ALL ${select(OUT.duckdb)}`);
    notes.push(rows === ENTITY_ROWS && missing === 0 && extra === 0 ? `${name} = DuckDB` : `${name} DIFFERS from DuckDB (${rows} rows, ${missing} missing, ${extra} extra)`);
  }
  db.closeSync();
  return notes.join(', ');
}

export async function run(): Promise<void> {
  await generate();
  const runs: Record<'duckdb' | 'featurestack' | 'spark' | 'startup', SideResult[]> = { duckdb: [], featurestack: [], spark: [], startup: [] };
  for (let i = 0; i < REPEAT; i++) {
    for (const side of ['duckdb', 'featurestack'] as const) runs[side].push(measure(side));
    const { job, startup } = runSpark();
    runs.spark.push(job);
    runs.startup.push(startup);
  }
  const fastest = (results: SideResult[]) => results.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const duckdb = fastest(runs.duckdb);
  const ours = fastest(runs.featurestack);
  const spark = fastest(runs.spark);
  const startup = fastest(runs.startup);
  const sparkJob = { seconds: spark.seconds - startup.seconds, cpuSeconds: spark.cpuSeconds - startup.cpuSeconds };
  const line = (name: string, r: SideResult, note = '') =>
    `  ${name.padEnd(44)} ${r.seconds.toFixed(2).padStart(7)} s  CPU ${r.cpuSeconds.toFixed(1).padStart(5)} s  ` +
    `${(r.seconds / ours.seconds).toFixed(2).padStart(6)}× getHistoricalFeatures  ${(r.seconds / duckdb.seconds).toFixed(2).padStart(6)}× DuckDB${note}`;
  console.log(
    `spark: training set, ${FEATURE_ROWS.toLocaleString()} feature rows × ${ENTITY_ROWS.toLocaleString()} entity rows (3 double features, zstd Parquet in, snappy Parquet out; ` +
      `${CORES} cores; best of ${REPEAT})`,
  );
  console.log(line('DuckDB ASOF JOIN', duckdb));
  console.log(line('getHistoricalFeatures', ours));
  console.log(line(`Spark local[${CORES}], spark-submit training --run`, spark));
  console.log(line('  of which: spark-submit of an empty job', startup));
  console.log(line('  the job without the empty job', sparkJob));
  console.log(`  ${await checkSameOutput()}`);
}

if (require.main === module) {
  const [mode, side] = process.argv.slice(2);
  (mode === 'child' ? child(side) : run()).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
