import { DefaultAzureCredential } from '@azure/identity';
import { AnonymousCredential, DataLakeServiceClient, StorageSharedKeyCredential, type StoragePipelineOptions } from '@azure/storage-file-datalake';
import { FeatureStoreError } from '../errors';
import type { AdlsAuthSpec } from '../manifest/schema';

const PIPELINE: StoragePipelineOptions = { retryOptions: { maxTries: 3, retryDelayInMs: 500, maxRetryDelayInMs: 5000 } };

export interface AdlsTarget {
  readonly lakeName: string;
  /** DFS endpoint, after FEATURESTACK_ADLS_URL. */
  readonly endpoint: string;
  readonly accountName: string;
  readonly auth: AdlsAuthSpec;
}

function secret(env: NodeJS.ProcessEnv, name: string, target: AdlsTarget, what: string): string {
  const value = env[name];
  if (!value) {
    throw new FeatureStoreError('UNAUTHORIZED', `ADLS lake "${target.lakeName}": environment variable ${name} (the ${what}) is not set`, `set ${name}, or change the lake's auth in the definitions`);
  }
  return value;
}

function parseConnectionString(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return fields;
}

/**
 * The account name that signs shared-key requests. An emulator URL is IP style
 * (`http://127.0.0.1:10000/devstoreaccount1`) and its first path segment is the account.
 */
function signingAccount(endpoint: string, fallback: string): string {
  const url = new URL(endpoint);
  const ipStyle = /^(\d+\.){3}\d+$|^localhost$|^\[[0-9a-f:]+\]$/i.test(url.hostname);
  const first = url.pathname.split('/').filter(Boolean)[0];
  return ipStyle && first ? first : fallback;
}

/**
 * A Data Lake client with the lake's credential: DefaultAzureCredential, a connection
 * string (account key or SAS) or an account key, each read from the environment.
 * The manifest names the variable; the secret never appears in it.
 */
export function adlsServiceClient(target: AdlsTarget, env: NodeJS.ProcessEnv): DataLakeServiceClient {
  const { auth, endpoint } = target;
  switch (auth.kind) {
    case 'defaultAzureCredential':
      return new DataLakeServiceClient(endpoint, new DefaultAzureCredential(), PIPELINE);
    case 'accountKey':
      return new DataLakeServiceClient(endpoint, new StorageSharedKeyCredential(signingAccount(endpoint, target.accountName), secret(env, auth.env, target, 'account key')), PIPELINE);
    case 'connectionString': {
      const fields = parseConnectionString(secret(env, auth.env, target, 'connection string'));
      const key = fields.get('accountkey');
      if (key) {
        return new DataLakeServiceClient(endpoint, new StorageSharedKeyCredential(signingAccount(endpoint, fields.get('accountname') ?? target.accountName), key), PIPELINE);
      }
      const sas = fields.get('sharedaccesssignature');
      if (sas) return new DataLakeServiceClient(`${endpoint}?${sas.replace(/^\?/, '')}`, new AnonymousCredential(), PIPELINE);
      throw new FeatureStoreError('UNAUTHORIZED', `ADLS lake "${target.lakeName}": the connection string in ${auth.env} has neither AccountKey nor SharedAccessSignature`, 'copy the full connection string from the storage account\'s Access keys page');
    }
  }
}
