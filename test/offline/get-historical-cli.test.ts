import { readFile, writeFile } from 'node:fs/promises';
import { Table } from 'apache-arrow';
import { featurestack } from '../catalog/run-cli';
import { readTableFile } from '../../runtime/io/table-file';
import { canonicalJson } from '../../runtime/manifest/canonical';
import { float64s, HOUR, manifestOf, plainRows, strings, T0, TempLake, timestamps, type ViewDef } from './fixtures';

const stats: ViewDef = { name: 'stats', joinKeys: [{ name: 'driver_id', valueType: 'String' }], features: [['rate', 'Float64']], ttlSeconds: 0, path: 'stats' };

let lake: TempLake;
let manifestPath: string;

beforeAll(async () => {
  lake = await TempLake.create();
  await lake.write('stats/part-0.parquet', new Table({ driver_id: strings(['0042', '7']), event_timestamp: timestamps([T0, T0]), rate: float64s([0.5, 0.7]) }));
  manifestPath = lake.path('registry.json');
  await writeFile(manifestPath, canonicalJson(manifestOf([stats])));
  process.env.FEATURESTACK_LAKE_ROOT = lake.root;
});

afterAll(async () => {
  delete process.env.FEATURESTACK_LAKE_ROOT;
  await lake?.remove();
});

describe('featurestack get-historical', () => {
  test('CSV entity rows in, a CSV training set out, with a one-line summary', async () => {
    // "0042" stays a string: the column feeds a String join key.
    await writeFile(lake.path('entities.csv'), 'driver_id,event_timestamp\n0042,2024-01-01T01:00:00\n7,2023-12-31T23:00:00Z\n0042,2024-01-01T00:00:00Z\n');
    const result = await featurestack('get-historical', '--manifest', manifestPath, '--entities', lake.path('entities.csv'), '--features', 'stats:rate', '--out', lake.path('training.csv'));
    expect(result).toEqual({ code: 0, stdout: expect.stringMatching(/^wrote 3 rows × 3 columns \(driver_id, event_timestamp, rate\) to .*training\.csv in \d+\.\d s\n$/), stderr: '' });
    expect(await readFile(lake.path('training.csv'), 'utf8')).toBe(
      'driver_id,event_timestamp,rate\n0042,2024-01-01T01:00:00.000Z,0.5\n7,2023-12-31T23:00:00.000Z,\n0042,2024-01-01T00:00:00.000Z,0.5\n',
    );
  });

  test('Parquet in and out, full feature names, a JSON summary', async () => {
    await lake.write('entities.parquet', new Table({ driver_id: strings(['7']), event_timestamp: timestamps([T0 + HOUR]) }));
    const result = await featurestack('get-historical', '--manifest', manifestPath, '--entities', lake.path('entities.parquet'), '--features', 'stats:rate', '--full-feature-names', '--out', lake.path('training.parquet'), '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ rows: 1, columns: ['driver_id', 'event_timestamp', 'stats__rate'], out: lake.path('training.parquet') });
    expect(plainRows(await readTableFile(lake.path('training.parquet')))).toEqual([{ driver_id: '7', event_timestamp: T0 + HOUR, stats__rate: 0.7 }]);
  });

  test('a range retrieval with --start and --end', async () => {
    const result = await featurestack('get-historical', '--manifest', manifestPath, '--start', '2024-01-01', '--end', '2024-01-02', '--features', 'stats:rate', '--out', lake.path('snapshot.csv'));
    expect(result.code).toBe(0);
    expect(await readFile(lake.path('snapshot.csv'), 'utf8')).toBe('driver_id,event_timestamp,rate\n0042,2024-01-01T00:00:00.000Z,0.5\n7,2024-01-01T00:00:00.000Z,0.7\n');
  });

  test('errors print the message and the hint, with exit code 1', async () => {
    await writeFile(lake.path('no-time.csv'), 'driver_id\n7\n');
    const result = await featurestack('get-historical', '--manifest', manifestPath, '--entities', lake.path('no-time.csv'), '--features', 'stats:rate', '--out', lake.path('x.csv'));
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: entity rows have no timestamp column (columns: driver_id)\nhint: add an "event_timestamp" column holding each row\'s point in time (ISO 8601 in CSV; no zone means UTC)\n',
    });
    expect((await featurestack('get-historical', '--manifest', manifestPath, '--features', 'stats:rate', '--out', lake.path('x.csv'))).stderr).toBe(
      'error: give --entities <file>, or --start and --end\nhint: e.g. --entities drivers.csv\n',
    );
  });
});

