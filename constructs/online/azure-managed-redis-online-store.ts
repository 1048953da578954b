import { Construct } from 'constructs';
import { Token } from 'cdktf';
import type { RedisStoreSpec } from '@featurestack/runtime/manifest';
import { withHash } from '@featurestack/runtime/manifest';
import type { IKeyVault } from '../azure/key-vault';
import { KeyVaultSecret, ManagedRedis } from '../azure/l1';
import { checkAzureName } from '../azure/naming';
import type { IResourceGroup } from '../azure/resource-group';
import { problem, validateAtSynth } from '../core/validation';
import { IOnlineStore, onlineStoreCommon, OnlineStoreProps } from './online-store';
import { checkPasswordEnv } from './redis-online-store';

/** The port Azure Managed Redis serves its database on (TLS). */
export const MANAGED_REDIS_PORT = 10000;

export interface AzureManagedRedisOnlineStoreProps extends OnlineStoreProps {
  /** Instance name; the host becomes `<name>.<location>.redis.azure.net`. @default the construct id */
  readonly name?: string;
  readonly resourceGroup: IResourceGroup;
  /** Receives the database's primary key as a secret, for the runtime's deployment to read. */
  readonly keyVault: IKeyVault;
  /** Name of that secret. @default 'featurestack-redis-key' */
  readonly secretName?: string;
  /** Environment variable the runtime reads the key from (filled from the secret at deploy). @default 'FEATURESTACK_REDIS_PASSWORD' */
  readonly passwordEnv?: string;
  /** Azure Managed Redis SKU, e.g. `Balanced_B1`, `MemoryOptimized_M10`. @default 'Balanced_B1' */
  readonly sku?: string;
  /** A replica in another zone. @default true */
  readonly highAvailability?: boolean;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * A new Azure Managed Redis as the online store, with the RediSearch module, so that
 * it serves vector indexes (`FT.CREATE … VECTOR`, `FT.SEARCH … KNN`) besides
 * lookups: TLS only (`Encrypted`), the Enterprise cluster policy (one endpoint, which
 * RediSearch needs; the runtime connects without Redis Cluster), no eviction (a module
 * database requires it). Its access key goes to a Key Vault secret; the manifest only
 * names the environment variable the runtime reads it from.
 */
export class AzureManagedRedisOnlineStore extends Construct implements IOnlineStore {
  readonly resource: ManagedRedis;
  readonly keySecret: KeyVaultSecret;
  private readonly instanceName: string;
  private readonly passwordEnv: string;

  constructor(scope: Construct, id: string, private readonly props: AzureManagedRedisOnlineStoreProps) {
    super(scope, id);
    this.instanceName = props.name ?? id;
    this.passwordEnv = props.passwordEnv ?? 'FEATURESTACK_REDIS_PASSWORD';
    const secretName = props.secretName ?? 'featurestack-redis-key';
    this.resource = new ManagedRedis(this, 'Resource', {
      name: this.instanceName,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      location: props.resourceGroup.location,
      skuName: props.sku ?? 'Balanced_B1',
      highAvailabilityEnabled: props.highAvailability ?? true,
      defaultDatabase: {
        clientProtocol: 'Encrypted',
        clusteringPolicy: 'EnterpriseCluster',
        evictionPolicy: 'NoEviction',
        accessKeysAuthenticationEnabled: true,
        module: [{ name: 'RediSearch' }],
      },
      tags: props.tags,
    });
    this.keySecret = new KeyVaultSecret(this, 'KeySecret', {
      name: secretName,
      keyVaultId: props.keyVault.keyVaultId,
      value: this.resource.defaultDatabase.primaryAccessKey,
      contentType: 'Azure Managed Redis access key',
      dependsOn: props.keyVault.secretWriteDependencies,
    });
    validateAtSynth(this, () => [
      ...checkAzureName(this, 'Redis cache', this.instanceName),
      ...checkAzureName(this, 'Key Vault secret', secretName),
      ...checkPasswordEnv(this, this.passwordEnv),
      ...(Token.isUnresolved(props.resourceGroup.location)
        ? [problem(this, 'the resource group\'s location is only known at deploy time, so the registry cannot name the host', 'give the resource group a location string, e.g. "westeurope"')]
        : []),
    ]);
  }

  toOnlineStoreSpec(): RedisStoreSpec {
    return withHash<RedisStoreSpec>({
      kind: 'redis',
      host: `${this.instanceName}.${this.props.resourceGroup.location}.redis.azure.net`,
      port: MANAGED_REDIS_PORT,
      tls: true,
      cluster: false,
      passwordEnv: this.passwordEnv,
      ...onlineStoreCommon(this.props),
    });
  }
}
