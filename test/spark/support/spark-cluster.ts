import { readdir } from 'node:fs/promises';
import { tableFromIPC, type Table } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import type { WebHdfsClient } from '../../../runtime/lakes/webhdfs-client';
import { join } from 'node:path';
import { startSparkStandalone, type SparkStandalone } from '../../support/spark-standalone';
import { plainRows, type Plain } from './arrow-rows';
import { readParquetTable } from './duckdb';

/**
 * A Spark Standalone cluster for the file's tests: started once in beforeAll, stopped
 * in afterAll. Jobs reach it through `cluster.sparkSubmit` (the CLI's --spark-submit).
 */
export function useSparkStandalone(): { cluster: SparkStandalone } {
  const fixture = {} as { cluster: SparkStandalone };
  beforeAll(async () => {
    fixture.cluster = await startSparkStandalone();
  }, 180_000);
  afterAll(async () => {
    await fixture.cluster?.stop();
  }, 30_000);
  return fixture;
}

/** The part files of a folder Spark wrote, in name (and so output) order. */
export async function partFiles(folder: string): Promise<string[]> {
  const names = (await readdir(folder)).filter((n) => n.startsWith('part-') && n.endsWith('.parquet')).sort();
  return names.map((n) => join(folder, n));
}

/** A folder Spark wrote, read with our Parquet reader, as plain rows in output order. */
export async function readSparkOutput(folder: string): Promise<Record<string, Plain>[]> {
  const rows: Record<string, Plain>[] = [];
  for (const file of await partFiles(folder)) rows.push(...plainRows(await readParquetTable(file)));
  return rows;
}

/** A folder Spark wrote in HDFS, read through WebHDFS, as plain rows in output order. */
export async function readSparkOutputFromHdfs(client: WebHdfsClient, folder: string): Promise<Record<string, Plain>[]> {
  const files = (await client.list(folder)).filter((s) => s.type === 'FILE' && s.pathSuffix.startsWith('part-') && s.pathSuffix.endsWith('.parquet'));
  const rows: Record<string, Plain>[] = [];
  for (const file of files.sort((a, b) => (a.pathSuffix < b.pathSuffix ? -1 : 1))) {
    const bytes = await client.read(`${folder}/${file.pathSuffix}`, 0, file.length);
    rows.push(...plainRows(tableFromIPC(readParquet(bytes).intoIPCStream())));
  }
  return rows;
}

/** Column names and Arrow types of a table, comparable with toEqual. */
export function columnTypes(table: Table): [string, string][] {
  return table.schema.fields.map((f) => [f.name, String(f.type)]);
}

/** The column types of a folder Spark wrote (its first part file). */
export async function sparkOutputTypes(folder: string): Promise<[string, string][]> {
  return columnTypes(await readParquetTable((await partFiles(folder))[0]));
}
