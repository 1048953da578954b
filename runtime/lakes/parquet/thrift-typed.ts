/**
 * The Thrift compact protocol as a typed tree that round-trips: Parquet page
 * headers and footers are read, a few fields changed, and written back with every
 * other field (including ones this code does not know) kept as it was.
 * The footer reader (footer.ts) uses it too.
 *
 * A struct is an array of fields `{ id, type, value }` in wire order; a list or set
 * is `{ elementType, items }`; a map is `{ keyType, valueType, entries }`; i64 is a
 * bigint, binary a Uint8Array, bool a boolean, other numbers are numbers.
 */

/** A value of the tree: what the wire type of its field or collection says it is. */
export type ThriftTypedValue = boolean | number | bigint | Uint8Array | ThriftField[] | ThriftList | ThriftMap;

export interface ThriftField {
  readonly id: number;
  /** The compact protocol's type (`T`); booleans are always `T.TRUE`. */
  readonly type: number;
  readonly value: ThriftTypedValue;
}

export interface ThriftList {
  readonly elementType: number;
  readonly items: ThriftTypedValue[];
}

export interface ThriftMap {
  readonly keyType: number;
  readonly valueType: number;
  readonly entries: [ThriftTypedValue, ThriftTypedValue][];
}

/** Deepest nesting of structs and collections read (Parquet's own footers nest about 6 deep). */
const MAX_DEPTH = 64;

/** The compact protocol's type ids. */
export const T = { STOP: 0, TRUE: 1, FALSE: 2, BYTE: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7, BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12 } as const;

class Reader {
  declare private readonly bytes: Uint8Array;
  declare offset: number;
  declare depth: number;

  constructor(bytes: Uint8Array, offset: number) {
    this.bytes = bytes;
    this.offset = offset;
    this.depth = 0;
  }

  /** A collection's size, checked against the bytes left (every element takes at least `min` bytes). */
  size(n: number, min: number): number {
    if (n * min > this.bytes.length - this.offset) throw new Error(`a Thrift collection of ${n} elements runs past the end of its data`);
    return n;
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) throw new Error(`Thrift data nests deeper than ${MAX_DEPTH} levels`);
  }

  byte(): number {
    if (this.offset >= this.bytes.length) throw new Error('Thrift data ends in the middle of a value');
    return this.bytes[this.offset++];
  }

  /** Unsigned varint as a number (sizes, i16, i32). */
  uvarint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new Error('a Thrift varint is longer than 10 bytes');
  }

  zigzag32(): number {
    const n = this.uvarint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  zigzag64(): bigint {
    let n = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      n |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (n >> 1n) ^ -(n & 1n);
      shift += 7n;
    }
    throw new Error('a Thrift varint is longer than 10 bytes');
  }

  take(length: number): Uint8Array {
    if (!(length >= 0) || this.offset + length > this.bytes.length) throw new Error('a Thrift binary value runs past the end of its data');
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  value(type: number, inCollection: boolean): ThriftTypedValue {
    switch (type) {
      case T.TRUE:
      case T.FALSE:
        return inCollection ? this.byte() === 1 : type === T.TRUE;
      case T.BYTE:
        return (this.byte() << 24) >> 24;
      case T.I16:
      case T.I32:
        return this.zigzag32();
      case T.I64:
        return this.zigzag64();
      case T.DOUBLE: {
        const b = this.take(8);
        return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
      }
      case T.BINARY:
        return this.take(this.uvarint());
      case T.LIST:
      case T.SET: {
        const header = this.byte();
        const size = this.size(header >> 4 === 15 ? this.uvarint() : header >> 4, 1);
        const elementType = header & 0x0f;
        if (size > 0 && (elementType === T.STOP || elementType > T.STRUCT)) throw new Error(`unknown Thrift type ${elementType}`);
        const items: ThriftTypedValue[] = [];
        this.enter();
        for (let i = 0; i < size; i++) items.push(this.value(elementType, true));
        this.depth--;
        return { elementType, items };
      }
      case T.MAP: {
        const size = this.size(this.uvarint(), 2);
        const types = size === 0 ? 0 : this.byte();
        const entries: [ThriftTypedValue, ThriftTypedValue][] = [];
        this.enter();
        for (let i = 0; i < size; i++) entries.push([this.value(types >> 4, true), this.value(types & 0x0f, true)]);
        this.depth--;
        return { keyType: types >> 4, valueType: types & 0x0f, entries };
      }
      case T.STRUCT:
        return this.struct();
      default:
        throw new Error(`unknown Thrift type ${type}`);
    }
  }

  struct(): ThriftField[] {
    const fields: ThriftField[] = [];
    let id = 0;
    this.enter();
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === T.STOP) {
        this.depth--;
        return fields;
      }
      const delta = header >> 4;
      id = delta === 0 ? this.zigzag32() : id + delta;
      fields.push({ id, type: type === T.FALSE ? T.TRUE : type, value: this.value(type, false) });
    }
  }
}

/** A value given for a field or collection of wire type `type` that is not of that type. */
function mistyped(type: number, value: ThriftTypedValue): Error {
  return new Error(`a value of Thrift type ${type} is a ${Array.isArray(value) ? 'struct' : typeof value}`);
}

function numberOf(type: number, value: ThriftTypedValue): number {
  if (typeof value !== 'number') throw mistyped(type, value);
  return value;
}

class Writer {
  declare bytes: Uint8Array<ArrayBuffer>;
  declare length: number;

  constructor() {
    this.bytes = new Uint8Array(256);
    this.length = 0;
  }

  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.length + n, this.bytes.length * 2));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.bytes[this.length++] = b;
  }

  uvarint(n: number): void {
    while (n >= 128) {
      this.byte((n % 128) | 0x80);
      n = Math.floor(n / 128);
    }
    this.byte(n);
  }

  zigzag32(n: number): void {
    this.uvarint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  zigzag64(n: bigint): void {
    let z = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
    while (z >= 128n) {
      this.byte(Number(z & 0x7fn) | 0x80);
      z >>= 7n;
    }
    this.byte(Number(z));
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  value(type: number, value: ThriftTypedValue, inCollection: boolean): void {
    switch (type) {
      case T.TRUE:
      case T.FALSE:
        if (inCollection) this.byte(value ? 1 : 2);
        return;
      case T.BYTE:
        return this.byte(numberOf(type, value) & 0xff);
      case T.I16:
      case T.I32:
        return this.zigzag32(numberOf(type, value));
      case T.I64:
        if (typeof value !== 'bigint' && typeof value !== 'number') throw mistyped(type, value);
        return this.zigzag64(BigInt(value));
      case T.DOUBLE: {
        const b = new Uint8Array(8);
        new DataView(b.buffer).setFloat64(0, numberOf(type, value), true);
        return this.raw(b);
      }
      case T.BINARY:
        if (!(value instanceof Uint8Array)) throw mistyped(type, value);
        this.uvarint(value.length);
        return this.raw(value);
      case T.LIST:
      case T.SET: {
        if (!isList(value)) throw mistyped(type, value);
        const size = value.items.length;
        if (size < 15) this.byte((size << 4) | value.elementType);
        else {
          this.byte(0xf0 | value.elementType);
          this.uvarint(size);
        }
        for (const item of value.items) this.value(value.elementType, item, true);
        return;
      }
      case T.MAP:
        if (!isMap(value)) throw mistyped(type, value);
        this.uvarint(value.entries.length);
        if (value.entries.length === 0) return;
        this.byte((value.keyType << 4) | value.valueType);
        for (const [k, v] of value.entries) {
          this.value(value.keyType, k, true);
          this.value(value.valueType, v, true);
        }
        return;
      case T.STRUCT:
        if (!Array.isArray(value)) throw mistyped(type, value);
        return this.struct(value);
      default:
        throw new Error(`unknown Thrift type ${type}`);
    }
  }

  struct(fields: readonly ThriftField[]): void {
    let last = 0;
    for (const { id, type, value } of fields) {
      const wireType = type === T.TRUE || type === T.FALSE ? (value ? T.TRUE : T.FALSE) : type;
      const delta = id - last;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | wireType);
      else {
        this.byte(wireType);
        this.zigzag32(id);
      }
      this.value(type, value, false);
      last = id;
    }
    this.byte(T.STOP);
  }
}

function isList(value: ThriftTypedValue | undefined): value is ThriftList {
  return typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array) && 'items' in value;
}

function isMap(value: ThriftTypedValue | undefined): value is ThriftMap {
  return typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array) && 'entries' in value;
}

/** Reads one struct starting at `offset`: its fields and the offset just past it. */
export function readStruct(bytes: Uint8Array, offset = 0): { fields: ThriftField[]; end: number } {
  const reader = new Reader(bytes, offset);
  const fields = reader.struct();
  return { fields, end: reader.offset };
}

/** Encodes a struct's fields (sorted by id, as the compact protocol's deltas expect). */
export function writeStruct(fields: readonly ThriftField[]): Uint8Array {
  const writer = new Writer();
  writer.struct([...fields].sort((a, b) => a.id - b.id));
  return writer.bytes.subarray(0, writer.length);
}

/** The value of field `id`, or undefined. */
export function get(fields: readonly ThriftField[], id: number): ThriftTypedValue | undefined {
  const field = fields.find((f) => f.id === id);
  return field === undefined ? undefined : field.value;
}

/** Field `id` as a number (for i32/i64 fields), or undefined. */
export function getNumber(fields: readonly ThriftField[], id: number): number | undefined {
  const value = get(fields, id);
  return value === undefined ? undefined : Number(value);
}

/** `value` as a struct's fields; an error for any other value (`what` names it). */
export function asStruct(value: ThriftTypedValue | undefined, what: string): ThriftField[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a Thrift struct`);
  return value;
}

/** Struct field `id`, or undefined when it is not set; an error when it is not a struct. */
export function getStruct(fields: readonly ThriftField[], id: number): ThriftField[] | undefined {
  const value = get(fields, id);
  return value === undefined ? undefined : asStruct(value, `field ${id}`);
}

/** List (or set) field `id`, or undefined when it is not set; an error when it is not a list. */
export function getList(fields: readonly ThriftField[], id: number): ThriftList | undefined {
  const value = get(fields, id);
  if (value === undefined || isList(value)) return value;
  throw new Error(`field ${id} is not a Thrift list`);
}

/** Binary (or string) field `id`, or undefined when it is not set; an error when it is not binary. */
export function getBinary(fields: readonly ThriftField[], id: number): Uint8Array | undefined {
  const value = get(fields, id);
  if (value === undefined || value instanceof Uint8Array) return value;
  throw new Error(`field ${id} is not Thrift binary`);
}

/** `value`, which must be there: an error naming `what` when it is undefined (a required field missing). */
export function required<V>(value: V | undefined, what: string): V {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}

/** A copy of `fields` with field `id` set to `value` of `type`. */
export function set(fields: readonly ThriftField[], id: number, type: number, value: ThriftTypedValue): ThriftField[] {
  return [...fields.filter((f) => f.id !== id), { id, type, value }];
}

/** A copy of `fields` without the fields whose ids are given. */
export function without(fields: readonly ThriftField[], ...ids: number[]): ThriftField[] {
  return fields.filter((f) => !ids.includes(f.id));
}
