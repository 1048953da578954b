import { mkdtemp, readdir, rm, mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openLakeReader } from '../../runtime/lakes';
import type { ByteSource } from '../../runtime/lakes/byte-source';
import { readParquetPart } from '../../runtime/lakes/parquet/read-parquet';
import { inThreadDecoder, rowGroupDecoder } from '../../runtime/lakes/parquet/row-group-decoder';
import { FeatureStoreError } from '../../runtime/errors';
import { LocalLakeReader } from '../../runtime/lakes/local-lake';
import type { LocalLakeSpec } from '../../runtime/manifest/schema';
import { collect, parquetBytes, rowsOf, SECOND, T0, tripsTable, writeLake } from './lake-fixtures';
import { describeLakeReader } from './reader-conformance';

describeLakeReader(
  'local',
  async (files) => {
    const root = await mkdtemp(path.join(tmpdir(), 'local-lake-'));
    await writeLake(root, files);
    return {
      reader: new LocalLakeReader(root),
      locate: (relativePath) => ({ filesystem: null, path: relativePath }),
      stop: () => rm(root, { recursive: true, force: true }),
    };
  },
  { remote: false },
);

function countingSource(name: string, bytes: Uint8Array): ByteSource & { served: number; requests: number } {
  const source = {
    name,
    size: bytes.length,
    served: 0,
    requests: 0,
    async read(start: number, end: number) {
      source.requests++;
      source.served += Math.min(end, bytes.length) - start;
      return bytes.slice(start, end);
    },
  };
  return source;
}

describe('ranged Parquet reads', () => {
  test('2 columns of 1 row group out of 7 cost the footer and those column chunks only', async () => {
    const bytes = parquetBytes(tripsTable(0, 7000), 1000);
    const source = countingSource('trips.parquet', bytes);
    const batches = await collect(
      readParquetPart({ source, partitions: new Map() }, { columns: ['driver_id', 'conv_rate'], timestampColumn: 'event_timestamp', startMicros: T0 + 3000 * SECOND, endMicros: T0 + 3999 * SECOND }, 'trips'),
    );
    expect(rowsOf(batches).map((r) => r.conv_rate)).toEqual(Array.from({ length: 1000 }, (_, i) => (3000 + i) / 2));
    // Footer length, footer (cached for both parsers), page index, 2 column chunks.
    expect(source.requests).toBe(5);
    expect(source.served).toBeLessThan(bytes.length / 5);
  });

  test('decoding on worker threads and on the calling thread gives the same batches', async () => {
    const bytes = parquetBytes(tripsTable(0, 7000), 1000);
    const options = { columns: ['name', 'driver_id', 'event_timestamp'] };
    const inThread = await collect(readParquetPart({ source: countingSource('t', bytes), partitions: new Map() }, options, 'trips', inThreadDecoder));
    const workers = await collect(readParquetPart({ source: countingSource('t', bytes), partitions: new Map() }, options, 'trips', rowGroupDecoder({ FEATURESTACK_DECODE_THREADS: '2' })));
    expect(workers.map((b) => b.numRows)).toEqual(inThread.map((b) => b.numRows));
    expect(rowsOf(workers)).toEqual(rowsOf(inThread));
  });

  test('a lake error while reading column chunks keeps its code through the decode workers', async () => {
    const bytes = parquetBytes(tripsTable(0, 7000), 1000);
    const healthy = countingSource('trips.parquet', bytes);
    const failing: ByteSource = {
      ...healthy,
      read: (start, end) => (end <= bytes.length - 64 * 1024 ? Promise.reject(new FeatureStoreError('LAKE_ERROR', 'trips.parquet: connection reset', 'retry')) : healthy.read(start, end)),
    };
    await expect(collect(readParquetPart({ source: failing, partitions: new Map() }, { columns: ['name'] }, 'trips'))).rejects.toMatchObject({ code: 'LAKE_ERROR', message: 'trips.parquet: connection reset' });
  });

  test('corrupt column data is PARQUET_INVALID naming the file', async () => {
    const bytes = parquetBytes(tripsTable(0, 7000), 1000);
    const damaged = bytes.slice();
    damaged.fill(0xff, 4, 20_000);
    await expect(collect(readParquetPart({ source: countingSource('damaged.parquet', damaged), partitions: new Map() }, { columns: ['driver_id', 'name'] }, 'trips'))).rejects.toMatchObject({
      code: 'PARQUET_INVALID',
      message: expect.stringContaining('damaged.parquet is not a valid Parquet file'),
    });
  });

  test('a window before every row group reads no column chunk at all', async () => {
    const bytes = parquetBytes(tripsTable(0, 7000), 1000);
    const source = countingSource('trips.parquet', bytes);
    const batches = await collect(readParquetPart({ source, partitions: new Map() }, { columns: ['conv_rate'], timestampColumn: 'event_timestamp', endMicros: T0 - 1 }, 'trips'));
    expect(batches).toEqual([]);
    expect(source.served).toBeLessThan(bytes.length / 20);
  });
});

describe('local lake resolution', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'local-lake-env-'));
    await writeLake(root, new Map([['override/trips.parquet', parquetBytes(tripsTable(0, 3), 10)], ['lake_b/override/trips.parquet', parquetBytes(tripsTable(100, 2), 10)]]));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const spec = (name: string): LocalLakeSpec => ({ kind: 'local', name, root: '/does/not/exist', hash: 'x' });
  const names = async (reader: ReturnType<typeof openLakeReader>) => rowsOf(await collect(reader.read({ filesystem: 'override', path: 'trips.parquet' }, { columns: ['name'] }))).map((r) => r.name);

  test('FEATURESTACK_LAKE_ROOT replaces the root of the only local lake', async () => {
    expect(await names(openLakeReader(spec('lake_a'), { FEATURESTACK_LAKE_ROOT: root }))).toEqual(['trip-0', 'trip-1', 'trip-2']);
  });

  test('with several local lakes, FEATURESTACK_LAKE_ROOT/<lake> is used when that folder exists, else the override itself', async () => {
    const lakes = [spec('lake_a'), spec('lake_b')];
    expect(await names(openLakeReader(lakes[1], { FEATURESTACK_LAKE_ROOT: root }, lakes))).toEqual(['trip-100', 'trip-101']);
    expect(await names(openLakeReader(lakes[0], { FEATURESTACK_LAKE_ROOT: root }, lakes))).toEqual(['trip-0', 'trip-1', 'trip-2']);
  });

  test('the filesystem of a location is the first folder below the root', async () => {
    const reader = new LocalLakeReader(root);
    await reader.writeFile({ filesystem: 'fs1', path: 'deep/dir' }, 'a.bin', new Uint8Array([9]));
    expect([...(await readFile(path.join(root, 'fs1/deep/dir/a.bin')))]).toEqual([9]);
    expect(await readdir(path.join(root, 'fs1/deep/dir'))).toEqual(['a.bin']);
  });

  test('an empty source folder is an error that says what a part file looks like', async () => {
    await mkdir(path.join(root, 'empty/_temporary'), { recursive: true });
    const reader = new LocalLakeReader(root);
    await expect(collect(reader.read({ filesystem: null, path: 'empty' }, { columns: ['name'] }))).rejects.toMatchObject({ code: 'SOURCE_INVALID', message: expect.stringContaining('holds no .parquet files') });
  });
});

describe('Parquet from another writer', () => {
  test('a DuckDB file with TIMESTAMP, TIMESTAMPTZ and DATE columns is read and its row groups skipped by statistics', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'duckdb-lake-'));
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`COPY (
        SELECT i AS id, TIMESTAMP '2024-01-01' + to_seconds(i) AS naive_ts, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) AS zoned_ts,
               DATE '2024-01-01' + CAST(i // 2048 AS INTEGER) AS day
        FROM range(16384) t(i) ORDER BY i
      ) TO '${root}/duck.parquet' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
    connection.closeSync();
    const reader = new LocalLakeReader(root);
    const ids = async (timestampColumn: string, startMicros: number, endMicros: number) =>
      rowsOf(await collect(reader.read({ filesystem: null, path: 'duck.parquet' }, { columns: ['id'], timestampColumn, startMicros, endMicros }))).map((r) => r.id);
    try {
      const rowGroups = (first: number, count: number) => Array.from({ length: count * 2048 }, (_, i) => first * 2048 + i);
      expect(await ids('naive_ts', T0 + 2500 * SECOND, T0 + 4200 * SECOND)).toEqual(rowGroups(1, 2));
      expect(await ids('zoned_ts', T0 + 16383 * SECOND, T0 + 99999 * SECOND)).toEqual(rowGroups(7, 1));
      expect(await ids('day', T0 + 86_400 * SECOND * 3, T0 + 86_400 * SECOND * 3)).toEqual(rowGroups(3, 1));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
