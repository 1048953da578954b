/**
 * Feast's entity key serialization, version 3: the key of every online record in
 * both layouts. Little-endian u32 throughout: number of join keys; per join key
 * (sorted by name) type 2, byte length, UTF-8 name; then per value in that order
 * its value type, byte length and bytes.
 */
import type { JoinKeySpec, JoinKeyType } from '../manifest/schema';
import { FeatureStoreError } from '../errors';
import { valueFromJson } from './values';

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
}

function valueBytes(type: JoinKeyType, value: JoinValue): Buffer {
  switch (type) {
    case 'String':
      return Buffer.from(value as string, 'utf8');
    case 'Bytes':
      return Buffer.from(value as Uint8Array);
    case 'Int32': {
      const b = Buffer.allocUnsafe(4);
      b.writeInt32LE(Number(value), 0);
      return b;
    }
    case 'Int64':
      return int64Bytes(value as number | bigint);
    case 'UnixTimestamp':
      // Feast keys timestamps by whole seconds.
      return int64Bytes(Math.floor((value as number) / 1_000_000));
  }
}

function int64Bytes(value: number | bigint): Buffer {
  const b = Buffer.allocUnsafe(8);
  if (typeof value === 'bigint') b.writeBigInt64LE(value, 0);
  else {
    b.writeUInt32LE(value % 4294967296 >>> 0, 0);
    b.writeInt32LE(Math.floor(value / 4294967296), 4);
  }
  return b;
}

/** Compiles the serializer of a view's join keys (entity-less: `__dummy_id`). */
export function compileEntityKey(joinKeys: readonly JoinKeySpec[]): EntityKeyCodec {
  const declared = joinKeys.length > 0 ? joinKeys : [DUMMY_JOIN_KEY];
  const sortedKeys = [...declared].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Buffer[] = [u32(sortedKeys.length)];
  for (const k of sortedKeys) header.push(u32(STRING), u32(Buffer.byteLength(k.name)), Buffer.from(k.name, 'utf8'));
  const prefix = Buffer.concat(header);
  const typeCodes = sortedKeys.map((k) => VALUE_TYPE[k.valueType]);
  return {
    sortedKeys,
    declaredIndex: sortedKeys.map((k) => declared.indexOf(k)),
    encode(values) {
      const parts: Buffer[] = [prefix];
      for (let i = 0; i < sortedKeys.length; i++) {
        const bytes = valueBytes(sortedKeys[i].valueType, values[i]);
        parts.push(u32(typeCodes[i]), u32(bytes.length), bytes);
      }
      return Buffer.concat(parts);
    },
  };
}

function u32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(n, 0);
  return b;
}

/** A join key value from a request (JSON) → its in-memory form, checked against the key type. */
export function joinValueFromJson(type: JoinKeyType, value: unknown, what: string): JoinValue {
  if (value === null || value === undefined) {
    throw new FeatureStoreError('REQUEST_INVALID', `${what} is null`, 'give a value for every join key of every entity row');
  }
  return valueFromJson(type, value, what) as JoinValue;
}
