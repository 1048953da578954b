import type { FieldSpec } from '../../runtime/manifest/schema';
import { compactMayReplace, CompactRecordCodec, NO_CREATED_TIME, recordEventMicros, schemaFingerprint } from '../../runtime/online/compact/record';
import type { FeatureValue } from '../../runtime/online/values';

const field = (name: string, dtype: FieldSpec['dtype']): FieldSpec => ({ name, dtype, description: '', tags: {} });

const SCHEMA = [
  field('i32', 'Int32'),
  field('i64', 'Int64'),
  field('f32', 'Float32'),
  field('f64', 'Float64'),
  field('str', 'String'),
  field('bin', 'Bytes'),
  field('flag', 'Bool'),
  field('seen', 'UnixTimestamp'),
  field('strs', 'Array(String)'),
  field('i64s', 'Array(Int64)'),
  field('flags', 'Array(Bool)'),
];

describe('compact records', () => {
  const codec = new CompactRecordCodec(SCHEMA);

  test('every type, lists and 64-bit integers past 2^53 read back as written', () => {
    const values: FeatureValue[] = [-5, 2n ** 60n, 0.5, Math.PI, 'naïve', Buffer.from([0, 1, 254]), true, 1617228000_123456, ['a', ''], [1, -(2 ** 40)], [false, true]];
    const record = codec.encode(1000, 2000, values);
    expect(codec.matches(record)).toBe(true);
    expect(recordEventMicros(record)).toBe(1000);
    expect(codec.decode(record)).toEqual(values);
  });

  test('nulls are kept in the bitmap and cost no value bytes', () => {
    const values: FeatureValue[] = SCHEMA.map(() => null);
    values[4] = 'x';
    const record = codec.encode(1, NO_CREATED_TIME, values);
    expect(record.length).toBe(24 + 2 + 4 + 1);
    expect(codec.decode(record)).toEqual(values);
  });

  test('the header: event and created time big-endian, then the fingerprint', () => {
    const record = new CompactRecordCodec([field('x', 'Int32')]).encode(1617228000 * 1_000_000, -1, [7]);
    expect(record.toString('hex')).toBe(
      '0005bedc3c75f800' + 'ffffffffffffffff' + schemaFingerprint([field('x', 'Int32')]).toString('hex') + '00' + '07000000',
    );
  });

  test('asked features land in their slots (converted where asked), the others are skipped; a null sets its status', () => {
    const record = codec.encode(1, 1, [1, 2, 3, 4, 'five', Buffer.from('6'), true, 8, ['9'], [10], [true]]);
    const slots = Int32Array.from(SCHEMA, (f) => (f.name === 'i64s' ? 0 : f.name === 'str' ? 1 : -1));
    // Two columns of two rows: the record goes to row 1.
    const columns: FeatureValue[][] = [[], []];
    const statuses = new Uint8Array(4);
    codec.decodeRow(record, slots, [null, null], columns, statuses, 1, 2, 9);
    expect(columns.map((c) => c[1])).toEqual([[10], 'five']);
    expect([...statuses]).toEqual([0, 0, 0, 0]);
    const nullString = codec.encode(1, 1, [1, 2, 3, 4, null, Buffer.from('6'), true, 8, ['9'], [10], [true]]);
    codec.decodeRow(nullString, slots, [(v) => `<${v}>`, null], columns, statuses, 1, 2, 9);
    expect(columns.map((c) => c[1])).toEqual(['<10>', null]);
    expect([...statuses]).toEqual([0, 0, 0, 9]);
  });

  test("a record of another schema does not match (order, type or name changed)", () => {
    const record = codec.encode(1, 1, SCHEMA.map(() => null));
    expect(new CompactRecordCodec([...SCHEMA].reverse()).matches(record)).toBe(false);
    expect(new CompactRecordCodec(SCHEMA.map((f) => (f.name === 'i32' ? field('i32', 'Int64') : f))).matches(record)).toBe(false);
    expect(new CompactRecordCodec(SCHEMA.map((f) => (f.name === 'i32' ? field('j32', 'Int32') : f))).matches(record)).toBe(false);
  });

  test('a record replaces another unless it is older by event, then created time', () => {
    const at = (event: number, created: number) => codec.encode(event, created, SCHEMA.map(() => null));
    expect(compactMayReplace(at(10, 0), null)).toBe(true);
    expect(compactMayReplace(at(10, 0), at(9, 99))).toBe(true);
    expect(compactMayReplace(at(9, 99), at(10, 0))).toBe(false);
    expect(compactMayReplace(at(10, 5), at(10, 4))).toBe(true);
    expect(compactMayReplace(at(10, 4), at(10, 5))).toBe(false);
    expect(compactMayReplace(at(10, 5), at(10, 5))).toBe(true);
    expect(compactMayReplace(at(-5, 0), at(-6, 0))).toBe(true);
    const otherSchema = new CompactRecordCodec([field('x', 'Int32')]).encode(99, 99, [1]);
    expect(compactMayReplace(at(1, 1), otherSchema)).toBe(true);
  });
});
