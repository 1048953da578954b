import { makeData, makeVector, tableFromArrays, vectorFromArray, DataType, TimestampMicrosecond, TimestampNanosecond, TimestampSecond, Utf8 } from 'apache-arrow';
import { formatTimestamp, parseTimestamp, timestampColumnToMicros } from '../../runtime/arrow/timestamps';

/** A timestamp vector from raw 64-bit values in the type's unit; null where the value is null. */
function timestamps(type: DataType, values: (bigint | null)[]) {
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => v !== null && (nullBitmap[i >> 3] |= 1 << (i & 7)));
  const data = BigInt64Array.from(values, (v) => v ?? 0n);
  return makeVector(makeData({ type, length: values.length, data, nullBitmap, nullCount: values.filter((v) => v === null).length } as never));
}

describe('timestamps', () => {
  it('reads a naive timestamp as UTC and honours zone offsets', () => {
    expect(parseTimestamp('2024-05-01T12:00:00', 't')).toBe(Date.UTC(2024, 4, 1, 12) * 1000);
    expect(parseTimestamp('2024-05-01 14:00:00+02:00', 't')).toBe(Date.UTC(2024, 4, 1, 12) * 1000);
    expect(parseTimestamp('2024-05-01T07:30:00-04:30', 't')).toBe(Date.UTC(2024, 4, 1, 12) * 1000);
    expect(parseTimestamp('2024-05-01', 't')).toBe(Date.UTC(2024, 4, 1) * 1000);
    expect(parseTimestamp('2024-05-01T12:00:00.123456789Z', 't')).toBe(Date.UTC(2024, 4, 1, 12) * 1000 + 123456);
  });

  it('names the value and the expected format when it cannot parse', () => {
    expect(() => parseTimestamp('yesterday', '--start')).toThrow('--start: "yesterday" is not a timestamp');
    expect(() => parseTimestamp('2024-02-30', 'end')).toThrow('end: "2024-02-30" is not a valid date or time');
  });

  it('formats microseconds back to ISO', () => {
    expect(formatTimestamp(Date.UTC(2024, 4, 1, 12) * 1000 + 5)).toBe('2024-05-01T12:00:00.000005Z');
    expect(formatTimestamp(Date.UTC(2024, 4, 1, 12) * 1000)).toBe('2024-05-01T12:00:00.000Z');
  });

  it('converts Arrow timestamp columns of every unit, keeping nulls as NaN', () => {
    const t = Date.UTC(2024, 4, 1, 12);
    const us = timestamps(new TimestampMicrosecond(), [BigInt(t) * 1000n + 7n, null]);
    expect(Array.from(timestampColumnToMicros(us, 'ts'))).toEqual([t * 1000 + 7, NaN]);
    const ns = timestamps(new TimestampNanosecond(), [BigInt(t) * 1000000n + 7000n]);
    expect(Array.from(timestampColumnToMicros(ns, 'ts'))).toEqual([t * 1000 + 7]);
    const s = timestamps(new TimestampSecond(), [BigInt(t / 1000)]);
    expect(Array.from(timestampColumnToMicros(s, 'ts'))).toEqual([t * 1000]);
    const str = vectorFromArray(['2024-05-01T12:00:00Z'], new Utf8());
    expect(Array.from(timestampColumnToMicros(str, 'ts'))).toEqual([t * 1000]);
  });

  it('refuses a column that is not a timestamp, naming it', () => {
    const table = tableFromArrays({ n: new Float64Array([1]) });
    expect(() => timestampColumnToMicros(table.getChild('n')!, 'event_timestamp')).toThrow(/column "event_timestamp" has type Float64, not a timestamp/);
  });
});
