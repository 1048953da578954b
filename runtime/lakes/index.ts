// OWNED BY: lake-readers helper. Stub until then.
import type { LakeSpec } from '../manifest/schema';
import { FeatureStoreError } from '../errors';
import type { LakeReader } from './lake-reader';

export type { LakeReader, LakeLocation, ReadOptions } from './lake-reader';

/**
 * Opens the reader for a lake. Endpoints can be overridden by environment:
 * FEATURESTACK_LAKE_ROOT (local lakes), FEATURESTACK_WEBHDFS_URL, FEATURESTACK_ADLS_URL.
 */
export function openLakeReader(spec: LakeSpec, _env: NodeJS.ProcessEnv): LakeReader {
  throw new FeatureStoreError('NOT_IMPLEMENTED', `lake "${spec.name}" (${spec.kind}): readers are not built yet`);
}

/** Reads a whole file from an `hdfs://` or `abfss://` URL (used to load a remote registry). */
export async function readRemoteFile(url: string, _env: NodeJS.ProcessEnv): Promise<Uint8Array> {
  throw new FeatureStoreError('NOT_IMPLEMENTED', `cannot read ${url} yet`);
}
