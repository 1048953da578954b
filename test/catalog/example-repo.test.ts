import { Testing } from 'cdktf';
import { ProdStack, prodSettingsFrom } from '../../hybrid-stack/prod-stack';
import { parseManifest } from '../../runtime/manifest/validate';
import { synthFiles } from '../definitions/helpers';
import { catalogCli, featurestack, writeManifest } from './run-cli';

// The example repository (features/) as the production stack synthesizes it: HDFS, ADLS and local files.
const registry = synthFiles(new ProdStack(Testing.app(), 'prod', prodSettingsFrom({}))).get('featurestack/registry.json')!;
const manifest = writeManifest(parseManifest(JSON.parse(registry), 'prod registry'));
const NOW = new Date('2024-05-01T15:00:00Z');
const watermarks = async () => ({ taxi_trips_hourly: Date.parse('2024-05-01T14:00:00Z') * 1000 });

/** A table's rows as cells, split on the two-space column gaps. */
const cells = (table: string) => table.trimEnd().split('\n').map((line) => line.split(/ {2,}/));

test('list feature-views shows every view of the example with its lake', async () => {
  const run = await featurestack('list', 'feature-views', '--manifest', manifest);
  expect(cells(run.stdout).map(([name, entities, , ttl, online, lake]) => [name, entities, ttl, online, lake])).toEqual([
    ['NAME', 'ENTITIES', 'TTL', 'ONLINE', 'LAKE'],
    ['doc_chunks', 'doc_chunk', 'no limit', 'yes', 'files (local)'],
    ['driver_hourly_stats', 'driver', '1 d', 'yes', 'files (local)'],
    ['driver_hourly_stats_fresh', 'driver', '1 d', 'yes', 'files (local)'],
    ['station_reads_hourly', '-', '2 h', 'yes', 'adls (ADLS Gen2)'],
    ['taxi_trips_hourly', 'taxi', '1 d', 'yes', 'hdfs (HDFS)'],
    ['taxi_trips_recent', 'taxi', '1 d', 'yes', 'hdfs (HDFS)'],
  ]);
});

test('list filters the example by tag and by owner', async () => {
  expect((await featurestack('list', 'feature-services', '--tag', 'domain=weather', '--manifest', manifest)).stdout).toBe('no feature services match\n');
  const byOwner = await featurestack('list', 'feature-views', '--owner', 'climate-data@example.com', '--json', '--manifest', manifest);
  expect(JSON.parse(byOwner.stdout).map((v: { name: string }) => v.name)).toEqual(['station_reads_hourly']);
});

test('describe points at the data in each lake, with freshness', async () => {
  const taxi = await catalogCli(watermarks, NOW, 'describe', 'taxi_trips_hourly', '--manifest', manifest);
  expect(taxi.stdout.split('\n')).toEqual(
    expect.arrayContaining([
      '  freshness      materialized up to 2024-05-01T14:00:00Z (1 h ago)',
      '  source         taxi_trips_hourly_source (HdfsSource)',
      '  location       hdfs://namenode.hadoop.internal/warehouse/chicago/taxi_trips_hourly (parquet)',
      '  used by        taxi_fare_quote, taxi_weather',
    ]),
  );
  const weather = await catalogCli(watermarks, NOW, 'describe', 'station_reads_hourly', '--manifest', manifest);
  expect(weather.stdout.split('\n')).toEqual(
    expect.arrayContaining([
      '  freshness      never materialized',
      '  location       abfss://weather@featurestackprodlake.dfs.core.windows.net/station_reads_hourly (parquet)',
    ]),
  );
});

test('describe without a reachable online store still answers, saying why freshness is unknown', async () => {
  const password = process.env.FEATURESTACK_REDIS_PASSWORD;
  delete process.env.FEATURESTACK_REDIS_PASSWORD;
  const run = await featurestack('describe', 'taxi_trips_hourly', '--manifest', manifest).finally(() => {
    if (password !== undefined) process.env.FEATURESTACK_REDIS_PASSWORD = password;
  });
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/\n {2}freshness {6}unknown: .*FEATURESTACK_REDIS_PASSWORD.*\n/);
});
