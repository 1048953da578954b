/**
 * Feast's entity key serialization, version 3: the key of every online record in
 * both layouts. Little-endian u32 throughout: number of join keys; per join key
 * (sorted by name) type 2, byte length, UTF-8 name; then per value in that order
 * its value type, byte length and bytes.
 */
import type { JoinKeySpec, JoinKeyType } from '../manifest/schema';
import { FeatureStoreError } from '../errors';
import { checkExactInteger, valueFromJson } from './values';

/** Feast `ValueType` numbers of the join key types. */
const VALUE_TYPE: Record<JoinKeyType, number> = { Bytes: 1, String: 2, Int32: 3, Int64: 4, UnixTimestamp: 8 };
const STRING = 2;

/** A join key value in memory: string, bytes, integer (number or bigint), or epoch micros. */
export type JoinValue = string | Uint8Array | number | bigint;

/** The join key Feast gives an entity-less view, with the value `""`. */
export const DUMMY_JOIN_KEY: JoinKeySpec = { name: '__dummy_id', valueType: 'String' };

export interface EntityKeyCodec {
  /** Join keys in serialization order (sorted by name). */
  readonly sortedKeys: readonly JoinKeySpec[];
  /** For each sorted key, its position in the view's declared join keys. */
  readonly declaredIndex: readonly number[];
  /** Serializes values given in sorted-key order. */
  encode(values: readonly JoinValue[]): Buffer;
  /** Bytes the serialization of `values` takes. */
  encodedLength(values: readonly JoinValue[]): number;
  /** Serializes `values` at `at` (`encodedLength(values)` bytes must be free there); returns where it ends. */
  encodeInto(out: Buffer, at: number, values: readonly JoinValue[]): number;
}

/** Bytes a value takes (its utf-8 or raw length; fixed for integers and timestamps). */
function valueLength(type: JoinKeyType, value: JoinValue): number {
  switch (type) {
    case 'String':
      return Buffer.byteLength(value as string, 'utf8');
    case 'Bytes':
      return (value as Uint8Array).length;
    case 'Int32':
      return 4;
    default:
      return 8;
  }
}

function writeInt64(out: Buffer, at: number, value: number | bigint): void {
  if (typeof value === 'bigint') out.writeBigInt64LE(value, at);
  else {
    const hi = Math.floor(value / 4294967296);
    out.writeUInt32LE(value - hi * 4294967296, at);
    out.writeInt32LE(hi, at + 4);
  }
}

function writeValue(out: Buffer, at: number, type: JoinKeyType, value: JoinValue): void {
  switch (type) {
    case 'String':
      out.write(value as string, at, 'utf8');
      break;
    case 'Bytes':
      out.set(value as Uint8Array, at);
      break;
    case 'Int32':
      out.writeInt32LE(Number(value), at);
      break;
    case 'Int64':
      writeInt64(out, at, value as number | bigint);
      break;
    case 'UnixTimestamp':
      // Feast keys timestamps by whole seconds.
      writeInt64(out, at, Math.floor((value as number) / 1_000_000));
      break;
  }
}

/** Compiles the serializer of a view's join keys (entity-less: `__dummy_id`). */
export function compileEntityKey(joinKeys: readonly JoinKeySpec[]): EntityKeyCodec {
  const declared = joinKeys.length > 0 ? joinKeys : [DUMMY_JOIN_KEY];
  const sortedKeys = [...declared].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Buffer[] = [u32(sortedKeys.length)];
  for (const k of sortedKeys) header.push(u32(STRING), u32(Buffer.byteLength(k.name)), Buffer.from(k.name, 'utf8'));
  const prefix = Buffer.concat(header);
  const types = sortedKeys.map((k) => k.valueType);
  const typeCodes = types.map((t) => VALUE_TYPE[t]);
  return {
    sortedKeys,
    declaredIndex: sortedKeys.map((k) => declared.indexOf(k)),
    encodedLength(values) {
      let size = prefix.length;
      for (let i = 0; i < types.length; i++) size += 8 + valueLength(types[i], values[i]);
      return size;
    },
    encodeInto(out, at, values) {
      // `set` costs less than `copy` for a few bytes.
      out.set(prefix, at);
      at += prefix.length;
      for (let i = 0; i < types.length; i++) {
        const length = valueLength(types[i], values[i]);
        at = out.writeUInt32LE(typeCodes[i], at);
        at = out.writeUInt32LE(length, at);
        writeValue(out, at, types[i], values[i]);
        at += length;
      }
      return at;
    },
    encode(values) {
      const out = Buffer.allocUnsafe(this.encodedLength(values));
      this.encodeInto(out, 0, values);
      return out;
    },
  };
}

function u32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(n, 0);
  return b;
}

/** A join key value from a request (JSON) → its in-memory form, checked against the key type (an Int64 past 2^53 must be exact: a bigint or a decimal string). */
export function joinValueFromJson(type: JoinKeyType, value: unknown, what: string): JoinValue {
  if (value === null || value === undefined) {
    throw new FeatureStoreError('REQUEST_INVALID', `${what} is null`, 'give a value for every join key of every entity row');
  }
  if (type === 'Int64') checkExactInteger(value, what);
  return valueFromJson(type, value, what) as JoinValue;
}
