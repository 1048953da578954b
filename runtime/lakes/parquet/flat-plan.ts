/**
 * Which columns of a Parquet file decode straight from their pages (flat-columns.ts),
 * worked out once per file on the calling thread: the Arrow types parquet-wasm gives
 * them and how each is stored. Decode workers get the plan with each row group, so
 * that they load neither parquet-wasm nor apache-arrow for such files (each took a
 * tenth of a second per worker, on the way of the first read).
 */
import { Schema, Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { flatLayout } from './flat-columns';
import type { FlatPlan } from './row-group-reader';
import type { ThriftField } from './thrift-typed';
import { schemaOnlyFile } from './zstd-transcode';

/** The plan for `columns` of the file whose footer fields are `footer`, or null when they are not all flat numeric columns. */
export function flatPlan(footer: ThriftField[], columns: readonly string[]): FlatPlan | null {
  let schema: Schema;
  try {
    schema = tableFromIPC(readParquet(schemaOnlyFile(footer)).intoIPCStream()).schema;
  } catch {
    // A file parquet-wasm cannot make a schema of goes its way, and fails there with its own error.
    return null;
  }
  const fields = columns.map((name) => schema.fields.find((f) => f.name === name));
  if (columns.length === 0 || fields.some((f) => f === undefined)) return null;
  const chosen = new Schema(fields.map((f) => f!), schema.metadata);
  const layout = flatLayout(footer, chosen.fields);
  return layout && { schema: tableToIPC(new Table(chosen), 'stream'), layout };
}
