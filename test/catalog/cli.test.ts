import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeatureStore } from '../../runtime/feature-store';
import { withHash } from '../../runtime/manifest/canonical';
import type { Manifest } from '../../runtime/manifest/schema';
import { catalogManifest, NOW, WATERMARKS } from './catalog-manifest';
import { catalogCli, featurestack, writeManifest } from './run-cli';

const manifest = writeManifest(catalogManifest());
const watermarks = async () => WATERMARKS;
const describe_ = (...args: string[]) => catalogCli(watermarks, NOW, 'describe', ...args, '--manifest', manifest);

describe('featurestack list', () => {
  test('lists feature views as a table with entities, ttl, lake, owner and tags', async () => {
    const run = await featurestack('list', 'feature-views', '--manifest', manifest);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'NAME                  ENTITIES        FEATURES  TTL  ONLINE  LAKE               OWNER                     TAGS                        DESCRIPTION',
        'taxi_trips_hourly     community_area  3         1 d  yes     onprem (HDFS)      mobility@city.example     domain=mobility, tier=gold  Hourly taxi trips per Chicago community area, fro…',
        'station_reads_hourly  -               3         3 h  yes     azure (ADLS Gen2)  weather@city.example      domain=weather              Weather station reads, one row per hour for the w…',
        'driver_hourly_stats   driver          3         1 d  yes     local (local)      ml-platform@city.example  team=ml-platform            Driver activity, pushed by the dispatch service a…',
        '',
      ].join('\n'),
    );
  });

  test('lists entities with their join keys and the views keyed by them', async () => {
    const run = await featurestack('list', 'entities', '--manifest', manifest);
    expect(run.stdout).toBe(
      [
        'NAME            JOIN KEYS                    FEATURE VIEWS        OWNER                     TAGS             DESCRIPTION',
        'community_area  pickup_community_area:Int64  taxi_trips_hourly    mobility@city.example     domain=mobility  One of the 77 community areas of Chicago',
        'driver          driver_id:Int64              driver_hourly_stats  ml-platform@city.example  -                A taxi driver',
        '',
      ].join('\n'),
    );
  });

  test('lists feature services with the views they read and their feature count', async () => {
    const run = await featurestack('list', 'feature-services', '--manifest', manifest);
    expect(run.stdout.split('\n').map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([
      ['NAME', 'FEATURE VIEWS', 'FEATURES'],
      ['taxi_weather', 'taxi_trips_hourly, station_reads_hourly', '4'],
      ['driver_ranking', 'driver_hourly_stats', '2'],
      [''],
    ]);
  });

  test('features carry their type, and their view tags merged with their own', async () => {
    const run = await featurestack('list', 'features', '--tag', 'domain=mobility', '--json', '--manifest', manifest);
    const features = JSON.parse(run.stdout);
    expect(features.map((f: { name: string; dtype: string }) => [f.name, f.dtype])).toEqual([
      ['taxi_trips_hourly:trip_count', 'Int64'],
      ['taxi_trips_hourly:avg_fare', 'Float64'],
      ['taxi_trips_hourly:avg_trip_miles', 'Float32'],
    ]);
    expect(features[1]).toEqual({
      kind: 'feature',
      name: 'taxi_trips_hourly:avg_fare',
      featureView: 'taxi_trips_hourly',
      feature: 'avg_fare',
      dtype: 'Float64',
      featureServices: ['taxi_weather'],
      owner: 'mobility@city.example',
      tags: { domain: 'mobility', tier: 'gold', unit: 'usd' },
      description: 'Mean fare in USD, tips excluded',
    });
  });

  test('several --tag filters must all match; a bare key matches any value', async () => {
    const both = await featurestack('list', 'features', '--tag', 'domain=mobility', '--tag', 'unit=usd', '--json', '--manifest', manifest);
    expect(JSON.parse(both.stdout).map((f: { name: string }) => f.name)).toEqual(['taxi_trips_hourly:avg_fare']);
    const bare = await featurestack('list', 'features', '--tag', 'pii', '--json', '--manifest', manifest);
    expect(JSON.parse(bare.stdout).map((f: { name: string }) => f.name)).toEqual(['driver_hourly_stats:avg_daily_trips']);
  });

  test('--owner filters without regard to case', async () => {
    const run = await featurestack('list', 'feature-services', '--owner', 'ML-Platform@City.Example', '--json', '--manifest', manifest);
    expect(JSON.parse(run.stdout).map((s: { name: string }) => s.name)).toEqual(['driver_ranking']);
  });

  test('says so when nothing matches', async () => {
    const run = await featurestack('list', 'entities', '--owner', 'nobody', '--manifest', manifest);
    expect(run).toEqual({ code: 0, stdout: 'no entities match\n', stderr: '' });
  });

  test('an unknown kind is a usage error (exit code 2) naming the choices', async () => {
    const run = await featurestack('list', 'views', '--manifest', manifest);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error: command-argument value 'views' is invalid for argument 'kind'. Allowed choices are entities, feature-views, on-demand-views, feature-services, features.");
  });

  test('a tag filter without a key is an error with a hint', async () => {
    const run = await featurestack('list', 'features', '--tag', '=x', '--manifest', manifest);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('error: tag filter "=x" has no key\nhint: write it as key=value, e.g. --tag team=mobility, or just the key: --tag pii\n');
  });

  test('--help explains the flags with examples and the exit codes', async () => {
    const run = await featurestack('list', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--tag <key=value>');
    expect(run.stdout).toContain('featurestack list features --tag team=mobility');
    expect(run.stdout).toContain('Exit codes:');
  });
});

describe('featurestack describe', () => {
  test('a view shows its definition, source, lake location, users and freshness', async () => {
    const run = await describe_('taxi_trips_hourly');
    expect(run.stdout).toBe(`feature view taxi_trips_hourly
  Hourly taxi trips per Chicago community area, from the city open data portal

  owner          mobility@city.example
  tags           domain=mobility, tier=gold
  entities       community_area
  join keys      pickup_community_area (Int64)
  ttl            1 d
  online         yes
  offline        yes
  freshness      materialized up to 2024-05-01T12:00:00Z (3 h ago)
  source         taxi_trips_source (HdfsSource)
  lake           onprem (HDFS) http://namenode.corp.example:9870/webhdfs/v1 as featurestack
  location       hdfs://namenode.corp.example/data/chicago/taxi_trips_hourly (parquet)
  timestamp      trip_hour, created loaded_at
  field mapping  -
  used by        taxi_weather
  hash           ${catalogManifest().featureViews[0].hash}

features (3)
  NAME            TYPE     DESCRIPTION                                     TAGS
  trip_count      Int64    Trips that started in the area during the hour  -
  avg_fare        Float64  Mean fare in USD, tips excluded                 unit=usd
  avg_trip_miles  Float32  Mean trip length in miles                       -
`);
  });

  test('an entity-less view on ADLS that was never materialized', async () => {
    const run = await describe_('station_reads_hourly');
    const lines = run.stdout.split('\n');
    expect(lines).toContain('  entities       - (entity-less: joined on time only)');
    expect(lines).toContain('  freshness      never materialized');
    expect(lines).toContain('  lake           azure (ADLS Gen2) https://citylake.dfs.core.windows.net (DefaultAzureCredential)');
    expect(lines).toContain('  location       abfss://weather@citylake.dfs.core.windows.net/stations/reads_hourly (parquet)');
    expect(lines).toContain('  field mapping  temp=temperature_c');
  });

  test('a view fed by a push source, materialized longer ago than its ttl', async () => {
    const lines = (await describe_('driver_hourly_stats')).stdout.split('\n');
    expect(lines).toContain('  freshness      materialized up to 2024-04-29T15:00:00Z (2 d ago), older than its ttl');
    expect(lines).toContain('  source         driver_stats_push (push, history in driver_stats_source)');
    // The local lake's relative root resolves against the registry's folder (issue 15).
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}location {7}\/.*\/data\/lake\/driver_stats\.parquet \(parquet\)$/));
  });

  test('a service lists each projection with its alias, freshness and features', async () => {
    const run = await describe_('taxi_weather');
    expect(run.stdout).toContain(`
station_reads_hourly as weather (never materialized)
  NAME              TYPE     DESCRIPTION                    TAGS
  temperature_c     Float64  Air temperature at O'Hare, °C  -
  precipitation_mm  Float64  Rain and snow in the hour, mm  -
`);
    const json = JSON.parse((await describe_('taxi_weather', '--json')).stdout);
    expect(json.projections.map((p: { featureView: string; alias: string | null; freshness: { state: string } }) => [p.featureView, p.alias, p.freshness.state])).toEqual([
      ['taxi_trips_hourly', null, 'materialized'],
      ['station_reads_hourly', 'weather', 'never'],
    ]);
  });

  test('an entity shows its join keys, the views keyed by it and the services using them', async () => {
    const run = await describe_('driver');
    expect(run.stdout).toBe(`entity driver
  A taxi driver

  owner          ml-platform@city.example
  tags           -
  join keys      driver_id (Int64)
  feature views  driver_hourly_stats
  used by        driver_ranking
  hash           ${catalogManifest().entities[1].hash}
`);
  });

  test('view:feature describes one feature, in JSON with its freshness', async () => {
    const run = await describe_('taxi_trips_hourly:avg_fare', '--json');
    expect(JSON.parse(run.stdout)).toEqual({
      kind: 'feature',
      name: 'taxi_trips_hourly:avg_fare',
      featureView: 'taxi_trips_hourly',
      feature: 'avg_fare',
      dtype: 'Float64',
      description: 'Mean fare in USD, tips excluded',
      owner: 'mobility@city.example',
      tags: { unit: 'usd' },
      joinKeys: [{ name: 'pickup_community_area', valueType: 'Int64' }],
      ttlSeconds: 86400,
      freshness: { state: 'materialized', materializedUpTo: '2024-05-01T12:00:00Z', ageSeconds: 10800, outsideTtl: false },
      featureServices: ['taxi_weather'],
    });
  });

  test('freshness reads as unknown, with the reason, when the online store cannot be read', async () => {
    const down = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6380');
    };
    const run = await catalogCli(down, NOW, 'describe', 'taxi_trips_hourly', '--manifest', manifest);
    expect(run.stdout.split('\n')).toContain('  freshness      unknown: connect ECONNREFUSED 127.0.0.1:6380');
  });

  test('an unknown name fails with exit code 1 and suggests close names', async () => {
    const run = await featurestack('describe', 'taxi', '--manifest', manifest);
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'error: nothing named "taxi" in the catalog\nhint: did you mean: taxi_trips_hourly, taxi_weather?\n' });
    const feature = await featurestack('describe', 'taxi_trips_hourly:fare', '--manifest', manifest);
    expect(feature.stderr).toBe('error: nothing named "taxi_trips_hourly:fare" in the catalog\nhint: "taxi_trips_hourly" has the features: trip_count, avg_fare, avg_trip_miles\n');
  });
});

describe('featurestack describe, reading freshness from the online store itself', () => {
  test('shows the watermark materialization left in the embedded store', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'catalog-online-'));
    const { hash: _h, ...body } = catalogManifest();
    const withStore = withHash<Manifest>({
      ...body,
      onlineStore: withHash({ kind: 'embedded', path: join(folder, 'online'), layout: 'compact', keyTtlSeconds: null }),
    });
    const store = await FeatureStore.open({ manifest: withStore });
    await (await store.context.onlineStore()).advanceWatermark('taxi_trips_hourly', Date.parse('2024-05-01T12:00:00Z') * 1000);
    await store.close();
    try {
      const run = await featurestack('describe', 'taxi_trips_hourly', '--manifest', writeManifest(withStore));
      expect(run.stdout).toMatch(/\n  freshness      materialized up to 2024-05-01T12:00:00Z \(\d+ d ago\), older than its ttl\n/);
      const never = await featurestack('describe', 'station_reads_hourly', '--manifest', writeManifest(withStore));
      expect(never.stdout.split('\n')).toContain('  freshness      never materialized');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
