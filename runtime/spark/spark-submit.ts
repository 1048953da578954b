import * as path from 'node:path';

/** The generic driver shipped with the runtime (also uploaded to Databricks). */
export const DRIVER_PATH = path.join(__dirname, 'driver', 'run_sql.py');

export interface SparkSubmitSpec {
  /** The Standalone master, e.g. `spark://spark-master:7077`. */
  readonly master: string;
  /** Application name shown in the Spark UI. */
  readonly name: string;
  /** The SQL file the driver runs. */
  readonly sqlFile: string;
  /** `${name}` values for the driver. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Extra `--conf key=value` pairs. @default {} */
  readonly conf?: Readonly<Record<string, string>>;
  /** More spark-submit options before the driver, e.g. `--principal p --keytab k`. @default [] */
  readonly options?: readonly string[];
  /** The spark-submit program. @default `$SPARK_HOME/bin/spark-submit`, else `spark-submit` */
  readonly program?: string;
  /** @default DRIVER_PATH */
  readonly driver?: string;
}

/**
 * The spark-submit command line. Client deploy mode, because Spark Standalone does
 * not run Python applications in cluster mode; the SQL reads and writes hdfs:// paths.
 */
export function sparkSubmitArgv(spec: SparkSubmitSpec, env: NodeJS.ProcessEnv = process.env): string[] {
  const program = spec.program ?? (env.SPARK_HOME ? path.join(env.SPARK_HOME, 'bin', 'spark-submit') : 'spark-submit');
  const conf = { 'spark.sql.session.timeZone': 'UTC', ...spec.conf };
  return [
    program,
    '--master',
    spec.master,
    '--deploy-mode',
    'client',
    '--name',
    spec.name,
    ...Object.entries(conf).flatMap(([k, v]) => ['--conf', `${k}=${v}`]),
    ...(spec.options ?? []),
    spec.driver ?? DRIVER_PATH,
    spec.sqlFile,
    ...Object.entries(spec.parameters).flatMap(([k, v]) => ['--param', `${k}=${v}`]),
  ];
}

/** A command line a POSIX shell runs as is. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
