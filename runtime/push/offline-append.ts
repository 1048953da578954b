import { randomBytes } from 'node:crypto';
import type { Table } from 'apache-arrow';
import type { StoreContext } from '../context';
import { FeatureStoreError } from '../errors';
import { tableToParquet } from '../io/parquet';
import type { BatchSourceSpec } from '../manifest/schema';

/** Fails unless pushed rows can be appended to the source as a new part file. */
export function checkAppendable(source: BatchSourceSpec): void {
  if (/\.parquet$/i.test(source.path)) {
    throw new FeatureStoreError(
      'REQUEST_INVALID',
      `batch source "${source.name}" is the single file ${source.path}; pushed rows cannot be appended to it`,
      'point the source at a folder of part files to push to the offline store, or push with to: "online"',
    );
  }
}

/** A part-file name that sorts by write time and never collides between servers. */
export function partFileName(nowMs: number = Date.now()): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace('.', '');
  return `push-${stamp}-${randomBytes(4).toString('hex')}.parquet`;
}

/** Appends `table` to the batch source's folder as one Parquet file, written atomically by the lake. */
export async function appendToOfflineStore(ctx: StoreContext, source: BatchSourceSpec, table: Table): Promise<string> {
  checkAppendable(source);
  const bytes = await tableToParquet(table, { compression: 'snappy' });
  const fileName = partFileName();
  await ctx.lakeReader(source.lake).writeFile({ filesystem: source.filesystem, path: source.path }, fileName, bytes);
  return fileName;
}
