import { posix } from 'node:path';
import type { BatchSourceSpec, LakeSpec } from '../manifest/schema';

/**
 * Where a batch source's data lives, written the way its users name it: a local
 * path, an `hdfs://` path on the namenode, or an `abfss://` URL.
 */
export function sourceLocation(source: BatchSourceSpec, lake: LakeSpec): string {
  const relative = source.path.replace(/^\/+/, '');
  switch (lake.kind) {
    case 'local':
      return posix.join(lake.root, source.filesystem ?? '', relative);
    case 'hdfs':
      return `hdfs://${new URL(lake.webhdfsUrl).hostname}/${relative}`;
    case 'adls':
      return `abfss://${source.filesystem ?? ''}@${new URL(lake.dfsEndpoint).host}/${relative}`;
  }
}

/** The lake's endpoint and how it authenticates, without any secret (names only). */
export function lakeEndpoint(lake: LakeSpec): string {
  switch (lake.kind) {
    case 'local':
      return `folder ${lake.root}`;
    case 'hdfs':
      return `${lake.webhdfsUrl} as ${lake.user}`;
    case 'adls': {
      const auth = lake.auth.kind === 'defaultAzureCredential' ? 'DefaultAzureCredential' : `${lake.auth.kind} from $${lake.auth.env}`;
      return `${lake.dfsEndpoint} (${auth})`;
    }
  }
}

/** "HDFS", "ADLS Gen2" or "local": how the lake is named in tables and graphs. */
export function lakeKindLabel(lake: LakeSpec): string {
  return { local: 'local', hdfs: 'HDFS', adls: 'ADLS Gen2' }[lake.kind];
}
