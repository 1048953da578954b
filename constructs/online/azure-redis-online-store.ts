import { Construct } from 'constructs';
import type { RedisStoreSpec } from '@featurestack/runtime/manifest';
import { withHash } from '@featurestack/runtime/manifest';
import type { IKeyVault } from '../azure/key-vault';
import { KeyVaultSecret, RedisCache } from '../azure/l1';
import { checkAzureName } from '../azure/naming';
import type { IResourceGroup } from '../azure/resource-group';
import { validateAtSynth } from '../core/validation';
import { IOnlineStore, onlineStoreCommon, OnlineStoreProps } from './online-store';
import { checkPasswordEnv } from './redis-online-store';

export interface AzureRedisOnlineStoreProps extends OnlineStoreProps {
  /** Cache name; the host becomes `<name>.redis.cache.windows.net`. @default the construct id */
  readonly name?: string;
  readonly resourceGroup: IResourceGroup;
  /** Receives the cache's primary key as a secret, for the runtime's deployment to read. */
  readonly keyVault: IKeyVault;
  /** Name of that secret. @default 'featurestack-redis-key' */
  readonly secretName?: string;
  /** Environment variable the runtime reads the key from (filled from the secret at deploy). @default 'FEATURESTACK_REDIS_PASSWORD' */
  readonly passwordEnv?: string;
  /** @default 'Standard' */
  readonly sku?: 'Basic' | 'Standard' | 'Premium';
  /** Size within the SKU's family (C0-C6, P1-P5). @default 1 */
  readonly capacity?: number;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * A new Azure Cache for Redis as the online store: TLS 1.2 only, the non-TLS port
 * closed. Its access key goes to a Key Vault secret; the manifest only names the
 * environment variable the runtime reads it from.
 */
export class AzureRedisOnlineStore extends Construct implements IOnlineStore {
  readonly cache: RedisCache;
  readonly keySecret: KeyVaultSecret;
  private readonly cacheName: string;
  private readonly passwordEnv: string;

  constructor(scope: Construct, id: string, private readonly props: AzureRedisOnlineStoreProps) {
    super(scope, id);
    this.cacheName = props.name ?? id;
    this.passwordEnv = props.passwordEnv ?? 'FEATURESTACK_REDIS_PASSWORD';
    const sku = props.sku ?? 'Standard';
    const secretName = props.secretName ?? 'featurestack-redis-key';
    this.cache = new RedisCache(this, 'Resource', {
      name: this.cacheName,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      location: props.resourceGroup.location,
      skuName: sku,
      family: sku === 'Premium' ? 'P' : 'C',
      capacity: props.capacity ?? 1,
      minimumTlsVersion: '1.2',
      nonSslPortEnabled: false,
      tags: props.tags,
    });
    this.keySecret = new KeyVaultSecret(this, 'KeySecret', {
      name: secretName,
      keyVaultId: props.keyVault.keyVaultId,
      value: this.cache.primaryAccessKey,
      contentType: 'Azure Cache for Redis access key',
      dependsOn: props.keyVault.secretWriteDependencies,
    });
    validateAtSynth(this, () => [
      ...checkAzureName(this, 'Redis cache', this.cacheName),
      ...checkAzureName(this, 'Key Vault secret', secretName),
      ...checkPasswordEnv(this, this.passwordEnv),
    ]);
  }

  toOnlineStoreSpec(): RedisStoreSpec {
    return withHash<RedisStoreSpec>({
      kind: 'redis',
      host: `${this.cacheName}.redis.cache.windows.net`,
      port: 6380,
      tls: true,
      cluster: false,
      passwordEnv: this.passwordEnv,
      ...onlineStoreCommon(this.props),
    });
  }
}
