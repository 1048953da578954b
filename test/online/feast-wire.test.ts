import { compileEntityKey } from '../../runtime/online/entity-key';
import { feastFieldName, murmur3_32 } from '../../runtime/online/feast/murmur3';
import {
  decodeFeastTimestamp,
  decodeFeastValue,
  encodeFeastTimestamp,
  encodeFeastValue,
  TimestampMessage,
  ValueMessage,
} from '../../runtime/online/feast/value-proto';
import { fastFeastTimestamp, fastFeastValue } from '../../runtime/online/feast/fast-decode';
import type { FeatureDtype } from '../../runtime/manifest/schema';
import type { FeatureValue } from '../../runtime/online/values';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** What the reflected protobufjs `Value` writes for a message object. */
const reference = (message: Record<string, unknown>) => hex(ValueMessage.encode(ValueMessage.fromObject(message)).finish());

describe("Feast's golden vectors", () => {
  test('the entity key of driver_id INT64 1001 in project driver_demo', () => {
    const key = compileEntityKey([{ name: 'driver_id', valueType: 'Int64' }]).encode([1001]);
    expect(hex(Buffer.concat([key, Buffer.from('driver_demo')]))).toBe(
      '0100000002000000090000006472697665725f69640400000008000000e9030000000000006472697665725f64656d6f',
    );
  });

  test('the field of driver_hourly_stats:conv_rate', () => {
    expect(hex(feastFieldName('driver_hourly_stats', 'conv_rate'))).toBe('6160e3da');
  });

  test('Value double 0.5 and Timestamp 1617228000 s', () => {
    expect(hex(encodeFeastValue('Float64', 0.5))).toBe('29000000000000e03f');
    expect(hex(encodeFeastTimestamp(1617228000 * 1_000_000))).toBe('08e0e1938306');
    expect(decodeFeastTimestamp(Buffer.from('08e0e1938306', 'hex'))).toBe(1617228000 * 1_000_000);
  });

  test('murmur3_32 matches the reference values for every tail length', () => {
    expect(['', 'a', 'ab', 'abc', 'abcd', 'hello, world'].map((s) => murmur3_32(s))).toEqual([0, 1009084850, 2613040991, 3017643002, 1139631978, 345750399]);
  });
});

describe('entity keys (serialization v3)', () => {
  test('join keys are sorted by name, each value typed', () => {
    const codec = compileEntityKey([
      { name: 'zone', valueType: 'Int32' },
      { name: 'city', valueType: 'String' },
    ]);
    expect(codec.sortedKeys.map((k) => k.name)).toEqual(['city', 'zone']);
    expect(hex(codec.encode(['Paris', -2]))).toBe(
      '02000000' + '02000000' + '04000000' + hex(Buffer.from('city')) + '02000000' + '04000000' + hex(Buffer.from('zone')) +
        '02000000' + '05000000' + hex(Buffer.from('Paris')) + '03000000' + '04000000' + 'feffffff',
    );
  });

  test('bytes, 64-bit integers past 2^53 and timestamps (whole seconds)', () => {
    const bytes = compileEntityKey([{ name: 'k', valueType: 'Bytes' }]).encode([Buffer.from([0, 255])]);
    expect(hex(bytes).endsWith('01000000' + '02000000' + '00ff')).toBe(true);
    const big = compileEntityKey([{ name: 'k', valueType: 'Int64' }]).encode([2n ** 62n + 1n]);
    expect(hex(big).endsWith('04000000' + '08000000' + '0100000000000040')).toBe(true);
    const ts = compileEntityKey([{ name: 'k', valueType: 'UnixTimestamp' }]).encode([1617228000_500000]);
    expect(hex(ts).endsWith('08000000' + '08000000' + 'e0f06460' + '00000000')).toBe(true);
  });

  test('an entity-less view is keyed by __dummy_id = ""', () => {
    expect(hex(compileEntityKey([]).encode(['']))).toBe('01000000' + '02000000' + '0a000000' + hex(Buffer.from('__dummy_id')) + '02000000' + '00000000');
  });
});

describe('feast.types.Value', () => {
  const cases: [FeatureDtype, FeatureValue, Record<string, unknown>][] = [
    ['Bytes', Buffer.from([1, 2, 3]), { bytes_val: Buffer.from([1, 2, 3]) }],
    ['String', 'héllo', { string_val: 'héllo' }],
    ['Int32', -7, { int32_val: -7 }],
    ['Int64', 1234567890123, { int64_val: 1234567890123 }],
    ['Int64', -(2n ** 63n), { int64_val: '-9223372036854775808' }],
    ['Float64', -1.25, { double_val: -1.25 }],
    ['Float32', 0.5, { float_val: 0.5 }],
    ['Bool', true, { bool_val: true }],
    ['UnixTimestamp', 1617228000 * 1_000_000, { unix_timestamp_val: 1617228000 }],
    ['Array(Bytes)', [Buffer.from([9]), Buffer.alloc(0)], { bytes_list_val: { val: [Buffer.from([9]), Buffer.alloc(0)] } }],
    ['Array(String)', ['a', ''], { string_list_val: { val: ['a', ''] } }],
    ['Array(Int32)', [1, -1], { int32_list_val: { val: [1, -1] } }],
    ['Array(Int64)', [5, 2 ** 40], { int64_list_val: { val: [5, 2 ** 40] } }],
    ['Array(Float64)', [0.5, 2], { double_list_val: { val: [0.5, 2] } }],
    ['Array(Float32)', [0.25], { float_list_val: { val: [0.25] } }],
    ['Array(Bool)', [true, false], { bool_list_val: { val: [true, false] } }],
    ['Array(UnixTimestamp)', [1_000_000, 2_000_000], { unix_timestamp_list_val: { val: [1, 2] } }],
    ['Array(Int64)', [], { int64_list_val: { val: [] } }],
  ];

  test.each(cases)('%s %p is written as protobufjs writes the message, and read back', (dtype, value, message) => {
    const bytes = encodeFeastValue(dtype, value);
    expect(hex(bytes)).toBe(reference(message));
    expect(decodeFeastValue(bytes)).toEqual(value);
  });

  test('an empty list is an empty list message, not null', () => {
    expect(hex(encodeFeastValue('Array(String)', []))).toBe('6200');
    expect(decodeFeastValue(Buffer.from('6200', 'hex'))).toEqual([]);
  });

  test('null is the empty message; null_val also reads as null', () => {
    expect(encodeFeastValue('Float64', null).length).toBe(0);
    expect(decodeFeastValue(Buffer.alloc(0))).toBeNull();
    expect(decodeFeastValue(ValueMessage.encode(ValueMessage.fromObject({ null_val: 0 })).finish())).toBeNull();
  });

  test('unpacked repeated numbers (older writers) read the same as packed', () => {
    // Int64List { val: 1, val: 2 } written one element per tag.
    expect(decodeFeastValue(Buffer.from('7204' + '0801' + '0802', 'hex'))).toEqual([1, 2]);
  });

  test('a Timestamp with nanos reads to the microsecond', () => {
    const bytes = TimestampMessage.encode(TimestampMessage.fromObject({ seconds: 10, nanos: 123456789 })).finish();
    expect(decodeFeastTimestamp(bytes)).toBe(10_123_456);
  });
});

describe('the hand-rolled decoding of common Value shapes', () => {
  const bytesOf = (message: Record<string, unknown>) => Buffer.from(ValueMessage.encode(ValueMessage.fromObject(message)).finish());
  // [message, value read, whether the hand-rolled path takes it (else protobufjs does)]
  const cases: [Record<string, unknown>, FeatureValue, boolean][] = [
    [{ double_val: -0.1 }, -0.1, true],
    [{ float_val: 0.25 }, 0.25, true],
    [{ int64_val: 0 }, 0, true],
    [{ int64_val: 2 ** 49 - 1 }, 2 ** 49 - 1, true],
    [{ int64_val: 2 ** 49 }, 2 ** 49, false],
    [{ int64_val: -5 }, -5, false],
    [{ int64_val: '9223372036854775807' }, 9223372036854775807n, false],
    [{ int32_val: 2147483647 }, 2147483647, true],
    [{ int32_val: -1 }, -1, false],
    [{ bool_val: true }, true, true],
    [{ bool_val: false }, false, true],
    [{ unix_timestamp_val: 1617228000 }, 1617228000 * 1_000_000, true],
    [{ string_val: 'é'.repeat(63) }, 'é'.repeat(63), true],
    [{ string_val: 'x'.repeat(128) }, 'x'.repeat(128), false],
    [{ int64_list_val: { val: [1] } }, [1], false],
  ];

  test.each(cases)('%p reads as %p', (message, value, fast) => {
    const bytes = bytesOf(message);
    expect(decodeFeastValue(bytes)).toEqual(value);
    expect(fastFeastValue(bytes) !== undefined).toBe(fast);
  });

  test('a message with a second field is left to protobufjs, and the last member wins', () => {
    const bytes = Buffer.concat([bytesOf({ double_val: 1 }), bytesOf({ double_val: 2 })]);
    expect(fastFeastValue(bytes)).toBeUndefined();
    expect(decodeFeastValue(bytes)).toBe(2);
  });

  test('a string outside a Buffer is left to protobufjs', () => {
    const bytes = new Uint8Array(bytesOf({ string_val: 'abc' }));
    expect(fastFeastValue(bytes)).toBeUndefined();
    expect(decodeFeastValue(bytes)).toBe('abc');
  });

  test('Timestamps: whole seconds by hand; nanos, negative and zero seconds by protobufjs', () => {
    const ts = (seconds: number, nanos = 0) => TimestampMessage.encode(TimestampMessage.fromObject({ seconds, nanos })).finish();
    expect(fastFeastTimestamp(ts(1617228000))).toBe(1617228000 * 1_000_000);
    expect(fastFeastTimestamp(ts(10, 123456789))).toBe(-1);
    expect(fastFeastTimestamp(ts(-10))).toBe(-1);
    expect(decodeFeastTimestamp(ts(-10))).toBe(-10 * 1_000_000);
    expect(decodeFeastTimestamp(ts(0))).toBe(0);
  });
});
