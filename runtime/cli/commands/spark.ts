import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { FeatureStoreError } from '../../errors';
import type { Manifest } from '../../manifest/schema';
import { DIALECT_NAMES, dialectByName, SPARK, type SqlDialect } from '../../spark/dialect';
import type { Job, SnapshotJobOptions, TrainingJobOptions } from '../../spark/jobs';
import { DEFAULT_NAMENODE_PORT, type LakeUrlOptions } from '../../spark/lake-urls';
import { shellCommand, sparkSubmitArgv } from '../../spark/spark-submit';
// Read at help time only: main.ts imports this file, so the constant is not set while it loads.
import { EXIT_CODES_HELP } from '../exit-codes';
import { resolveManifestPath, withManifestOptions, type ManifestOptions } from '../manifest-option';

interface CommonOptions extends ManifestOptions {
  namenodePort: number;
  json?: boolean;
}
interface SqlOptions extends CommonOptions {
  dialect: string;
  out?: string;
}
interface SubmitOptions extends CommonOptions {
  master?: string;
  run?: boolean;
  param: string[];
  conf: string[];
  sqlDir: string;
  sparkSubmit?: string;
}
type SnapshotCli = SnapshotJobOptions;
interface TrainingCli extends Omit<TrainingJobOptions, 'features'> {
  features?: string[];
}

const SQL_EXAMPLES = `
Examples:
  featurestack spark sql snapshot --view driver_hourly_stats
      the latest row per driver over the view's TTL up to \${end}, written as Parquet
      to featurestack/snapshots/driver_hourly_stats in the view's lake
  featurestack spark sql snapshot --view weather --start 2024-05-01 --end 2024-05-02 --dialect duckdb
  featurestack spark sql training --entities hdfs://namenode:8020/ml/rides.parquet \\
      --feature-service taxi_weather --output hdfs://namenode:8020/ml/training/rides --out rides.sql
  featurestack spark sql training --entities ./rides.parquet --features taxi_trips:trip_count \\
      --output ./training.parquet --dialect duckdb --json`;

const SUBMIT_EXAMPLES = `
Examples:
  featurestack spark-submit snapshot --view taxi_trips_hourly --master spark://spark-master:7077
      prints the spark-submit command (the window ends when the job runs: --param end=now)
  featurestack spark-submit snapshot --view taxi_trips_hourly --master spark://spark-master:7077 --run
  featurestack spark-submit training --feature-service taxi_weather --master spark://spark-master:7077 \\
      --entities hdfs://namenode:8020/ml/rides --output hdfs://namenode:8020/ml/training/rides --run

The SQL is written to --sql-dir and run by the generic driver (run_sql.py) in client
deploy mode; with --run, the exit code is spark-submit's.`;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new FeatureStoreError('REQUEST_INVALID', `--namenode-port ${value} is not a port number`, 'give the namenode RPC port, e.g. 8020');
  }
  return n;
}

function withCommonOptions(cmd: Command): Command {
  return withManifestOptions(cmd)
    .option('--namenode-port <port>', 'HDFS namenode RPC port used in hdfs:// URLs (the registry only has WebHDFS)', port, DEFAULT_NAMENODE_PORT)
    .option('--json', 'print JSON for machines instead of text');
}

function withSnapshotOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--view <name>', 'the feature view to snapshot, e.g. driver_hourly_stats')
    .option('--start <time>', 'window start, ISO 8601, inclusive (default: end minus the view TTL; 52 weeks for TTL 0)')
    .option('--end <time>', 'window end, ISO 8601, inclusive (default: the ${end} parameter, set when the job runs)')
    .option('--output <url>', 'where the snapshot Parquet goes (default: featurestack/snapshots/<view> in the view\'s lake)');
}

function withTrainingOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--entities <url>', 'Parquet file or folder of entity rows, e.g. hdfs://namenode:8020/ml/rides.parquet')
    .requiredOption('--output <url>', 'where the training set Parquet goes')
    .option('--features <refs...>', 'feature references, e.g. driver_hourly_stats:conv_rate weather:avg_temp')
    .option('--feature-service <name>', 'a feature service instead of --features')
    .option('--entity-timestamp-column <name>', "the entity rows' time column (default: read from a local file, else event_timestamp)")
    .option('--full-feature-names', 'name output columns view__feature')
    .option('--filter-by-created-timestamp', 'ignore feature rows created after the entity row');
}

async function manifestFor(opts: ManifestOptions): Promise<Manifest> {
  const { loadManifest } = require('../../manifest/load') as typeof import('../../manifest/load');
  return loadManifest(resolveManifestPath(opts));
}

function urlOptions(opts: CommonOptions): LakeUrlOptions {
  return { namenodePort: opts.namenodePort, env: process.env };
}

/** The SQL text of a job, loaded when one is printed or run (it pulls in Arrow for timestamps). */
const script = () => require('../../spark/sql-script') as typeof import('../../spark/sql-script');

/** The SQL generators, loaded when a job is built (they pull in the whole manifest layer). */
const jobs = () => require('../../spark/jobs') as typeof import('../../spark/jobs');

type JobBuilder<T> = (manifest: Manifest, job: T, dialect: SqlDialect, urls: LakeUrlOptions) => Job | Promise<Job>;

const JOBS: { name: 'snapshot' | 'training'; description: string; options: (c: Command) => Command; build: JobBuilder<never> }[] = [
  {
    name: 'snapshot',
    description: 'the latest row per entity of one feature view in a time window, for materialization',
    options: withSnapshotOptions,
    build: (...args) => jobs().snapshotJob(...(args as Parameters<typeof import('../../spark/jobs').snapshotJob>)),
  },
  {
    name: 'training',
    description: 'the point-in-time join of entity rows with features: a training set',
    options: withTrainingOptions,
    build: (...args) => jobs().trainingJob(...(args as Parameters<typeof import('../../spark/jobs').trainingJob>)),
  },
];

export function register(program: Command): void {
  const spark = program
    .command('spark')
    .description('Spark SQL generated from the registry, for Databricks and Spark Standalone')
    .addHelpText('after', () => SQL_EXAMPLES + EXIT_CODES_HELP);
  const sql = spark.command('sql').description('print (or write with --out) the SQL of a job').addHelpText('after', () => SQL_EXAMPLES + EXIT_CODES_HELP);
  const submit = program
    .command('spark-submit')
    .description('print (or run, with --run) the spark-submit command of a job for a Spark Standalone master')
    .addHelpText('after', () => SUBMIT_EXAMPLES + EXIT_CODES_HELP);

  for (const job of JOBS) {
    job
      .options(withCommonOptions(sql.command(job.name).description(`SQL for ${job.description}`)))
      .addOption(new Option('--dialect <dialect>', 'SQL dialect').choices(DIALECT_NAMES).default('spark'))
      .option('--out <file>', 'write the SQL to this file instead of printing it')
      .addHelpText('after', () => SQL_EXAMPLES + EXIT_CODES_HELP)
      .action(async (opts: SqlOptions & (SnapshotCli | TrainingCli)) => {
        const built = await job.build(await manifestFor(opts), opts as never, dialectByName(opts.dialect), urlOptions(opts));
        await printSql(built, opts);
      });

    job
      .options(withCommonOptions(submit.command(job.name).description(`spark-submit for ${job.description}`)))
      .option('--master <url>', 'the Standalone master (default: $SPARK_MASTER_URL), e.g. spark://spark-master:7077')
      .option('--run', 'run the command instead of printing it')
      .option('--param <name=value>', 'a driver parameter; repeat for several (e.g. --param end=2024-05-01T00:00:00Z)', collect, [])
      .option('--conf <key=value>', 'an extra Spark setting; repeat for several', collect, [])
      .option('--sql-dir <dir>', 'where the generated SQL file is written', '.featurestack/spark')
      .option('--spark-submit <program>', 'the spark-submit program (default: $SPARK_HOME/bin/spark-submit, else spark-submit on PATH)')
      .addHelpText('after', () => SUBMIT_EXAMPLES + EXIT_CODES_HELP)
      .action(async (opts: SubmitOptions & (SnapshotCli | TrainingCli)) => {
        const manifest = await manifestFor(opts);
        const built = await job.build(manifest, opts as never, SPARK, urlOptions(opts));
        await submitJob(built, opts, manifest);
      });
  }
}

async function printSql(job: Job, opts: SqlOptions): Promise<void> {
  const text = script().renderScript(job.script);
  if (opts.out) await writeFile(opts.out, text);
  if (opts.json) {
    const out = { job: job.name, dialect: job.script.dialect, parameters: job.script.parameters, file: opts.out ?? null, sql: text };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else if (opts.out) {
    process.stdout.write(`wrote ${opts.out}${job.script.parameters.length > 0 ? ` (parameters: ${job.script.parameters.join(', ')})` : ''}\n`);
  } else {
    process.stdout.write(text);
  }
}

function keyValues(pairs: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new FeatureStoreError('REQUEST_INVALID', `${flag} ${pair} is not name=value`, `write it as ${flag} name=value`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

async function submitJob(job: Job, opts: SubmitOptions, manifest: Manifest): Promise<void> {
  const master = opts.master ?? process.env.SPARK_MASTER_URL;
  if (!master) {
    throw new FeatureStoreError('REQUEST_INVALID', 'no Spark master given', 'pass --master spark://<host>:7077 or set SPARK_MASTER_URL');
  }
  const parameters = { ...job.defaultParameters, ...keyValues(opts.param, '--param') };
  const missing = job.script.parameters.filter((p) => !(p in parameters));
  if (missing.length > 0) {
    throw new FeatureStoreError('REQUEST_INVALID', `the SQL needs a value for ${missing.join(', ')}`, missing.map((m) => `--param ${m}=...`).join(' '));
  }
  const sqlFile = path.resolve(opts.sqlDir, `${job.name}.sql`);
  await mkdir(path.dirname(sqlFile), { recursive: true });
  await writeFile(sqlFile, script().renderScript(job.script));
  // The registry's HDFS security (Kerberos or a handed-in token) reaches the job as the runtime uses it.
  const { sparkHdfsSecurity } = require('../../spark/hdfs-security') as typeof import('../../spark/hdfs-security');
  const security = await sparkHdfsSecurity(manifest, process.env);
  const argv = sparkSubmitArgv({
    master,
    name: `featurestack-${job.name}`,
    sqlFile,
    parameters,
    conf: { ...security.conf, ...keyValues(opts.conf, '--conf') },
    options: security.options,
    program: opts.sparkSubmit,
  });
  if (!opts.run) {
    const assignments = Object.entries(security.env).map(([k, v]) => shellCommand([`${k}=${v}`]));
    const command = [...assignments, shellCommand(argv)].join(' ');
    process.stdout.write(opts.json ? JSON.stringify({ job: job.name, sqlFile, argv, env: security.env, command }, null, 2) + '\n' : command + '\n');
    return;
  }
  const code = await run(argv, security.env);
  if (code !== 0) {
    process.stderr.write(`error: spark-submit exited with code ${code}\n`);
    process.exitCode = code;
  }
}

function run(argv: readonly string[], env: Readonly<Record<string, string>>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'ENOENT'
          ? new FeatureStoreError('REQUEST_INVALID', `${argv[0]} not found`, 'install Spark and set SPARK_HOME, or pass --spark-submit <path>')
          : e,
      ),
    );
    child.on('close', (code) => resolve(code ?? 1));
  });
}
