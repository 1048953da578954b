import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { readParquet, Table as WasmTable, writeParquet } from 'parquet-wasm';
import type { Manifest } from '../../runtime/manifest/schema';
import { planWriteToOnline } from '../../runtime/push/frame-columns';
import { frameToTable, type DataFrameJson } from '../../runtime/push/frame-table';

/** Writes `df` (Feast's columnar JSON) as a Parquet part file of the view's batch source folder. */
export function writeLakeFile(manifest: Manifest, lakeRoot: string, view: string, fileName: string, df: DataFrameJson): void {
  const plan = planWriteToOnline(manifest, view);
  const folder = join(lakeRoot, plan.batchSource.path);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, fileName), writeParquet(WasmTable.fromIPCStream(tableToIPC(frameToTable(df, plan.columns), 'stream'))));
}

/** The Parquet part files in a folder of the lake, sorted. */
export function partFiles(lakeRoot: string, path: string): string[] {
  try {
    return readdirSync(join(lakeRoot, path)).filter((f) => f.endsWith('.parquet')).sort();
  } catch {
    return [];
  }
}

export function readLakeFile(lakeRoot: string, path: string, fileName: string): Table {
  return tableFromIPC(readParquet(readFileSync(join(lakeRoot, path, fileName))).intoIPCStream());
}
