/**
 * Compact records to write, packed into one buffer the way the Redis write script
 * reads them: per row u32 LE key length, key, u32 LE record length, record (so Lua's
 * `struct.unpack('<I4c0I4c0')` reads a row in one call). Rows are
 * encoded straight into it, so a batch costs one allocation instead of two per row,
 * and one argument per Redis call instead of two per row.
 */
import type { ViewCodec } from './codecs';
import type { FeatureValue } from './values';

export interface RecordWrite {
  /** The rows, packed as above. */
  readonly packed: Buffer;
  readonly count: number;
}

/** The two u32 lengths of a row. */
const ROW_OVERHEAD = 8;

export class PackedRecords {
  private buf = Buffer.alloc(0);
  private at = 0;
  private count = 0;

  /** `rows`: how many rows will be added (sizes the buffer after the first one). */
  constructor(
    private readonly codec: ViewCodec,
    private readonly rows: number,
  ) {}

  /** Appends the record of `values` under the view's key for `entityKey`. */
  add(entityKey: Buffer, eventMicros: number, createdMicros: number, values: readonly FeatureValue[]): void {
    const { keyPrefix, keySuffix, record } = this.codec;
    const keyLength = keyPrefix.length + entityKey.length + keySuffix.length;
    const recordLength = record.size(values);
    this.reserve(ROW_OVERHEAD + keyLength + recordLength);
    const buf = this.buf;
    let at = buf.writeUInt32LE(keyLength, this.at);
    buf.set(keyPrefix, at);
    buf.set(entityKey, at + keyPrefix.length);
    buf.set(keySuffix, at + keyPrefix.length + entityKey.length);
    at += keyLength;
    at = buf.writeUInt32LE(recordLength, at);
    this.at = record.encodeInto(buf, at, eventMicros, createdMicros, values);
    this.count++;
  }

  finish(): RecordWrite {
    return { packed: this.buf.subarray(0, this.at), count: this.count };
  }

  private reserve(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    // Rows of a view are about the same size: the first one sizes the whole batch.
    const wanted = Math.max(this.at + bytes, this.count === 0 ? Math.ceil(bytes * this.rows * 1.25) : this.buf.length * 2);
    const grown = Buffer.allocUnsafe(wanted);
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }
}

/** Calls `fn` per row of a packed write: the key, the record, and the row's byte range in `packed`. */
export function forEachPackedRecord(write: RecordWrite, fn: (key: Buffer, record: Buffer, start: number, end: number) => void): void {
  const { packed } = write;
  let at = 0;
  while (at < packed.length) {
    const keyStart = at + 4;
    const keyEnd = keyStart + packed.readUInt32LE(at);
    const recordStart = keyEnd + 4;
    const end = recordStart + packed.readUInt32LE(keyEnd);
    fn(packed.subarray(keyStart, keyEnd), packed.subarray(recordStart, end), at, end);
    at = end;
  }
}
