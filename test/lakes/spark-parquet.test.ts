/**
 * Issue 17: Parquet written by Spark joins the reader's differential tests. One pyspark
 * process (local mode, spark_write_parquet.py beside this file) writes the same 20,000
 * rows in every variant Spark's writer has for us: timestamps as INT96, TIMESTAMP_MICROS
 * and TIMESTAMP_MILLIS (spark.sql.parquet.outputTimestampType), a TIMESTAMP_NTZ column
 * (isAdjustedToUTC=false), dictionary strings, strings that never fit the dictionary and
 * strings whose dictionary fills in the middle of a column chunk (dictionary pages, then
 * plain ones), ints, longs, doubles, floats, booleans, dates, arrays with null elements,
 * nulls in every column but id; snappy, zstd, gzip and uncompressed; v1 and v2 data pages
 * (v2: DELTA_BINARY_PACKED, DELTA_BYTE_ARRAY); about 30 row groups per file. Each file is
 * read through the public reader path (readParquetPart, with the decode workers and in
 * the thread) and through DuckDB, and every value must agree: timestamps as epoch
 * microseconds (UTC; a zone-less timestamp as its wall time in UTC), dates as days.
 *
 * Needs the 'spark' Python environment (jest's globalSetup makes it) and Java 17.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DataType, TimeUnit, type RecordBatch, type Vector } from 'apache-arrow';
import { readParquetPart } from '../../runtime/lakes/parquet/read-parquet';
import { inThreadDecoder, rowGroupDecoder, type RowGroupDecoder } from '../../runtime/lakes/parquet/row-group-decoder';
import { ensureVenv } from '../support/python-env';
import { collect, memorySource } from './lake-fixtures';

jest.setTimeout(60_000);

const ROWS = 20_000;
const COLUMNS = ['id', 'small', 'big', 'score', 'ratio', 'flag', 'few', 'many', 'mixed', 'at', 'local_at', 'day', 'tags'] as const;
const VARIANTS = ['int96-snappy', 'micros-snappy', 'millis-snappy', 'int96-zstd', 'micros-gzip', 'millis-uncompressed', 'micros-snappy-v2'] as const;

let dir: string;
let duck: DuckDBConnection;
const files = new Map<string, string>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'spark-parquet-'));
  duck = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
  const python = ensureVenv('spark');
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(python, [path.join(__dirname, 'spark_write_parquet.py'), dir, String(ROWS)], {
      env: { ...process.env, SPARK_LOCAL_IP: '127.0.0.1', PYSPARK_PYTHON: python, PYSPARK_DRIVER_PYTHON: python, SPARK_LOCAL_DIRS: path.join(dir, 'spark-local') },
      maxBuffer: 16 << 20,
    }));
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(`pyspark could not write the test files (needs Java 17 and the 'spark' venv): ${err.message.split('\n')[0]}\n${(err.stderr ?? '').slice(-4000)}`);
  }
  for (const line of stdout.trim().split('\n')) {
    const [name, file] = line.split('\t');
    files.set(name, file);
  }
}, 180_000);

afterAll(async () => {
  duck?.closeSync();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Cell = string | number | boolean | null | Cell[];

const MICROS_PER: Record<number, bigint> = { [TimeUnit.SECOND]: 1_000_000n, [TimeUnit.MILLISECOND]: 1000n, [TimeUnit.MICROSECOND]: 1n };

/** One value of an Arrow vector, as the comparison wants it: int64 and timestamps (epoch micros) as decimal text, dates as days. */
function cell(vector: Vector, row: number): Cell {
  if (!vector.isValid(row)) return null;
  const type = vector.type as DataType;
  if (DataType.isTimestamp(type)) {
    const [data, at] = locate(vector, row);
    const raw = BigInt((data.values as BigInt64Array)[data.offset + at]);
    return String(type.unit === TimeUnit.NANOSECOND ? raw / 1000n : raw * MICROS_PER[type.unit]);
  }
  if (DataType.isDate(type)) {
    const [data, at] = locate(vector, row);
    const raw = (data.values as Int32Array | BigInt64Array)[data.offset + at];
    return type.unit === 0 ? Number(raw) : Number(BigInt(raw) / 86_400_000n);
  }
  const value = vector.get(row) as unknown;
  if (typeof value === 'bigint') return String(value);
  if (DataType.isList(type)) {
    const child = value as Vector;
    return Array.from({ length: child.length }, (_, k) => cell(child, k));
  }
  return value as Cell;
}

/** The Data chunk of `vector` holding `row`, and the row's index in it. */
function locate(vector: Vector, row: number): [Vector['data'][number], number] {
  let at = row;
  for (const data of vector.data) {
    if (at < data.length) return [data, at];
    at -= data.length;
  }
  throw new Error(`row ${row} is past the vector's ${vector.length}`);
}

function ourRows(batches: readonly RecordBatch[]): Cell[][] {
  const rows: Cell[][] = [];
  for (const batch of batches) {
    const children = COLUMNS.map((c) => batch.getChild(c)!);
    for (let r = 0; r < batch.numRows; r++) rows.push(children.map((v) => cell(v, r)));
  }
  return rows;
}

/** The same columns as DuckDB reads them, in file order. */
async function duckRows(file: string, where = 'true'): Promise<Cell[][]> {
  const sql = `SELECT id::VARCHAR, small, big::VARCHAR, score, ratio::DOUBLE, flag, few, many, mixed,
      epoch_us("at")::VARCHAR, epoch_us(local_at)::VARCHAR, ("day" - DATE '1970-01-01')::INTEGER, tags
    FROM read_parquet('${file}', file_row_number = true) WHERE ${where} ORDER BY file_row_number`;
  const reader = await duck.runAndReadAll(sql);
  return reader.getRowsJS().map((row) => row.map(plainDuck));
}

const duckCache = new Map<string, Promise<Cell[][]>>();
/** Every row of variant `name` as DuckDB reads it, read once. */
function duckAll(name: string): Promise<Cell[][]> {
  if (!duckCache.has(name)) duckCache.set(name, duckRows(files.get(name)!));
  return duckCache.get(name)!;
}

function plainDuck(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(plainDuck);
  if (typeof value === 'object' && 'items' in (value as object)) return ((value as { items: unknown[] }).items).map(plainDuck);
  return value as Cell;
}

async function read(name: string, decoder: RowGroupDecoder, window: { start?: number; end?: number } = {}): Promise<RecordBatch[]> {
  const bytes = new Uint8Array(await readFile(files.get(name)!));
  return collect(
    readParquetPart(
      { source: memorySource(path.basename(files.get(name)!), bytes), partitions: new Map() },
      { columns: [...COLUMNS], timestampColumn: window.start !== undefined || window.end !== undefined ? 'at' : undefined, startMicros: window.start, endMicros: window.end },
      `spark/${name}`,
      decoder,
    ),
  );
}

/** First differing row, for a failure message that shows it instead of 20,000 rows. */
function firstDifference(ours: Cell[][], theirs: Cell[][]): string | undefined {
  if (ours.length !== theirs.length) return `${ours.length} rows, DuckDB ${theirs.length}`;
  for (let r = 0; r < ours.length; r++) {
    for (let c = 0; c < COLUMNS.length; c++) {
      if (JSON.stringify(ours[r][c]) !== JSON.stringify(theirs[r][c])) {
        return `row ${r} column ${COLUMNS[c]}: ours ${JSON.stringify(ours[r][c])}, DuckDB ${JSON.stringify(theirs[r][c])}`;
      }
    }
  }
  return undefined;
}

test('pyspark wrote every variant, each in several row groups and with the encodings asked for', async () => {
  expect([...files.keys()]).toEqual([...VARIANTS]);
  const meta = async (name: string, sql: string) => (await duck.runAndReadAll(sql.replace('$file', files.get(name)!))).getRowObjectsJson();
  for (const name of VARIANTS) {
    const [groups] = await meta(name, `SELECT count(DISTINCT row_group_id)::INTEGER AS n, list(DISTINCT compression) AS codecs FROM parquet_metadata('$file')`);
    expect(Number(groups.n)).toBeGreaterThanOrEqual(10);
    const codec = { snappy: 'SNAPPY', zstd: 'ZSTD', gzip: 'GZIP', uncompressed: 'UNCOMPRESSED' }[name.split('-')[1]];
    expect(groups.codecs).toEqual([codec]);
    const [at] = await meta(name, `SELECT type, converted_type, logical_type FROM parquet_schema('$file') WHERE name = 'at'`);
    const expected = name.startsWith('int96') ? 'INT96' : name.startsWith('micros') ? 'TIMESTAMP_MICROS' : 'TIMESTAMP_MILLIS';
    expect(at.type === 'INT96' ? 'INT96' : at.converted_type).toBe(expected);
    const [localAt] = await meta(name, `SELECT logical_type FROM parquet_schema('$file') WHERE name = 'local_at'`);
    expect(String(localAt.logical_type)).toContain('isAdjustedToUTC=0');
  }
  // The dictionary of `mixed` fills inside a chunk: dictionary pages, then plain ones.
  const [mixed] = await meta('int96-snappy', `SELECT count(*)::INTEGER AS n FROM parquet_metadata('$file') WHERE path_in_schema = 'mixed' AND encodings LIKE '%PLAIN_DICTIONARY%' AND regexp_matches(encodings, '(^|, )PLAIN(,|$)')`);
  expect(Number(mixed.n)).toBeGreaterThan(0);
  const [v2] = await meta('micros-snappy-v2', `SELECT list(DISTINCT encodings) AS e FROM parquet_metadata('$file') WHERE path_in_schema IN ('many', 'big')`);
  expect(JSON.stringify(v2.e)).toMatch(/DELTA_BYTE_ARRAY/);
  expect(JSON.stringify(v2.e)).toMatch(/DELTA_BINARY_PACKED/);
});

describe.each([
  ['decode workers', () => rowGroupDecoder({ FEATURESTACK_DECODE_THREADS: '2' })],
  ['in-thread decoder', () => inThreadDecoder],
] as [string, () => RowGroupDecoder][])('Spark Parquet reads as DuckDB reads it (%s)', (_name, decoder) => {
  test.each([...VARIANTS])('%s: every value of every column', async (name) => {
    const batches = await read(name, decoder());
    const ours = ourRows(batches);
    const theirs = await duckAll(name);
    expect(ours.length).toBe(ROWS);
    expect(firstDifference(ours, theirs)).toBeUndefined();
  });
});

test.each([...VARIANTS])('%s: a time window keeps every row inside it, and with statistics skips row groups', async (name) => {
  // About the middle third of the rows' timestamps.
  const start = -631152000000000 + 7000 * 111111111111;
  const end = -631152000000000 + 13000 * 111111111111;
  const ours = ourRows(await read(name, rowGroupDecoder({ FEATURESTACK_DECODE_THREADS: '2' }), { start, end }));
  const inside = await duckRows(files.get(name)!, `epoch_us("at") BETWEEN ${start} AND ${end}`);
  const ids = new Set(ours.map((r) => r[0]));
  expect(inside.filter((r) => !ids.has(r[0]))).toEqual([]);
  // Spark writes no statistics for INT96: every row group stays.
  if (name.startsWith('int96')) expect(ours.length).toBe(ROWS);
  else expect(ours.length).toBeLessThan(ROWS / 2);
  const all = new Map((await duckAll(name)).map((r) => [r[0], r]));
  expect(firstDifference(ours, ours.map((r) => all.get(r[0])!))).toBeUndefined();
});
