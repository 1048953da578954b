import type { LakeSpec } from '../manifest/schema';
import type { LakeReader } from './lake-reader';
import { adlsEndpoint, countLocalLakes, localLakeRoot, webhdfsUrl } from './endpoints';
import { AdlsLakeReader } from './adls-lake';
import { LocalLakeReader } from './local-lake';
import { WebHdfsLakeReader } from './webhdfs-lake';

export type { LakeReader, LakeLocation, ReadOptions } from './lake-reader';
export { LocalLakeReader } from './local-lake';
export { WebHdfsLakeReader } from './webhdfs-lake';
export { AdlsLakeReader } from './adls-lake';
export { readRemoteFile } from './remote-file';

/**
 * Opens the reader for a lake. Endpoints can be overridden by environment:
 * FEATURESTACK_LAKE_ROOT (local lakes), FEATURESTACK_WEBHDFS_URL, FEATURESTACK_ADLS_URL
 * (see `endpoints.ts`). Pass the manifest's `lakes` so that, with several local lakes,
 * FEATURESTACK_LAKE_ROOT can hold one folder per lake.
 */
export function openLakeReader(spec: LakeSpec, env: NodeJS.ProcessEnv, lakes: readonly LakeSpec[] = [spec]): LakeReader {
  switch (spec.kind) {
    case 'local':
      return new LocalLakeReader(localLakeRoot(spec, env, countLocalLakes(lakes)), spec.name);
    case 'hdfs':
      return new WebHdfsLakeReader(webhdfsUrl(spec.webhdfsUrl, env), spec.user, spec.name);
    case 'adls':
      return new AdlsLakeReader({ lakeName: spec.name, endpoint: adlsEndpoint(spec.dfsEndpoint, env), accountName: spec.accountName, auth: spec.auth }, env);
  }
}
