/**
 * `featurestack materialize --from-snapshot <path>`: loads a snapshot that Spark (or
 * DuckDB) wrote with the snapshot SQL into the online store. The snapshot already
 * holds one row per entity key, so it is written batch by batch (one Parquet row
 * group at a time) through the online layer, which never replaces a newer value.
 */
import * as path from 'node:path';
import { Table } from 'apache-arrow';
import type { StoreContext } from '../context';
import { FeatureStoreError } from '../errors';
import { LocalLakeReader, type LakeLocation, type LakeReader } from '../lakes';
import type { Manifest } from '../manifest/schema';
import { writeToOnlineStore } from '../online';
import { findFeatureView, SNAPSHOT_TIMESTAMP_COLUMN } from './snapshot-sql';

export interface LoadSnapshotRequest {
  /** The snapshot: a local file or folder, `file://`, `hdfs://` or `abfss://` URL. */
  readonly path: string;
  /** @default the last segment of `path` (as in `featurestack/snapshots/<view>`) */
  readonly featureView?: string;
  /** Called after each batch is written. */
  readonly onProgress?: (progress: { rows: number; written: number }) => void;
}

export interface LoadSnapshotResult {
  featureView: string;
  /** Entity keys in the snapshot. */
  rows: number;
  /** Keys written: the others already held a newer value online. */
  written: number;
}

export async function loadSnapshot(ctx: StoreContext, request: LoadSnapshotRequest): Promise<LoadSnapshotResult> {
  const viewName = request.featureView ?? path.basename(request.path.replace(/\/+$/, '')).replace(/\.parquet$/i, '');
  const view = findFeatureView(ctx.manifest, viewName);
  if (!view.online) {
    throw new FeatureStoreError('REQUEST_INVALID', `feature view "${view.name}" is not online`, 'declare the view with online: true, or load another view');
  }
  if (view.aggregation) {
    throw new FeatureStoreError('REQUEST_INVALID', `feature view "${view.name}" is an aggregation view: its online tiles are not loaded from a snapshot`, `materialize it from the lake instead: featurestack materialize <start> <end> --views ${view.name}`);
  }
  const columns = [...view.joinKeys.map((k) => k.name), ...view.features.map((f) => f.name), SNAPSHOT_TIMESTAMP_COLUMN];
  const { reader, location, owned } = snapshotReader(ctx, request.path);
  const result: LoadSnapshotResult = { featureView: view.name, rows: 0, written: 0 };
  try {
    for await (const batch of reader.read(location, { columns })) {
      if (batch.numRows === 0) continue;
      const written = await writeToOnlineStore(ctx, { featureView: view.name, rows: new Table(batch) });
      result.rows += written.rows;
      result.written += written.written;
      request.onProgress?.({ rows: result.rows, written: result.written });
    }
  } finally {
    if (owned) await reader.close();
  }
  return result;
}

/** The reader for a snapshot path: the manifest's lake for a remote URL, else the local disk. */
function snapshotReader(ctx: StoreContext, snapshotPath: string): { reader: LakeReader; location: LakeLocation; owned: boolean } {
  const remote = remoteLocation(ctx.manifest, snapshotPath);
  if (remote) return { reader: ctx.lakeReader(remote.lake), location: remote.location, owned: false };
  const local = path.resolve(snapshotPath.replace(/^file:\/\//, ''));
  return { reader: new LocalLakeReader(path.dirname(local), 'snapshot'), location: { filesystem: null, path: path.basename(local) }, owned: true };
}

/** Maps `hdfs://host:port/path` and `abfss://fs@account.dfs.core.windows.net/path` onto a lake of the manifest. */
export function remoteLocation(manifest: Manifest, url: string): { lake: string; location: LakeLocation } | null {
  const hdfs = /^hdfs:\/\/([^/:]+)(?::\d+)?(\/.*)$/.exec(url);
  if (hdfs) {
    const lakes = manifest.lakes.filter((l) => l.kind === 'hdfs');
    const lake = lakes.find((l) => new URL(l.webhdfsUrl).hostname === hdfs[1]) ?? (lakes.length === 1 ? lakes[0] : undefined);
    if (!lake) throw noLake(url, `HDFS lake whose WebHDFS host is ${hdfs[1]}`);
    return { lake: lake.name, location: { filesystem: null, path: hdfs[2] } };
  }
  const adls = /^abfss?:\/\/([^@/]+)@([a-z0-9]+)\.dfs\.core\.windows\.net\/(.*)$/.exec(url);
  if (adls) {
    const lake = manifest.lakes.find((l) => l.kind === 'adls' && l.accountName === adls[2]);
    if (!lake) throw noLake(url, `ADLS lake on account ${adls[2]}`);
    return { lake: lake.name, location: { filesystem: adls[1], path: adls[3] } };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !url.startsWith('file://')) {
    throw new FeatureStoreError('REQUEST_INVALID', `cannot read a snapshot from ${url}`, 'give a local path, file://, hdfs:// or abfss:// URL');
  }
  return null;
}

function noLake(url: string, wanted: string): FeatureStoreError {
  return new FeatureStoreError('REQUEST_INVALID', `snapshot ${url}: the registry has no ${wanted}`, 'load the snapshot with the registry of the stack that wrote it (--stack / --manifest)');
}
