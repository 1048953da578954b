/**
 * The `compact` layout's record: one binary value per (entity key, view).
 *
 *   0  event time, epoch µs, i64 big-endian
 *   8  created time, epoch µs, i64 big-endian (-2^53 when the source has none)
 *  16  schema fingerprint, 8 bytes
 *  24  null bitmap, one bit per feature in schema order (set = null)
 *  ..  the non-null values in schema order, little-endian: Int32 4 bytes, Int64 and
 *      UnixTimestamp (µs) 8, Float32 4, Float64 8, Bool 1, String/Bytes u32 length +
 *      bytes; Array(T) u32 count + elements.
 *
 * The times come first and big-endian so the store's compare-and-write (a Lua script
 * on Redis) can order two records by reading 16 bytes, without knowing the schema.
 */
import { createHash } from 'node:crypto';
import type { FeatureDtype, FieldSpec, PrimitiveType } from '../../manifest/schema';
import { elementType, type FeatureValue, type ScalarValue } from '../values';

export const HEADER_BYTES = 24;
/** Created time stored when the source has no created-timestamp column. */
export const NO_CREATED_TIME = -(2 ** 53);
const TWO_32 = 4294967296;

const FIXED_WIDTH: Partial<Record<PrimitiveType, number>> = {
  Int32: 4,
  Int64: 8,
  Float32: 4,
  Float64: 8,
  Bool: 1,
  UnixTimestamp: 8,
};

/** 8 bytes of SHA-256 over the layout version and the features' names and types, in order. */
export function schemaFingerprint(features: readonly FieldSpec[]): Buffer {
  const text = ['compact-v1', ...features.map((f) => `${f.name}:${f.dtype}`)].join('\n');
  return createHash('sha256').update(text).digest().subarray(0, 8);
}

function scalarSize(type: PrimitiveType, v: ScalarValue): number {
  const fixed = FIXED_WIDTH[type];
  if (fixed !== undefined) return fixed;
  return 4 + (type === 'String' ? Buffer.byteLength(v as string) : (v as Uint8Array).length);
}

function writeInt64(buf: Buffer, off: number, v: number | bigint): void {
  if (typeof v === 'bigint') buf.writeBigInt64LE(v, off);
  else {
    const hi = Math.floor(v / TWO_32);
    buf.writeUInt32LE(v - hi * TWO_32, off);
    buf.writeInt32LE(hi, off + 4);
  }
}

function readInt64(buf: Buffer, off: number): number | bigint {
  const hi = buf.readInt32LE(off + 4);
  if (hi >= -2097152 && hi < 2097152) return hi * TWO_32 + buf.readUInt32LE(off);
  return buf.readBigInt64LE(off);
}

function writeScalar(buf: Buffer, off: number, type: PrimitiveType, v: ScalarValue): number {
  switch (type) {
    case 'Int32':
      return buf.writeInt32LE(v as number, off);
    case 'Int64':
    case 'UnixTimestamp':
      writeInt64(buf, off, v as number | bigint);
      return off + 8;
    case 'Float32':
      return buf.writeFloatLE(v as number, off);
    case 'Float64':
      return buf.writeDoubleLE(v as number, off);
    case 'Bool':
      return buf.writeUInt8(v ? 1 : 0, off);
    case 'String': {
      const n = buf.write(v as string, off + 4, 'utf8');
      buf.writeUInt32LE(n, off);
      return off + 4 + n;
    }
    case 'Bytes': {
      const bytes = v as Uint8Array;
      buf.writeUInt32LE(bytes.length, off);
      buf.set(bytes, off + 4);
      return off + 4 + bytes.length;
    }
  }
}

/** Reads one scalar at `off`; returns it and the next offset through `next[0]`. */
function readScalar(buf: Buffer, off: number, type: PrimitiveType, next: number[]): ScalarValue {
  switch (type) {
    case 'Int32':
      next[0] = off + 4;
      return buf.readInt32LE(off);
    case 'Int64':
    case 'UnixTimestamp':
      next[0] = off + 8;
      return readInt64(buf, off);
    case 'Float32':
      next[0] = off + 4;
      return buf.readFloatLE(off);
    case 'Float64':
      next[0] = off + 8;
      return buf.readDoubleLE(off);
    case 'Bool':
      next[0] = off + 1;
      return buf[off] !== 0;
    case 'String': {
      const end = off + 4 + buf.readUInt32LE(off);
      next[0] = end;
      return buf.toString('utf8', off + 4, end);
    }
    case 'Bytes': {
      const end = off + 4 + buf.readUInt32LE(off);
      next[0] = end;
      return Buffer.from(buf.subarray(off + 4, end));
    }
  }
}

/** Scalar types as small integers, so the read loop switches on a number, not a string. */
const KIND: Record<PrimitiveType, number> = { Float64: 0, Int64: 1, UnixTimestamp: 1, Int32: 2, Float32: 3, Bool: 4, String: 5, Bytes: 6 };
/** Kind of an array feature, read by `readScalar` element by element. */
const ARRAY = 7;

function skipScalar(buf: Buffer, off: number, type: PrimitiveType): number {
  return FIXED_WIDTH[type] !== undefined ? off + FIXED_WIDTH[type]! : off + 4 + buf.readUInt32LE(off);
}

function writeTime(buf: Buffer, off: number, micros: number): void {
  const hi = Math.floor(micros / TWO_32);
  buf.writeInt32BE(hi, off);
  buf.writeUInt32BE(micros - hi * TWO_32, off + 4);
}

function readTime(buf: Buffer, off: number): number {
  return buf.readInt32BE(off) * TWO_32 + buf.readUInt32BE(off + 4);
}

/** Event time of a record, epoch µs. */
export function recordEventMicros(record: Buffer): number {
  return readTime(record, 0);
}

/**
 * Whether `next` may replace `prev`: `prev` is unreadable or of another schema, or
 * `next` is not older by (event time, created time). Equal records replace, so a
 * re-run rewrites the same bytes. The Redis script applies the same rule.
 */
export function compactMayReplace(next: Buffer, prev: Buffer | null): boolean {
  if (!prev || prev.length < HEADER_BYTES || !prev.subarray(16, 24).equals(next.subarray(16, 24))) return true;
  const nextEvent = readTime(next, 0);
  const prevEvent = readTime(prev, 0);
  return nextEvent > prevEvent || (nextEvent === prevEvent && readTime(next, 8) >= readTime(prev, 8));
}

/** Encoder and decoder of one view's records, compiled from its schema. */
export class CompactRecordCodec {
  readonly fingerprint: Buffer;
  private readonly types: readonly FeatureDtype[];
  private readonly elements: readonly (PrimitiveType | null)[];
  private readonly bitmapBytes: number;
  private readonly fingerprintWords: readonly [number, number];
  private readonly next = [0];
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  /** Per schema position: its `KIND`, or ARRAY. */
  private readonly kinds: Uint8Array;

  constructor(features: readonly FieldSpec[]) {
    this.fingerprint = schemaFingerprint(features);
    this.fingerprintWords = [this.fingerprint.readUInt32LE(0), this.fingerprint.readUInt32LE(4)];
    this.types = features.map((f) => f.dtype);
    this.elements = this.types.map(elementType);
    this.bitmapBytes = (features.length + 7) >> 3;
    this.kinds = Uint8Array.from(this.types, (t, i) => (this.elements[i] ? ARRAY : KIND[t as PrimitiveType]));
  }

  /** Bytes the record of these values takes. */
  size(values: readonly FeatureValue[]): number {
    let size = HEADER_BYTES + this.bitmapBytes;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null) continue;
      const element = this.elements[i];
      if (!element) size += scalarSize(this.types[i] as PrimitiveType, v as ScalarValue);
      else {
        size += 4;
        for (const item of v as ScalarValue[]) size += scalarSize(element, item);
      }
    }
    return size;
  }

  encode(eventMicros: number, createdMicros: number, values: readonly FeatureValue[]): Buffer {
    const buf = Buffer.allocUnsafe(this.size(values));
    this.encodeInto(buf, 0, eventMicros, createdMicros, values);
    return buf;
  }

  /** Writes the record at `start` (`size(values)` bytes must be free there); returns where it ends. */
  encodeInto(buf: Buffer, start: number, eventMicros: number, createdMicros: number, values: readonly FeatureValue[]): number {
    writeTime(buf, start, eventMicros);
    writeTime(buf, start + 8, createdMicros);
    // A few bytes each: `set` and a loop cost less than Buffer's `copy` and `fill`.
    buf.set(this.fingerprint, start + 16);
    const bitmap = start + HEADER_BYTES;
    for (let i = 0; i < this.bitmapBytes; i++) buf[bitmap + i] = 0;
    let off = bitmap + this.bitmapBytes;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null) {
        buf[bitmap + (i >> 3)] |= 1 << (i & 7);
        continue;
      }
      const element = this.elements[i];
      if (!element) off = writeScalar(buf, off, this.types[i] as PrimitiveType, v as ScalarValue);
      else {
        const items = v as ScalarValue[];
        off = buf.writeUInt32LE(items.length, off);
        for (const item of items) off = writeScalar(buf, off, element, item);
      }
    }
    return off;
  }

  /** True when the record was written with this schema. */
  matches(record: Buffer): boolean {
    return (
      record.length >= HEADER_BYTES + this.bitmapBytes &&
      record.readUInt32LE(16) === this.fingerprintWords[0] &&
      record.readUInt32LE(20) === this.fingerprintWords[1]
    );
  }

  /**
   * The lookup's decoder (check `matches` first): the feature at schema position i
   * goes to row `row` of `columns[slots[i]]`, through `convert[slots[i]]` when that is
   * not null; a null value also sets its status, `statuses[slots[i] * count + row]`,
   * to `nullStatus` (other statuses are left as they are). Features whose slot is -1
   * are skipped.
   */
  decodeRow(
    record: Buffer,
    slots: Int32Array,
    convert: readonly (((value: FeatureValue) => unknown) | null)[],
    columns: readonly unknown[][],
    statuses: Uint8Array,
    row: number,
    count: number,
    nullStatus: number,
  ): void {
    const kinds = this.kinds;
    // V8 inlines DataView reads; Buffer's readDoubleLE and kin cost several times more.
    // Replies share buffers: a view is made per buffer, not per record.
    if (this.view.buffer !== record.buffer) this.view = new DataView(record.buffer);
    const view = this.view;
    const at = record.byteOffset;
    let off = HEADER_BYTES + this.bitmapBytes;
    for (let i = 0; i < kinds.length; i++) {
      const slot = slots[i];
      if (record[HEADER_BYTES + (i >> 3)] & (1 << (i & 7))) {
        if (slot >= 0) {
          columns[slot][row] = null;
          statuses[slot * count + row] = nullStatus;
        }
        continue;
      }
      let value: FeatureValue;
      switch (kinds[i]) {
        case 0:
          value = view.getFloat64(at + off, true);
          off += 8;
          break;
        case 1: {
          const hi = view.getInt32(at + off + 4, true);
          value = hi >= -2097152 && hi < 2097152 ? hi * TWO_32 + view.getUint32(at + off, true) : record.readBigInt64LE(off);
          off += 8;
          break;
        }
        case 2:
          value = view.getInt32(at + off, true);
          off += 4;
          break;
        case 3:
          value = view.getFloat32(at + off, true);
          off += 4;
          break;
        case 4:
          value = record[off] !== 0;
          off += 1;
          break;
        default:
          // Variable width (strings, bytes, arrays): read the general way.
          value = this.readVariable(record, off, i, slot >= 0);
          off = this.next[0];
      }
      if (slot < 0) continue;
      const c = convert[slot];
      columns[slot][row] = c === null ? value : c(value);
    }
  }

  /** Reads (`keep`) or skips the variable-width feature at schema position `i` from `off`; the next offset goes to `next[0]`. */
  private readVariable(record: Buffer, off: number, i: number, keep: boolean): FeatureValue {
    const next = this.next;
    const element = this.elements[i];
    if (!element) {
      const type = this.types[i] as PrimitiveType;
      if (keep) return readScalar(record, off, type, next);
      next[0] = skipScalar(record, off, type);
      return null;
    }
    const count = record.readUInt32LE(off);
    off += 4;
    const items: ScalarValue[] = [];
    for (let k = 0; k < count; k++) {
      if (keep) {
        items.push(readScalar(record, off, element, next));
        off = next[0];
      } else off = skipScalar(record, off, element);
    }
    next[0] = off;
    return keep ? items : null;
  }

  /** Every feature of a record of this schema, in schema order. */
  decode(record: Buffer): FeatureValue[] {
    const columns: FeatureValue[][] = this.types.map(() => [null]);
    const all = Int32Array.from(this.types, (_, i) => i);
    this.decodeRow(record, all, this.types.map(() => null), columns, new Uint8Array(columns.length), 0, 1, 1);
    return columns.map((column) => column[0]);
  }
}
