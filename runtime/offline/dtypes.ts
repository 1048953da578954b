/** Manifest value types ↔ Arrow types, for reading sources and typing output columns. */
import {
  Binary,
  Bool,
  DataType,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  List,
  makeData,
  TimestampMicrosecond,
  Utf8,
  type Data,
} from 'apache-arrow';
import { highWord, lowWord } from './arrow-access';
import type { FeatureDtype, JoinKeyType, PrimitiveType } from '../manifest/schema';

/** A feature dtype or a join key type (join keys are output in range retrieval). */
export type ValueType = FeatureDtype | JoinKeyType;

/** `Array(Float64)` → `Float64`; a primitive → null. */
export function listElementType(dtype: ValueType): PrimitiveType | null {
  const m = /^Array\((\w+)\)$/.exec(dtype);
  return m ? (m[1] as PrimitiveType) : null;
}

function primitiveArrowType(t: PrimitiveType): DataType {
  switch (t) {
    case 'Int32':
      return new Int32();
    case 'Int64':
      return new Int64();
    case 'Float32':
      return new Float32();
    case 'Float64':
      return new Float64();
    case 'String':
      return new Utf8();
    case 'Bytes':
      return new Binary();
    case 'Bool':
      return new Bool();
    case 'UnixTimestamp':
      return new TimestampMicrosecond('UTC');
  }
}

/** The Arrow type of an output column holding `dtype` values. */
export function arrowTypeOf(dtype: ValueType): DataType {
  const element = listElementType(dtype);
  return element ? new List(new Field('item', primitiveArrowType(element), true)) : primitiveArrowType(dtype as PrimitiveType);
}

function primitiveAccepts(t: PrimitiveType, type: DataType): boolean {
  switch (t) {
    case 'Int32':
    case 'Int64':
      return DataType.isInt(type);
    case 'Float32':
    case 'Float64':
      return DataType.isFloat(type) || DataType.isInt(type);
    case 'String':
      return DataType.isUtf8(type) || DataType.isLargeUtf8(type) || (DataType.isDictionary(type) && DataType.isUtf8(type.dictionary));
    case 'Bytes':
      return DataType.isBinary(type) || DataType.isLargeBinary(type) || DataType.isFixedSizeBinary(type);
    case 'Bool':
      return DataType.isBool(type);
    case 'UnixTimestamp':
      return DataType.isTimestamp(type) || DataType.isDate(type);
  }
}

/** Whether a stored column of Arrow type `type` can be read as `dtype` values. */
export function dtypeAccepts(dtype: ValueType, type: DataType): boolean {
  const element = listElementType(dtype);
  if (!element) return primitiveAccepts(dtype as PrimitiveType, type);
  const isList = DataType.isList(type) || DataType.isLargeList(type) || DataType.isFixedSizeList(type);
  return isList && primitiveAccepts(element, (type as List).children[0].type);
}

/** Epoch micros → a Timestamp(us, UTC) chunk; NaN rows are null unless a bitmap is given. */
export function timestampData(micros: Float64Array, nullBitmap?: Uint8Array, nullCount?: number): Data {
  const n = micros.length;
  const words = new Int32Array(2 * n);
  let bits = nullBitmap;
  let nulls = nullCount ?? 0;
  if (!bits) {
    bits = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) {
      if (micros[i] === micros[i]) bits[i >> 3] |= 1 << (i & 7);
      else nulls++;
    }
  }
  for (let i = 0; i < n; i++) {
    const v = micros[i];
    if (v !== v) continue;
    words[2 * i] = lowWord(v);
    words[2 * i + 1] = highWord(v);
  }
  return makeData({ type: new TimestampMicrosecond('UTC'), length: n, nullCount: nulls, nullBitmap: bits, data: new BigInt64Array(words.buffer) });
}
