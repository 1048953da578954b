import { Testing } from 'cdktf';
import { ProdStack, prodSettingsFrom } from '../../hybrid-stack/prod-stack';
import { resourcesOfType } from './helpers';

const settings = { ...prodSettingsFrom({}), webhdfsUrl: 'http://nn.example.test:9870/webhdfs/v1', storageAccount: 'chicagolake01' };
const tf = Testing.synth(new ProdStack(Testing.app(), 'prod', settings), true);

describe('the prod stack', () => {
  it('provisions the ADLS account with HNS, HTTPS only, TLS 1.2 and no public blob access', () => {
    expect(resourcesOfType(tf, 'azurerm_storage_account')).toEqual([
      expect.objectContaining({
        name: 'chicagolake01',
        is_hns_enabled: true,
        https_traffic_only_enabled: true,
        min_tls_version: 'TLS1_2',
        allow_nested_items_to_be_public: false,
      }),
    ]);
  });

  it('creates a filesystem per source filesystem (plus the registry) and a folder per AdlsSource', () => {
    expect(resourcesOfType(tf, 'azurerm_storage_data_lake_gen2_filesystem').map((f) => f.name).sort()).toEqual(['registry', 'weather']);
    expect(resourcesOfType(tf, 'azurerm_storage_data_lake_gen2_path')).toEqual([
      expect.objectContaining({ path: 'station_reads_hourly', resource: 'directory', filesystem_name: expect.stringMatching(/^\$\{azurerm_storage_data_lake_gen2_filesystem\..*\.name\}$/) }),
    ]);
  });

  it('provisions Azure Managed Redis with RediSearch (the example declares a vector index), TLS only, one endpoint', () => {
    expect(resourcesOfType(tf, 'azurerm_redis_cache')).toEqual([]);
    expect(resourcesOfType(tf, 'azurerm_managed_redis')).toEqual([
      expect.objectContaining({
        name: 'featurestack-prod-online',
        sku_name: 'Balanced_B1',
        high_availability_enabled: true,
        default_database: expect.objectContaining({ client_protocol: 'Encrypted', clustering_policy: 'EnterpriseCluster', eviction_policy: 'NoEviction', module: [{ name: 'RediSearch' }] }),
      }),
    ]);
  });

  it('stores the Redis key in Key Vault by reference, never as a literal', () => {
    const [secret] = resourcesOfType(tf, 'azurerm_key_vault_secret');
    expect(secret.value).toMatch(/^\$\{azurerm_managed_redis\.[A-Za-z0-9_-]+\.default_database\[0\]\.primary_access_key\}$/);
    expect(secret.key_vault_id).toMatch(/^\$\{azurerm_key_vault\./);
    expect(secret.depends_on).toEqual([expect.stringMatching(/^azurerm_role_assignment\./)]);
    expect(resourcesOfType(tf, 'azurerm_key_vault')).toEqual([expect.objectContaining({ rbac_authorization_enabled: true, purge_protection_enabled: true })]);
  });

  it('publishes the synthesized registry.json and the transform bundles beside it as blobs', () => {
    expect(resourcesOfType(tf, 'azurerm_storage_blob')).toEqual([
      expect.objectContaining({
        name: 'prod/registry.json',
        type: 'Block',
        source: '${path.module}/featurestack/registry.json',
        content_md5: '${filemd5("${path.module}/featurestack/registry.json")}',
        storage_account_name: 'chicagolake01',
      }),
      // The on-demand transforms beside it, where the runtime loads them from: one blob per synthesized bundle.
      expect.objectContaining({
        for_each: '${toset(fileset(join("/", [path.module, "featurestack", "transforms"]), "*.js"))}',
        name: 'prod/transforms/${each.value}',
        source: '${path.module}/featurestack/transforms/${each.value}',
        content_md5: '${filemd5("${path.module}/featurestack/transforms/${each.value}")}',
        content_type: 'application/javascript',
      }),
    ]);
    expect(Object.values(JSON.parse(tf).output)).toContainEqual({
      description: 'Pass to the runtime as --manifest',
      value: 'abfss://registry@chicagolake01.dfs.core.windows.net/prod/registry.json',
    });
  });

  it('applies the HDFS plan at deploy through a terraform_data local-exec, re-run when the plan changes', () => {
    expect(resourcesOfType(tf, 'terraform_data')).toEqual([
      {
        provisioner: [{ 'local-exec': { command: 'npx --no-install featurestack hdfs apply --plan "${path.module}/featurestack/hdfs-plan.json"' } }],
        triggers_replace: { plan: '${filemd5("${path.module}/featurestack/hdfs-plan.json")}' },
      },
    ]);
  });

  it('gives the job clusters the lake and Redis credentials as secret-scope references, and lists the secrets to put', () => {
    const [job] = resourcesOfType(tf, 'databricks_job') as { job_cluster: { new_cluster: { spark_conf: Record<string, string>; spark_env_vars?: Record<string, string> } }[] }[];
    const [snapshot, load] = job.job_cluster.map((c) => c.new_cluster);
    expect(snapshot.spark_conf['fs.azure.account.oauth2.client.secret.chicagolake01.dfs.core.windows.net']).toBe('{{secrets/chicago-featurestack/sp-client-secret}}');
    expect(load.spark_env_vars).toMatchObject({
      AZURE_CLIENT_SECRET: '{{secrets/chicago-featurestack/sp-client-secret}}',
      FEATURESTACK_REDIS_PASSWORD: '{{secrets/chicago-featurestack/redis-password}}',
    });
    const secretsOutput = Object.values(JSON.parse(tf).output as Record<string, { value: unknown }>).find((o) => Array.isArray(o.value));
    expect((secretsOutput!.value as string[]).map((line) => line.split(':')[0])).toEqual([
      'chicago-featurestack/sp-client-id',
      'chicago-featurestack/sp-client-secret',
      'chicago-featurestack/sp-tenant-id',
      'chicago-featurestack/sp-token-endpoint',
      'chicago-featurestack/redis-password',
    ]);
  });

  it('creates one scheduled Databricks job per online ADLS-backed view: snapshot SQL, then the online load', () => {
    const registryUrl = 'abfss://registry@chicagolake01.dfs.core.windows.net/prod/registry.json';
    expect(resourcesOfType(tf, 'databricks_job')).toEqual([
      expect.objectContaining({
        name: 'featurestack-chicago-materialize-station_reads_hourly',
        schedule: { quartz_cron_expression: '0 5 * * * ?', timezone_id: 'UTC' },
        job_cluster: [
          expect.objectContaining({ job_cluster_key: 'snapshot', new_cluster: expect.objectContaining({ node_type_id: 'Standard_D4ds_v5', num_workers: 2, spark_version: '15.4.x-scala2.12' }) }),
          expect.objectContaining({ job_cluster_key: 'load', new_cluster: expect.objectContaining({ num_workers: 0 }) }),
        ],
        task: [
          {
            task_key: 'snapshot',
            job_cluster_key: 'snapshot',
            spark_python_task: {
              source: 'WORKSPACE',
              python_file: expect.stringMatching(/^\$\{databricks_workspace_file\.materialize_Driver_[0-9A-F]+\.path\}$/),
              parameters: [expect.stringMatching(/^\/Workspace\$\{databricks_workspace_file\.materialize_station_reads_hourly_Sql_[0-9A-F]+\.path\}$/), '--param', 'end={{job.trigger.time.iso_datetime}}'],
            },
          },
          {
            task_key: 'load',
            job_cluster_key: 'load',
            depends_on: [{ task_key: 'snapshot' }],
            spark_python_task: {
              source: 'WORKSPACE',
              python_file: expect.stringMatching(/^\$\{databricks_workspace_file\.materialize_Loader_[0-9A-F]+\.path\}$/),
              parameters: ['abfss://weather@chicagolake01.dfs.core.windows.net/featurestack/snapshots/station_reads_hourly', '--manifest', registryUrl],
            },
          },
        ],
      }),
    ]);
    expect(resourcesOfType(tf, 'databricks_workspace_file').map((f) => f.path)).toEqual([
      '/Shared/featurestack/chicago/run_sql.py',
      '/Shared/featurestack/chicago/install_featurestack.sh',
      '/Shared/featurestack/chicago/load_snapshot.py',
      '/Shared/featurestack/chicago/featurestack-chicago-materialize-station_reads_hourly.sql',
    ]);
    expect(resourcesOfType(tf, 'databricks_secret_scope')).toEqual([{ name: 'chicago-featurestack', provider: 'databricks' }]);
    expect(resourcesOfType(tf, 'azurerm_databricks_workspace')).toEqual([expect.objectContaining({ name: 'featurestack-prod-dbw', sku: 'premium' })]);
    expect(JSON.parse(tf).provider.databricks).toEqual([
      { host: expect.stringMatching(/^https:\/\/\$\{azurerm_databricks_workspace\..*\.workspace_url\}$/), azure_workspace_resource_id: expect.stringMatching(/\.id\}$/) },
    ]);
  });
});
