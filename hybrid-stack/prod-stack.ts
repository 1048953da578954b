import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import {
  AdlsLake,
  AzureProvider,
  AzureManagedRedisOnlineStore,
  AzureRedisOnlineStore,
  DatabricksMaterializationJobs,
  DatabricksWorkspace,
  FeatureRepo,
  HdfsFile,
  HdfsLake,
  type HdfsLakeProps,
  type IOnlineStore,
  KeyVault,
  LocalLake,
  RegistryPublisher,
  ResourceGroup,
} from '../constructs';
import type { OnlineStoreSpec } from '../runtime/manifest/schema';
import { declareExampleFeatures } from '../features';
import { PROJECT } from './local-stack';

/** Settings that differ between installations, read from the environment. */
export interface ProdSettings {
  /** FEATURESTACK_PROD_WEBHDFS_URL: one WebHDFS URL, or several separated by commas for HA namenodes. */
  readonly webhdfsUrl: string;
  /** FEATURESTACK_PROD_HDFS_RPC_URL, e.g. `hdfs://prod-ns` (needed with HA namenodes, for Spark). */
  readonly hdfsRpcUrl?: string;
  /** FEATURESTACK_PROD_HDFS_PRINCIPAL: turns Kerberos on, as this principal. */
  readonly hdfsPrincipal?: string;
  /** FEATURESTACK_PROD_HDFS_KEYTAB: the keytab's path where featurestack runs; absent: the kinit ticket cache. */
  readonly hdfsKeytab?: string;
  /** FEATURESTACK_PROD_HDFS_CA_BUNDLE: the CA bundle (PEM) of https namenodes. */
  readonly hdfsCaBundle?: string;
  /** FEATURESTACK_PROD_LOCATION */
  readonly location: string;
  /** FEATURESTACK_PROD_STORAGE_ACCOUNT */
  readonly storageAccount: string;
  /** FEATURESTACK_PROD_NAME_PREFIX: prefix of the Azure resource names that must be globally unique. */
  readonly namePrefix: string;
}

export function prodSettingsFrom(env: NodeJS.ProcessEnv): ProdSettings {
  return {
    webhdfsUrl: env.FEATURESTACK_PROD_WEBHDFS_URL ?? 'http://namenode.hadoop.internal:9870/webhdfs/v1',
    hdfsRpcUrl: env.FEATURESTACK_PROD_HDFS_RPC_URL,
    hdfsPrincipal: env.FEATURESTACK_PROD_HDFS_PRINCIPAL,
    hdfsKeytab: env.FEATURESTACK_PROD_HDFS_KEYTAB,
    hdfsCaBundle: env.FEATURESTACK_PROD_HDFS_CA_BUNDLE,
    location: env.FEATURESTACK_PROD_LOCATION ?? 'westeurope',
    storageAccount: env.FEATURESTACK_PROD_STORAGE_ACCOUNT ?? 'featurestackprodlake',
    namePrefix: env.FEATURESTACK_PROD_NAME_PREFIX ?? 'featurestack-prod',
  };
}

/** The on-prem lake: one namenode or an HA pair, plain or kerberized, http or https. */
function hdfsLakeProps(settings: ProdSettings): HdfsLakeProps {
  const namenodes = settings.webhdfsUrl.split(',').map((u) => u.trim()).filter(Boolean);
  return {
    ...(namenodes.length > 1 ? { namenodes } : { webhdfsUrl: namenodes[0] }),
    user: 'featurestack',
    ...(settings.hdfsRpcUrl ? { rpcUrl: settings.hdfsRpcUrl } : {}),
    ...(settings.hdfsPrincipal
      ? {
          kerberos: { principal: settings.hdfsPrincipal, ...(settings.hdfsKeytab ? { keytab: HdfsFile.path(settings.hdfsKeytab) } : {}) },
          // A scheduler that already holds a token hands it in here instead.
          delegationTokenEnv: 'HDFS_DELEGATION_TOKEN',
        }
      : {}),
    ...(settings.hdfsCaBundle ? { caBundle: HdfsFile.path(settings.hdfsCaBundle) } : {}),
  };
}

/** The repository's online store, decided once its definitions are declared. */
class ChosenOnlineStore extends Construct implements IOnlineStore {
  store: IOnlineStore | undefined;

  toOnlineStoreSpec(): OnlineStoreSpec {
    if (!this.store) throw new Error(`${this.node.path}: no online store chosen yet`);
    return this.store.toOnlineStoreSpec();
  }
}

/**
 * Production across both estates: the taxi data on the on-prem HDFS cluster, the
 * weather in a new ADLS Gen2 account, Azure Cache for Redis online (Azure Managed Redis
 * with RediSearch when a view declares a vector index), Databricks jobs
 * materializing the ADLS views, and the registry published to ADLS.
 */
export class ProdStack extends TerraformStack {
  readonly repo: FeatureRepo;
  readonly publisher: RegistryPublisher;

  constructor(scope: Construct, id = 'prod', settings: ProdSettings = prodSettingsFrom(process.env)) {
    super(scope, id);
    new AzureProvider(this, 'azure');
    const resourceGroup = new ResourceGroup(this, 'rg', { name: `${settings.namePrefix}-rg`, location: settings.location });
    const keyVault = new KeyVault(this, 'vault', { name: `${settings.namePrefix}-kv`, resourceGroup });
    const onlineStore = new ChosenOnlineStore(this, 'online-store-choice');
    const adls = new AdlsLake(this, 'adls', { accountName: settings.storageAccount, resourceGroup });
    const hdfs = new HdfsLake(this, 'hdfs', hdfsLakeProps(settings));
    const files = new LocalLake(this, 'files', { root: '/var/lib/featurestack/files' });

    this.repo = new FeatureRepo(this, 'repo', { project: PROJECT, onlineStore });
    declareExampleFeatures(this.repo, { hdfs, adls, files });
    // Vector indexes need Redis's query engine: Azure Managed Redis with RediSearch; otherwise Azure Cache for Redis.
    const online = { name: `${settings.namePrefix}-online`, resourceGroup, keyVault };
    onlineStore.store =
      this.repo.contents().vectorIndexes.length > 0 ? new AzureManagedRedisOnlineStore(this, 'online', online) : new AzureRedisOnlineStore(this, 'online', online);

    this.publisher = new RegistryPublisher(this, 'registry', { lake: adls });
    const workspace = new DatabricksWorkspace(this, 'databricks', { name: `${settings.namePrefix}-dbw`, resourceGroup });
    // Every definition is declared above, so the manifest is complete here.
    new DatabricksMaterializationJobs(this, 'materialize', { manifest: this.repo.toManifest(), registryUrl: this.publisher.registryUrl, workspace });
  }
}
