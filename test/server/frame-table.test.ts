import type { FrameColumn } from '../../runtime/push/frame-columns';
import { frameToTable } from '../../runtime/push/frame-table';

const column = (name: string, type: FrameColumn['type'], nullable = true, optional = false): FrameColumn => ({ name, type, nullable, optional });

describe('frameToTable', () => {
  it('turns Feast JSON values into typed Arrow columns, every value type', () => {
    const table = frameToTable(
      {
        ts: ['2024-05-01T00:00:00.000001Z', 1714521600.5],
        id: [1, '9007199254740993'],
        small: [-2147483648, null],
        flag: [true, false],
        name: ['a', 'é'],
        blob: ['AQI=', null],
        seen: ['2024-05-02T00:00:00Z', null],
        scores: [[1.5, 2], null],
        ids: [[1, '9007199254740993'], []],
      },
      [
        column('ts', 'EventTime', false),
        column('id', 'Int64', false),
        column('small', 'Int32'),
        column('flag', 'Bool'),
        column('name', 'String'),
        column('blob', 'Bytes'),
        column('seen', 'UnixTimestamp'),
        column('scores', 'Array(Float64)'),
        column('ids', 'Array(Int64)'),
      ],
    );
    expect(table.schema.fields.map((f) => String(f.type))).toEqual([
      'Timestamp<MICROSECOND, UTC>',
      'Int64',
      'Int32',
      'Bool',
      'Utf8',
      'Binary',
      'Timestamp<MICROSECOND, UTC>',
      'List<Float64>',
      'List<Int64>',
    ]);
    expect([...table.getChild('ts')!.data[0].values]).toEqual([1714521600000001n, 1714521600500000n]);
    expect([...table.getChild('id')!.toArray()]).toEqual([1n, 9007199254740993n]);
    expect(table.getChild('small')!.toJSON()).toEqual([-2147483648, null]);
    expect(table.getChild('flag')!.toJSON()).toEqual([true, false]);
    expect(table.getChild('name')!.toJSON()).toEqual(['a', 'é']);
    expect(table.getChild('blob')!.get(0)).toEqual(new Uint8Array([1, 2]));
    expect(table.getChild('blob')!.get(1)).toBeNull();
    expect(table.getChild('seen')!.get(1)).toBeNull();
    expect([...table.getChild('scores')!.get(0)!.toArray()]).toEqual([1.5, 2]);
    expect(table.getChild('scores')!.get(1)).toBeNull();
    expect([...table.getChild('ids')!.get(0)!.toArray()]).toEqual([1n, 9007199254740993n]);
  });

  it('fills a missing created timestamp with the write time', () => {
    const table = frameToTable({ ts: ['2024-05-01T00:00:00Z'] }, [column('ts', 'EventTime', false), column('created', 'EventTime', false, true)], 1714600000000000);
    expect([...table.getChild('created')!.data[0].values]).toEqual([1714600000000000n]);
  });

  it('names the column and row of a value that does not fit', () => {
    expect(() => frameToTable({ small: [1, 2 ** 31] }, [column('small', 'Int32')])).toThrow('df column "small", row 2: 2147483648 is not a 32-bit integer');
    expect(() => frameToTable({ scores: [[1, 'x']] }, [column('scores', 'Array(Float64)')])).toThrow('df column "scores", row 1[1]: "x" is not a number');
    expect(() => frameToTable({}, [column('ts', 'EventTime', false)])).toThrow('df lacks columns: ts');
    expect(() => frameToTable({ ts: [] }, [column('ts', 'EventTime', false)])).toThrow('df has no rows');
  });
});
