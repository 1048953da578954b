import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatTimestamp } from '../../runtime/arrow/timestamps';
import { DUCKDB } from '../../runtime/spark/dialect';
import { loadSnapshot, remoteLocation } from '../../runtime/spark/snapshot-load';
import { snapshotSql } from '../../runtime/spark/snapshot-sql';
import { exampleManifest } from '../support/example-manifest';
import { runScript } from './support/duckdb';
import { useRandomLake } from './support/lake-fixture';
import { T0 } from './support/random-lake';
import { snapshot } from './support/reference';
import { featurestack, writeManifest } from '../catalog/run-cli';

const HOUR = 3_600_000_000;
const fx = useRandomLake(99);

/** Writes the view's snapshot the way Spark lays it out: a folder of part files and _SUCCESS. */
async function sparkStyleSnapshot(view: string, start: number, end: number): Promise<string> {
  const folder = join(fx.dir, 'snapshots', `${view}-${start}`, view);
  await mkdir(folder, { recursive: true });
  const file = join(fx.dir, `${view}-${start}.parquet`);
  await runScript(fx.duck, snapshotSql(fx.lake.manifest, { featureView: view, start: { micros: start }, end: { micros: end }, outputUrl: file }, DUCKDB));
  await copyFile(file, join(folder, 'part-00000-1b2c.snappy.parquet'));
  await writeFile(join(folder, '_SUCCESS'), '');
  return folder;
}

describe('materialize --from-snapshot', () => {
  test('loads the latest row per entity key online, composite keys and mapped fields included', async () => {
    const [start, end] = [T0, T0 + 10 * HOUR];
    const folder = await sparkStyleSnapshot('driver_customer', start, end);
    const want = snapshot(fx.lake.rows.driver_customer, start, end);
    const result = await loadSnapshot(fx.store.context, { path: folder });
    expect(result).toEqual({ featureView: 'driver_customer', rows: want.size, written: want.size });

    const keys = [...want.values()].map((r) => r.keys);
    const response = await fx.store.getOnlineFeatures({
      features: ['driver_customer:score'],
      entities: { driver_id: keys.map((k) => k[0]), customer_id: keys.map((k) => k[1]) },
    });
    const score = response.results[response.metadata.feature_names.indexOf('score')];
    expect(score.values).toEqual([...want.values()].map((r) => r.features.score));
    expect(score.event_timestamps).toEqual([...want.values()].map((r) => formatTimestamp(r.ts!).replace('.000Z', 'Z')));
  });

  test('an older snapshot never replaces newer values', async () => {
    const newer = await sparkStyleSnapshot('driver_stats', T0 + 10 * HOUR, T0 + 20 * HOUR);
    const older = await sparkStyleSnapshot('driver_stats', T0, T0 + 5 * HOUR);
    const newerKeys = snapshot(fx.lake.rows.driver_stats, T0 + 10 * HOUR, T0 + 20 * HOUR);
    const olderKeys = snapshot(fx.lake.rows.driver_stats, T0, T0 + 5 * HOUR);
    expect(await loadSnapshot(fx.store.context, { path: newer })).toEqual({ featureView: 'driver_stats', rows: newerKeys.size, written: newerKeys.size });
    const again = await loadSnapshot(fx.store.context, { path: older, featureView: 'driver_stats' });
    const onlyOlder = [...olderKeys.keys()].filter((k) => !newerKeys.has(k));
    expect(onlyOlder.length).toBeLessThan(olderKeys.size);
    expect(again).toEqual({ featureView: 'driver_stats', rows: olderKeys.size, written: onlyOlder.length });
  });

  test('a snapshot without the view\'s columns is refused before anything is written', async () => {
    const file = join(fx.dir, 'wrong.parquet');
    await runScript(fx.duck, snapshotSql(fx.lake.manifest, { featureView: 'weather', start: { micros: T0 }, end: { micros: T0 + 5 * HOUR }, outputUrl: file }, DUCKDB));
    await expect(loadSnapshot(fx.store.context, { path: file, featureView: 'driver_stats' })).rejects.toThrow(/driver_id|conv_rate/);
    await expect(loadSnapshot(fx.store.context, { path: file })).rejects.toThrow(/unknown feature view "wrong"/);
  });

  test('the CLI loads a snapshot with `materialize --from-snapshot`, and refuses a window beside it', async () => {
    const folder = await sparkStyleSnapshot('weather', T0, T0 + 10 * HOUR);
    const manifest = writeManifest(fx.lake.manifest);
    const run = await featurestack('materialize', '--from-snapshot', folder, '--manifest', manifest, '--json');
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ featureView: 'weather', rows: 1, written: 1 });

    const both = await featurestack('materialize', '2024-01-01', '2024-01-02', '--from-snapshot', folder, '--manifest', manifest);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('give either <start> <end> or --from-snapshot, not both');
    const neither = await featurestack('materialize', '--manifest', manifest);
    expect(neither.code).toBe(1);
    expect(neither.stderr).toContain('materialize needs <start> and <end>');
  });

  test('hdfs:// and abfss:// snapshot URLs map onto the registry\'s lakes', () => {
    const m = exampleManifest();
    const withLakes = {
      ...m,
      lakes: [
        ...m.lakes,
        { kind: 'hdfs' as const, name: 'onprem', webhdfsUrl: 'http://nn.corp:9870/webhdfs/v1', user: 'etl', hash: '0'.repeat(16) },
        { kind: 'adls' as const, name: 'cloud', accountName: 'fsdata', dfsEndpoint: 'https://fsdata.dfs.core.windows.net', auth: { kind: 'defaultAzureCredential' as const }, hash: '0'.repeat(16) },
      ],
    };
    expect(remoteLocation(withLakes, 'hdfs://nn.corp:8020/featurestack/snapshots/v')).toEqual({ lake: 'onprem', location: { filesystem: null, path: '/featurestack/snapshots/v' } });
    expect(remoteLocation(withLakes, 'abfss://features@fsdata.dfs.core.windows.net/featurestack/snapshots/v')).toEqual({ lake: 'cloud', location: { filesystem: 'features', path: 'featurestack/snapshots/v' } });
    expect(() => remoteLocation(withLakes, 'abfss://f@other.dfs.core.windows.net/x')).toThrow(/the registry has no ADLS lake on account other/);
    expect(() => remoteLocation(withLakes, 's3://bucket/x')).toThrow(/cannot read a snapshot from s3:\/\/bucket\/x/);
    expect(remoteLocation(withLakes, '/tmp/x')).toBeNull();
  });
});
