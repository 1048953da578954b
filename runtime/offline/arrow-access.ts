/**
 * Direct reads from Arrow chunks (`Data`) without per-row objects: validity bits,
 * 64-bit integers as two 32-bit words, variable-width byte ranges.
 */
import { DataType, type Data } from 'apache-arrow';

/** A per-row validity test; `null` when the chunk has no nulls. */
export function validityOf(data: Data): ((i: number) => boolean) | null {
  if (data.nullCount === 0 || !data.nullBitmap) return null;
  const bits = data.nullBitmap;
  const offset = data.offset;
  return (i) => (bits[(offset + i) >> 3] & (1 << ((offset + i) & 7))) !== 0;
}

/** The 32-bit words of a 64-bit integer chunk (`[lo, hi]` per row, little-endian). */
export function int64Words(data: Data): Int32Array {
  const values = data.values as unknown as BigInt64Array;
  return new Int32Array(values.buffer, values.byteOffset, values.length * 2);
}

/** True for Arrow integer types of any width. */
export function isInteger(type: DataType): boolean {
  return DataType.isInt(type);
}

/** True when an integer chunk holds 64-bit values (read them with `int64Words`). */
export function is64Bit(type: DataType): boolean {
  return DataType.isInt(type) && type.bitWidth === 64;
}

/** Bytes `[start, end)` of row `i` of a Utf8/Binary (or Large) chunk. */
export function byteRange(data: Data, i: number): [number, number] {
  const offsets = data.valueOffsets as unknown as ArrayLike<number | bigint>;
  return [Number(offsets[i]), Number(offsets[i + 1])];
}

/** Utf8, LargeUtf8, Binary and LargeBinary chunks store rows as byte ranges. */
export function isVariableBytes(type: DataType): boolean {
  return DataType.isUtf8(type) || DataType.isLargeUtf8(type) || DataType.isBinary(type) || DataType.isLargeBinary(type);
}

/** Splits an epoch-micros (or any integral) number into the words `int64Words` yields. */
export function highWord(v: number): number {
  return Math.floor(v / 4294967296) | 0;
}

export function lowWord(v: number): number {
  return (v % 4294967296) | 0;
}
