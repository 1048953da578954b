// The generated azurerm bindings this library wraps. Deep imports: the package index
// loads every Azure resource type and costs seconds per synth.
export { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
export { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
export { ResourceGroup as ResourceGroupResource } from '@cdktf/provider-azurerm/lib/resource-group';
export { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
export { StorageDataLakeGen2Filesystem } from '@cdktf/provider-azurerm/lib/storage-data-lake-gen2-filesystem';
export { StorageDataLakeGen2Path } from '@cdktf/provider-azurerm/lib/storage-data-lake-gen2-path';
export { StorageBlob } from '@cdktf/provider-azurerm/lib/storage-blob';
export { RedisCache } from '@cdktf/provider-azurerm/lib/redis-cache';
export { ManagedRedis } from '@cdktf/provider-azurerm/lib/managed-redis';
export { KeyVault as KeyVaultResource } from '@cdktf/provider-azurerm/lib/key-vault';
export { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';
export { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
export { DatabricksWorkspace as DatabricksWorkspaceResource } from '@cdktf/provider-azurerm/lib/databricks-workspace';
