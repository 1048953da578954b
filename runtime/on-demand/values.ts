/**
 * Values as a transform sees them, the same online and offline: Int32, Float32 and
 * Float64 numbers; Int64 a number while exact, else a bigint; String a string; Bytes a
 * Uint8Array; Bool a boolean; UnixTimestamp a Date; Array(T) an array; null for a
 * missing value. Stored timestamps come in whole seconds, as the online store serves them.
 */
import { Bool, DataType, Int64, makeBuilder, makeData, Utf8, type Data, type Float64, type Vector } from 'apache-arrow';
import { timestampColumnToMicros } from '../arrow/timestamps';
import { FeatureStoreError } from '../errors';
import type { FeatureDtype, PrimitiveType } from '../manifest/schema';
import { validityOf } from '../offline/arrow-access';
import { arrowTypeOf, timestampData } from '../offline/dtypes';
import { elementType, INT64_MAX, INT64_MIN, jsonConversion, valueFromJson, type FeatureValue } from '../online/values';

export type TransformScalar = number | bigint | string | boolean | Uint8Array | Date;
export type TransformValue = TransformScalar | TransformScalar[] | null;

function int64(value: bigint | number): number | bigint {
  if (typeof value === 'number') return value;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}

const microsToDate = (micros: number) => new Date(micros / 1000);

/** An in-memory runtime value (online/values.ts) → the transform's form. */
function fromFeatureValue(dtype: FeatureDtype, value: FeatureValue): TransformValue {
  if (value === null) return null;
  const element = elementType(dtype);
  const type = element ?? (dtype as PrimitiveType);
  if (type !== 'UnixTimestamp') return value as TransformValue;
  return element ? (value as number[]).map(microsToDate) : microsToDate(value as number);
}

/** The common exact shapes, without going through valueFromJson; undefined for the rest. */
function plainJsonInput(dtype: FeatureDtype, value: unknown): TransformValue | undefined {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
      return dtype === 'Float64' || dtype === 'Float32' || ((dtype === 'Int64' || dtype === 'Int32') && Number.isSafeInteger(value) && (dtype === 'Int64' || (value >= -2147483648 && value <= 2147483647))) ? value : undefined;
    case 'string':
      return dtype === 'String' ? value : undefined;
    case 'boolean':
      return dtype === 'Bool' ? value : undefined;
    default:
      return undefined;
  }
}

/**
 * A value in JSON form (an online response's, or a request field a caller sent) → the
 * transform's form; `what` names it in an error, built only then.
 */
export function inputFromJson(dtype: FeatureDtype, value: unknown, what: () => string): TransformValue {
  const plain = plainJsonInput(dtype, value);
  return plain !== undefined ? plain : fromFeatureValue(dtype, valueFromJson(dtype, value, what()));
}

/**
 * A request field a caller sent → the transform's form. Besides JSON values, text is read
 * by the field's type (`"7.5"` as a Float64, `"true"` as a Bool), as the CLI passes it.
 */
export function requestInputFromJson(dtype: FeatureDtype, value: unknown, what: () => string): TransformValue {
  if (typeof value === 'string') {
    if ((dtype === 'Float64' || dtype === 'Float32') && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    if (dtype === 'Bool' && (value === 'true' || value === 'false')) return value === 'true';
  }
  return inputFromJson(dtype, value, what);
}

/**
 * A flat numeric chunk read straight from its buffers (Arrow's `get` costs more than
 * the transform): Float and 32-bit-or-narrower Int chunks as numbers, Int64 as numbers
 * while exact. Undefined for other types.
 */
function numericChunkReader(dtype: FeatureDtype, data: Data): ((i: number) => TransformValue) | undefined {
  if (dtype !== 'Float64' && dtype !== 'Float32' && dtype !== 'Int32' && dtype !== 'Int64') return undefined;
  const type = data.type as DataType;
  if (!(DataType.isFloat(type) || DataType.isInt(type))) return undefined;
  if (DataType.isFloat(type) && type.precision === 0) return undefined; // Float16 holds raw bits
  const values = data.values as ArrayLike<number | bigint>;
  const valid = validityOf(data);
  const wide = DataType.isInt(type) && type.bitWidth === 64;
  const float = dtype === 'Float64' || dtype === 'Float32';
  const at = !wide ? (i: number) => values[i] as number : float ? (i: number) => Number(values[i]) : (i: number) => int64(values[i] as bigint);
  return valid ? (i) => (valid(i) ? at(i) : null) : at;
}

/** Reads row `i` of an Arrow column as the transform's form; `wholeSeconds` floors timestamps as online does. */
export function arrowInputReader(dtype: FeatureDtype, vector: Vector, wholeSeconds: boolean): (row: number) => TransformValue {
  const element = elementType(dtype);
  if (dtype === 'UnixTimestamp') {
    const micros = timestampColumnToMicros(vector, 'timestamp input');
    return (row) => {
      const v = micros[row];
      if (v !== v) return null;
      return microsToDate(wholeSeconds ? Math.floor(v / 1_000_000) * 1_000_000 : v);
    };
  }
  if (vector.data.length === 1) {
    const fast = numericChunkReader(dtype, vector.data[0]);
    if (fast) return fast;
  }
  const scalar = (type: PrimitiveType, v: unknown): TransformScalar => {
    switch (type) {
      case 'Int64':
        return int64(v as bigint | number);
      case 'Int32':
      case 'Float32':
      case 'Float64':
        return Number(v);
      case 'UnixTimestamp': {
        const ms = Number(v);
        return new Date(wholeSeconds ? Math.floor(ms / 1000) * 1000 : ms);
      }
      default:
        return v as TransformScalar;
    }
  };
  if (!element) return (row) => {
    const v = vector.get(row);
    return v === null || v === undefined ? null : scalar(dtype as PrimitiveType, v);
  };
  return (row) => {
    const list = vector.get(row) as Vector | null;
    return list === null || list === undefined ? null : Array.from(list as Iterable<unknown>, (v) => scalar(element, v));
  };
}

const EXPECTED: Record<PrimitiveType, string> = {
  Int32: 'a 32-bit integer number',
  Int64: 'an integer (a number or a bigint)',
  Float32: 'a number',
  Float64: 'a number',
  String: 'a string',
  Bytes: 'a Uint8Array',
  Bool: 'a boolean',
  UnixTimestamp: 'a Date',
};

function scalarOk(type: PrimitiveType, v: unknown): boolean {
  switch (type) {
    case 'Int32':
      return typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;
    case 'Int64':
      return (typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX);
    case 'Float32':
    case 'Float64':
      return typeof v === 'number';
    case 'String':
      return typeof v === 'string';
    case 'Bytes':
      return ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === '[object Uint8Array]';
    case 'Bool':
      return typeof v === 'boolean';
    case 'UnixTimestamp':
      return Object.prototype.toString.call(v) === '[object Date]' && !Number.isNaN((v as Date).getTime());
  }
}

function shown(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Date) return `Date(${Number.isNaN(v.getTime()) ? 'invalid' : v.toISOString()})`;
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Whether `value` is a valid output of `dtype` (null and undefined are a missing
 * value); throws TRANSFORM_FAILED naming the feature, the row and the value otherwise.
 */
export function checkOutput(dtype: FeatureDtype, value: unknown, what: () => string): TransformValue {
  if (value === null || value === undefined) return null;
  const element = elementType(dtype);
  const ok = element ? Array.isArray(value) && value.every((v) => scalarOk(element, v)) : scalarOk(dtype as PrimitiveType, value);
  if (ok) return element ? (value as TransformScalar[]) : (value as TransformScalar);
  const expected = element ? `an array of ${EXPECTED[element].replace(/^an? /, '')} values (no nulls inside)` : EXPECTED[dtype as PrimitiveType];
  throw new FeatureStoreError(
    'TRANSFORM_FAILED',
    `${what()} returned ${shown(value)}, which is not ${expected} (its dtype is ${dtype})`,
    `return ${expected} or null, or declare another dtype in the view's schema`,
  );
}

function toFeatureValue(dtype: FeatureDtype, value: TransformValue): FeatureValue {
  if (value === null) return null;
  const toMicros = (d: TransformScalar) => (d as Date).getTime() * 1000;
  const type = elementType(dtype) ?? (dtype as PrimitiveType);
  if (type !== 'UnixTimestamp') return value as FeatureValue;
  return Array.isArray(value) ? value.map(toMicros) : toMicros(value);
}

/** The converter of checked outputs of `dtype` to their JSON form in an online response (compile once, call per value). */
export function outputJsonConverter(dtype: FeatureDtype): (value: TransformValue) => unknown {
  const toJson = jsonConversion(dtype);
  const type = elementType(dtype) ?? (dtype as PrimitiveType);
  if (type === 'UnixTimestamp') return (v) => toJson!(toFeatureValue(dtype, v));
  return toJson ? (v) => toJson(v as FeatureValue) : (v) => v;
}

/** Float and Int32 outputs written straight into their buffers, with a validity bitmap. */
function numericColumn(dtype: 'Float64' | 'Float32' | 'Int32', values: readonly TransformValue[]): Data {
  const n = values.length;
  const out = dtype === 'Float64' ? new Float64Array(n) : dtype === 'Float32' ? new Float32Array(n) : new Int32Array(n);
  const nullBitmap = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) nullCount++;
    else {
      out[i] = v as number;
      nullBitmap[i >> 3] |= 1 << (i & 7);
    }
  }
  return makeData({ type: arrowTypeOf(dtype) as Float64, length: n, nullCount, nullBitmap, data: out as Float64Array });
}

function validity(values: readonly TransformValue[]): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array((values.length + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null) nullCount++;
    else nullBitmap[i >> 3] |= 1 << (i & 7);
  }
  return { nullBitmap, nullCount };
}

function int64Column(values: readonly TransformValue[]): Data {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null) out[i] = typeof v === 'bigint' ? v : BigInt(v as number);
  }
  return makeData({ type: new Int64(), length: values.length, ...validity(values), data: out });
}

function boolColumn(values: readonly TransformValue[]): Data {
  const bits = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) if (values[i] === true) bits[i >> 3] |= 1 << (i & 7);
  return makeData({ type: new Bool(), length: values.length, ...validity(values), data: bits });
}

function utf8Column(values: readonly TransformValue[]): Data {
  const offsets = new Int32Array(values.length + 1);
  let bytes = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null) bytes += Buffer.byteLength(v as string, 'utf8');
    offsets[i + 1] = bytes;
  }
  const data = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < values.length; i++) if (values[i] !== null) data.write(values[i] as string, offsets[i], 'utf8');
  return makeData({ type: new Utf8(), length: values.length, ...validity(values), valueOffsets: offsets, data: new Uint8Array(data.buffer, data.byteOffset, bytes) });
}

/** Checked outputs of one column → one Arrow chunk of the dtype's output type. */
export function outputColumn(dtype: FeatureDtype, values: readonly TransformValue[]): Data {
  if (dtype === 'UnixTimestamp') return timestampData(Float64Array.from(values, (v) => (v === null ? NaN : (v as Date).getTime() * 1000)));
  if (dtype === 'Float64' || dtype === 'Float32' || dtype === 'Int32') return numericColumn(dtype, values);
  if (dtype === 'Int64') return int64Column(values);
  if (dtype === 'Bool') return boolColumn(values);
  if (dtype === 'String') return utf8Column(values);
  const element = elementType(dtype);
  const scalar = (type: PrimitiveType, v: TransformScalar): unknown =>
    type === 'Int64' ? BigInt(v as number | bigint) : type === 'UnixTimestamp' ? (v as Date).getTime() : v;
  const builder = makeBuilder({ type: arrowTypeOf(dtype), nullValues: [null] });
  for (const v of values) {
    if (v === null) builder.append(null);
    else if (element) builder.append((v as TransformScalar[]).map((e) => scalar(element, e)));
    else builder.append(scalar(dtype as PrimitiveType, v as TransformScalar));
  }
  return builder.finish().flush() as Data;
}

