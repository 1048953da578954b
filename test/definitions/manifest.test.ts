import { Testing } from 'cdktf';
import { contentHash } from '../../runtime/manifest/canonical';
import { parseHdfsPlan, parseManifest } from '../../runtime/manifest/validate';
import { LocalStack } from '../../hybrid-stack/local-stack';
import { ProdStack, prodSettingsFrom } from '../../hybrid-stack/prod-stack';
import { Entity, FeatureView, FileSource, Int64, String as StringType } from '../../constructs';
import { repoStack, synthFiles } from './helpers';

const localFiles = synthFiles(new LocalStack(Testing.app()));
const local = parseManifest(JSON.parse(localFiles.get('featurestack/registry.json')!), 'local registry');
const prodSettings = { ...prodSettingsFrom({}), webhdfsUrl: 'http://nn.example.test:9870/webhdfs/v1' };
const prodFiles = synthFiles(new ProdStack(Testing.app(), 'prod', prodSettings));
const prod = parseManifest(JSON.parse(prodFiles.get('featurestack/registry.json')!), 'prod registry');

describe('the registry written at synth', () => {
  it('is written next to the Terraform of each stack, with the HDFS plan only where HDFS is used', () => {
    expect([...localFiles.keys()]).toEqual(['cdk.tf.json', 'featurestack/registry.json', 'featurestack/transforms/fare_quote.js']);
    expect([...prodFiles.keys()]).toEqual(['cdk.tf.json', 'featurestack/hdfs-plan.json', 'featurestack/registry.json', 'featurestack/transforms/fare_quote.js']);
  });

  it('describes the local stack: local lakes standing in for HDFS and ADLS, embedded online store', () => {
    expect(local.manifestVersion).toBe(1);
    expect(local.project).toBe('chicago');
    expect(local.stack).toBe('local');
    expect(local.onlineStore).toEqual({ kind: 'embedded', path: '.featurestack/online', layout: 'compact', keyTtlSeconds: null, hash: expect.any(String) });
    expect(local.lakes.map((l) => [l.kind, l.name, l.kind === 'local' ? l.root : ''])).toEqual([
      ['local', 'adls', '.featurestack/lake/adls'],
      ['local', 'files', '.featurestack/lake/files'],
      ['local', 'hdfs', '.featurestack/lake/hdfs'],
    ]);
    expect(JSON.parse(localFiles.get('cdk.tf.json')!).resource).toBeUndefined();
  });

  it('records each source with its lake, path, columns and how it was declared', () => {
    expect(local.dataSources.map((s) => s.kind === 'batch' && [s.name, s.declaredAs, s.lake, s.filesystem, s.path, s.timestampField, s.createdTimestampColumn])).toEqual([
      ['doc_chunks_source', 'file', 'files', null, 'docs/doc_chunks.parquet', 'event_timestamp', null],
      ['driver_hourly_stats_source', 'file', 'files', null, 'driver_stats/driver_hourly_stats.parquet', 'event_timestamp', 'created'],
      false,
      false,
      ['station_reads_hourly_source', 'adls', 'adls', 'weather', 'station_reads_hourly', 'event_timestamp', 'created'],
      ['taxi_trips_hourly_source', 'hdfs', 'hdfs', null, 'warehouse/chicago/taxi_trips_hourly', 'event_timestamp', 'created'],
      false,
      ['taxi_trips_raw_source', 'hdfs', 'hdfs', null, 'warehouse/chicago/taxi_trips_raw', 'trip_start_timestamp', null],
    ]);
    expect(local.dataSources[2]).toMatchObject({ kind: 'push', name: 'driver_stats_push', batchSource: 'driver_hourly_stats_source' });
  });

  it('records feature views with resolved join keys, features in schema order, ttl and flags', () => {
    const taxi = local.featureViews.find((v) => v.name === 'taxi_trips_hourly')!;
    expect(taxi).toMatchObject({
      entities: ['taxi'],
      joinKeys: [{ name: 'taxi_id', valueType: 'String' }],
      features: [
        { name: 'trip_count', dtype: 'Int64' },
        { name: 'avg_fare', dtype: 'Float64' },
        { name: 'avg_trip_miles', dtype: 'Float64' },
        { name: 'total_tips', dtype: 'Float64' },
      ],
      ttlSeconds: 86400,
      source: 'taxi_trips_hourly_source',
      batchSource: 'taxi_trips_hourly_source',
      online: true,
      offline: true,
      owner: 'mobility-data@example.com',
      tags: { domain: 'mobility', lake: 'hdfs' },
    });
    expect(local.featureViews.find((v) => v.name === 'station_reads_hourly')).toMatchObject({ entities: [], joinKeys: [], ttlSeconds: 7200 });
    expect(local.featureViews.find((v) => v.name === 'driver_hourly_stats_fresh')).toMatchObject({ source: 'driver_stats_push', batchSource: 'driver_hourly_stats_source' });
    expect(local.featureViews.map((v) => v.name)).toEqual(['doc_chunks', 'driver_hourly_stats', 'driver_hourly_stats_fresh', 'station_reads_hourly', 'taxi_trips_hourly', 'taxi_trips_recent']);
    expect(local.featureViews.find((v) => v.name === 'taxi_trips_recent')).toMatchObject({
      source: 'taxi_trips_raw_push',
      batchSource: 'taxi_trips_raw_source',
      ttlSeconds: 86400,
      features: ['count', 'sum', 'mean'].flatMap((fn) => ['1h', '1d'].map((w) => ({ name: `fare_${fn}_${w}`, dtype: fn === 'count' ? 'Int64' : 'Float64' }))),
      aggregation: {
        tileSeconds: 300,
        columns: [{ name: 'fare', dtype: 'Float64' }],
        outputs: expect.arrayContaining([{ feature: 'fare_sum_1d', column: 'fare', function: 'sum', windowSeconds: 86400 }]),
      },
    });
  });

  it('records feature services as projections: selected features, aliases, join key maps', () => {
    expect(local.featureServices.map((s) => [s.name, s.projections])).toEqual([
      [
        'driver_activity',
        [
          { featureView: 'driver_hourly_stats', alias: null, features: ['conv_rate', 'acc_rate'], joinKeyMap: {} },
          { featureView: 'driver_hourly_stats_fresh', alias: 'driver_fresh', features: ['avg_daily_trips'], joinKeyMap: {} },
        ],
      ],
      [
        'taxi_fare_quote',
        [
          { featureView: 'taxi_trips_hourly', alias: null, features: ['trip_count', 'avg_fare'], joinKeyMap: {} },
          { featureView: 'fare_quote', alias: null, features: ['quoted_fare_per_mile', 'fare_per_mile_ratio'], joinKeyMap: {} },
        ],
      ],
      [
        'taxi_recent_activity',
        [{ featureView: 'taxi_trips_recent', alias: null, features: ['fare_count_1h', 'fare_count_1d', 'fare_sum_1h', 'fare_sum_1d', 'fare_mean_1h', 'fare_mean_1d'], joinKeyMap: {} }],
      ],
      [
        'taxi_weather',
        [
          { featureView: 'taxi_trips_hourly', alias: null, features: ['trip_count', 'avg_fare', 'avg_trip_miles', 'total_tips'], joinKeyMap: {} },
          { featureView: 'station_reads_hourly', alias: null, features: ['avg_temp', 'total_rain', 'precipitation_type'], joinKeyMap: {} },
        ],
      ],
    ]);
  });

  it('carries a content hash on every object and over the whole registry', () => {
    const objects = [local.onlineStore, ...local.lakes, ...local.entities, ...local.dataSources, ...local.featureViews, ...local.featureServices, ...(local.onDemandFeatureViews ?? []), local];
    for (const o of objects) expect(o.hash).toBe(contentHash(o));
    const prodTaxi = prod.featureViews.find((v) => v.name === 'taxi_trips_hourly')!;
    expect(prodTaxi.hash).toBe(local.featureViews.find((v) => v.name === 'taxi_trips_hourly')!.hash);
  });

  it('describes the prod stack: Azure Managed Redis (its vector index needs RediSearch) over TLS with the key named by an environment variable, HDFS and ADLS lakes', () => {
    expect(prod.onlineStore).toEqual({
      kind: 'redis',
      host: 'featurestack-prod-online.westeurope.redis.azure.net',
      port: 10000,
      tls: true,
      cluster: false,
      passwordEnv: 'FEATURESTACK_REDIS_PASSWORD',
      layout: 'compact',
      keyTtlSeconds: null,
      hash: expect.any(String),
    });
    expect(prod.lakes).toEqual([
      { kind: 'adls', name: 'adls', accountName: 'featurestackprodlake', dfsEndpoint: 'https://featurestackprodlake.dfs.core.windows.net', auth: { kind: 'defaultAzureCredential' }, hash: expect.any(String) },
      { kind: 'local', name: 'files', root: '/var/lib/featurestack/files', hash: expect.any(String) },
      { kind: 'hdfs', name: 'hdfs', webhdfsUrl: 'http://nn.example.test:9870/webhdfs/v1', user: 'featurestack', hash: expect.any(String) },
    ]);
  });

  it('writes an HDFS plan with the folder, owner, group and permission of each HdfsSource', () => {
    const plan = parseHdfsPlan(JSON.parse(prodFiles.get('featurestack/hdfs-plan.json')!), 'plan');
    expect(plan).toEqual({
      planVersion: 1,
      lake: 'hdfs',
      webhdfsUrl: 'http://nn.example.test:9870/webhdfs/v1',
      user: 'featurestack',
      directories: [
        { path: '/warehouse/chicago/taxi_trips_hourly', owner: 'featurestack', group: 'mobility', permission: '750', sources: ['taxi_trips_hourly_source'] },
        { path: '/warehouse/chicago/taxi_trips_raw', owner: 'featurestack', group: 'mobility', permission: '750', sources: ['taxi_trips_raw_source'] },
      ],
    });
  });
});

describe('determinism', () => {
  it('two synths of the same definitions write byte-identical files', () => {
    const again = synthFiles(new LocalStack(Testing.app()));
    expect(again.get('featurestack/registry.json')).toBe(localFiles.get('featurestack/registry.json'));
    const prodAgain = synthFiles(new ProdStack(Testing.app(), 'prod', prodSettings));
    for (const [path, content] of prodFiles) expect(prodAgain.get(path)).toBe(content);
  });

  it('the order of declarations does not change the registry', () => {
    const declare = (order: 'ab' | 'ba') => {
      const { stack, repo, lake } = repoStack();
      const make = {
        a: () => new Entity(repo, 'a', { valueType: Int64 }),
        b: () => new Entity(repo, 'b', { valueType: StringType }),
      };
      const [first, second] = order === 'ab' ? [make.a(), make.b()] : [make.b(), make.a()];
      const source = new FileSource(repo, 'src', { lake, path: 'x.parquet', timestampField: 'ts' });
      new FeatureView(repo, 'v', { entities: [first, second].sort((x, y) => x.name.localeCompare(y.name)), schema: [{ name: 'f', dtype: Int64 }], source });
      return synthFiles(stack).get('featurestack/registry.json');
    };
    expect(declare('ab')).toBe(declare('ba'));
  });
});
