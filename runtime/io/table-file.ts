/**
 * Reads and writes tables as `.parquet` or `.csv` files, chosen by extension:
 * entity rows for training sets, and the training sets themselves.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Table } from 'apache-arrow';
import { FeatureStoreError } from '../errors';
import { csvToTable, tableToCsv, type CsvReadOptions } from './csv';
import { readParquetFile, tableToParquet, type ParquetWriteOptions } from './parquet';

export type TableFormat = 'parquet' | 'csv';

/** The format a path's extension names. */
export function tableFormatOf(path: string): TableFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.csv') return 'csv';
  throw new FeatureStoreError('REQUEST_INVALID', `${path}: unknown file type "${ext || '(none)'}"`, 'use a .parquet or .csv file');
}

/** Reads a `.parquet` or `.csv` file into a table. */
export async function readTableFile(path: string, options: CsvReadOptions = {}): Promise<Table> {
  const format = tableFormatOf(path);
  const unreadable = (e: unknown) => new FeatureStoreError('REQUEST_INVALID', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'check the path', { cause: e });
  if (format === 'parquet') {
    const size = await stat(path).then((s) => s.size, (e: unknown) => Promise.reject(unreadable(e)));
    return readParquetFile(path, size);
  }
  const bytes = await readFile(path).catch((e: unknown) => Promise.reject(unreadable(e)));
  return csvToTable(bytes.toString('utf8'), path, options);
}

/** Writes a table as `.parquet` or `.csv`, atomically (a temp file renamed into place). */
export async function writeTableFile(path: string, table: Table, options: ParquetWriteOptions = {}): Promise<void> {
  const bytes = tableFormatOf(path) === 'parquet' ? await tableToParquet(table, options) : Buffer.from(tableToCsv(table), 'utf8');
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw new FeatureStoreError('REQUEST_INVALID', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'check that the folder exists and is writable', { cause: e });
  }
}
