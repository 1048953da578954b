/**
 * Spark 4 cannot read nanosecond Parquet timestamps (PARQUET_TYPE_ILLEGAL, found by
 * running the jobs on a real Spark), and pandas writes naive datetimes that way: the
 * Spark SQL of a training job refuses such a local entity file up front, with the fix.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { featurestack } from '../catalog/run-cli';
import { exampleManifest } from '../support/example-manifest';
import { openDuckDb } from './support/duckdb';

let dir: string;
let registry: string;
let nanos: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-spark-entities-'));
  registry = join(dir, 'registry.json');
  await writeFile(registry, JSON.stringify(exampleManifest()));
  nanos = join(dir, 'rides-ns.parquet');
  const duck = await openDuckDb();
  await duck.run(`COPY (SELECT 1001::BIGINT AS driver_id, TIMESTAMP_NS '2024-05-01 00:00:00.123456789' AS event_timestamp) TO '${nanos}' (FORMAT parquet)`);
  duck.closeSync();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const training = (...args: string[]) =>
  featurestack('spark', 'sql', 'training', '--manifest', registry, '--entities', nanos, '--output', join(dir, 'out'), '--features', 'driver_hourly_stats:conv_rate', ...args);

describe('spark sql training: entity rows Spark cannot read', () => {
  test('a nanosecond timestamp column is refused for Spark, naming the column and the fix', async () => {
    const r = await training();
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: ${nanos}: "event_timestamp" is a nanosecond timestamp, which Spark cannot read\n` +
        "hint: write the entity rows with microsecond timestamps (pandas: df.to_parquet(path, coerce_timestamps='us', allow_truncated_timestamps=True))\n",
    );
    // Also when the time column is named on the command line.
    expect((await training('--entity-timestamp-column', 'event_timestamp')).code).toBe(1);
  });

  test('DuckDB reads nanoseconds: its SQL is written as before', async () => {
    const r = await training('--dialect', 'duckdb');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('make_timestamp(epoch_us(e."event_timestamp")) AS __fs_entity_ts');
  });
});
