/**
 * Feast's `feast.types.Value` and `google.protobuf.Timestamp` messages, as Feast
 * writes them into Redis. The message definitions below are the contract; the hot
 * paths write and read them with protobufjs' `Writer` and `Reader` directly (a
 * reflected `Type.decode` costs about 1 µs a value, the reader a tenth of that),
 * reading the common one-field shapes by hand first (`fast-decode.ts`), and the
 * tests check all agree byte for byte.
 */
import * as protobuf from 'protobufjs';
import type { FeatureDtype, PrimitiveType } from '../../manifest/schema';
import { elementType, type FeatureValue, type ScalarValue } from '../values';
import { fastFeastTimestamp, fastFeastValue } from './fast-decode';

export const FEAST_PROTOS = `
syntax = "proto3";
package feast.types;
message BytesList { repeated bytes val = 1; }
message StringList { repeated string val = 1; }
message Int32List { repeated int32 val = 1; }
message Int64List { repeated int64 val = 1; }
message DoubleList { repeated double val = 1; }
message FloatList { repeated float val = 1; }
message BoolList { repeated bool val = 1; }
enum Null { NULL = 0; }
message Value {
  oneof val {
    bytes bytes_val = 1;
    string string_val = 2;
    int32 int32_val = 3;
    int64 int64_val = 4;
    double double_val = 5;
    float float_val = 6;
    bool bool_val = 7;
    int64 unix_timestamp_val = 8;
    BytesList bytes_list_val = 11;
    StringList string_list_val = 12;
    Int32List int32_list_val = 13;
    Int64List int64_list_val = 14;
    DoubleList double_list_val = 15;
    FloatList float_list_val = 16;
    BoolList bool_list_val = 17;
    Int64List unix_timestamp_list_val = 18;
    Null null_val = 19;
  }
}
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
`;

const root = protobuf.parse(FEAST_PROTOS, { keepCase: true }).root;
/** Reflected `feast.types.Value` (tests cross-check the fast paths against it). */
export const ValueMessage = root.lookupType('feast.types.Value');
/** Reflected `google.protobuf.Timestamp` (declared in the same package for brevity; same wire format). */
export const TimestampMessage = root.lookupType('feast.types.Timestamp');

/** Field number of each scalar type in `Value`; a list of it is the number + 10. */
const SCALAR_FIELD: Record<PrimitiveType, number> = {
  Bytes: 1,
  String: 2,
  Int32: 3,
  Int64: 4,
  Float64: 5,
  Float32: 6,
  Bool: 7,
  UnixTimestamp: 8,
};
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;
const WIRE_TYPE: Record<PrimitiveType, number> = {
  Bytes: WIRE_BYTES,
  String: WIRE_BYTES,
  Int32: WIRE_VARINT,
  Int64: WIRE_VARINT,
  Float64: WIRE_FIXED64,
  Float32: WIRE_FIXED32,
  Bool: WIRE_VARINT,
  UnixTimestamp: WIRE_VARINT,
};
const EMPTY = Buffer.alloc(0);

function int64Arg(value: number | bigint): number | string {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Writes one scalar without its tag. */
function writeScalar(w: protobuf.Writer, type: PrimitiveType, v: ScalarValue): void {
  switch (type) {
    case 'Bytes':
      w.bytes(v as Uint8Array);
      break;
    case 'String':
      w.string(v as string);
      break;
    case 'Int32':
      w.int32(v as number);
      break;
    case 'Int64':
      w.int64(int64Arg(v as number | bigint));
      break;
    case 'Float64':
      w.double(v as number);
      break;
    case 'Float32':
      w.float(v as number);
      break;
    case 'Bool':
      w.bool(v as boolean);
      break;
    case 'UnixTimestamp':
      w.int64(Math.floor((v as number) / 1_000_000));
      break;
  }
}

/** A value of `dtype` → the bytes of a `feast.types.Value`; null is the empty message. */
export function encodeFeastValue(dtype: FeatureDtype, value: FeatureValue): Buffer {
  if (value === null) return EMPTY;
  const w = protobuf.Writer.create();
  const element = elementType(dtype);
  if (!element) {
    const type = dtype as PrimitiveType;
    writeScalar(w.uint32((SCALAR_FIELD[type] << 3) | WIRE_TYPE[type]), type, value as ScalarValue);
  } else {
    w.uint32(((SCALAR_FIELD[element] + 10) << 3) | WIRE_BYTES).fork();
    const items = value as ScalarValue[];
    if (WIRE_TYPE[element] === WIRE_BYTES) {
      for (const item of items) writeScalar(w.uint32((1 << 3) | WIRE_BYTES), element, item);
    } else if (items.length > 0) {
      w.uint32((1 << 3) | WIRE_BYTES).fork();
      for (const item of items) writeScalar(w, element, item);
      w.ldelim();
    }
    w.ldelim();
  }
  return Buffer.from(w.finish());
}

/** A 64-bit integer as protobufjs reads it (signed `high`, `low` words) → number, or bigint past 2^53. */
function longToInt64(l: protobuf.Long): number | bigint {
  const n = l.high * 4294967296 + (l.low >>> 0);
  return Number.isSafeInteger(n) ? n : (BigInt(l.high) << 32n) | BigInt(l.low >>> 0);
}

function longToNumber(l: protobuf.Long): number {
  return l.high * 4294967296 + (l.low >>> 0);
}

function readScalar(r: protobuf.Reader, field: number): ScalarValue {
  switch (field) {
    case 1:
      return Buffer.from(r.bytes());
    case 2:
      return r.string();
    case 3:
      return r.int32();
    case 4:
      return longToInt64(r.int64());
    case 5:
      return r.double();
    case 6:
      return r.float();
    case 7:
      return r.bool();
    default:
      return longToNumber(r.int64()) * 1_000_000;
  }
}

function readList(r: protobuf.Reader, field: number, end: number): ScalarValue[] {
  const items: ScalarValue[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 !== 1) {
      r.skipType(tag & 7);
      continue;
    }
    if ((tag & 7) === WIRE_BYTES && field > 2) {
      const packedEnd = r.uint32() + r.pos;
      while (r.pos < packedEnd) items.push(readScalar(r, field));
    } else {
      items.push(readScalar(r, field));
    }
  }
  return items;
}

/**
 * Bytes of a `feast.types.Value` → its value, or null for the empty message and
 * `null_val`. Reads whatever member is set, whatever the view declares.
 */
export function decodeFeastValue(bytes: Uint8Array): FeatureValue {
  if (bytes.length === 0) return null;
  const fast = fastFeastValue(bytes);
  if (fast !== undefined) return fast;
  const r = protobuf.Reader.create(bytes);
  let value: FeatureValue = null;
  while (r.pos < r.len) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (field >= 1 && field <= 8) value = readScalar(r, field);
    else if (field >= 11 && field <= 18) {
      const end = r.uint32() + r.pos;
      value = readList(r, field - 10, end);
    } else {
      if (field === 19) value = null;
      r.skipType(tag & 7);
    }
  }
  return value;
}

/** Epoch micros → a `Timestamp` as Feast writes it: whole seconds, no nanos. */
export function encodeFeastTimestamp(micros: number): Buffer {
  const seconds = Math.floor(micros / 1_000_000);
  if (seconds === 0) return EMPTY;
  return Buffer.from(protobuf.Writer.create().uint32((1 << 3) | WIRE_VARINT).int64(seconds).finish());
}

/** Bytes of a `Timestamp` → epoch micros. */
export function decodeFeastTimestamp(bytes: Uint8Array): number {
  const fast = fastFeastTimestamp(bytes);
  if (fast >= 0) return fast;
  const r = protobuf.Reader.create(bytes);
  let seconds = 0;
  let nanos = 0;
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WIRE_VARINT)) seconds = longToNumber(r.int64());
    else if (tag === ((2 << 3) | WIRE_VARINT)) nanos = r.int32();
    else r.skipType(tag & 7);
  }
  return seconds * 1_000_000 + Math.floor(nanos / 1000);
}
