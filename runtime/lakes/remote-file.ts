import { userInfo } from 'node:os';
import { FeatureStoreError } from '../errors';
import { AdlsFileSystem } from './adls-lake';
import { adlsEndpoint, webhdfsUrl } from './endpoints';
import { WebHdfsClient } from './webhdfs-client';
import { WebHdfsFileSystem } from './webhdfs-lake';

const WEBHDFS_DEFAULT_PORT = 9870;

function hdfsUser(env: NodeJS.ProcessEnv): string {
  return env.HADOOP_USER_NAME || userInfo().username;
}

/**
 * Reads a whole file given as a URL, without a manifest (the manifest itself is one):
 * - `hdfs://namenode[:rpcPort]/path` through WebHDFS at FEATURESTACK_WEBHDFS_URL, else
 *   `http://namenode:9870/webhdfs/v1`; `webhdfs://host:port/path` through `http://host:port/webhdfs/v1`.
 *   The user is HADOOP_USER_NAME, else the login name.
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
    case 'webhdfs:': {
      const fallback = parsed.protocol === 'hdfs:' ? `http://${parsed.hostname}:${WEBHDFS_DEFAULT_PORT}/webhdfs/v1` : `http://${parsed.host}/webhdfs/v1`;
      const client = new WebHdfsClient(webhdfsUrl(fallback, env), hdfsUser(env));
      return new WebHdfsFileSystem(client, parsed.host).readFile(path);
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
