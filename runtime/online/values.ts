/**
 * Feature values inside the online path, and their JSON form in responses.
 *
 * In memory: Int32/Float32/Float64 are numbers, Int64 a number or a bigint, String a
 * string, Bytes a Uint8Array, Bool a boolean, UnixTimestamp epoch microseconds;
 * `Array(T)` an array of those. In JSON (as Feast's feature server answers): Int64 a
 * number (a decimal string past 2^53), Bytes base64, UnixTimestamp epoch seconds.
 * Int64 from a caller: a number, or a bigint or decimal string, within int64; an
 * entity key as a number past 2^53 is refused (it may have been rounded already).
 */
import { toMicros } from '../arrow/timestamps';
import { FeatureStoreError } from '../errors';
import type { FeatureDtype, PrimitiveType } from '../manifest/schema';

export type ScalarValue = number | bigint | string | Uint8Array | boolean;
export type FeatureValue = ScalarValue | ScalarValue[] | null;

/** `Array(Float64)` → `Float64`; a primitive → null. */
export function elementType(dtype: FeatureDtype): PrimitiveType | null {
  return dtype.startsWith('Array(') ? (dtype.slice(6, -1) as PrimitiveType) : null;
}

/** A value as a message shows it: JSON, a bigint by its digits. */
function shown(value: unknown): string {
  return typeof value === 'bigint' ? value.toString() : (JSON.stringify(value) ?? String(value));
}

function invalid(what: string, value: unknown, expected: string): FeatureStoreError {
  return new FeatureStoreError('REQUEST_INVALID', `${what}: ${shown(value)} is not ${expected}`, `give ${expected}`);
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function outsideInt64(what: string, value: unknown): FeatureStoreError {
  return new FeatureStoreError(
    'REQUEST_INVALID',
    `${what}: ${shown(value)} is outside the int64 range (${INT64_MIN} to ${INT64_MAX})`,
    `give an integer from ${INT64_MIN} to ${INT64_MAX}`,
  );
}

/**
 * An entity key must be the integer meant: a number past 2^53 may already be a
 * neighbour of it (9007199254740993 reads as ...992) and would then read or write
 * another entity, so only a bigint or a decimal string may carry such a key.
 */
export function checkExactInteger(value: unknown, what: string): void {
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new FeatureStoreError(
      'REQUEST_INVALID',
      `${what}: ${shown(value)} is not a safe integer: past 2^53 a number cannot hold every integer, so it may not be the value meant`,
      'pass an Int64 past ±2^53 as a BigInt (9007199254740993n) or a decimal string ("9007199254740993"); in JSON, as an integer literal without a fraction or exponent',
    );
  }
}

/** 2^63 as a double: integer numbers from -2^63 up to (not including) this fit int64. */
const TWO_TO_63 = 2 ** 63;

/**
 * An integer of `bits` bits, exact: a number, or a bigint or decimal string within
 * range (a bigint past 2^53); anything outside the range is an error naming it.
 */
function integerFromJson(value: unknown, bits: 32 | 64, what: string): number | bigint {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) {
      if (bits === 32 && (value < INT32_MIN || value > INT32_MAX)) throw invalid(what, value, 'a 32-bit integer');
      return value;
    }
    if (!Number.isInteger(value) || bits === 32) throw invalid(what, value, bits === 32 ? 'a 32-bit integer' : 'an integer');
    // An integer double past 2^53 is the integer it holds (entity keys are checked with checkExactInteger).
    if (value < -TWO_TO_63 || value >= TWO_TO_63) throw outsideInt64(what, value);
    return BigInt(value);
  }
  // Decimal strings are accepted: JSON clients may not carry 64-bit integers exactly, and the CLI passes text.
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'string' && /^-?\d+$/.test(value)) n = BigInt(value);
  else throw invalid(what, value, bits === 32 ? 'a 32-bit integer' : 'an integer');
  if (bits === 32) {
    if (n < BigInt(INT32_MIN) || n > BigInt(INT32_MAX)) throw invalid(what, value, 'a 32-bit integer');
    return Number(n);
  }
  if (n < INT64_MIN || n > INT64_MAX) throw outsideInt64(what, value);
  const asNumber = Number(n);
  return Number.isSafeInteger(asNumber) ? asNumber : n;
}

function scalarFromJson(type: PrimitiveType, value: unknown, what: string): ScalarValue {
  switch (type) {
    case 'Int32':
      return integerFromJson(value, 32, what);
    case 'Int64':
      return integerFromJson(value, 64, what);
    case 'Float32':
    case 'Float64':
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      throw invalid(what, value, 'a number');
    case 'String':
      if (typeof value === 'string') return value;
      throw invalid(what, value, 'a string');
    case 'Bytes':
      if (value instanceof Uint8Array) return value;
      if (typeof value === 'string') return Buffer.from(value, 'base64');
      throw invalid(what, value, 'bytes (a base64 string)');
    case 'Bool':
      if (typeof value === 'boolean') return value;
      throw invalid(what, value, 'true or false');
    case 'UnixTimestamp':
      return timestampFromJson(value, what);
  }
}

/** A timestamp given by a caller: ISO 8601 string, Date, or epoch seconds (as Feast takes them). */
export function timestampFromJson(value: unknown, what: string): number {
  if (typeof value === 'number') return Math.round(value * 1_000_000);
  if (typeof value === 'bigint') return Math.round(Number(value) * 1_000_000);
  if (typeof value === 'string' || value instanceof Date) return toMicros(value, what);
  throw invalid(what, value, 'a timestamp (ISO 8601 string or epoch seconds)');
}

/** A caller's JSON value (or a JS value) → the in-memory value of `dtype`; null stays null. */
export function valueFromJson(dtype: FeatureDtype, value: unknown, what: string): FeatureValue {
  if (value === null || value === undefined) return null;
  const element = elementType(dtype);
  if (!element) return scalarFromJson(dtype as PrimitiveType, value, what);
  if (!Array.isArray(value)) throw invalid(what, value, `a list of ${element}`);
  return value.map((v, i) => {
    if (v === null || v === undefined) throw invalid(`${what}[${i}]`, v, `a ${element} (lists cannot hold nulls)`);
    return scalarFromJson(element, v, `${what}[${i}]`);
  });
}

/** An Int64 as JSON: a number while exact, else its decimal string. */
export function int64ToJson(value: number | bigint): number | string {
  if (typeof value === 'number') return value;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value.toString();
}

type ToJson = (value: ScalarValue) => unknown;

function scalarToJson(type: PrimitiveType): ToJson | null {
  switch (type) {
    case 'Int64':
      return (v) => int64ToJson(v as number | bigint);
    case 'Bytes':
      return (v) => Buffer.from(v as Uint8Array).toString('base64');
    case 'UnixTimestamp':
      return (v) => Math.floor((v as number) / 1_000_000);
    default:
      return null;
  }
}

/** The converter of `dtype` values to their JSON form in a response (compile once, call per value). */
export function jsonConverter(dtype: FeatureDtype): (value: FeatureValue) => unknown {
  return jsonConversion(dtype) ?? ((v) => v);
}

/** Like `jsonConverter`, but null for the types whose in-memory values are their JSON form already. */
export function jsonConversion(dtype: FeatureDtype): ((value: FeatureValue) => unknown) | null {
  const element = elementType(dtype);
  const scalar = scalarToJson(element ?? (dtype as PrimitiveType));
  if (!scalar) return null;
  if (!element) return (v) => (v === null ? null : scalar(v as ScalarValue));
  return (v) => (v === null ? null : (v as ScalarValue[]).map(scalar));
}

const converters = new Map<FeatureDtype, (value: FeatureValue) => unknown>();

/** The in-memory value of `dtype` → its JSON form in a response. */
export function valueToJson(dtype: FeatureDtype, value: FeatureValue): unknown {
  let convert = converters.get(dtype);
  if (!convert) converters.set(dtype, (convert = jsonConverter(dtype)));
  return convert(value);
}
