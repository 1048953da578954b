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

  it('provisions Azure Cache for Redis with TLS 1.2 and the non-TLS port closed', () => {
    expect(resourcesOfType(tf, 'azurerm_redis_cache')).toEqual([
      expect.objectContaining({ name: 'featurestack-prod-online', minimum_tls_version: '1.2', non_ssl_port_enabled: false, sku_name: 'Standard', family: 'C' }),
    ]);
  });

  it('stores the Redis key in Key Vault by reference, never as a literal', () => {
    const [secret] = resourcesOfType(tf, 'azurerm_key_vault_secret');
    expect(secret.value).toMatch(/^\$\{azurerm_redis_cache\.[A-Za-z0-9_-]+\.primary_access_key\}$/);
    expect(secret.key_vault_id).toMatch(/^\$\{azurerm_key_vault\./);
    expect(secret.depends_on).toEqual([expect.stringMatching(/^azurerm_role_assignment\./)]);
    expect(resourcesOfType(tf, 'azurerm_key_vault')).toEqual([expect.objectContaining({ rbac_authorization_enabled: true, purge_protection_enabled: true })]);
  });

  it('publishes the synthesized registry.json as a blob', () => {
    expect(resourcesOfType(tf, 'azurerm_storage_blob')).toEqual([
      expect.objectContaining({
        name: 'prod/registry.json',
        type: 'Block',
        source: '${path.module}/featurestack/registry.json',
        content_md5: '${filemd5("${path.module}/featurestack/registry.json")}',
        storage_account_name: 'chicagolake01',
      }),
    ]);
    expect(Object.values(JSON.parse(tf).output)).toEqual([
      { description: 'Pass to the runtime as --manifest', value: 'abfss://registry@chicagolake01.dfs.core.windows.net/prod/registry.json' },
    ]);
  });

  it('applies the HDFS plan at deploy through a terraform_data local-exec, re-run when the plan changes', () => {
    expect(resourcesOfType(tf, 'terraform_data')).toEqual([
      {
        provisioner: [{ 'local-exec': { command: 'npx --no-install featurestack hdfs apply --plan "${path.module}/featurestack/hdfs-plan.json"' } }],
        triggers_replace: { plan: '${filemd5("${path.module}/featurestack/hdfs-plan.json")}' },
      },
    ]);
  });

  it('creates one scheduled Databricks job on a job cluster per online ADLS-backed view', () => {
    expect(resourcesOfType(tf, 'databricks_job')).toEqual([
      expect.objectContaining({
        name: 'featurestack-materialize-station_reads_hourly',
        job_cluster: [{ job_cluster_key: 'materialize', new_cluster: { node_type_id: 'Standard_D4ds_v5', num_workers: 1, spark_version: '15.4.x-scala2.12' } }],
        schedule: { quartz_cron_expression: '0 5 * * * ?', timezone_id: 'UTC' },
        task: [
          expect.objectContaining({
            job_cluster_key: 'materialize',
            spark_python_task: {
              python_file: 'dbfs:/featurestack/materialize.py',
              parameters: ['--manifest', 'abfss://registry@chicagolake01.dfs.core.windows.net/prod/registry.json', '--feature-view', 'station_reads_hourly', '--incremental'],
            },
          }),
        ],
      }),
    ]);
    expect(resourcesOfType(tf, 'azurerm_databricks_workspace')).toEqual([expect.objectContaining({ name: 'featurestack-prod-dbw', sku: 'premium' })]);
    expect(JSON.parse(tf).provider.databricks).toEqual([
      { host: expect.stringMatching(/^https:\/\/\$\{azurerm_databricks_workspace\..*\.workspace_url\}$/), azure_workspace_resource_id: expect.stringMatching(/\.id\}$/) },
    ]);
  });
});
