/**
 * Properties that cannot change in place, for the resource types featurestack emits.
 * Taken from the providers' schemas (`ForceNew`, and `CustomizeDiff` rules that force a
 * new resource only for some transitions): hashicorp/azurerm 4.x, databricks/databricks,
 * terraform's built-in terraform_data. A changed top-level property matches, and so does
 * a change anywhere inside a block listed here.
 */

/** Decides, for a conditional rule, whether this before → after transition forces replacement. */
type Transition = (before: unknown, after: unknown) => boolean;

const always: Transition = () => true;

const upper = (v: unknown) => String(v ?? '').toUpperCase();
const ZONAL = new Set(['ZRS', 'GZRS', 'RAGZRS']);
const NON_ZONAL = new Set(['LRS', 'GRS', 'RAGRS']);
/** azurerm: switching between zonal and non-zonal replication recreates the account. */
const crossesZonalBoundary: Transition = (b, a) =>
  (NON_ZONAL.has(upper(b)) && ZONAL.has(upper(a))) || (ZONAL.has(upper(b)) && NON_ZONAL.has(upper(a)));
/** azurerm: Storage -> StorageV2 (or anything -> StorageV2) is an in-place upgrade; other kind changes recreate. */
const accountKindChange: Transition = (b, a) => b !== 'Storage' && a !== 'StorageV2';
const REDIS_SKU_WEIGHT: Record<string, number> = { Basic: 1, Standard: 2, Premium: 3 };
/** azurerm: a Redis SKU downgrade recreates the cache; upgrades are in place. */
const redisSkuDowngrade: Transition = (b, a) => (REDIS_SKU_WEIGHT[String(b)] ?? 0) > (REDIS_SKU_WEIGHT[String(a)] ?? 0);
/** azurerm: moving a Databricks workspace to or from the trial SKU recreates it. */
const databricksTrialSwitch: Transition = (b, a) => (b === 'trial') !== (a === 'trial');

const forceNew = (...names: string[]) => Object.fromEntries(names.map((n) => [n, always]));

export const FORCES_REPLACEMENT: Readonly<Record<string, Readonly<Record<string, Transition>>>> = {
  azurerm_resource_group: forceNew('name', 'location'),
  azurerm_storage_account: {
    ...forceNew(
      'name',
      'resource_group_name',
      'location',
      'account_tier',
      'is_hns_enabled',
      'nfsv3_enabled',
      'edge_zone',
      'dns_endpoint_type',
      'immutability_policy',
      'infrastructure_encryption_enabled',
      'queue_encryption_key_type',
      'table_encryption_key_type',
    ),
    account_kind: accountKindChange,
    account_replication_type: crossesZonalBoundary,
  },
  azurerm_storage_data_lake_gen2_filesystem: forceNew('name', 'storage_account_id', 'default_encryption_scope'),
  azurerm_storage_data_lake_gen2_path: forceNew('path', 'filesystem_name', 'storage_account_id', 'resource'),
  azurerm_storage_blob: forceNew(
    'name',
    'storage_account_name',
    'storage_container_name',
    'type',
    'size',
    'source',
    'source_uri',
    'source_content',
    'content_md5',
    'parallelism',
    'encryption_scope',
  ),
  azurerm_redis_cache: {
    ...forceNew('name', 'location', 'resource_group_name', 'zones', 'subnet_id', 'private_static_ip_address'),
    sku_name: redisSkuDowngrade,
  },
  azurerm_key_vault: forceNew('name', 'location', 'resource_group_name'),
  // No update in place at all: every argument recreates the assignment.
  azurerm_role_assignment: forceNew(
    'name',
    'scope',
    'role_definition_id',
    'role_definition_name',
    'principal_id',
    'principal_type',
    'condition',
    'condition_version',
    'description',
    'delegated_managed_identity_resource_id',
    'skip_service_principal_aad_check',
  ),
  azurerm_key_vault_secret: forceNew('name', 'key_vault_id'),
  azurerm_databricks_workspace: {
    ...forceNew(
      'name',
      'location',
      'resource_group_name',
      'managed_resource_group_name',
      'custom_parameters',
      'infrastructure_encryption_enabled',
      'load_balancer_backend_address_pool_id',
    ),
    sku: databricksTrialSwitch,
  },
  databricks_job: {},
  databricks_workspace_file: forceNew('path'),
  databricks_secret_scope: forceNew('name', 'backend_type', 'initial_manage_principal', 'keyvault_metadata'),
  terraform_data: forceNew('triggers_replace'),
};

/** What is lost when a resource of this type is destroyed: data that Terraform cannot recreate. */
export const DATA_HOLDING: Readonly<Record<string, string>> = {
  azurerm_resource_group: 'deletes every resource in the group, lakes and caches included',
  azurerm_storage_account: 'deletes every filesystem and file in the account',
  azurerm_storage_data_lake_gen2_filesystem: 'deletes every file in the filesystem',
  azurerm_redis_cache: 'drops every online value: materialize again after',
  azurerm_key_vault: 'deletes the secrets kept in the vault',
  azurerm_databricks_workspace: 'deletes notebooks, job history and DBFS data of the workspace',
};

/** True when changing `property` (a top-level attribute or block) from before to after recreates the resource. */
export function forcesReplacement(type: string, property: string, before: unknown, after: unknown): boolean {
  const rule = FORCES_REPLACEMENT[type]?.[property];
  return rule !== undefined && rule(before, after);
}
