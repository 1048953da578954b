import { readFile } from 'node:fs/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC, type Table } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import type { SqlScript } from '../../../runtime/spark/sql-script';
import { renderScript, splitStatements } from '../../../runtime/spark/sql-script';

export async function openDuckDb(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  return instance.connect();
}

/** Runs a script the way the driver does: render, split, run each statement. */
export async function runScript(connection: DuckDBConnection, script: SqlScript, parameters: Record<string, string> = {}): Promise<void> {
  const text = renderScript(script).replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    if (!(name in parameters)) throw new Error(`parameter ${name} not given`);
    return parameters[name];
  });
  for (const statement of splitStatements(text)) await connection.run(statement);
}

/** Reads a Parquet file into Arrow, without DuckDB, as a consumer of the output would. */
export async function readParquetTable(file: string): Promise<Table> {
  return tableFromIPC(readParquet(new Uint8Array(await readFile(file))).intoIPCStream());
}

export type SqlValue = number | string | null;

/** Writes rows as a Parquet file through DuckDB, `rowGroupSize` rows per row group. */
export async function writeParquet(
  connection: DuckDBConnection,
  file: string,
  columns: readonly { readonly name: string; readonly type: string }[],
  rows: readonly (readonly SqlValue[])[],
  rowGroupSize = 1000,
): Promise<void> {
  const literal = (v: SqlValue, type: string) => {
    if (v === null) return 'NULL';
    if (typeof v === 'number') return String(v);
    return `CAST('${v.replace(/'/g, "''")}' AS ${type})`;
  };
  await connection.run(`CREATE OR REPLACE TABLE fs_test_data (${columns.map((c) => `"${c.name}" ${c.type}`).join(', ')})`);
  for (let i = 0; i < rows.length; i += 2000) {
    const values = rows.slice(i, i + 2000).map((r) => `(${r.map((v, j) => literal(v, columns[j].type)).join(', ')})`);
    await connection.run(`INSERT INTO fs_test_data VALUES ${values.join(', ')}`);
  }
  await connection.run(`COPY fs_test_data TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE ${rowGroupSize})`);
  await connection.run('DROP TABLE fs_test_data');
}
