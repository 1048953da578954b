import * as path from 'node:path';
import { FeatureStoreError } from '../errors';
import { countLocalLakes, localLakeRoot, webhdfsUrl } from '../lakes/endpoints';
import type { LakeLocation } from '../lakes/lake-reader';
import type { BatchSourceSpec, FeatureViewSpec, LakeSpec, Manifest } from '../manifest/schema';

/** How lake locations become the URLs a Spark cluster reads. */
export interface LakeUrlOptions {
  /** The HDFS namenode RPC port (the WebHDFS URL only gives its HTTP port), for lakes without `rpcUrl`. @default 8020 */
  readonly namenodePort?: number;
  /** Endpoint overrides (FEATURESTACK_LAKE_ROOT, FEATURESTACK_WEBHDFS_URL, FEATURESTACK_HDFS_RPC_URL), as for the lake readers. @default {} */
  readonly env?: NodeJS.ProcessEnv;
}

export const DEFAULT_NAMENODE_PORT = 8020;

/**
 * The URL of a location in a lake: `hdfs://namenode:8020/path` for HDFS (host from
 * the WebHDFS URL), `abfss://fs@account.dfs.core.windows.net/path` for ADLS, and an
 * absolute file path for a local lake.
 */
export function lakeUrl(manifest: Manifest, lakeName: string, location: LakeLocation, options: LakeUrlOptions = {}): string {
  const lake = findLake(manifest, lakeName);
  const env = options.env ?? {};
  const relative = location.path.replace(/^\/+/, '');
  switch (lake.kind) {
    case 'local':
      return path.resolve(localLakeRoot(lake, env, countLocalLakes(manifest.lakes)), location.filesystem ?? '', relative);
    case 'hdfs': {
      const prefix = location.filesystem ? `${location.filesystem.replace(/^\/+|\/+$/g, '')}/` : '';
      // The lake's own RPC address (e.g. an HA nameservice) wins over the namenode port.
      const rpcUrl = env.FEATURESTACK_HDFS_RPC_URL || lake.rpcUrl;
      if (rpcUrl) return `${rpcUrl.replace(/\/+$/, '')}/${prefix}${relative}`;
      const host = new URL(webhdfsUrl(lake.webhdfsUrl, env).split(',')[0]).hostname;
      const port = options.namenodePort ?? DEFAULT_NAMENODE_PORT;
      return `hdfs://${host}:${port}/${prefix}${relative}`;
    }
    case 'adls':
      if (!location.filesystem) {
        throw new FeatureStoreError(
          'SOURCE_INVALID',
          `a location in ADLS lake "${lake.name}" has no filesystem (container): ${location.path}`,
          'give the AdlsSource a filesystem',
        );
      }
      return `abfss://${location.filesystem}@${lake.accountName}.dfs.core.windows.net/${relative}`;
  }
}

export function findLake(manifest: Manifest, name: string): LakeSpec {
  const lake = manifest.lakes.find((l) => l.name === name);
  if (!lake) throw new FeatureStoreError('MANIFEST_INVALID', `unknown lake "${name}"`, 'synthesize the registry again');
  return lake;
}

export function batchSourceOf(manifest: Manifest, view: FeatureViewSpec): BatchSourceSpec {
  const source = manifest.dataSources.find((s) => s.name === view.batchSource);
  if (!source || source.kind !== 'batch') {
    throw new FeatureStoreError('MANIFEST_INVALID', `feature view "${view.name}": batch source "${view.batchSource}" not found`, 'synthesize the registry again');
  }
  return source;
}

export function sourceUrl(manifest: Manifest, source: BatchSourceSpec, options: LakeUrlOptions = {}): string {
  return lakeUrl(manifest, source.lake, source, options);
}

/**
 * Where a view's snapshot goes unless told otherwise: `featurestack/snapshots/<view>`
 * in the lake (and filesystem) that holds the view's source.
 */
export function defaultSnapshotUrl(manifest: Manifest, view: FeatureViewSpec, options: LakeUrlOptions = {}): string {
  const source = batchSourceOf(manifest, view);
  return lakeUrl(manifest, source.lake, { filesystem: source.filesystem, path: `featurestack/snapshots/${view.name}` }, options);
}
