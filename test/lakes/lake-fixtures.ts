import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Float64, Int64, makeData, makeVector, Table, TimestampMicrosecond, Utf8, vectorFromArray, type RecordBatch, tableToIPC } from 'apache-arrow';
import * as pw from 'parquet-wasm';
import type { ByteSource } from '../../runtime/lakes/byte-source';

/** 2024-01-01T00:00:00Z in epoch microseconds. */
export const T0 = Date.UTC(2024, 0, 1) * 1000;
export const SECOND = 1_000_000;

/** Rows `first .. first+count-1` of the trips data: driver i % 50, one second apart. */
export function tripsTable(first: number, count: number): Table {
  const ids = new BigInt64Array(count);
  const times = new BigInt64Array(count);
  const rates = new Float64Array(count);
  const unused = new Float64Array(count);
  const names: string[] = [];
  for (let k = 0; k < count; k++) {
    const i = first + k;
    ids[k] = BigInt(i % 50);
    times[k] = BigInt(T0 + i * SECOND);
    rates[k] = i / 2;
    unused[k] = Math.sin(i);
    names.push(`trip-${i}`);
  }
  return new Table({
    driver_id: makeVector(makeData({ type: new Int64(), length: count, data: ids })),
    event_timestamp: makeVector(makeData({ type: new TimestampMicrosecond('UTC'), length: count, data: times })),
    conv_rate: makeVector(makeData({ type: new Float64(), length: count, data: rates })),
    unused: makeVector(makeData({ type: new Float64(), length: count, data: unused })),
    name: vectorFromArray(names, new Utf8()),
  });
}

/** A file held in memory, read as a lake would read it. */
export function memorySource(name: string, bytes: Uint8Array): ByteSource {
  return { name, size: bytes.length, read: async (start, end) => bytes.subarray(start, Math.min(end, bytes.length)) };
}

export function parquetBytes(table: Table, rowGroupSize: number, compression = pw.Compression.SNAPPY): Uint8Array {
  const props = new pw.WriterPropertiesBuilder().setMaxRowGroupSize(rowGroupSize).setCompression(compression).build();
  return pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
}

/**
 * The standard lake used by every reader test, as relative path -> bytes:
 * - `single/trips.parquet`: 7000 rows in 7 row groups of 1000, one second apart;
 * - `parts/`: three part files plus what Spark leaves beside them (`_SUCCESS`,
 *   `.crc` files, `_temporary/`), which must be skipped;
 * - `hive/region=<r>/date=<d>/part-0.parquet`: hive partitions, one URL-escaped
 *   value and Hive's default (null) partition.
 */
export function standardLake(): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  // zstd (read through zstd-transcode.ts) here, snappy (read by parquet-wasm as is) in the others.
  files.set('single/trips.parquet', parquetBytes(tripsTable(0, 7000), 1000, pw.Compression.ZSTD));
  files.set('parts/part-00000.parquet', parquetBytes(tripsTable(0, 300), 100));
  files.set('parts/part-00001.parquet', parquetBytes(tripsTable(300, 200), 100));
  files.set('parts/part-00002.parquet', parquetBytes(tripsTable(500, 50), 100));
  files.set('parts/_SUCCESS', new Uint8Array(0));
  files.set('parts/.part-00000.parquet.crc', new Uint8Array([1, 2, 3]));
  files.set('parts/_temporary/0/part-00009.parquet', parquetBytes(tripsTable(9000, 10), 100));
  files.set('hive/region=eu/date=2024-01-01/part-0.parquet', parquetBytes(tripsTable(0, 20), 100));
  files.set('hive/region=eu/date=2024-01-02/part-0.parquet', parquetBytes(tripsTable(20, 20), 100));
  files.set('hive/region=us%2Fwest/date=2024-01-01/part-0.parquet', parquetBytes(tripsTable(40, 20), 100));
  files.set('hive/region=__HIVE_DEFAULT_PARTITION__/date=2024-01-03/part-0.parquet', parquetBytes(tripsTable(60, 5), 100));
  return files;
}

export async function writeLake(root: string, files: Map<string, Uint8Array>): Promise<void> {
  for (const [relative, bytes] of files) {
    const full = path.join(root, relative);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, bytes);
  }
}

/** Rows as plain objects (int64 as numbers, timestamps as epoch micros) for comparisons. */
export function rowsOf(batches: readonly RecordBatch[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const batch of batches) {
    for (let r = 0; r < batch.numRows; r++) {
      const row: Record<string, unknown> = {};
      for (const field of batch.schema.fields) {
        const value = batch.getChild(field.name)!.get(r);
        row[field.name] = typeof value === 'bigint' ? Number(value) : value;
      }
      rows.push(row);
    }
  }
  return rows;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
