import { Field, makeData, RecordBatch, Schema, Struct, tableFromIPC, Utf8, type Data } from 'apache-arrow';
import { ParquetFile } from 'parquet-wasm';
import { FeatureStoreError, isFeatureStoreError } from '../../errors';
import { asBlobLike, withCachedTail, type ByteSource } from '../byte-source';
import type { ReadOptions } from '../lake-reader';
import { parquetInvalid, readFooter } from './footer';
import { selectRowGroups } from './row-groups';
import { constantUtf8 } from './constant-column';

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
export async function* readParquetPart(part: ParquetPart, options: ReadOptions, sourcePath: string): AsyncGenerator<RecordBatch> {
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
  const file = columnsToRead.length > 0 ? await guard(source.name, () => ParquetFile.fromFile(asBlobLike(source) as unknown as Blob)) : null;
  try {
    for (const index of rowGroups) {
      const numRows = footer.rowGroups[index].numRows;
      const read = file
        ? await guard(source.name, async () => {
            const table = await file.read({ rowGroups: [index], columns: columnsToRead, batchSize: numRows });
            return tableFromIPC(table.intoIPCStream());
          })
        : null;
      for (const batch of read?.batches ?? [null]) {
        yield assemble(batch, batch?.numRows ?? numRows, options.columns, part.partitions);
      }
    }
  } finally {
    file?.free();
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
