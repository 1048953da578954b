import { Field, makeData, RecordBatch, Schema, Struct, tableFromIPC, Utf8, type Data } from 'apache-arrow';
import { FeatureStoreError, isFeatureStoreError } from '../../errors';
import { withCachedTail, type ByteSource } from '../byte-source';
import type { ReadOptions } from '../lake-reader';
import { parquetInvalid, readFooter } from './footer';
import { selectRowGroups } from './row-groups';
import { constantUtf8 } from './constant-column';
import { rowGroupDecoder, type RowGroupDecoder } from './row-group-decoder';

/** One Parquet file of a source, with the hive partition values of its folder. */
export interface ParquetPart {
  readonly source: ByteSource;
  readonly partitions: ReadonlyMap<string, string | null>;
}

function missingColumn(sourcePath: string, file: string, column: string, fileColumns: readonly string[], partitions: ReadonlyMap<string, unknown>): FeatureStoreError {
  const available = [...fileColumns, ...partitions.keys()].join(', ');
  return new FeatureStoreError(
    'SOURCE_INVALID',
    `source ${sourcePath}: column "${column}" is not in ${file}`,
    `the file has columns: ${available}; fix the source's timestamp field, field mapping or feature names, or the data`,
  );
}

async function guard<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw isFeatureStoreError(e) ? e : parquetInvalid(name, e);
  }
}

/**
 * Yields one record batch per Parquet row group that may hold rows in the window,
 * with exactly `options.columns` in that order: file columns read from the chosen
 * column chunks only, hive partition values appended as Utf8 columns.
 */
export async function* readParquetPart(part: ParquetPart, options: ReadOptions, sourcePath: string, decoder: RowGroupDecoder = rowGroupDecoder()): AsyncGenerator<RecordBatch> {
  const source = withCachedTail(part.source);
  const footer = await readFooter(source);
  const fileColumns = footer.columns;
  const inFile = new Set(fileColumns);
  for (const column of options.columns) {
    if (!inFile.has(column) && !part.partitions.has(column)) throw missingColumn(sourcePath, source.name, column, fileColumns, part.partitions);
  }
  const rowGroups = selectRowGroups(footer.rowGroups, { column: options.timestampColumn, startMicros: options.startMicros, endMicros: options.endMicros });
  if (rowGroups.length === 0) return;

  const columnsToRead = options.columns.filter((c) => inFile.has(c));
  if (columnsToRead.length === 0) {
    for (const index of rowGroups) yield assemble(null, footer.rowGroups[index].numRows, options.columns, part.partitions);
    return;
  }
  const file = decoder.open(source);
  // Keep up to `parallelism` row groups decoding ahead of the one being yielded.
  const inFlight: Promise<Uint8Array>[] = [];
  const start = (index: number) => {
    const decoding = file.decode(index, columnsToRead, footer.rowGroups[index].numRows);
    decoding.catch(() => undefined);
    inFlight.push(decoding);
  };
  try {
    let next = 0;
    while (next < rowGroups.length && inFlight.length < decoder.parallelism) start(rowGroups[next++]);
    while (inFlight.length > 0) {
      const ipc = await guard(source.name, () => inFlight.shift()!);
      if (next < rowGroups.length) start(rowGroups[next++]);
      for (const batch of tableFromIPC(ipc).batches) yield assemble(batch, batch.numRows, options.columns, part.partitions);
    }
  } finally {
    file.close();
  }
}

function assemble(batch: RecordBatch | null, length: number, columns: readonly string[], partitions: ReadonlyMap<string, string | null>): RecordBatch {
  const fields: Field[] = [];
  const children: Data[] = [];
  for (const name of columns) {
    const index = batch?.schema.fields.findIndex((f) => f.name === name) ?? -1;
    if (batch && index >= 0) {
      fields.push(batch.schema.fields[index]);
      children.push(batch.data.children[index]);
    } else {
      const value = partitions.get(name) ?? null;
      fields.push(new Field(name, new Utf8(), value === null));
      children.push(constantUtf8(value, length));
    }
  }
  return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length, nullCount: 0, children }));
}
