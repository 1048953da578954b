import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { featurestack } from '../catalog/run-cli';
import { DRIVER_PATH } from '../../runtime/spark/spark-submit';
import { exampleManifest } from '../support/example-manifest';
import { openDuckDb, writeParquet } from './support/duckdb';

let dir: string;
let registry: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-spark-cli-'));
  registry = join(dir, 'registry.json');
  await writeFile(registry, JSON.stringify(exampleManifest()));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('featurestack spark sql', () => {
  test('prints the snapshot SQL, with its parameter, in the chosen dialect', async () => {
    const r = await featurestack('spark', 'sql', 'snapshot', '--view', 'driver_hourly_stats', '--manifest', registry, '--dialect', 'duckdb', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ job: 'snapshot-driver_hourly_stats', dialect: 'duckdb', parameters: ['end'], file: null });
    expect(out.sql).toContain(">= CAST(CAST('${end}' AS TIMESTAMPTZ) AS TIMESTAMP) - INTERVAL 86400 SECOND");
  });

  test('writes the training SQL to --out, with fixed windows when --start/--end are given', async () => {
    const file = join(dir, 'training.sql');
    const r = await featurestack('spark', 'sql', 'training', '--manifest', registry, '--entities', 'hdfs://nn:8020/rides', '--output', 'hdfs://nn:8020/out', '--feature-service', 'driver_activity', '--full-feature-names', '--out', file);
    expect(r).toMatchObject({ code: 0, stdout: `wrote ${file}\n` });
    const sql = await readFile(file, 'utf8');
    expect(sql).toContain('AS `wx__avg_temp`');
    expect(sql).toContain("CAST(e.`event_timestamp` AS TIMESTAMP)");
    const fixed = await featurestack('spark', 'sql', 'snapshot', '--view', 'weather', '--manifest', registry, '--start', '2024-05-01', '--end', '2024-05-02T00:00:00+02:00');
    expect(fixed.stdout).toContain("CAST('2024-05-01T00:00:00.000Z' AS TIMESTAMP)");
    expect(fixed.stdout).toContain("CAST('2024-05-01T22:00:00.000Z' AS TIMESTAMP)");
    expect(fixed.stdout).not.toContain('Parameters:');
  });

  test("a local entity file's only timestamp column is the entity time, as in getHistoricalFeatures", async () => {
    const duck = await openDuckDb();
    const entities = join(dir, 'rides.parquet');
    await writeParquet(duck, entities, [{ name: 'driver_id', type: 'BIGINT' }, { name: 'ride_time', type: 'TIMESTAMP' }], [[1, '2024-05-01 00:00:00']]);
    duck.closeSync();
    const r = await featurestack('spark', 'sql', 'training', '--manifest', registry, '--entities', entities, '--output', join(dir, 'o.parquet'), '--features', 'driver_hourly_stats:conv_rate', '--dialect', 'duckdb');
    expect(r.stdout).toContain('make_timestamp(epoch_us(e."ride_time")) AS __fs_entity_ts');
  });

  test('bad input names the problem and the fix', async () => {
    const r = await featurestack('spark', 'sql', 'snapshot', '--view', 'nope', '--manifest', registry);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: unknown feature view "nope"\nhint: known views: driver_hourly_stats, weather\n');
    const bad = await featurestack('spark', 'sql', 'snapshot', '--view', 'weather', '--manifest', registry, '--end', 'yesterday');
    expect(bad.stderr).toContain('--end: "yesterday" is not a timestamp');
    expect((await featurestack('spark', 'sql', 'snapshot', '--view', 'weather', '--manifest', registry, '--dialect', 'hive')).code).toBe(2);
  });

  test('--help explains the jobs with examples and the exit codes', async () => {
    const r = await featurestack('spark', 'sql', 'training', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--feature-service <name>');
    expect(r.stdout).toContain('featurestack spark sql training --entities hdfs://namenode:8020/ml/rides.parquet');
    expect(r.stdout).toContain('Exit codes:');
  });
});

describe('featurestack spark-submit', () => {
  test('prints the spark-submit command for the Standalone master with the driver and the written SQL', async () => {
    const r = await featurestack('spark-submit', 'snapshot', '--view', 'weather', '--manifest', registry, '--master', 'spark://spark-master:7077', '--sql-dir', dir, '--spark-submit', 'spark-submit', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const sqlFile = join(dir, 'snapshot-weather.sql');
    expect(out.argv).toEqual([
      'spark-submit', '--master', 'spark://spark-master:7077', '--deploy-mode', 'client', '--name', 'featurestack-snapshot-weather',
      '--conf', 'spark.sql.session.timeZone=UTC', DRIVER_PATH, sqlFile, '--param', 'end=now',
    ]);
    expect(await readFile(sqlFile, 'utf8')).toContain("SET TIME ZONE 'UTC';");
  });

  test('--run runs it and returns its exit code', async () => {
    const fake = join(dir, 'spark-submit.sh');
    const log = join(dir, 'args.txt');
    await writeFile(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > '${log}'\nexit 3\n`);
    await chmod(fake, 0o755);
    const r = await featurestack('spark-submit', 'snapshot', '--view', 'weather', '--manifest', registry, '--master', 'spark://m:7077', '--sql-dir', dir, '--spark-submit', fake, '--param', 'end=2024-05-01T00:00:00Z', '--conf', 'spark.executor.memory=4g', '--run');
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('error: spark-submit exited with code 3\n');
    const args = (await readFile(log, 'utf8')).trim().split('\n');
    expect(args).toContain('spark.executor.memory=4g');
    expect(args.slice(-2)).toEqual(['--param', 'end=2024-05-01T00:00:00Z']);
  });

  test('without a master it says how to give one', async () => {
    delete process.env.SPARK_MASTER_URL;
    const r = await featurestack('spark-submit', 'snapshot', '--view', 'weather', '--manifest', registry, '--sql-dir', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('hint: pass --master spark://<host>:7077 or set SPARK_MASTER_URL');
  });
});
