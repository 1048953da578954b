import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table } from 'apache-arrow';
import { csvToTable, parseCsvRows, tableToCsv } from '../../runtime/io/csv';
import { readTableFile, writeTableFile } from '../../runtime/io/table-file';
import { bools, float32s, float64s, int64s, plainRows, strings, T0, timestamps } from './fixtures';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-table-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('CSV files', () => {
  test('quoted fields keep commas, quotes and newlines; an empty field is null, "" is an empty string', () => {
    expect(parseCsvRows('a,b,c\r\n"x, ""y""","line\nbreak",\n"",2,3\n', 't.csv')).toEqual([
      ['a', 'b', 'c'],
      ['x, "y"', 'line\nbreak', null],
      ['', '2', '3'],
    ]);
  });

  test('columns are typed from their values, unless a type is given', () => {
    const table = csvToTable('id,zip,rate,ok,event_timestamp,name\n1,0042,0.5,true,2024-01-01T00:00:00,a\n2,0043,,false,2024-01-01T01:00:00+01:00,\n', 'e.csv', { columnTypes: { zip: 'String' } });
    expect(table.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'id:Int64',
      'zip:Utf8',
      'rate:Float64',
      'ok:Bool',
      'event_timestamp:Timestamp<MICROSECOND, UTC>',
      'name:Utf8',
    ]);
    expect(plainRows(table)).toEqual([
      { id: 1, zip: '0042', rate: 0.5, ok: true, event_timestamp: T0, name: 'a' },
      { id: 2, zip: '0043', rate: null, ok: false, event_timestamp: T0, name: null },
    ]);
  });

  test('a value that does not fit the given type is an error naming the column', () => {
    expect(() => csvToTable('driver_id\nabc\n', 'e.csv', { columnTypes: { driver_id: 'Int64' } })).toThrow('e.csv, column "driver_id": "abc" is not a valid Int64 value');
  });

  test('training sets are written with ISO 8601 UTC times and short floats', () => {
    const table = new Table({
      driver_id: int64s([1, null]),
      event_timestamp: timestamps([T0 + 1, T0]),
      rate: float32s([0.2, null]),
      name: strings(['a,b', '']),
      ok: bools([true, null]),
    });
    expect(tableToCsv(table)).toBe('driver_id,event_timestamp,rate,name,ok\n1,2024-01-01T00:00:00.000001Z,0.2,"a,b",true\n,2024-01-01T00:00:00.000Z,,"",\n');
  });
});

describe('table files', () => {
  const table = () => new Table({ driver_id: int64s([1, 2]), event_timestamp: timestamps([T0, null]), rate: float64s([0.5, null]), name: strings(['é', null]) });

  test('Parquet and CSV round trips keep values and types', async () => {
    for (const name of ['t.parquet', 't.csv']) {
      await writeTableFile(join(dir, name), table());
      const back = await readTableFile(join(dir, name));
      expect(plainRows(back)).toEqual(plainRows(table()));
      expect(back.schema.fields.map((f) => String(f.type))).toEqual(['Int64', 'Timestamp<MICROSECOND, UTC>', 'Float64', 'Utf8']);
    }
  });

  test('an unknown extension, a missing file and a file that is not Parquet are errors', async () => {
    await expect(writeTableFile(join(dir, 't.xlsx'), table())).rejects.toMatchObject({ code: 'REQUEST_INVALID', message: `${join(dir, 't.xlsx')}: unknown file type ".xlsx"` });
    await expect(readTableFile(join(dir, 'absent.csv'))).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
    await writeFile(join(dir, 'bad.parquet'), 'not parquet');
    await expect(readTableFile(join(dir, 'bad.parquet'))).rejects.toMatchObject({ code: 'PARQUET_INVALID' });
    expect((await readFile(join(dir, 't.csv'), 'utf8')).split('\n')[0]).toBe('driver_id,event_timestamp,rate,name');
  });
});
