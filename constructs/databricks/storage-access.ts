import type { AdlsLakeSpec, FeatureViewSpec, Manifest } from '@featurestack/runtime/manifest';
import { batchSourceOf, findLake } from '@featurestack/runtime/spark';

/** A Databricks secret reference; the value itself never appears in Terraform. */
export function secretRef(scope: string, key: string): string {
  return `{{secrets/${scope}/${key}}}`;
}

/** A secret the operator puts into the scope before the first run. */
export interface RequiredSecret {
  readonly key: string;
  readonly description: string;
}

export interface ClusterAccess {
  /** Spark settings for reading and writing abfss:// paths. */
  readonly sparkConf: Record<string, string>;
  /** Environment variables the featurestack CLI reads (named by the registry). */
  readonly envVars: Record<string, string>;
  readonly secrets: readonly RequiredSecret[];
}

const SERVICE_PRINCIPAL: readonly RequiredSecret[] = [
  { key: 'sp-client-id', description: 'application (client) id of the service principal that reads the lakes' },
  { key: 'sp-client-secret', description: 'client secret of that service principal' },
  { key: 'sp-tenant-id', description: 'its Microsoft Entra tenant id' },
  { key: 'sp-token-endpoint', description: 'https://login.microsoftonline.com/<tenant id>/oauth2/token' },
];

/**
 * How a job cluster reaches the ADLS lakes and the online store: account keys or a
 * service principal (as the registry's lake auth says) and the Redis password, all
 * as references into one secret scope.
 */
export function clusterAccess(manifest: Manifest, lakes: readonly AdlsLakeSpec[], scope: string): ClusterAccess {
  const sparkConf: Record<string, string> = {};
  const envVars: Record<string, string> = {};
  const secrets = new Map<string, RequiredSecret>();
  const need = (s: RequiredSecret) => {
    secrets.set(s.key, s);
    return secretRef(scope, s.key);
  };
  for (const lake of lakes) {
    const host = `${lake.accountName}.dfs.core.windows.net`;
    if (lake.auth.kind === 'defaultAzureCredential') {
      const [id, secret, tenant, endpoint] = SERVICE_PRINCIPAL.map(need);
      sparkConf[`fs.azure.account.auth.type.${host}`] = 'OAuth';
      sparkConf[`fs.azure.account.oauth.provider.type.${host}`] = 'org.apache.hadoop.fs.azurebfs.oauth2.ClientCredsTokenProvider';
      sparkConf[`fs.azure.account.oauth2.client.id.${host}`] = id;
      sparkConf[`fs.azure.account.oauth2.client.secret.${host}`] = secret;
      sparkConf[`fs.azure.account.oauth2.client.endpoint.${host}`] = endpoint;
      // DefaultAzureCredential picks these up (EnvironmentCredential).
      Object.assign(envVars, { AZURE_CLIENT_ID: id, AZURE_CLIENT_SECRET: secret, AZURE_TENANT_ID: tenant });
    } else {
      sparkConf[`fs.azure.account.key.${host}`] = need({ key: `${lake.name}-account-key`, description: `account key of storage account ${lake.accountName}` });
      envVars[lake.auth.env] = need({
        key: `${lake.name}-${lake.auth.kind === 'accountKey' ? 'account-key' : 'connection-string'}`,
        description: `${lake.auth.kind === 'accountKey' ? 'account key' : 'connection string'} of storage account ${lake.accountName}`,
      });
    }
  }
  const online = manifest.onlineStore;
  if (online.kind === 'redis' && online.passwordEnv) {
    envVars[online.passwordEnv] = need({ key: 'redis-password', description: `password of the online store ${online.host}` });
  }
  return { sparkConf, envVars, secrets: [...secrets.values()] };
}

/** The ADLS lake holding a view's batch source, or null when it lives elsewhere. */
export function adlsLakeOf(manifest: Manifest, view: FeatureViewSpec): AdlsLakeSpec | null {
  const lake = findLake(manifest, batchSourceOf(manifest, view).lake);
  return lake.kind === 'adls' ? lake : null;
}

/** Databricks materializes the views that are served online and read from ADLS. */
export function isOnlineAdlsView(manifest: Manifest, view: FeatureViewSpec): boolean {
  return view.online && adlsLakeOf(manifest, view) !== null;
}
