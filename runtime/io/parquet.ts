/** Whole Parquet files ↔ Arrow tables (entity rows in, training sets out). */
import { dirname } from 'node:path';
import { DataType, Table, tableFromIPC, tableToIPC, type RecordBatch } from 'apache-arrow';
import { Compression, readParquet, Table as WasmTable, writeParquet, WriterPropertiesBuilder } from 'parquet-wasm';
import { FeatureStoreError } from '../errors';
import { LocalFileSystem } from '../lakes/local-lake';
import { readFooter } from '../lakes/parquet/footer';
import { readParquetPart } from '../lakes/parquet/read-parquet';
import { compressFile } from '../lakes/parquet/zstd-transcode';
import { available as nativeZstd } from '../lakes/parquet/zstd-codec';

export interface ParquetWriteOptions {
  /** @default 'zstd' */
  readonly compression?: 'zstd' | 'snappy' | 'none';
  /** Rows per row group. @default 1,048,576 */
  readonly rowGroupSize?: number;
}

const CODECS = { zstd: Compression.ZSTD, snappy: Compression.SNAPPY, none: Compression.UNCOMPRESSED };

/** Decodes a Parquet file's bytes; `name` is used in the error. */
export function parquetToTable(bytes: Uint8Array, name: string): Table {
  try {
    const wasm = readParquet(bytes, { batchSize: 1 << 20 });
    return tableFromIPC(wasm.intoIPCStream());
  } catch (e) {
    throw new FeatureStoreError('PARQUET_INVALID', `${name} is not a readable Parquet file: ${String((e as Error)?.message ?? e)}`, 'check that the file is complete and really Parquet', { cause: e });
  }
}

/**
 * Reads a Parquet file of `size` bytes on this machine, its row groups decoded in
 * parallel on the lake readers' decode threads (which also starts them early for
 * the join that usually follows).
 */
export async function readParquetFile(path: string, size: number): Promise<Table> {
  const source = new LocalFileSystem(dirname(path), 'entity rows').open(path, size);
  const footer = await readFooter(source);
  const batches: RecordBatch[] = [];
  for await (const batch of readParquetPart({ source, partitions: new Map() }, { columns: footer.columns }, path)) batches.push(batch);
  // No row group gives no schema: decode the empty file whole for it.
  return batches.length > 0 ? new Table(batches) : parquetToTable(await source.read(0, size), path);
}

/**
 * Encodes a table as Parquet bytes (timestamps keep their unit and zone).
 * Dictionary encoding is used for string and binary columns only: tried on a
 * column of distinct numbers it costs more than a third of the write time.
 * zstd pages are compressed by native zstd where it is installed, four times as
 * fast as parquet-wasm's (see lakes/parquet/zstd-transcode.ts).
 */
export async function tableToParquet(table: Table, options: ParquetWriteOptions = {}): Promise<Uint8Array> {
  const compression = options.compression ?? 'zstd';
  const compressHere = compression === 'zstd' && nativeZstd;
  let builder = new WriterPropertiesBuilder()
    .setCompression(CODECS[compressHere ? 'none' : compression])
    .setMaxRowGroupSize(options.rowGroupSize ?? 1 << 20)
    .setDictionaryEnabled(false);
  for (const field of table.schema.fields) {
    const type = field.type;
    if (DataType.isUtf8(type) || DataType.isLargeUtf8(type) || DataType.isBinary(type) || DataType.isDictionary(type)) {
      builder = builder.setColumnDictionaryEnabled(field.name, true);
    }
  }
  const bytes = writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), builder.build());
  return compressHere ? compressFile(bytes) : bytes;
}
