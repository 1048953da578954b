/**
 * Compact records to write, packed into one buffer as the arguments of a Redis
 * command: per row the key, then the record, each a RESP bulk string
 * (`$<length>\r\n<bytes>\r\n`). Rows are encoded straight into it, so a batch
 * costs one allocation instead of two per row, and Redis reads the rows as the
 * arguments of the write script without the client building them one by one.
 */
import type { ViewCodec } from './codecs';
import { bulkAt, bulkSize, writeBulkEnd, writeBulkHead } from './resp';
import type { JoinValue } from './entity-key';
import type { FeatureValue } from './values';

export interface RecordWrite {
  /** The rows, packed as above. */
  readonly packed: Buffer;
  readonly count: number;
}

export class PackedRecords {
  private buf = Buffer.alloc(0);
  private at = 0;
  private count = 0;

  /** `rows`: how many rows will be added (sizes the buffer after the first one). */
  constructor(
    private readonly codec: ViewCodec,
    private readonly rows: number,
  ) {}

  /** Appends the record of `values` under the view's key for the join key values `keyValues` (in serialization order). */
  add(keyValues: readonly JoinValue[], eventMicros: number, createdMicros: number, values: readonly FeatureValue[]): void {
    const { record } = this.codec;
    const keyLength = this.codec.storeKeyLength(keyValues);
    const recordLength = record.size(values);
    this.reserve(bulkSize(keyLength) + bulkSize(recordLength));
    const buf = this.buf;
    let at = writeBulkEnd(buf, this.codec.writeStoreKey(buf, writeBulkHead(buf, this.at, keyLength), keyValues));
    at = writeBulkHead(buf, at, recordLength);
    this.at = writeBulkEnd(buf, record.encodeInto(buf, at, eventMicros, createdMicros, values));
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
    const [keyStart, keyEnd] = bulkAt(packed, at);
    const [recordStart, recordEnd] = bulkAt(packed, keyEnd + 2);
    const end = recordEnd + 2;
    fn(packed.subarray(keyStart, keyEnd), packed.subarray(recordStart, recordEnd), at, end);
    at = end;
  }
}
