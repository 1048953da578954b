/**
 * Flat numeric columns decoded straight from their pages (flat-columns.ts) give
 * exactly what parquet-wasm gives for the same row group: the same Arrow types, nulls
 * and values, for DuckDB's files and ours (dictionaries falling back to PLAIN, several
 * pages per chunk, v1 and v2 pages, zstd and uncompressed). What is not covered goes
 * through parquet-wasm, and a damaged page is PARQUET_INVALID naming file and column.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DateDay, Float64, Int32, Int64, makeData, makeVector, Table, tableToIPC, TimestampMicrosecond, type RecordBatch } from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { flatRecordBatch } from '../../runtime/lakes/parquet/flat-batch';
import { flatPlan } from '../../runtime/lakes/parquet/flat-plan';
import { decodeHybrid } from '../../runtime/lakes/parquet/rle-hybrid';
import { readParquetPart } from '../../runtime/lakes/parquet/read-parquet';
import { inThreadDecoder, rowGroupDecoder, type RowGroupDecoder } from '../../runtime/lakes/parquet/row-group-decoder';
import { RowGroupReader, type DecodedColumns } from '../../runtime/lakes/parquet/row-group-reader';
import { chunkRange, compressFile, parseFooter, splitPages, topLevelName } from '../../runtime/lakes/parquet/zstd-transcode';
import { get, getNumber, type ThriftField, type ThriftList } from '../../runtime/lakes/parquet/thrift-typed';
import { asBlobLike } from '../../runtime/lakes/byte-source';
import { collect, memorySource } from './lake-fixtures';
import * as arrow from 'apache-arrow';

let dir: string;
let duck: DuckDBConnection;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flat-columns-'));
  duck = await (await DuckDBInstance.create(':memory:')).connect();
});

afterAll(async () => {
  duck.closeSync();
  await rm(dir, { recursive: true, force: true });
});

/** The structs of list field `id` (Parquet footer field ids: 4 row groups, 1 column chunks, 3 column metadata). */
const structs = (fields: ThriftField[], id: number) => (get(fields, id) as ThriftList).items as ThriftField[][];
const struct = (fields: ThriftField[], id: number) => get(fields, id) as ThriftField[];

/** A batch's columns as comparable data, by name: type, null count and every value (bigints as text). */
function snapshot(batch: RecordBatch): Record<string, unknown> {
  const columns = batch.schema.fields.map((field, i) => {
    const vector = batch.getChildAt(i)!;
    const values = Array.from({ length: vector.length }, (_, r) => {
      const value: unknown = vector.get(r);
      return typeof value === 'bigint' ? String(value) : value;
    });
    return [field.name, { type: String(field.type), nullCount: vector.nullCount, values }] as const;
  });
  return Object.fromEntries(columns);
}

function batchOf(decoded: DecodedColumns): RecordBatch {
  if (decoded.flat) return flatRecordBatch(arrow, decoded.flat);
  const batches = arrow.tableFromIPC(decoded.ipc).batches;
  expect(batches).toHaveLength(1);
  return batches[0];
}

/**
 * Decodes every row group of `bytes` both ways: `flat` says whether the fast path is
 * expected to take the columns; either way the result must be parquet-wasm's.
 */
async function expectSameAsParquetWasm(bytes: Uint8Array, columns: string[], flat: boolean): Promise<void> {
  const reader = new RowGroupReader(asBlobLike(memorySource('file.parquet', bytes)));
  const footer = parseFooter(bytes);
  const plan = flatPlan(footer, columns);
  try {
    for (let g = 0; g < structs(footer, 4).length; g++) {
      const decoded = await reader.decode(g, columns, 1 << 30, plan);
      expect(decoded.flat !== undefined).toBe(flat);
      const expected = arrow.tableFromIPC(await reader.decodeIpc(g, columns, 1 << 30)).batches;
      expect(expected).toHaveLength(1);
      expect(snapshot(batchOf(decoded))).toEqual(snapshot(expected[0]));
    }
  } finally {
    reader.free();
  }
}

const FLAT_COLUMNS = ['id', 'low', 'n32', 'd', 'fl', 'day', 'at', 'ms', 'ns'];

/** A DuckDB file of 30,000 rows in row groups of 12,000 with every covered type, nulls in most. */
async function duckdbFile(name: string, options: string): Promise<Uint8Array> {
  const file = path.join(dir, name);
  await duck.run(`COPY (
    SELECT CASE WHEN i % 13 = 0 THEN NULL ELSE i * 7919 END::BIGINT AS id,
           CASE WHEN i % 9 = 0 THEN NULL ELSE i % 50 END::BIGINT AS low,
           CASE WHEN i % 7 = 0 THEN NULL ELSE i - 15000 END::INTEGER AS n32,
           CASE WHEN i % 5 = 0 THEN NULL ELSE i / 3 END::DOUBLE AS d,
           (i / 4)::FLOAT AS fl,
           CASE WHEN i % 11 = 0 THEN NULL ELSE DATE '2024-01-01' + (i % 40)::INTEGER END AS day,
           make_timestamptz(1704067200000000 + i * 1000) AS at,
           (TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND)::TIMESTAMP_MS AS ms,
           (TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND)::TIMESTAMP_NS AS ns
    FROM range(30000) t(i)
  ) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 12000, ${options})`);
  return new Uint8Array(await readFile(file));
}

describe('decodeHybrid (RLE / bit-packing hybrid)', () => {
  /** Encodes `values` as the given runs: ['rle', n] repeats the next value n times, ['packed', n] packs the next n. */
  function encode(values: number[], bitWidth: number, runs: ['rle' | 'packed', number][]): Uint8Array {
    const out: number[] = [];
    const varint = (n: number) => {
      while (n >= 128) {
        out.push((n % 128) | 0x80);
        n = Math.floor(n / 128);
      }
      out.push(n);
    };
    let at = 0;
    for (const [kind, n] of runs) {
      if (kind === 'rle') {
        varint(n * 2);
        for (let b = 0; b < Math.ceil(bitWidth / 8); b++) out.push(Math.floor(values[at] / 2 ** (8 * b)) & 0xff);
      } else {
        const groups = Math.ceil(n / 8);
        varint(groups * 2 + 1);
        const bits: number[] = [];
        for (let k = 0; k < groups * 8; k++) for (let b = 0; b < bitWidth; b++) bits.push(k < n ? Math.floor(values[at + k] / 2 ** b) % 2 : 0);
        for (let k = 0; k < bits.length; k += 8) out.push(bits.slice(k, k + 8).reduce((byte, bit, j) => byte | (bit << j), 0));
      }
      at += n;
    }
    return Uint8Array.from(out);
  }

  test.each([0, 1, 3, 8, 17, 25, 31, 32])('bit width %i: RLE runs, packed runs and a short last group', (bitWidth) => {
    const max = 2 ** bitWidth;
    const packed = Array.from({ length: 43 }, (_, k) => (k * 2654435761) % max);
    const values = [...packed.slice(0, 16), ...Array(300).fill(max - 1), ...packed.slice(16)];
    const bytes = encode(values, bitWidth, [['packed', 16], ['rle', 300], ['packed', 27]]);
    const out = new Int32Array(values.length);
    expect(decodeHybrid(bytes, 0, bytes.length, bitWidth, values.length, out)).toBe(bytes.length);
    expect(Array.from(out, (v) => v >>> 0)).toEqual(values);
  });

  test('data that ends before its values is an error', () => {
    const bytes = encode([1, 2, 3, 4, 5, 6, 7, 8], 4, [['packed', 8]]);
    expect(() => decodeHybrid(bytes, 0, bytes.length - 1, 4, 8, new Int32Array(8))).toThrow('bit-packed run ends before its values');
    expect(() => decodeHybrid(bytes, 0, bytes.length, 4, 9, new Int32Array(9))).toThrow('RLE data ends after 8 of 9 values');
  });
});

describe('flat columns decode as parquet-wasm decodes them', () => {
  test.each([
    ['zstd', 'COMPRESSION zstd'],
    ['uncompressed', 'COMPRESSION uncompressed'],
  ])('DuckDB, v1 pages, %s: every covered type, with nulls and dictionaries', async (_name, options) => {
    const bytes = await duckdbFile(`v1-${_name}.parquet`, options);
    await expectSameAsParquetWasm(bytes, FLAT_COLUMNS, true);
    await expectSameAsParquetWasm(bytes, ['ns', 'low'], true);
  });

  test('DuckDB, v2 pages: dictionary columns take the fast path; DELTA and BYTE_STREAM_SPLIT go through parquet-wasm', async () => {
    const bytes = await duckdbFile('v2.parquet', 'COMPRESSION zstd, PARQUET_VERSION V2');
    await expectSameAsParquetWasm(bytes, ['low', 'day'], true);
    await expectSameAsParquetWasm(bytes, ['id', 'd', 'fl'], false);
  });

  test('arrow-rs files: an Arrow schema, several pages per chunk, a dictionary that falls back to PLAIN', async () => {
    const count = 300_000;
    const ids = new BigInt64Array(count);
    const times = new BigInt64Array(count);
    const scores = new Float64Array(count);
    const counts = new Int32Array(count);
    const days = new Int32Array(count);
    const valid = new Uint8Array(Math.ceil(count / 8));
    for (let i = 0; i < count; i++) {
      ids[i] = BigInt((i * 2654435761) % 1_000_003);
      times[i] = BigInt(1_704_067_200_000_000 + i * 1_000_000);
      scores[i] = i / 7;
      counts[i] = i % 1000;
      days[i] = 19_723 + (i % 365);
      if (i % 17 !== 0) valid[i >> 3] |= 1 << (i & 7);
    }
    const nulls = count - Math.ceil(count / 17);
    const table = new Table({
      driver_id: makeVector(makeData({ type: new Int64(), length: count, data: ids })),
      event_timestamp: makeVector(makeData({ type: new TimestampMicrosecond('Europe/Berlin'), length: count, data: times })),
      score: makeVector(makeData({ type: new Float64(), length: count, nullCount: count - nulls, nullBitmap: valid, data: scores })),
      trips: makeVector(makeData({ type: new Int32(), length: count, data: counts })),
      day: makeVector(makeData({ type: new DateDay(), length: count, data: days })),
    });
    // As arrow-rs (pyarrow alike) writes by default: dictionaries on, 1 MB pages; then zstd.
    const props = new pw.WriterPropertiesBuilder().setMaxRowGroupSize(200_000).setCompression(pw.Compression.UNCOMPRESSED).build();
    const bytes = await compressFile(pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, 'stream')), props));
    const footer = parseFooter(bytes);
    const idChunk = struct(structs(structs(footer, 4)[0], 1)[0], 3);
    const range = chunkRange(idChunk);
    const pageTypes = splitPages(bytes.subarray(range.start, range.end)).map((p) => getNumber(p.header, 1));
    // A dictionary page, then more than one data page (dictionary-encoded, then PLAIN once the dictionary is full).
    expect(pageTypes[0]).toBe(2);
    expect(pageTypes.filter((t) => t === 0).length).toBeGreaterThan(1);
    await expectSameAsParquetWasm(bytes, ['driver_id', 'event_timestamp', 'score', 'trips', 'day'], true);
  });

  test('snappy chunks and non-numeric columns go through parquet-wasm', async () => {
    const snappy = await duckdbFile('snappy.parquet', 'COMPRESSION snappy');
    await expectSameAsParquetWasm(snappy, ['id', 'd'], false);
    const file = path.join(dir, 'text.parquet');
    await duck.run(`COPY (SELECT i::BIGINT AS id, 'n' || i AS name FROM range(100) t(i)) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
    const text = new Uint8Array(await readFile(file));
    await expectSameAsParquetWasm(text, ['id', 'name'], false);
    await expectSameAsParquetWasm(text, ['id'], true);
  });
});

describe.each([
  ['decode workers', () => rowGroupDecoder({ FEATURESTACK_DECODE_THREADS: '2' })],
  ['in-thread decoder', () => inThreadDecoder],
] as [string, () => RowGroupDecoder][])('a damaged flat column (%s)', (_name, decoder) => {
  test('a dictionary index past the dictionary is PARQUET_INVALID naming the file, column and row group', async () => {
    const bytes = (await duckdbFile('damaged.parquet', 'COMPRESSION uncompressed')).slice();
    const footer = parseFooter(bytes);
    const low = structs(structs(footer, 4)[1], 1).map((chunk) => struct(chunk, 3)).find((meta) => topLevelName(meta) === 'low')!;
    const range = chunkRange(low);
    const pages = splitPages(bytes.subarray(range.start, range.end));
    const data = pages.find((p) => getNumber(p.header, 1) === 0)!;
    // The body: definition levels (4-byte length, then the levels), then the indices' bit width and runs.
    const levels = new DataView(data.body.buffer, data.body.byteOffset, 4).getUint32(0, true);
    const runs = data.body.subarray(4 + levels + 1);
    runs.set([0xc0, 0x9a, 0x0c, 0xff]); // one RLE run (100,000 values, more than the page holds) of index 255
    await expect(collect(readParquetPart({ source: memorySource('damaged.parquet', bytes), partitions: new Map() }, { columns: ['low'] }, 'src', decoder()))).rejects.toMatchObject({
      code: 'PARQUET_INVALID',
      message: expect.stringMatching(/damaged\.parquet is not a valid Parquet file: column "low" of row group 1: a dictionary index 255 is past the dictionary's 50 values/),
    });
  });
});
