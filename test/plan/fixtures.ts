/**
 * A small feature repository and its infrastructure, as plain objects, plus ways to
 * change them. Hashes are computed last, the way `FeatureRepo` writes them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, withHash } from '../../runtime/manifest/canonical';
import type { Manifest } from '../../runtime/manifest/schema';
import { serializeManifest } from '../../runtime/manifest/validate';

/** A manifest without hashes, every level writable: what a test edits. */
type Unhashed<T> = T extends readonly (infer U)[]
  ? Unhashed<U>[]
  : T extends object
    ? { -readonly [K in keyof T as K extends 'hash' ? never : K]: Unhashed<T[K]> }
    : T;
export type ManifestDraft = Unhashed<Manifest>;

const meta = (description = '') => ({ description, tags: {}, owner: 'ml-platform@example.com' });

export function feature(name: string, dtype: Manifest['featureViews'][number]['features'][number]['dtype']) {
  return { name, dtype, description: '', tags: {} };
}

export function baseDraft(): ManifestDraft {
  return {
    manifestVersion: 1,
    project: 'taxi',
    stack: 'prod',
    onlineStore: { kind: 'redis', host: 'featurestack.redis.cache.windows.net', port: 6380, tls: true, cluster: false, passwordEnv: 'REDIS_PASSWORD', layout: 'compact', keyTtlSeconds: null },
    lakes: [
      { kind: 'hdfs', name: 'onprem', webhdfsUrl: 'http://namenode:9870/webhdfs/v1', user: 'feast' },
      { kind: 'adls', name: 'cloud', accountName: 'featurelake', dfsEndpoint: 'https://featurelake.dfs.core.windows.net', auth: { kind: 'defaultAzureCredential' } },
    ],
    entities: [{ name: 'driver', joinKeys: [{ name: 'driver_id', valueType: 'Int64' }], ...meta('A taxi driver') }],
    dataSources: [
      { kind: 'batch', name: 'driver_stats_source', declaredAs: 'hdfs', lake: 'onprem', filesystem: null, path: '/data/driver_stats', format: 'parquet', timestampField: 'event_timestamp', createdTimestampColumn: 'created', fieldMapping: {}, ...meta() },
      { kind: 'batch', name: 'weather_source', declaredAs: 'adls', lake: 'cloud', filesystem: 'features', path: 'weather/hourly', format: 'parquet', timestampField: 'observed_at', createdTimestampColumn: null, fieldMapping: {}, ...meta() },
      { kind: 'push', name: 'driver_stats_push', batchSource: 'driver_stats_source', ...meta() },
    ],
    featureViews: [
      {
        name: 'driver_hourly_stats',
        entities: ['driver'],
        joinKeys: [{ name: 'driver_id', valueType: 'Int64' }],
        features: [feature('conv_rate', 'Float32'), feature('acc_rate', 'Float32'), feature('avg_daily_trips', 'Int64')],
        ttlSeconds: 86400,
        source: 'driver_stats_push',
        batchSource: 'driver_stats_source',
        online: true,
        offline: true,
        description: 'Hourly driver statistics',
        tags: { team: 'drivers' },
        owner: 'drivers@example.com',
      },
      {
        name: 'weather',
        entities: [],
        joinKeys: [],
        features: [feature('temperature', 'Float64'), feature('precipitation', 'Float64')],
        ttlSeconds: 3600,
        source: 'weather_source',
        batchSource: 'weather_source',
        online: true,
        offline: true,
        ...meta('Hourly weather in Chicago'),
      },
    ],
    featureServices: [
      {
        name: 'driver_activity',
        projections: [
          { featureView: 'driver_hourly_stats', alias: null, features: ['conv_rate', 'acc_rate'], joinKeyMap: {} },
          { featureView: 'weather', alias: null, features: ['temperature'], joinKeyMap: {} },
        ],
        ...meta(),
      },
      { name: 'driver_ranking', projections: [{ featureView: 'driver_hourly_stats', alias: null, features: ['avg_daily_trips'], joinKeyMap: {} }], ...meta() },
    ],
  };
}

/** The hashed manifest for a draft, with every object's content hash filled in. */
export function hashed(draft: ManifestDraft): Manifest {
  const body = {
    ...draft,
    onlineStore: withHash<object>(draft.onlineStore),
    lakes: draft.lakes.map((l) => withHash<object>(l)),
    entities: draft.entities.map((e) => withHash<object>(e)),
    dataSources: draft.dataSources.map((s) => withHash<object>(s)),
    featureViews: draft.featureViews.map((v) => withHash<object>(v)),
    featureServices: draft.featureServices.map((s) => withHash<object>(s)),
    ...(draft.vectorIndexes ? { vectorIndexes: draft.vectorIndexes.map((v) => withHash<object>(v)) } : {}),
  };
  return withHash<Manifest>(body as unknown as Omit<Manifest, 'hash'>);
}

/** The base manifest with `change` applied to a fresh draft. */
export function manifestWith(change: (draft: ManifestDraft) => void = () => undefined): Manifest {
  const draft = baseDraft();
  change(draft);
  return hashed(draft);
}

export function view(draft: ManifestDraft, name: string) {
  const found = draft.featureViews.find((v) => v.name === name);
  if (!found) throw new Error(`fixture has no view ${name}`);
  return found;
}

export function batchSource(draft: ManifestDraft, name: string) {
  const found = draft.dataSources.find((s) => s.name === name);
  if (found?.kind !== 'batch') throw new Error(`fixture has no batch source ${name}`);
  return found;
}

type TerraformDoc = { resource: Record<string, Record<string, Record<string, unknown>>>; [k: string]: unknown };

export const cdktfMeta = (path: string) => ({ '//': { metadata: { path, uniqueId: path.split('/').pop() } } });

export function baseTerraform(): TerraformDoc {
  return {
    '//': { metadata: { backend: 'local', stackName: 'prod', version: '0.21.0' } },
    terraform: { required_providers: { azurerm: { source: 'azurerm', version: '4.40.0' } } },
    resource: {
      azurerm_resource_group: { rg: { ...cdktfMeta('prod/rg'), name: 'featurestack-prod', location: 'westeurope' } },
      azurerm_storage_account: {
        lake: {
          ...cdktfMeta('prod/lake/Resource'),
          name: 'featurelake',
          resource_group_name: '${azurerm_resource_group.rg.name}',
          location: '${azurerm_resource_group.rg.location}',
          account_kind: 'StorageV2',
          account_tier: 'Standard',
          account_replication_type: 'LRS',
          is_hns_enabled: true,
          min_tls_version: 'TLS1_2',
          tags: { team: 'ml-platform' },
        },
      },
      azurerm_storage_data_lake_gen2_filesystem: {
        features: { ...cdktfMeta('prod/lake/features'), name: 'features', storage_account_id: '${azurerm_storage_account.lake.id}' },
      },
      azurerm_redis_cache: {
        online: {
          ...cdktfMeta('prod/online/Resource'),
          name: 'featurestack',
          resource_group_name: '${azurerm_resource_group.rg.name}',
          location: '${azurerm_resource_group.rg.location}',
          capacity: 1,
          family: 'C',
          sku_name: 'Standard',
          minimum_tls_version: '1.2',
          redis_configuration: { maxmemory_policy: 'volatile-lru' },
        },
      },
      azurerm_key_vault_secret: {
        redis_password: { ...cdktfMeta('prod/online/password'), name: 'redis-password', key_vault_id: '${azurerm_key_vault.kv.id}', value: '${azurerm_redis_cache.online.primary_access_key}' },
      },
      databricks_job: {
        materialize: { ...cdktfMeta('prod/materialize'), name: 'materialize-driver_hourly_stats', schedule: { quartz_cron_expression: '0 0 * * * ?', timezone_id: 'UTC' } },
      },
    },
  };
}

export function terraformWith(change: (doc: TerraformDoc) => void = () => undefined): TerraformDoc {
  const doc = baseTerraform();
  change(doc);
  return doc;
}

/** Writes `cdktf.out/stacks/<stack>/{cdk.tf.json,featurestack/registry.json}` under `root`. */
export function writeCdktfOut(root: string, stacks: Record<string, { manifest?: Manifest; terraform?: object }>): string {
  for (const [stack, { manifest, terraform }] of Object.entries(stacks)) {
    const dir = join(root, 'stacks', stack);
    mkdirSync(join(dir, 'featurestack'), { recursive: true });
    if (terraform) writeFileSync(join(dir, 'cdk.tf.json'), canonicalJson(terraform));
    if (manifest) writeFileSync(join(dir, 'featurestack', 'registry.json'), serializeManifest(manifest));
  }
  return root;
}
