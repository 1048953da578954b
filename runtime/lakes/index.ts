import type { LakeSpec } from '../manifest/schema';
import { FeatureStoreError } from '../errors';
import type { LakeReader } from './lake-reader';
import { countLocalLakes, localLakeRoot } from './endpoints';
import { LocalLakeReader } from './local-lake';
import { WebHdfsLakeReader } from './webhdfs-lake';
import { webhdfsUrl } from './endpoints';

export type { LakeReader, LakeLocation, ReadOptions } from './lake-reader';
export { LocalLakeReader } from './local-lake';
export { WebHdfsLakeReader } from './webhdfs-lake';

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
    default:
      throw new FeatureStoreError('NOT_IMPLEMENTED', `lake "${spec.name}" (${spec.kind}): this reader is not built yet`);
  }
}

/** Reads a whole file from an `hdfs://` or `abfss://` URL (used to load a remote registry). */
export async function readRemoteFile(url: string, _env: NodeJS.ProcessEnv): Promise<Uint8Array> {
  throw new FeatureStoreError('NOT_IMPLEMENTED', `cannot read ${url} yet`);
}
