/**
 * A decoder for the Thrift compact protocol, which Parquet uses for its footer.
 * Structs decode to `{ [fieldId]: value }`; i64 values decode to bigint, lists to arrays,
 * binary to Uint8Array. Enough to read the footer's schema and statistics.
 */
export type ThriftValue = boolean | number | bigint | Uint8Array | ThriftValue[] | ThriftStruct | Map<ThriftValue, ThriftValue>;
export interface ThriftStruct {
  readonly [fieldId: number]: ThriftValue | undefined;
}

const enum Type {
  Stop = 0,
  True = 1,
  False = 2,
  Byte = 3,
  I16 = 4,
  I32 = 5,
  I64 = 6,
  Double = 7,
  Binary = 8,
  List = 9,
  Set = 10,
  Map = 11,
  Struct = 12,
}

class Reader {
  offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.offset >= this.bytes.length) throw new Error('the footer ends in the middle of a value');
    return this.bytes[this.offset++];
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('a varint is longer than 10 bytes');
    }
  }

  zigzag(): bigint {
    const n = this.varint();
    return (n >> 1n) ^ -(n & 1n);
  }

  take(length: number): Uint8Array {
    if (length < 0 || this.offset + length > this.bytes.length) throw new Error('a binary value runs past the footer');
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  value(type: number, inCollection: boolean): ThriftValue {
    switch (type) {
      case Type.True:
        return inCollection ? this.byte() === 1 : true;
      case Type.False:
        return inCollection ? this.byte() === 1 : false;
      case Type.Byte:
        return (this.byte() << 24) >> 24;
      case Type.I16:
      case Type.I32:
        return Number(this.zigzag());
      case Type.I64:
        return this.zigzag();
      case Type.Double: {
        const b = this.take(8);
        return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
      }
      case Type.Binary:
        return this.take(Number(this.varint()));
      case Type.List:
      case Type.Set:
        return this.list();
      case Type.Map:
        return this.map();
      case Type.Struct:
        return this.struct();
      default:
        throw new Error(`unknown Thrift type ${type}`);
    }
  }

  list(): ThriftValue[] {
    const header = this.byte();
    const size = header >> 4 === 15 ? Number(this.varint()) : header >> 4;
    const items: ThriftValue[] = [];
    for (let i = 0; i < size; i++) items.push(this.value(header & 0x0f, true));
    return items;
  }

  map(): Map<ThriftValue, ThriftValue> {
    const size = Number(this.varint());
    const out = new Map<ThriftValue, ThriftValue>();
    if (size === 0) return out;
    const types = this.byte();
    for (let i = 0; i < size; i++) out.set(this.value(types >> 4, true), this.value(types & 0x0f, true));
    return out;
  }

  struct(): ThriftStruct {
    const out: Record<number, ThriftValue> = {};
    let fieldId = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === Type.Stop) return out;
      const delta = header >> 4;
      fieldId = delta === 0 ? Number(this.zigzag()) : fieldId + delta;
      out[fieldId] = this.value(type, false);
    }
  }
}

export function decodeThriftStruct(bytes: Uint8Array): ThriftStruct {
  return new Reader(bytes).struct();
}
