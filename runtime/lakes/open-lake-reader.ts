import type { LakeSpec } from '../manifest/schema';
import { adlsEndpoint, countLocalLakes, localLakeRoot } from './endpoints';
import type { LakeReader } from './lake-reader';

/**
 * Opens the reader for a lake. Endpoints can be overridden by environment:
 * FEATURESTACK_LAKE_ROOT (local lakes), FEATURESTACK_WEBHDFS_URL, FEATURESTACK_ADLS_URL
 * (see `endpoints.ts`). Pass the manifest's `lakes` so that, with several local lakes,
 * FEATURESTACK_LAKE_ROOT can hold one folder per lake.
 *
 * Each kind's reader (and its client library: Azure's SDK, WebHDFS, the Parquet
 * decoder) is loaded when a lake of that kind is first opened, so that an online
 * lookup, which reads no lake, never loads them.
 */
export function openLakeReader(spec: LakeSpec, env: NodeJS.ProcessEnv, lakes: readonly LakeSpec[] = [spec]): LakeReader {
  switch (spec.kind) {
    case 'local': {
      const { LocalLakeReader } = require('./local-lake') as typeof import('./local-lake');
      return new LocalLakeReader(localLakeRoot(spec, env, countLocalLakes(lakes)), spec.name);
    }
    case 'hdfs': {
      const { WebHdfsLakeReader } = require('./webhdfs-lake') as typeof import('./webhdfs-lake');
      const { namenodeUrls, webHdfsClientOptions } = require('./hdfs-connection') as typeof import('./hdfs-connection');
      const [first, ...others] = namenodeUrls(spec, env);
      return new WebHdfsLakeReader(first, spec.user, spec.name, { ...webHdfsClientOptions(spec, env, spec.name), namenodes: others });
    }
    case 'adls': {
      const { AdlsLakeReader } = require('./adls-lake') as typeof import('./adls-lake');
      return new AdlsLakeReader({ lakeName: spec.name, endpoint: adlsEndpoint(spec.dfsEndpoint, env), accountName: spec.accountName, auth: spec.auth }, env);
    }
  }
}
