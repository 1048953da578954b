import { readFileSync } from 'node:fs';
import { TerraformStack, Testing } from 'cdktf';
import { DatabricksMaterializationJob, DatabricksMaterializationJobs } from '../../constructs';
import { withHash } from '../../runtime/manifest/canonical';
import type { Manifest } from '../../runtime/manifest/schema';
import { DRIVER_PATH } from '../../runtime/spark/spark-submit';
import { SPARK } from '../../runtime/spark/dialect';
import { splitStatements } from '../../runtime/spark/sql-script';
import { exampleManifest } from '../support/example-manifest';

/** The example registry with weather on ADLS (key auth), driver stats on HDFS, Redis online. */
function prodManifest(): Manifest {
  const base = exampleManifest();
  const adls = withHash<Manifest['lakes'][number]>({ kind: 'adls', name: 'cloud', accountName: 'fsdata', dfsEndpoint: 'https://fsdata.dfs.core.windows.net', auth: { kind: 'accountKey', env: 'FS_ADLS_KEY' } } as never);
  const hdfs = withHash<Manifest['lakes'][number]>({ kind: 'hdfs', name: 'onprem', webhdfsUrl: 'http://nn.corp:9870/webhdfs/v1', user: 'etl' } as never);
  const online = withHash<Manifest['onlineStore']>({ kind: 'redis', host: 'fs.redis.cache.windows.net', port: 6380, tls: true, cluster: false, passwordEnv: 'REDIS_PASSWORD', layout: 'compact', keyTtlSeconds: null } as never);
  const dataSources = base.dataSources.map((s) =>
    s.kind !== 'batch' ? s : s.name === 'weather_source' ? { ...s, lake: 'cloud', filesystem: 'features', path: 'weather' } : { ...s, lake: 'onprem', path: '/data/driver_stats' },
  );
  return { ...base, onlineStore: online, lakes: [adls, hdfs], dataSources };
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;
function synth(manifest: Manifest): { resource: Resources; output: Record<string, { value: unknown }>; text: string } {
  const text = Testing.synthScope((scope) => {
    new DatabricksMaterializationJobs(scope, 'spark', { manifest, registryUrl: 'abfss://registry@fsdata.dfs.core.windows.net/prod/registry.json' });
  });
  return { ...JSON.parse(text), text };
}
const decode = (r: Record<string, unknown>) => Buffer.from(String(r.content_base64), 'base64').toString('utf8');

describe('DatabricksMaterializationJobs', () => {
  const { resource, output, text } = synth(prodManifest());
  const files = Object.values(resource.databricks_workspace_file);
  const jobs = Object.values(resource.databricks_job);

  test('one scheduled job per online ADLS-backed view: snapshot SQL with the driver, then the load task', () => {
    expect(jobs).toHaveLength(1); // weather is on ADLS; driver stats are on HDFS (spark-submit)
    const job = jobs[0] as { name: string; task: Record<string, unknown>[]; schedule: unknown; job_cluster: { job_cluster_key: string; new_cluster: Record<string, unknown> }[] };
    expect(job.name).toBe('featurestack-demo-materialize-weather');
    expect(job.schedule).toEqual({ quartz_cron_expression: '0 5 * * * ?', timezone_id: 'UTC' });
    const [snapshot, load] = job.task;
    expect(snapshot).toMatchObject({
      task_key: 'snapshot',
      job_cluster_key: 'snapshot',
      spark_python_task: { source: 'WORKSPACE' },
    });
    const sp = snapshot.spark_python_task as { python_file: string; parameters: string[] };
    expect(sp.python_file).toMatch(/^\$\{databricks_workspace_file\.spark_Driver_[A-Z0-9]+\.path\}$/);
    expect(sp.parameters).toEqual([expect.stringMatching(/^\/Workspace\$\{databricks_workspace_file\.spark_weather_Sql_[A-Z0-9]+\.path\}$/), '--param', 'end={{job.trigger.time.iso_datetime}}']);
    expect(load).toMatchObject({
      task_key: 'load',
      job_cluster_key: 'load',
      depends_on: [{ task_key: 'snapshot' }],
      spark_python_task: { parameters: ['abfss://features@fsdata.dfs.core.windows.net/featurestack/snapshots/weather', '--manifest', 'abfss://registry@fsdata.dfs.core.windows.net/prod/registry.json'] },
    });
    expect(job.job_cluster.map((c) => c.job_cluster_key)).toEqual(['snapshot', 'load']);
  });

  test('ships the generated snapshot SQL (spark dialect) and the generic driver as workspace files', () => {
    const byPath = new Map(files.map((f) => [String(f.path), f]));
    expect([...byPath.keys()].sort()).toEqual([
      '/Shared/featurestack/demo/featurestack-demo-materialize-weather.sql',
      '/Shared/featurestack/demo/install_featurestack.sh',
      '/Shared/featurestack/demo/load_snapshot.py',
      '/Shared/featurestack/demo/run_sql.py',
    ]);
    expect(decode(byPath.get('/Shared/featurestack/demo/run_sql.py')!)).toBe(readFileSync(DRIVER_PATH, 'utf8'));
    const sql = decode(byPath.get('/Shared/featurestack/demo/featurestack-demo-materialize-weather.sql')!);
    expect(sql).toContain('FROM parquet.`abfss://features@fsdata.dfs.core.windows.net/weather` s');
    expect(sql).toContain("INSERT OVERWRITE DIRECTORY 'abfss://features@fsdata.dfs.core.windows.net/featurestack/snapshots/weather' USING parquet");
    // TTL 0: the window looks back 52 weeks from the trigger time.
    expect(sql).toContain(`CAST('\${end}' AS TIMESTAMP) - INTERVAL ${52 * 7 * 86400} SECONDS`);
    expect(splitStatements(sql)).toHaveLength(SPARK.preamble.length + 1);
  });

  test('credentials are secret references into one scope, never values', () => {
    expect(Object.values(resource.databricks_secret_scope)).toEqual([{ name: 'demo-featurestack' }]);
    const job = jobs[0] as { job_cluster: { new_cluster: { spark_conf: Record<string, string>; spark_env_vars?: Record<string, string> } }[] };
    const [snapshotCluster, loadCluster] = job.job_cluster.map((c) => c.new_cluster);
    expect(snapshotCluster.spark_conf['fs.azure.account.key.fsdata.dfs.core.windows.net']).toBe('{{secrets/demo-featurestack/cloud-account-key}}');
    expect(loadCluster.spark_env_vars).toEqual({
      FS_ADLS_KEY: '{{secrets/demo-featurestack/cloud-account-key}}',
      REDIS_PASSWORD: '{{secrets/demo-featurestack/redis-password}}',
      FEATURESTACK_PACKAGE: '/Workspace/Shared/featurestack/demo/featurestack.tgz',
    });
    expect(Object.values(output).map((o) => o.value)).toEqual([
      ['demo-featurestack/cloud-account-key: account key of storage account fsdata', 'demo-featurestack/redis-password: password of the online store fs.redis.cache.windows.net'],
    ]);
    expect(text).not.toMatch(/AccountKey=|password"\s*:\s*"[^{]/i);
  });

  test('a service-principal lake gets OAuth settings and Azure identity variables', () => {
    const m = prodManifest();
    const lakes = m.lakes.map((l) => (l.kind === 'adls' ? { ...l, auth: { kind: 'defaultAzureCredential' as const } } : l));
    const { resource: r } = synth({ ...m, lakes });
    const cluster = (Object.values(r.databricks_job)[0] as { job_cluster: { new_cluster: { spark_conf: Record<string, string>; spark_env_vars?: Record<string, string> } }[] }).job_cluster;
    expect(cluster[0].new_cluster.spark_conf).toMatchObject({
      'fs.azure.account.auth.type.fsdata.dfs.core.windows.net': 'OAuth',
      'fs.azure.account.oauth2.client.secret.fsdata.dfs.core.windows.net': '{{secrets/demo-featurestack/sp-client-secret}}',
      'fs.azure.account.oauth2.client.endpoint.fsdata.dfs.core.windows.net': '{{secrets/demo-featurestack/sp-token-endpoint}}',
    });
    expect(cluster[1].new_cluster.spark_env_vars).toMatchObject({ AZURE_CLIENT_ID: '{{secrets/demo-featurestack/sp-client-id}}', AZURE_TENANT_ID: '{{secrets/demo-featurestack/sp-tenant-id}}' });
  });

  test('no job for a registry without online ADLS views', () => {
    const { resource: r } = synth(exampleManifest());
    expect(r.databricks_job).toBeUndefined();
    expect(Object.keys(r.databricks_workspace_file)).toHaveLength(3);
  });
});

test('a snapshot cluster without workers fails at synth with the fix', () => {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'prod');
  new DatabricksMaterializationJobs(stack, 'spark', { manifest: prodManifest(), registryUrl: 'abfss://r@fsdata.dfs.core.windows.net/r.json', workers: 0 });
  expect(() => Testing.fullSynth(stack)).toThrow(/prod\/spark: workers must be a whole number >= 1, not 0; the load task has its own single-node cluster/);
});

test('a view that is not online and ADLS-backed gets no job: naming one fails at once, with the fix', () => {
  const stack = new TerraformStack(Testing.app(), 'prod');
  const registryUrl = 'abfss://r@fsdata.dfs.core.windows.net/r.json';
  expect(() => new DatabricksMaterializationJobs(stack, 'spark', { manifest: prodManifest(), registryUrl, views: ['weather', 'driver_hourly_stats'] })).toThrow(
    'prod/spark/driver_hourly_stats: feature view "driver_hourly_stats" is not an online view with an ADLS source; materialize only online views whose batch source is an AdlsSource',
  );
});

test('a view can get a second job with its own schedule on the shared clusters and files', () => {
  const manifest = prodManifest();
  const registryUrl = 'abfss://r@fsdata.dfs.core.windows.net/r.json';
  const { resource } = JSON.parse(
    Testing.synthScope((scope) => {
      const jobs = new DatabricksMaterializationJobs(scope, 'spark', { manifest, registryUrl });
      new DatabricksMaterializationJob(scope, 'nightly', { manifest, view: 'weather', registryUrl, tooling: jobs.tooling, schedule: '0 0 2 * * ?', name: 'weather-nightly' });
    }),
  ) as { resource: Resources };
  type JobResource = { name: string; schedule: { quartz_cron_expression: string }; job_cluster: unknown };
  const jobs = (Object.values(resource.databricks_job) as JobResource[]).sort((a, b) => a.name.localeCompare(b.name));
  expect(jobs.map((j) => [j.name, j.schedule.quartz_cron_expression])).toEqual([
    ['featurestack-demo-materialize-weather', '0 5 * * * ?'],
    ['weather-nightly', '0 0 2 * * ?'],
  ]);
  expect(jobs[1].job_cluster).toEqual(jobs[0].job_cluster);
  expect(Object.values(resource.databricks_workspace_file).map((f) => String(f.path)).filter((p) => p.endsWith('.sql')).sort()).toEqual([
    '/Shared/featurestack/demo/featurestack-demo-materialize-weather.sql',
    '/Shared/featurestack/demo/weather-nightly.sql',
  ]);
});
