/**
 * Slots holding the values of the feature rows that are still candidates. Rows are
 * copied in as they win (so a source batch is released as soon as it is read), and
 * the output column is gathered from the slots at the end, typed per the manifest.
 */
import { DataType, makeBuilder, makeData, makeVector, type Data } from 'apache-arrow';
import { timestampColumnToMicros } from '../arrow/timestamps';
import { byteRange, highWord, int64Words, isVariableBytes, lowWord, validityOf } from './arrow-access';
import { arrowTypeOf, listElementType, timestampData, type ValueType } from './dtypes';
import type { SharedSlots } from './worker-copier';

export interface ValueSlots {
  /** Copies row `rows[j]` of `data` into slot `slots[j]`, for j < count. */
  copy(data: Data, slots: Int32Array, rows: Int32Array, count: number): void;
  /** Makes room for slots [0, capacity). */
  reserve(capacity: number): void;
  /** The output column: row i holds slot `index[i]`, or null where it is -1. */
  gather(index: Int32Array): Data;
  /** The slots in shared memory, for decode workers to fill; null when they are not (see `makeSlots`). */
  shared(): SharedSlots | null;
}

export interface SlotOptions {
  /**
   * Keep Int32, Int64, Float32 and Float64 slots in shared memory, so that decode
   * workers can copy values in themselves (see offline/worker-copier.ts); they then
   * cannot grow.
   */
  readonly shared?: boolean;
}

/** Slots for one output column of `dtype` (the source type was checked by the caller). */
export function makeSlots(dtype: ValueType, capacity: number, options: SlotOptions = {}): ValueSlots {
  if (listElementType(dtype)) return new GenericSlots(dtype, capacity);
  const shared = options.shared === true;
  switch (dtype) {
    case 'Int64':
      return new Int64Slots(capacity, shared);
    case 'String':
    case 'Bytes':
      return new BytesSlots(dtype, capacity);
    case 'Bool':
      return new BoolSlots(capacity);
    default:
      return new NumberSlots(dtype as NumberDtype, capacity, shared);
  }
}

/** A typed array of `length` elements, in a SharedArrayBuffer when `shared`. */
function typedArray<T>(Type: { new (buffer: ArrayBufferLike): T; new (length: number): T; BYTES_PER_ELEMENT: number }, length: number, shared: boolean): T {
  return shared ? new Type(new SharedArrayBuffer(length * Type.BYTES_PER_ELEMENT)) : new Type(length);
}

const SHARED_KINDS: Partial<Record<ValueType, SharedSlots['kind']>> = { Int32: 'int32', Int64: 'int64', Float32: 'float32', Float64: 'float64' };

function grown<T extends { length: number; set(a: ArrayLike<number>): void }>(array: T, capacity: number, make: (n: number) => T): T {
  if (array.length >= capacity) return array;
  const next = make(Math.max(capacity, array.length * 2));
  next.set(array as unknown as ArrayLike<number>);
  return next;
}

/** Validity per slot, and the output null bitmap. */
class Validity {
  valid: Uint8Array;

  constructor(capacity: number, shared = false) {
    this.valid = typedArray(Uint8Array, capacity, shared);
  }

  reserve(capacity: number): void {
    this.valid = grown(this.valid, capacity, (n) => new Uint8Array(n));
  }

  /** The Arrow null bitmap of a gathered column, and its null count. */
  bitmap(index: Int32Array): { nullBitmap: Uint8Array; nullCount: number } {
    const bits = new Uint8Array((index.length + 7) >> 3);
    let nullCount = 0;
    for (let i = 0; i < index.length; i++) {
      const s = index[i];
      if (s >= 0 && this.valid[s] === 1) bits[i >> 3] |= 1 << (i & 7);
      else nullCount++;
    }
    return { nullBitmap: bits, nullCount };
  }
}

/** Reads any integer, float, timestamp or date chunk as numbers (timestamps as epoch micros). */
function numberReader(data: Data): (i: number) => number {
  const type = data.type;
  if (DataType.isTimestamp(type) || DataType.isDate(type)) {
    const micros = timestampColumnToMicros(makeVector(data), 'feature');
    return (i) => micros[i];
  }
  if (DataType.isInt(type) && type.bitWidth === 64) {
    const words = int64Words(data);
    return type.isSigned ? (i) => words[2 * i + 1] * 4294967296 + (words[2 * i] >>> 0) : (i) => (words[2 * i + 1] >>> 0) * 4294967296 + (words[2 * i] >>> 0);
  }
  const values = data.values as ArrayLike<number>;
  return (i) => values[i];
}

type NumberDtype = 'Int32' | 'Float32' | 'Float64' | 'UnixTimestamp';

class NumberSlots implements ValueSlots {
  private values: Float64Array | Float32Array | Int32Array;
  private readonly validity: Validity;

  constructor(
    private readonly dtype: NumberDtype,
    capacity: number,
    private readonly isShared = false,
  ) {
    this.values = this.allocate(capacity, isShared);
    this.validity = new Validity(capacity, isShared);
  }

  private allocate(n: number, shared = false): Float64Array | Float32Array | Int32Array {
    return this.dtype === 'Int32' ? typedArray(Int32Array, n, shared) : this.dtype === 'Float32' ? typedArray(Float32Array, n, shared) : typedArray(Float64Array, n, shared);
  }

  shared(): SharedSlots | null {
    const kind = SHARED_KINDS[this.dtype];
    return this.isShared && kind ? { kind, values: this.values, valid: this.validity.valid } : null;
  }

  reserve(capacity: number): void {
    if (this.isShared && capacity > this.values.length) throw new Error('shared slots cannot grow');
    this.values = grown(this.values, capacity, (n) => this.allocate(n));
    this.validity.reserve(capacity);
  }

  copy(data: Data, slots: Int32Array, rows: Int32Array, count: number): void {
    const valid = validityOf(data);
    const out = this.values;
    const flags = this.validity.valid;
    // The common case (a double column into Float64 slots) without a reader call per row.
    const direct = DataType.isFloat(data.type) || (DataType.isInt(data.type) && data.type.bitWidth < 64) ? (data.values as ArrayLike<number>) : null;
    const read = direct ? null : numberReader(data);
    for (let j = 0; j < count; j++) {
      const s = slots[j];
      const r = rows[j];
      if (valid !== null && !valid(r)) {
        flags[s] = 0;
        continue;
      }
      const v = direct !== null ? direct[r] : read!(r);
      flags[s] = v === v ? 1 : 0;
      out[s] = v;
    }
  }

  gather(index: Int32Array): Data {
    const type = arrowTypeOf(this.dtype);
    const { nullBitmap, nullCount } = this.validity.bitmap(index);
    const n = index.length;
    const src = this.values;
    const out = this.allocate(n);
    for (let i = 0; i < n; i++) {
      const s = index[i];
      if (s >= 0) out[i] = src[s];
    }
    if (this.dtype === 'UnixTimestamp') return timestampData(out as Float64Array, nullBitmap, nullCount);
    return makeData({ type, length: n, nullCount, nullBitmap, data: out } as never);
  }
}

/** Int64 values as two 32-bit words, so no precision is lost and no bigint is made. */
class Int64Slots implements ValueSlots {
  private words: Int32Array;
  private readonly validity: Validity;

  constructor(
    capacity: number,
    private readonly isShared = false,
  ) {
    this.words = typedArray(Int32Array, 2 * capacity, isShared);
    this.validity = new Validity(capacity, isShared);
  }

  reserve(capacity: number): void {
    if (this.isShared && 2 * capacity > this.words.length) throw new Error('shared slots cannot grow');
    this.words = grown(this.words, 2 * capacity, (n) => new Int32Array(n));
    this.validity.reserve(capacity);
  }

  shared(): SharedSlots | null {
    return this.isShared ? { kind: 'int64', values: this.words, valid: this.validity.valid } : null;
  }

  copy(data: Data, slots: Int32Array, rows: Int32Array, count: number): void {
    const valid = validityOf(data);
    const out = this.words;
    const flags = this.validity.valid;
    const wide = DataType.isInt(data.type) && data.type.bitWidth === 64;
    const words = wide ? int64Words(data) : null;
    const values = data.values as ArrayLike<number>;
    for (let j = 0; j < count; j++) {
      const s = slots[j];
      const r = rows[j];
      if (valid !== null && !valid(r)) {
        flags[s] = 0;
        continue;
      }
      flags[s] = 1;
      if (words !== null) {
        out[2 * s] = words[2 * r];
        out[2 * s + 1] = words[2 * r + 1];
      } else {
        out[2 * s] = lowWord(values[r]);
        out[2 * s + 1] = highWord(values[r]);
      }
    }
  }

  gather(index: Int32Array): Data {
    const { nullBitmap, nullCount } = this.validity.bitmap(index);
    const n = index.length;
    const out = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const s = index[i];
      if (s < 0) continue;
      out[2 * i] = this.words[2 * s];
      out[2 * i + 1] = this.words[2 * s + 1];
    }
    return makeData({ type: arrowTypeOf('Int64'), length: n, nullCount, nullBitmap, data: new BigInt64Array(out.buffer) } as never);
  }
}

class BoolSlots implements ValueSlots {
  shared(): null {
    return null;
  }

  private values: Uint8Array;
  private readonly validity: Validity;

  constructor(capacity: number) {
    this.values = new Uint8Array(capacity);
    this.validity = new Validity(capacity);
  }

  reserve(capacity: number): void {
    this.values = grown(this.values, capacity, (n) => new Uint8Array(n));
    this.validity.reserve(capacity);
  }

  copy(data: Data, slots: Int32Array, rows: Int32Array, count: number): void {
    const valid = validityOf(data);
    const bits = data.values as Uint8Array;
    const offset = data.offset;
    for (let j = 0; j < count; j++) {
      const s = slots[j];
      const r = rows[j];
      const ok = valid === null || valid(r);
      this.validity.valid[s] = ok ? 1 : 0;
      if (ok) this.values[s] = (bits[(offset + r) >> 3] >> ((offset + r) & 7)) & 1;
    }
  }

  gather(index: Int32Array): Data {
    const { nullBitmap, nullCount } = this.validity.bitmap(index);
    const out = new Uint8Array((index.length + 7) >> 3);
    for (let i = 0; i < index.length; i++) {
      const s = index[i];
      if (s >= 0 && this.values[s] === 1) out[i >> 3] |= 1 << (i & 7);
    }
    return makeData({ type: arrowTypeOf('Bool'), length: index.length, nullCount, nullBitmap, data: out } as never);
  }
}

/** Strings and bytes, kept as copied UTF-8 / raw bytes (no decode and re-encode). */
class BytesSlots implements ValueSlots {
  shared(): null {
    return null;
  }

  private values: (Uint8Array | null)[];
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly dtype: 'String' | 'Bytes',
    capacity: number,
  ) {
    this.values = new Array<Uint8Array | null>(capacity).fill(null);
  }

  reserve(capacity: number): void {
    while (this.values.length < capacity) this.values.push(null);
  }

  copy(data: Data, slots: Int32Array, rows: Int32Array, count: number): void {
    const valid = validityOf(data);
    const ranged = isVariableBytes(data.type);
    const bytes = data.values as Uint8Array;
    const vector = ranged ? null : makeVector(data);
    for (let j = 0; j < count; j++) {
      const r = rows[j];
      if (valid !== null && !valid(r)) {
        this.values[slots[j]] = null;
      } else if (vector === null) {
        const [start, end] = byteRange(data, r);
        this.values[slots[j]] = bytes.slice(start, end);
      } else {
        const v = vector.get(r) as string | Uint8Array;
        this.values[slots[j]] = typeof v === 'string' ? this.encoder.encode(v) : Uint8Array.from(v);
      }
    }
  }

  gather(index: Int32Array): Data {
    const n = index.length;
    const offsets = new Int32Array(n + 1);
    const bits = new Uint8Array((n + 7) >> 3);
    let total = 0;
    let nullCount = 0;
    for (let i = 0; i < n; i++) {
      const v = index[i] >= 0 ? this.values[index[i]] : null;
      if (v === null) nullCount++;
      else {
        bits[i >> 3] |= 1 << (i & 7);
        total += v.length;
      }
      offsets[i + 1] = total;
    }
    const data = new Uint8Array(total);
    for (let i = 0; i < n; i++) {
      const v = index[i] >= 0 ? this.values[index[i]] : null;
      if (v !== null) data.set(v, offsets[i]);
    }
    return makeData({ type: arrowTypeOf(this.dtype), length: n, nullCount, nullBitmap: bits, valueOffsets: offsets, data } as never);
  }
}

/** Lists (and anything rare): JS values per slot, built with an Arrow builder at the end. */
class GenericSlots implements ValueSlots {
  shared(): null {
    return null;
  }

  private values: unknown[];

  constructor(
    private readonly dtype: ValueType,
    capacity: number,
  ) {
    this.values = new Array<unknown>(capacity).fill(null);
  }

  reserve(capacity: number): void {
    while (this.values.length < capacity) this.values.push(null);
  }

  copy(data: Data, slots: Int32Array, rows: Int32Array, count: number): void {
    const vector = makeVector(data);
    for (let j = 0; j < count; j++) {
      const v = vector.get(rows[j]) as { toArray(): ArrayLike<unknown> } | null;
      // A copy, not a view: a view would keep the whole source batch alive.
      this.values[slots[j]] = v === null ? null : Array.from(v.toArray());
    }
  }

  gather(index: Int32Array): Data {
    const builder = makeBuilder({ type: arrowTypeOf(this.dtype), nullValues: [null, undefined] });
    for (let i = 0; i < index.length; i++) builder.append(index[i] >= 0 ? this.values[index[i]] : null);
    return builder.finish().flush();
  }
}
