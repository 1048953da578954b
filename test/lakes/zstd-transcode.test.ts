/**
 * zstd Parquet pages decompressed and compressed outside parquet-wasm: files DuckDB
 * writes (v1 and v2 data pages, dictionaries, nulls, nested and logical types) read
 * the same as DuckDB reads them, and files we write read the same in DuckDB, with
 * every column chunk really zstd.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Table, tableFromIPC, tableToIPC, type RecordBatch } from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { tableToParquet } from '../../runtime/io/parquet';
import { compressFile } from '../../runtime/lakes/parquet/zstd-transcode';
import { readParquetPart } from '../../runtime/lakes/parquet/read-parquet';
import { inThreadDecoder, rowGroupDecoder, type RowGroupDecoder } from '../../runtime/lakes/parquet/row-group-decoder';
import { collect, memorySource, rowsOf, tripsTable } from './lake-fixtures';

let dir: string;
let duck: DuckDBConnection;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'zstd-transcode-'));
  duck = await (await DuckDBInstance.create(':memory:')).connect();
});

afterAll(async () => {
  duck.closeSync();
  await rm(dir, { recursive: true, force: true });
});

/** Rows as JSON-comparable objects (bigints and dates as strings). */
function plain(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return JSON.parse(JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)));
}

async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  return plain((await duck.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[]);
}

/** Every column of a file as DuckDB reads it, each value rendered by DuckDB as text. */
function asText(columns: readonly string[], from: string): string {
  return `SELECT ${columns.map((c) => `CAST("${c}" AS VARCHAR) AS "${c}"`).join(', ')} FROM ${from}`;
}

const COLUMNS = ['id', 'score', 'name', 'tags', 'flag', 'at', 'day'];

/** A DuckDB-written zstd file of 5,000 rows in row groups of 2,048, with nulls in every column but id. */
async function duckdbFile(name: string, pageVersion: 'V1' | 'V2'): Promise<string> {
  const file = path.join(dir, name);
  await duck.run(`COPY (
    SELECT i::BIGINT AS id,
           CASE WHEN i % 7 = 0 THEN NULL ELSE i / 4 END::DOUBLE AS score,
           CASE WHEN i % 11 = 0 THEN NULL ELSE 'name-' || (i % 13) END AS name,
           CASE WHEN i % 5 = 0 THEN NULL ELSE [i, i + 1] END::INTEGER[] AS tags,
           CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END AS flag,
           make_timestamptz(1704067200000000 + i * 1000000) AS at,
           DATE '2024-01-01' + (i % 40)::INTEGER AS day
    FROM range(5000) t(i)
  ) TO '${file}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 2048, PARQUET_VERSION ${pageVersion})`);
  return file;
}

/** The batches' rows, each value rendered as DuckDB renders it, via DuckDB reading them back. */
async function asDuckText(batches: RecordBatch[], columns: readonly string[]): Promise<Record<string, unknown>[]> {
  const file = path.join(dir, `decoded-${Math.random().toString(36).slice(2)}.parquet`);
  const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).build();
  await writeFile(file, pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(new Table(batches), 'stream')), props));
  return duckRows(asText(columns, `read_parquet('${file}')`));
}

describe.each([
  ['decode workers', () => rowGroupDecoder({ FEATURESTACK_DECODE_THREADS: '2' })],
  ['in-thread decoder', () => inThreadDecoder],
] as [string, () => RowGroupDecoder][])('reading DuckDB zstd files (%s)', (_name, decoder) => {
  test.each(['V1', 'V2'] as const)('data pages %s: every type and null reads as DuckDB reads it', async (version) => {
    const file = await duckdbFile(`all-${version}.parquet`, version);
    const bytes = new Uint8Array(await readFile(file));
    const batches = await collect(readParquetPart({ source: memorySource('all.parquet', bytes), partitions: new Map() }, { columns: COLUMNS }, 'src', decoder()));
    expect(batches.map((b) => b.numRows)).toEqual([2048, 2048, 904]);
    expect(await asDuckText(batches, COLUMNS)).toEqual(await duckRows(asText(COLUMNS, `read_parquet('${file}')`)));
  });

  test('a subset of the columns, in the order asked, from the row groups in the window', async () => {
    const file = await duckdbFile('subset.parquet', 'V1');
    const bytes = new Uint8Array(await readFile(file));
    const start = (1704067200 + 3000) * 1_000_000;
    const batches = await collect(
      readParquetPart({ source: memorySource('subset.parquet', bytes), partitions: new Map() }, { columns: ['name', 'id'], timestampColumn: 'at', startMicros: start }, 'src', decoder()),
    );
    expect(batches.map((b) => b.schema.fields.map((f) => f.name))).toEqual([
      ['name', 'id'],
      ['name', 'id'],
    ]);
    expect(await asDuckText(batches, ['name', 'id'])).toEqual(await duckRows(`${asText(['name', 'id'], `read_parquet('${file}')`)} WHERE id >= 2048`));
  });

  test('a nested column and a column after it, without the columns before them', async () => {
    const file = await duckdbFile('nested.parquet', 'V2');
    const bytes = new Uint8Array(await readFile(file));
    const batches = await collect(readParquetPart({ source: memorySource('nested.parquet', bytes), partitions: new Map() }, { columns: ['day', 'tags'] }, 'src', decoder()));
    expect(batches[0].schema.fields.map((f) => f.name)).toEqual(['day', 'tags']);
    expect(await asDuckText(batches, ['day', 'tags'])).toEqual(await duckRows(asText(['day', 'tags'], `read_parquet('${file}')`)));
  });

  test('a damaged zstd page is PARQUET_INVALID naming the file', async () => {
    const file = await duckdbFile('damaged.parquet', 'V1');
    const bytes = new Uint8Array(await readFile(file));
    const meta = await duckRows(`SELECT data_page_offset FROM parquet_metadata('${file}') WHERE path_in_schema = 'score' AND row_group_id = 0`);
    const damaged = bytes.slice();
    const page = Number(meta[0].data_page_offset);
    damaged.fill(0x5a, page + 12, page + 200);
    await expect(collect(readParquetPart({ source: memorySource('damaged.parquet', damaged), partitions: new Map() }, { columns: ['score'] }, 'src', decoder()))).rejects.toMatchObject({
      code: 'PARQUET_INVALID',
      message: expect.stringContaining('damaged.parquet is not a valid Parquet file'),
    });
  });
});

describe('writing zstd Parquet', () => {
  test('tableToParquet writes zstd column chunks that DuckDB reads back value for value', async () => {
    const table = tripsTable(0, 3000);
    const file = path.join(dir, 'written.parquet');
    await writeFile(file, await tableToParquet(table, { rowGroupSize: 1000 }));
    const codecs = await duckRows(`SELECT DISTINCT compression FROM parquet_metadata('${file}')`);
    expect(codecs).toEqual([{ compression: 'ZSTD' }]);
    const groups = await duckRows(`SELECT count(DISTINCT row_group_id)::INTEGER AS n FROM parquet_metadata('${file}')`);
    expect(groups).toEqual([{ n: 3 }]);
    const names = ['driver_id', 'event_timestamp', 'conv_rate', 'unused', 'name'];
    expect(await asDuckText(table.batches, names)).toEqual(await duckRows(asText(names, `read_parquet('${file}')`)));
  });

  test('v2 data pages keep their levels uncompressed and read back the same', async () => {
    const table = tripsTable(0, 500);
    const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.UNCOMPRESSED).setWriterVersion(pw.WriterVersion.V2).build();
    const uncompressed = pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
    const compressed = await compressFile(uncompressed);
    expect(compressed.length).toBeLessThan(uncompressed.length);
    const file = path.join(dir, 'v2.parquet');
    await writeFile(file, compressed);
    const names = ['driver_id', 'conv_rate', 'name'];
    expect(await duckRows(asText(names, `read_parquet('${file}')`))).toEqual(await asDuckText(table.batches, names));
    expect(rowsOf(tableFromIPC(pw.readParquet(compressed).intoIPCStream()).batches)).toEqual(rowsOf(table.batches));
  });
});
