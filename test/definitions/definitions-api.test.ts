import { Testing } from 'cdktf';
import { parseManifest } from '../../runtime/manifest/validate';
import {
  AdlsLake,
  AdlsSource,
  Array as ArrayOf,
  Bytes,
  DatabricksMaterializationJobs,
  DatabricksWorkspace,
  Duration,
  EmbeddedOnlineStore,
  Entity,
  FeatureRepo,
  FeatureService,
  FeatureView,
  FileSource,
  Float32,
  Float64,
  HdfsLake,
  HdfsSource,
  Int32,
  Int64,
  RedisOnlineStore,
  RequestSource,
  String as StringType,
  UnixTimestamp,
} from '../../constructs';
import { repoStack, resourcesOfType, synthFiles, validationErrors } from './helpers';

function registryOf(stack: Parameters<typeof synthFiles>[0]) {
  const files = synthFiles(stack);
  return { files, manifest: parseManifest(JSON.parse(files.get('featurestack/registry.json')!), 'test') };
}

describe('entities', () => {
  it('default to one String join key named after the entity; composite keys keep their own types', () => {
    const { stack, repo } = repoStack();
    new Entity(repo, 'customer');
    new Entity(repo, 'trip', { joinKeys: ['taxi_id', { name: 'started_at', valueType: UnixTimestamp }, { name: 'seq', valueType: Int32 }] });
    const { manifest } = registryOf(stack);
    expect(manifest.entities.map((e) => [e.name, e.joinKeys])).toEqual([
      ['customer', [{ name: 'customer', valueType: 'String' }]],
      [
        'trip',
        [
          { name: 'taxi_id', valueType: 'String' },
          { name: 'started_at', valueType: 'UnixTimestamp' },
          { name: 'seq', valueType: 'Int32' },
        ],
      ],
    ]);
  });

  it('accept only join key types Feast can serialize, at compile time', () => {
    const { repo } = repoStack();
    // @ts-expect-error Float64 cannot be a join key type
    new Entity(repo, 'bad', { valueType: Float64 });
    expect(ArrayOf(Float32).dtype).toBe('Array(Float32)');
  });
});

describe('feature views and projections', () => {
  function setup() {
    const ctx = repoStack();
    const driver = new Entity(ctx.repo, 'driver', { valueType: Int64 });
    const source = new FileSource(ctx.repo, 'src', { lake: ctx.lake, path: 'stats', timestampField: 'ts', fieldMapping: { cr: 'conv_rate' } });
    const view = new FeatureView(ctx.repo, 'stats', {
      entities: [driver],
      schema: [
        { name: 'conv_rate', dtype: Float32 },
        { name: 'embedding', dtype: ArrayOf(Float64), description: 'learned', tags: { pii: 'no' } },
        { name: 'raw', dtype: Bytes },
      ],
      source,
      online: false,
    });
    return { ...ctx, driver, view };
  }

  it('projections are immutable and combine select, withName and withJoinKeyMap', () => {
    const { view } = setup();
    const base = view.select(['conv_rate']);
    const renamed = base.withName('stats_b').withJoinKeyMap({ driver: 'other_driver' });
    expect(base.toSpec()).toEqual({ featureView: 'stats', alias: null, features: ['conv_rate'], joinKeyMap: {} });
    expect(renamed.toSpec()).toEqual({ featureView: 'stats', alias: 'stats_b', features: ['conv_rate'], joinKeyMap: { driver: 'other_driver' } });
    expect(view.withName('all').toSpec().features).toEqual(['conv_rate', 'embedding', 'raw']);
  });

  it('the registry keeps array types, field metadata, fieldMapping and the flags', () => {
    const { stack, repo, view } = setup();
    new FeatureService(repo, 'svc', { features: [view.withJoinKeyMap({ driver: 'driver_b' }).withName('b'), view.select(['raw'])] });
    const { manifest } = registryOf(stack);
    expect(manifest.featureViews[0]).toMatchObject({
      features: [
        { name: 'conv_rate', dtype: 'Float32', description: '', tags: {} },
        { name: 'embedding', dtype: 'Array(Float64)', description: 'learned', tags: { pii: 'no' } },
        { name: 'raw', dtype: 'Bytes', description: '', tags: {} },
      ],
      online: false,
      offline: true,
      ttlSeconds: 0,
    });
    expect(manifest.dataSources[0]).toMatchObject({ fieldMapping: { cr: 'conv_rate' } });
    expect(manifest.featureServices[0].projections).toEqual([
      { featureView: 'stats', alias: 'b', features: ['conv_rate', 'embedding', 'raw'], joinKeyMap: { driver: 'driver_b' } },
      { featureView: 'stats', alias: null, features: ['raw'], joinKeyMap: {} },
    ]);
  });

  it('withJoinKeyMap naming a key the view does not have fails synth', () => {
    const { stack, repo, view } = setup();
    new FeatureService(repo, 'svc', { features: [view.withJoinKeyMap({ rider: 'rider_id' })] });
    expect(validationErrors(stack)).toEqual(['test/repo/svc: withJoinKeyMap names "rider", which is not a join key of "stats"; map one of: driver']);
  });
});

describe('sources', () => {
  it('a FileSource without a lake reads from the working directory; request sources carry their schema', () => {
    const { stack, repo } = repoStack();
    new FileSource(repo, 'loose', { path: 'data/loose.parquet', timestampField: 'ts' });
    new RequestSource(repo, 'request', { schema: [{ name: 'val_to_add', dtype: Int64 }] });
    const { manifest } = registryOf(stack);
    // The test stack's own lake is not listed: no source reads from it.
    expect(manifest.lakes).toEqual([{ kind: 'local', name: 'working_directory', root: '.', hash: expect.any(String) }]);
    expect(manifest.dataSources.map((s) => [s.name, s.kind, s.kind === 'batch' ? s.lake : null])).toEqual([
      ['loose', 'batch', 'working_directory'],
      ['request', 'request', null],
    ]);
    expect(manifest.dataSources[1]).toMatchObject({ schema: [{ name: 'val_to_add', dtype: 'Int64', description: '', tags: {} }] });
  });

  it('HDFS sources sharing a folder get one plan entry; a file path plans its parent folder', () => {
    const { stack, repo } = repoStack();
    const hdfs = new HdfsLake(stack, 'hdfs', { webhdfsUrl: 'http://nn:9870/webhdfs/v1', group: 'data', permission: '0755' });
    new HdfsSource(repo, 'a', { lake: hdfs, path: '/data/trips/part-0.parquet', timestampField: 'ts' });
    new HdfsSource(repo, 'b', { lake: hdfs, path: '/data/trips', timestampField: 'ts' });
    new HdfsSource(repo, 'c', { lake: hdfs, path: 'data/secure', timestampField: 'ts', owner: 'etl', permission: '700' });
    expect(repo.toHdfsPlan()?.directories).toEqual([
      { path: '/data/secure', owner: 'etl', group: 'data', permission: '700', sources: ['c'] },
      { path: '/data/trips', owner: 'hdfs', group: 'data', permission: '0755', sources: ['a', 'b'] },
    ]);
  });

  it('two HDFS sources giving one folder different access fail synth', () => {
    const { stack, repo } = repoStack();
    const hdfs = new HdfsLake(stack, 'hdfs', { webhdfsUrl: 'http://nn:9870/webhdfs/v1' });
    new HdfsSource(repo, 'a', { lake: hdfs, path: '/data/trips', timestampField: 'ts' });
    new HdfsSource(repo, 'b', { lake: hdfs, path: '/data/trips', timestampField: 'ts', permission: '777' });
    expect(validationErrors(stack)).toEqual(["test/repo/b: its HDFS folder is also test/repo/a's, with a different owner, group or permission; give both sources the same access, or separate folders"]);
  });

  it('an existing ADLS account is referenced, not provisioned, and its auth names a variable', () => {
    const { stack, repo } = repoStack();
    const lake = AdlsLake.fromExisting(stack, 'adls', { accountName: 'sharedlake', auth: { kind: 'accountKey', env: 'SHARED_LAKE_KEY' } });
    new AdlsSource(repo, 'weather', { lake, filesystem: 'weather', path: '/reads/2024', timestampField: 'ts' });
    const { files, manifest } = registryOf(stack);
    expect(JSON.parse(files.get('cdk.tf.json')!).resource).toBeUndefined();
    expect(manifest.lakes.find((l) => l.name === 'adls')).toEqual({
      kind: 'adls',
      name: 'adls',
      accountName: 'sharedlake',
      dfsEndpoint: 'https://sharedlake.dfs.core.windows.net',
      auth: { kind: 'accountKey', env: 'SHARED_LAKE_KEY' },
      hash: expect.any(String),
    });
    expect(manifest.dataSources[0]).toMatchObject({ filesystem: 'weather', path: 'reads/2024' });
  });
});

describe('online stores', () => {
  it('an existing Redis defaults its port from TLS and takes the feast layout and a key TTL', () => {
    const stack = repoStack().stack;
    const plain = new RedisOnlineStore(stack, 'plain', { host: 'redis.internal' });
    const secure = new RedisOnlineStore(stack, 'secure', { host: 'redis.internal', tls: true, cluster: true, passwordEnv: 'REDIS_PW', layout: 'feast', keyTtl: Duration.days(7) });
    expect(plain.toOnlineStoreSpec()).toMatchObject({ port: 6379, tls: false, cluster: false, passwordEnv: null, layout: 'compact', keyTtlSeconds: null });
    expect(secure.toOnlineStoreSpec()).toMatchObject({ port: 6380, tls: true, cluster: true, passwordEnv: 'REDIS_PW', layout: 'feast', keyTtlSeconds: 604800 });
  });

  it('a stack takes one FeatureRepo', () => {
    const { stack } = repoStack();
    expect(() => new FeatureRepo(stack, 'second', { onlineStore: new EmbeddedOnlineStore(stack, 'o2', { path: 'o2' }) })).toThrow(
      'test/second: the stack already has a FeatureRepo; declare one FeatureRepo per stack and put every definition under it',
    );
  });
});

describe('Databricks materialization', () => {
  const registryUrl = 'abfss://r@sharedlake.dfs.core.windows.net/registry.json';

  it('a job per online view read from ADLS, none for offline or local views', () => {
    const { stack, repo, lake } = repoStack();
    const adls = AdlsLake.fromExisting(stack, 'adls', { accountName: 'sharedlake', auth: { kind: 'accountKey', env: 'SHARED_LAKE_KEY' } });
    const weather = new AdlsSource(repo, 'weather_src', { lake: adls, filesystem: 'weather', path: 'reads', timestampField: 'ts' });
    const local = new FileSource(repo, 'local_src', { lake, path: 'x', timestampField: 'ts' });
    const schema = [{ name: 'f', dtype: StringType }];
    new FeatureView(repo, 'weather', { schema, source: weather });
    new FeatureView(repo, 'weather_archive', { schema, source: weather, online: false });
    new FeatureView(repo, 'local_view', { schema, source: local });
    const workspace = DatabricksWorkspace.fromExisting(stack, 'databricks', 'https://adb-1.2.azuredatabricks.net');
    const jobs = new DatabricksMaterializationJobs(stack, 'jobs', { manifest: repo.toManifest(), registryUrl, workspace });
    expect([...jobs.jobs.keys()]).toEqual(['weather']);
    expect(resourcesOfType(Testing.synth(stack), 'databricks_job').map((j) => [j.name, j.provider])).toEqual([['featurestack-demo-materialize-weather', 'databricks.databricks']]);
    expect(validationErrors(stack)).toEqual([]);
  });

  it('naming a view that is not online and ADLS-backed fails at once, with the fix', () => {
    const { stack, repo, lake } = repoStack();
    const source = new FileSource(repo, 'src', { lake, path: 'x', timestampField: 'ts' });
    new FeatureView(repo, 'local_view', { schema: [{ name: 'f', dtype: StringType }], source });
    expect(() => new DatabricksMaterializationJobs(stack, 'jobs', { manifest: repo.toManifest(), registryUrl, views: ['local_view'] })).toThrow(
      'test/jobs/local_view: feature view "local_view" is not an online view with an ADLS source; materialize only online views whose batch source is an AdlsSource',
    );
  });
});
