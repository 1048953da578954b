/** One scenario per kind of change a reviewer meets; each has golden outputs in golden/. */
import type { Manifest } from '../../runtime/manifest/schema';
import { buildPlan, Plan, resourcesOf } from '../../runtime/plan';
import { baseTerraform, batchSource, cdktfMeta, feature, manifestWith, terraformWith, view } from './fixtures';

export interface Scenario {
  readonly name: string;
  readonly base: { manifest: Manifest; terraform: object };
  readonly head: { manifest: Manifest; terraform: object };
  /** What the plan must say, checked besides the golden bytes. */
  readonly expect: { breaking: number; destroysData: number; features: number; resources: number };
}

type Res = Record<string, unknown>;

export const SCENARIOS: Scenario[] = [
  {
    name: 'no-changes',
    base: { manifest: manifestWith(), terraform: baseTerraform() },
    head: { manifest: manifestWith(), terraform: baseTerraform() },
    expect: { breaking: 0, destroysData: 0, features: 0, resources: 0 },
  },
  {
    name: 'created',
    base: { manifest: manifestWith(), terraform: baseTerraform() },
    head: {
      manifest: manifestWith((d) => {
        d.entities.push({ name: 'customer', joinKeys: [{ name: 'customer_id', valueType: 'String' }], description: 'A rider', tags: {}, owner: 'riders@example.com' });
        d.dataSources.push({ kind: 'batch', name: 'customer_profile_source', declaredAs: 'adls', lake: 'cloud', filesystem: 'features', path: 'customers/profile', format: 'parquet', timestampField: 'updated_at', createdTimestampColumn: null, fieldMapping: {}, description: '', tags: {}, owner: 'riders@example.com' });
        d.featureViews.push({ name: 'customer_profile', entities: ['customer'], joinKeys: [{ name: 'customer_id', valueType: 'String' }], features: [feature('lifetime_trips', 'Int64'), feature('rating', 'Float32')], ttlSeconds: 0, source: 'customer_profile_source', batchSource: 'customer_profile_source', online: false, offline: true, description: '', tags: {}, owner: 'riders@example.com' });
        d.featureServices.push({ name: 'customer_scoring', projections: [{ featureView: 'customer_profile', alias: null, features: ['lifetime_trips', 'rating'], joinKeyMap: {} }], description: '', tags: {}, owner: 'riders@example.com' });
      }),
      terraform: terraformWith((t) => {
        t.resource.azurerm_storage_data_lake_gen2_path = {
          customers: { path: 'customers/profile', filesystem_name: '${azurerm_storage_data_lake_gen2_filesystem.features.name}', storage_account_id: '${azurerm_storage_account.lake.id}', resource: 'directory' },
        };
      }),
    },
    expect: { breaking: 0, destroysData: 0, features: 4, resources: 1 },
  },
  {
    name: 'deleted',
    base: { manifest: manifestWith(), terraform: baseTerraform() },
    head: {
      manifest: manifestWith((d) => {
        d.featureViews = d.featureViews.filter((v) => v.name !== 'weather');
        d.dataSources = d.dataSources.filter((s) => s.name !== 'weather_source');
        d.featureServices = d.featureServices.filter((s) => s.name !== 'driver_ranking');
        d.featureServices[0].projections = d.featureServices[0].projections.filter((p) => p.featureView !== 'weather');
      }),
      terraform: terraformWith((t) => {
        delete t.resource.databricks_job;
        delete t.resource.azurerm_redis_cache;
        delete t.resource.azurerm_key_vault_secret;
      }),
    },
    expect: { breaking: 3, destroysData: 1, features: 4, resources: 3 },
  },
  {
    name: 'updated-safely',
    base: { manifest: manifestWith(), terraform: baseTerraform() },
    head: {
      manifest: manifestWith((d) => {
        const stats = view(d, 'driver_hourly_stats');
        stats.ttlSeconds = 2 * 86400;
        stats.tags.tier = 'gold';
        stats.owner = 'driver-analytics@example.com';
        stats.features.push(feature('trips_today', 'Int32'));
        d.featureServices[0].projections[0].features.push('trips_today');
        const weather = batchSource(d, 'weather_source');
        weather.path = 'weather/hourly_v2';
        weather.description = 'NOAA hourly observations';
      }),
      terraform: terraformWith((t) => {
        (t.resource.azurerm_redis_cache.online as Res).capacity = 2;
        (t.resource.azurerm_storage_account.lake as Res).account_replication_type = 'GRS';
        (t.resource.azurerm_storage_account.lake as Res).tags = { team: 'ml-platform', cost_center: '42' };
      }),
    },
    expect: { breaking: 0, destroysData: 0, features: 3, resources: 2 },
  },
  {
    name: 'breaking-dtype-ttl-online',
    base: { manifest: manifestWith(), terraform: baseTerraform() },
    head: {
      manifest: manifestWith((d) => {
        const stats = view(d, 'driver_hourly_stats');
        stats.features[0].dtype = 'Float64';
        stats.ttlSeconds = 3600;
        view(d, 'weather').online = false;
      }),
      terraform: baseTerraform(),
    },
    expect: { breaking: 3, destroysData: 0, features: 2, resources: 0 },
  },
  {
    name: 'breaking-rename',
    base: { manifest: manifestWith(), terraform: baseTerraform() },
    head: {
      manifest: manifestWith((d) => {
        view(d, 'driver_hourly_stats').features[1].name = 'acceleration_rate';
        d.featureServices[0].projections[0].features = ['conv_rate', 'acceleration_rate'];
      }),
      terraform: baseTerraform(),
    },
    expect: { breaking: 2, destroysData: 0, features: 2, resources: 0 },
  },
  {
    name: 'breaking-keys',
    base: { manifest: manifestWith(), terraform: baseTerraform() },
    head: {
      manifest: manifestWith((d) => {
        d.entities[0].joinKeys = [{ name: 'driver_id', valueType: 'String' }];
        view(d, 'driver_hourly_stats').joinKeys = [{ name: 'driver_id', valueType: 'String' }];
        const weather = view(d, 'weather');
        weather.entities = ['driver'];
        weather.joinKeys = [{ name: 'driver_id', valueType: 'String' }];
      }),
      terraform: baseTerraform(),
    },
    expect: { breaking: 4, destroysData: 0, features: 3, resources: 0 },
  },
  {
    name: 'breaking-source',
    base: { manifest: manifestWith(), terraform: baseTerraform() },
    head: {
      manifest: manifestWith((d) => {
        const source = batchSource(d, 'driver_stats_source');
        source.timestampField = 'event_ts';
        source.createdTimestampColumn = null;
        source.path = '/data/v2/driver_stats';
      }),
      terraform: baseTerraform(),
    },
    expect: { breaking: 2, destroysData: 0, features: 1, resources: 0 },
  },
  {
    name: 'infrastructure-destructive',
    base: { manifest: manifestWith(), terraform: baseTerraform() },
    head: {
      manifest: manifestWith(),
      terraform: terraformWith((t) => {
        (t.resource.azurerm_storage_account.lake as Res).account_kind = 'BlobStorage';
        (t.resource.azurerm_redis_cache.online as Res).sku_name = 'Basic';
        (t.resource.azurerm_key_vault_secret.redis_password as Res).value = 'hunter2-literal';
        (t.resource.databricks_job.materialize as Res).schedule = { quartz_cron_expression: '0 30 * * * ?', timezone_id: 'UTC' };
      }),
    },
    expect: { breaking: 0, destroysData: 3, features: 0, resources: 5 },
  },
  {
    name: 'many-changes-folded',
    base: { manifest: manifestWith(), terraform: baseTerraform() },
    head: {
      manifest: manifestWith((d) => {
        d.onlineStore.layout = 'feast';
        const names = Array.from({ length: 12 }, (_, i) => `zone_demand_${String(i + 1).padStart(2, '0')}`);
        for (const name of names) {
          d.featureViews.push({ name, entities: [], joinKeys: [], features: [feature('trips', 'Int64')], ttlSeconds: 900, source: 'weather_source', batchSource: 'weather_source', online: true, offline: true, description: '', tags: {}, owner: 'demand@example.com' });
        }
        d.featureServices.push({ name: 'demand', projections: names.map((featureView) => ({ featureView, alias: null, features: ['trips'], joinKeyMap: {} })), description: '', tags: {}, owner: 'demand@example.com' });
      }),
      terraform: baseTerraform(),
    },
    expect: { breaking: 1, destroysData: 0, features: 14, resources: 0 },
  },
  {
    // A view gains an embedding and a vector index: the prod stack moves online to Azure Managed Redis with RediSearch.
    name: 'vector-index-added',
    base: { manifest: manifestWith(), terraform: baseTerraform() },
    head: {
      manifest: manifestWith((d) => {
        view(d, 'driver_hourly_stats').features.push(feature('profile_embedding', 'Array(Float32)'));
        d.vectorIndexes = [{ name: 'driver_profiles', featureView: 'driver_hourly_stats', field: 'profile_embedding', dimension: 384, metric: 'COSINE', algorithm: { kind: 'hnsw', m: 16, efConstruction: 200, efRuntime: 64 } } as never];
        Object.assign(d.onlineStore, { host: 'featurestack.westeurope.redis.azure.net', port: 10000 });
      }),
      terraform: terraformWith((t) => {
        delete t.resource.azurerm_redis_cache;
        t.resource.azurerm_managed_redis = {
          online: {
            ...cdktfMeta('prod/online/Resource'),
            name: 'featurestack',
            resource_group_name: '${azurerm_resource_group.rg.name}',
            location: '${azurerm_resource_group.rg.location}',
            sku_name: 'Balanced_B1',
            high_availability_enabled: true,
            default_database: { client_protocol: 'Encrypted', clustering_policy: 'EnterpriseCluster', eviction_policy: 'NoEviction', access_keys_authentication_enabled: true, module: [{ name: 'RediSearch' }] },
          },
        };
        (t.resource.azurerm_key_vault_secret.redis_password as Res).value = '${azurerm_managed_redis.online.default_database[0].primary_access_key}';
      }),
    },
    expect: { breaking: 0, destroysData: 1, features: 3, resources: 3 },
  },
];

export const BASE_LABEL = 'base/cdktf.out';
export const HEAD_LABEL = 'cdktf.out';

export function planOf(s: Scenario): Plan {
  return buildPlan(
    'prod',
    { label: BASE_LABEL, manifest: s.base.manifest, resources: resourcesOf(s.base.terraform, BASE_LABEL) },
    { label: HEAD_LABEL, manifest: s.head.manifest, resources: resourcesOf(s.head.terraform, HEAD_LABEL) },
  );
}
