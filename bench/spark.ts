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
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureVenv } from '../test/support/python-env';
import { LOG4J2 } from '../test/support/spark-standalone';
import { duck, FEATURES, generateJoinLake, joinLake, joinManifest, measureChild, reportChild, runDuckDbSide, runFeatureStackSide, type SideResult } from './join-lake';

const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? '1'));
const CORES = 2;
const LAKE = joinLake('spark', SCALE, { featureRows: 1_000_000, entityRows: 100_000, drivers: 10_000 });
const DIR = LAKE.dir;
const FEATURE_ROWS = LAKE.featureRows;
const ENTITY_ROWS = LAKE.entityRows;
const ENTITIES = LAKE.entities;
const REGISTRY = join(DIR, 'registry.json');
const OUT = { duckdb: join(DIR, 'out-duckdb.parquet'), featurestack: join(DIR, 'out-featurestack.parquet'), spark: join(DIR, 'out-spark') };

/** Spark's settings for every spark-submit of the bench (a conf folder: SPARK_CONF_DIR). */
const SPARK_DEFAULTS = `spark.ui.enabled false
spark.ui.showConsoleProgress false
spark.driver.memory 2g
spark.sql.shuffle.partitions ${CORES * 4}
`;

/** The shared lake, plus the registry and Spark's settings beside it. */
async function generate(): Promise<void> {
  if (!(await generateJoinLake(LAKE, 'spark bench'))) return;
  writeFileSync(REGISTRY, JSON.stringify(joinManifest(LAKE)));
  writeFileSync(join(DIR, 'log4j2.properties'), LOG4J2);
  writeFileSync(join(DIR, 'spark-defaults.conf'), SPARK_DEFAULTS);
  writeFileSync(join(DIR, 'noop.py'), "from pyspark.sql import SparkSession\nSparkSession.builder.getOrCreate().sql('SELECT 1').collect()\n");
}

async function child(side: string): Promise<void> {
  await reportChild(() => (side === 'duckdb' ? runDuckDbSide(LAKE, OUT.duckdb, 'snappy', CORES) : runFeatureStackSide(LAKE, OUT.featurestack, 'snappy')));
}

const measure = (side: 'duckdb' | 'featurestack'): SideResult => measureChild(__filename, side, 'spark bench');

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
