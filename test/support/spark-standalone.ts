/**
 * A real Spark Standalone cluster for tests: a master and one worker (2 cores, 1 GB)
 * started with the pinned pyspark's `spark-class` on loopback and free ports. One per
 * test file, started in beforeAll. `env` is what `featurestack spark-submit --run`
 * needs to reach it: SPARK_HOME in the venv's pyspark, PYSPARK_PYTHON the venv python,
 * and a conf folder that keeps Spark's log to warnings.
 *
 * The venv comes from `ensureVenv('spark')` (jest's globalSetup).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort } from './free-port';
import { ensureVenv } from './python-env';

export interface SparkStandalone {
  /** e.g. `spark://127.0.0.1:40123` */
  readonly masterUrl: string;
  /** The environment spark-submit runs with (the process's own, plus Spark's). */
  readonly env: NodeJS.ProcessEnv;
  readonly sparkHome: string;
  readonly sparkVersion: string;
  /**
   * A spark-submit for `featurestack spark-submit --spark-submit <this>`: Spark's own,
   * run with `env` (a test cannot hand the CLI an environment: jest gives each test
   * file its own copy of process.env, which child processes never see), its output
   * appended to `log` instead of the test's stderr.
   */
  readonly sparkSubmit: string;
  /** Where `sparkSubmit` writes what spark-submit prints. */
  readonly log: string;
  /** The end of `log`, for a failure message. */
  logTail(chars?: number): Promise<string>;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 120_000;
export const WORKER_CORES = 2;

/** Spark's log settings for the tests and the bench: warnings and errors, on stderr. */
export const LOG4J2 = `rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
`;

/**
 * Short-lived JVMs on small data: the C1 compiler only and the serial collector
 * halve a job's CPU time (C2 compiles code these jobs leave before it pays off).
 */
const SHORT_JVM = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/**
 * Small-data settings for every application on the cluster: few shuffle partitions
 * (the default 200 dominates a job over a few thousand rows), no UI, small heaps.
 */
const SPARK_DEFAULTS = `spark.sql.shuffle.partitions 4
spark.ui.enabled false
spark.driver.memory 512m
spark.executor.memory 512m
spark.executor.cores ${WORKER_CORES}
spark.driver.extraJavaOptions ${SHORT_JVM}
spark.executor.extraJavaOptions ${SHORT_JVM}
`;

/** Spark 4 needs Java 17 or later: say so instead of a daemon's stack trace. */
function requireJava(): void {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const r = spawnSync(java, ['-version'], { encoding: 'utf8' });
  const version = /version "(\d+)/.exec(`${r.stderr ?? ''}${r.stdout ?? ''}`)?.[1];
  if (r.error || r.status !== 0 || version === undefined || Number(version) < 17) {
    throw new Error(
      `Spark Standalone for the tests needs Java 17 or later (${java}: ${r.error ? r.error.message : (version ? `version ${version}` : 'no version')}); ` +
        'install it (sudo apt-get install openjdk-17-jre-headless) or set JAVA_HOME',
    );
  }
}

/** The pyspark folder of the venv, which the pip package lays out as a SPARK_HOME. */
function pysparkHome(python: string): { home: string; version: string } {
  const out = execFileSync(python, ['-c', 'import pyspark, os; print(os.path.dirname(pyspark.__file__)); print(pyspark.__version__)'], { encoding: 'utf8' });
  const [home, version] = out.trim().split('\n');
  return { home, version };
}

export async function startSparkStandalone(): Promise<SparkStandalone> {
  requireJava();
  const python = ensureVenv('spark');
  const { home, version } = pysparkHome(python);
  const baseDir = await mkdtemp(path.join(tmpdir(), 'featurestack-spark-'));
  await writeFile(path.join(baseDir, 'log4j2.properties'), LOG4J2);
  await writeFile(path.join(baseDir, 'spark-defaults.conf'), SPARK_DEFAULTS);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SPARK_HOME: home,
    PYSPARK_PYTHON: python,
    PYSPARK_DRIVER_PYTHON: python,
    SPARK_CONF_DIR: baseDir,
    SPARK_LOCAL_IP: '127.0.0.1',
    SPARK_LOCAL_DIRS: path.join(baseDir, 'local'),
    SPARK_DAEMON_MEMORY: '256m',
    SPARK_DAEMON_JAVA_OPTS: SHORT_JVM,
  };
  const sparkSubmit = path.join(baseDir, 'spark-submit');
  const log = path.join(baseDir, 'spark-submit.log');
  const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  const exported = ['SPARK_HOME', 'PYSPARK_PYTHON', 'PYSPARK_DRIVER_PYTHON', 'SPARK_CONF_DIR', 'SPARK_LOCAL_IP', 'SPARK_LOCAL_DIRS'];
  await writeFile(
    sparkSubmit,
    ['#!/bin/sh', ...exported.map((k) => `export ${k}=${quote(env[k]!)}`), `exec ${quote(path.join(home, 'bin', 'spark-submit'))} "$@" >>${quote(log)} 2>&1`, ''].join('\n'),
  );
  await chmod(sparkSubmit, 0o755);
  const logTail = async (chars = 6000) => (await readFile(log, 'utf8').catch(() => '')).slice(-chars);
  const [port, uiPort, workerUiPort] = [await freePort(), await freePort(), await freePort()];
  const masterUrl = `spark://127.0.0.1:${port}`;
  const sparkClass = path.join(home, 'bin', 'spark-class');
  const daemons: ChildProcess[] = [];
  const logs: string[] = [];
  const launch = (name: string, args: string[]) => {
    // A shell holds the daemon and stops it when its stdin closes: at stop(), or when
    // this process dies, so a crashed or killed jest worker leaves no JVM behind. Its
    // own process group, so that a last SIGKILL reaches the JVM and its executors.
    const child = spawn('sh', ['-c', STOP_WITH_STDIN, sparkClass, ...args], { env, detached: true, stdio: ['pipe', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => {
      logs.push(`${name}: ${d.toString()}`);
      if (logs.length > 200) logs.splice(0, logs.length - 100);
    });
    daemons.push(child);
  };
  const stop = async () => {
    await Promise.all(daemons.map((d) => stopDaemon(d)));
    await rm(baseDir, { recursive: true, force: true });
  };
  try {
    launch('master', ['org.apache.spark.deploy.master.Master', '--host', '127.0.0.1', '--port', String(port), '--webui-port', String(uiPort)]);
    launch('worker', [
      'org.apache.spark.deploy.worker.Worker', masterUrl,
      '--host', '127.0.0.1', '--webui-port', String(workerUiPort),
      '--cores', String(WORKER_CORES), '--memory', '1g', '--work-dir', path.join(baseDir, 'work'),
    ]);
    await untilWorkerAlive(uiPort, daemons, logs);
  } catch (e) {
    await stop();
    throw e;
  }
  return { masterUrl, env, sparkHome: home, sparkVersion: version, sparkSubmit, log, logTail, stop };
}

/** The master's JSON status page lists the worker once it has registered. */
async function untilWorkerAlive(uiPort: number, daemons: readonly ChildProcess[], logs: readonly string[]): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const dead = daemons.find((d) => d.exitCode !== null);
    if (dead) throw new Error(`a Spark daemon exited with code ${dead.exitCode}; its log ends:\n${logs.join('').slice(-4000)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${uiPort}/json/`);
      const status = (await res.json()) as { workers?: { state: string }[] };
      if (status.workers?.some((w) => w.state === 'ALIVE')) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Spark Standalone did not start within ${STARTUP_TIMEOUT_MS / 1000} s; its log ends:\n${logs.join('').slice(-4000)}`);
}

/** `sh -c` script: runs "$0" "$@" in the background until stdin closes, then stops it. */
const STOP_WITH_STDIN = '"$0" "$@" </dev/null & pid=$!; cat >/dev/null; kill $pid 2>/dev/null; wait $pid';

function stopDaemon(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 15_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.stdin!.end();
  });
}
