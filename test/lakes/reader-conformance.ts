import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FeatureStoreError } from '../../runtime/errors';
import { LocalLakeReader } from '../../runtime/lakes/local-lake';
import type { LakeLocation, LakeReader } from '../../runtime/lakes';
import type { FileSet } from '../../runtime/lakes/lake-reader';
import { collect, parquetBytes, rowsOf, SECOND, standardLake, T0, tripsTable, writeLake } from './lake-fixtures';

export interface LakeUnderTest {
  readonly reader: LakeReader;
  /** Where a path of the standard lake (see `standardLake`) lives in this lake. */
  locate(relativePath: string): LakeLocation;
  /** Bytes the lake's server has sent so far, for lakes behind a test server. */
  bytesServed?(): number | Promise<number>;
  stop(): Promise<void>;
}

/** Lake files used by the error cases, beside the standard lake. */
export function brokenFiles(): Map<string, Uint8Array> {
  const good = standardLake().get('parts/part-00002.parquet')!;
  return new Map([
    ['broken/not-parquet.parquet', new TextEncoder().encode('this is a CSV file,really\n1,2\n')],
    ['broken/truncated.parquet', good.subarray(0, Math.floor(good.length / 2))],
  ]);
}

const COLUMNS = ['conv_rate', 'driver_id', 'event_timestamp'];

function expected(first: number, count: number, extra: Record<string, unknown> = {}): Record<string, unknown>[] {
  return rowsOf(tripsTable(first, count).select(COLUMNS).batches).map((row) => ({ ...row, ...extra }));
}

async function failure(work: Promise<unknown>): Promise<FeatureStoreError> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(FeatureStoreError);
  return error as FeatureStoreError;
}

/**
 * The behaviour every lake reader shares, run against one lake that holds the
 * standard lake and the broken files.
 */
export function describeLakeReader(kind: string, start: (files: Map<string, Uint8Array>) => Promise<LakeUnderTest>, options: { remote: boolean }): void {
  describe(`${kind} lake reader`, () => {
    let lake: LakeUnderTest;
    beforeAll(async () => {
      lake = await start(new Map([...standardLake(), ...brokenFiles()]));
    });
    afterAll(async () => {
      await lake?.reader.close();
      await lake?.stop();
    });

    if (options.remote) {
      test.each(['single/trips.parquet', 'parts', 'hive'])('%s reads the same rows as the local reader', async (relativePath) => {
        const root = await mkdtemp(path.join(tmpdir(), 'reference-lake-'));
        const local = new LocalLakeReader(root);
        try {
          await writeLake(root, standardLake());
          const options = { columns: ['name', 'event_timestamp', 'driver_id', 'unused', ...(relativePath === 'hive' ? ['date', 'region'] : [])] };
          const expectedRows = rowsOf(await collect(local.read({ filesystem: null, path: relativePath }, options)));
          expect(rowsOf(await collect(lake.reader.read(lake.locate(relativePath), options)))).toEqual(expectedRows);
        } finally {
          await rm(root, { recursive: true, force: true });
        }
      });
    }

    const read = (relativePath: string, options: Parameters<LakeReader['read']>[1]) => collect(lake.reader.read(lake.locate(relativePath), options));

    test('a single file yields one batch per row group with only the asked columns, in the asked order', async () => {
      const batches = await read('single/trips.parquet', { columns: COLUMNS });
      expect(batches.map((b) => b.numRows)).toEqual([1000, 1000, 1000, 1000, 1000, 1000, 1000]);
      expect(batches[0].schema.fields.map((f) => f.name)).toEqual(COLUMNS);
      expect(rowsOf(batches)).toEqual(expected(0, 7000));
    });

    test('row groups whose timestamps all fall outside the window are skipped', async () => {
      const batches = await read('single/trips.parquet', {
        columns: COLUMNS,
        timestampColumn: 'event_timestamp',
        startMicros: T0 + 2500 * SECOND,
        endMicros: T0 + 4200 * SECOND,
      });
      expect(rowsOf(batches)).toEqual(expected(2000, 3000));
    });

    test('a window touching a row group only at its last row keeps that row group', async () => {
      const batches = await read('single/trips.parquet', { columns: COLUMNS, timestampColumn: 'event_timestamp', startMicros: T0 + 999 * SECOND, endMicros: T0 + 999 * SECOND });
      expect(rowsOf(batches)).toEqual(expected(0, 1000));
    });

    test('a folder of part files is read in path order, skipping _SUCCESS, .crc and _temporary', async () => {
      const batches = await read('parts', { columns: COLUMNS });
      expect(rowsOf(batches)).toEqual(expected(0, 550));
    });

    test('hive partition values are appended as Utf8 columns, unescaped, null for the default partition', async () => {
      const batches = await read('hive', { columns: ['driver_id', 'region', 'date', 'conv_rate', 'event_timestamp'] });
      expect(batches[0].schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['driver_id:Int64', 'region:Utf8', 'date:Utf8', 'conv_rate:Float64', 'event_timestamp:Timestamp<MICROSECOND, UTC>']);
      const strip = (rows: Record<string, unknown>[]) => rows.map(({ region, date, driver_id, conv_rate, event_timestamp }) => ({ region, date, driver_id, conv_rate, event_timestamp }));
      expect(strip(rowsOf(batches))).toEqual(
        strip([
          ...expected(60, 5, { region: null, date: '2024-01-03' }),
          ...expected(0, 20, { region: 'eu', date: '2024-01-01' }),
          ...expected(20, 20, { region: 'eu', date: '2024-01-02' }),
          ...expected(40, 20, { region: 'us/west', date: '2024-01-01' }),
        ]),
      );
    });

    test('a column missing from the data names the source and the column, and lists the columns there are', async () => {
      const error = await failure(read('single/trips.parquet', { columns: ['driver_id', 'trip_miles'] }));
      expect(error.code).toBe('SOURCE_INVALID');
      expect(error.message).toMatch(/single\/trips\.parquet.*"trip_miles"/);
      expect(error.hint).toContain('driver_id, event_timestamp, conv_rate, unused, name');
    });

    test('a missing source path is named in the error', async () => {
      const error = await failure(read('nowhere/trips.parquet', { columns: COLUMNS }));
      expect(error.code).toBe('SOURCE_INVALID');
      expect(error.message).toContain('nowhere/trips.parquet');
      expect(error.message).toContain('does not exist');
    });

    test.each(['not-parquet', 'truncated'])('a %s file is PARQUET_INVALID naming the file', async (name) => {
      const error = await failure(read(`broken/${name}.parquet`, { columns: COLUMNS }));
      expect(error.code).toBe('PARQUET_INVALID');
      expect(error.message).toContain(`broken/${name}.parquet`);
    });

    test('a file set makes a second read take exactly the files the first one read', async () => {
      const location = lake.locate('growing');
      await lake.reader.writeFile(location, 'part-0.parquet', parquetBytes(tripsTable(0, 30), 10));
      const fileSet: FileSet = {};
      const first = await collect(lake.reader.read(location, { columns: ['driver_id'], fileSet }));
      await lake.reader.writeFile(location, 'part-1.parquet', parquetBytes(tripsTable(30, 20), 10));
      const second = await collect(lake.reader.read(location, { columns: ['conv_rate'], fileSet }));
      const fresh = await collect(lake.reader.read(location, { columns: ['conv_rate'] }));
      expect(first.map((b) => b.numRows)).toEqual([10, 10, 10]);
      expect(second.map((b) => b.numRows)).toEqual([10, 10, 10]);
      expect(rowsOf(second)).toEqual(rowsOf(tripsTable(0, 30).select(['conv_rate']).batches));
      expect(fresh.reduce((n, b) => n + b.numRows, 0)).toBe(50);
    });

    test('writeFile replaces a file atomically and readFile returns its bytes', async () => {
      const location = lake.locate('written');
      await lake.reader.writeFile(location, 'out.parquet', new Uint8Array([1, 2, 3]));
      await lake.reader.writeFile(location, 'out.parquet', new Uint8Array([4, 5, 6, 7]));
      const bytes = await lake.reader.readFile(readFilePath(lake.locate('written/out.parquet')));
      expect([...bytes]).toEqual([4, 5, 6, 7]);
    });

    // Only lakes behind a test server can count bytes; the local reader's ranged reads are tested directly.
    if (options.remote) test('reading 2 columns of 1 row group fetches a small part of the file', async () => {
      const size = standardLake().get('single/trips.parquet')!.length;
      const before = await lake.bytesServed!();
      const batches = await read('single/trips.parquet', { columns: ['driver_id', 'conv_rate'], timestampColumn: 'event_timestamp', startMicros: T0 + 3000 * SECOND, endMicros: T0 + 3500 * SECOND });
      const fetched = (await lake.bytesServed!()) - before;
      expect(batches.map((b) => b.numRows)).toEqual([1000]);
      expect(fetched).toBeLessThan(size / 4);
    });
  });
}

/** `readFile` takes a path relative to the lake: `<filesystem>/<path>` when there is a filesystem. */
export function readFilePath(location: LakeLocation): string {
  return location.filesystem ? `${location.filesystem}/${location.path}` : location.path;
}
