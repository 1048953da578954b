import { userInfo } from 'node:os';
import { FeatureStoreError } from '../errors';
import { AdlsFileSystem } from './adls-lake';
import type { HdfsAuthSpec } from '../manifest/schema';
import { adlsEndpoint } from './endpoints';
import { namenodeUrls, webHdfsClientOptions, type HdfsConnectionSpec } from './hdfs-connection';
import { WebHdfsClient } from './webhdfs-client';
import { WebHdfsFileSystem } from './webhdfs-lake';

const WEBHDFS_DEFAULT_PORT = 9870;

function hdfsUser(env: NodeJS.ProcessEnv): string {
  return env.HADOOP_USER_NAME || userInfo().username;
}

/**
 * The security of a registry read, from the environment (there is no manifest yet):
 * FEATURESTACK_HDFS_DELEGATION_TOKEN, else Kerberos as FEATURESTACK_HDFS_PRINCIPAL (with
 * FEATURESTACK_HDFS_KEYTAB, else the ticket cache), and FEATURESTACK_HDFS_CA_BUNDLE.
 */
function registryConnection(env: NodeJS.ProcessEnv, webhdfsUrl: string): HdfsConnectionSpec {
  const auth: HdfsAuthSpec | undefined = env.FEATURESTACK_HDFS_DELEGATION_TOKEN
    ? { kind: 'delegationToken', env: 'FEATURESTACK_HDFS_DELEGATION_TOKEN' }
    : env.FEATURESTACK_HDFS_PRINCIPAL
      ? {
          kind: 'kerberos',
          principal: { env: 'FEATURESTACK_HDFS_PRINCIPAL' },
          ...(env.FEATURESTACK_HDFS_KEYTAB ? { keytab: { env: 'FEATURESTACK_HDFS_KEYTAB' } } : {}),
          ...(env.KRB5_CONFIG ? { krb5Config: { env: 'KRB5_CONFIG' } } : {}),
          ...(env.KRB5CCNAME ? { ticketCache: { env: 'KRB5CCNAME' } } : {}),
        }
      : undefined;
  return { webhdfsUrl, user: hdfsUser(env), auth, ...(env.FEATURESTACK_HDFS_CA_BUNDLE ? { tls: { caBundle: { env: 'FEATURESTACK_HDFS_CA_BUNDLE' } } } : {}) };
}

/**
 * Reads a whole file given as a URL, without a manifest (the manifest itself is one):
 * - `hdfs://namenode[:rpcPort]/path` through WebHDFS at FEATURESTACK_WEBHDFS_URL, else
 *   `http://namenode:9870/webhdfs/v1`; `webhdfs://host:port/path` through `http://host:port/webhdfs/v1`,
 *   `swebhdfs://host:port/path` through `https://host:port/webhdfs/v1`. The user is HADOOP_USER_NAME,
 *   else the login name; Kerberos, a delegation token and a CA bundle as `registryConnection` says.
 * - `abfss://filesystem@account.dfs.core.windows.net/path` through FEATURESTACK_ADLS_URL, else
 *   `https://account.dfs.core.windows.net`; authenticated by AZURE_STORAGE_CONNECTION_STRING,
 *   else AZURE_STORAGE_KEY (account key), else DefaultAzureCredential.
 */
export async function readRemoteFile(url: string, env: NodeJS.ProcessEnv): Promise<Uint8Array> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FeatureStoreError('MANIFEST_NOT_FOUND', `${url} is not a URL`, 'use hdfs://namenode/path, webhdfs://host:port/path or abfss://filesystem@account.dfs.core.windows.net/path');
  }
  const path = decodeURIComponent(parsed.pathname);
  switch (parsed.protocol) {
    case 'hdfs:':
    case 'webhdfs:':
    case 'swebhdfs:': {
      const fallback =
        parsed.protocol === 'hdfs:' ? `http://${parsed.hostname}:${WEBHDFS_DEFAULT_PORT}/webhdfs/v1` : `${parsed.protocol === 'swebhdfs:' ? 'https' : 'http'}://${parsed.host}/webhdfs/v1`;
      const [first, ...others] = namenodeUrls({ webhdfsUrl: fallback }, env);
      const fileSystem = new WebHdfsFileSystem(new WebHdfsClient(first, hdfsUser(env), { ...webHdfsClientOptions(registryConnection(env, first), env, parsed.host), namenodes: others }), parsed.host);
      try {
        return await fileSystem.readFile(path);
      } finally {
        await fileSystem.close();
      }
    }
    case 'abfs:':
    case 'abfss:': {
      const filesystem = decodeURIComponent(parsed.username);
      const accountName = parsed.hostname.split('.')[0];
      if (!filesystem || !accountName) {
        throw new FeatureStoreError('MANIFEST_NOT_FOUND', `${url} does not name a filesystem and an account`, 'use abfss://<filesystem>@<account>.dfs.core.windows.net/<path>');
      }
      const auth = env.AZURE_STORAGE_CONNECTION_STRING
        ? ({ kind: 'connectionString', env: 'AZURE_STORAGE_CONNECTION_STRING' } as const)
        : env.AZURE_STORAGE_KEY
          ? ({ kind: 'accountKey', env: 'AZURE_STORAGE_KEY' } as const)
          : ({ kind: 'defaultAzureCredential' } as const);
      const endpoint = adlsEndpoint(`https://${parsed.hostname}`, env);
      return new AdlsFileSystem({ lakeName: accountName, endpoint, accountName, auth }, env).readFile(`${filesystem}${path}`);
    }
    default:
      throw new FeatureStoreError('MANIFEST_NOT_FOUND', `${url}: unsupported scheme ${parsed.protocol}`, 'use a local path, hdfs://, webhdfs:// or abfss://');
  }
}
