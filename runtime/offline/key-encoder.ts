/**
 * Join key values → dense integer ids. The ids are built from the entity rows, then
 * feature rows are looked up: a row whose key no entity row has gets -1 and is
 * dropped at once, so memory follows the entities, not the feature table.
 */
import { DataType, makeVector, type Data } from 'apache-arrow';
import { timestampColumnToMicros } from '../arrow/timestamps';
import type { JoinKeyType } from '../manifest/schema';
import { byteRange, highWord, int64Words, isVariableBytes, lowWord, validityOf } from './arrow-access';
import { PairTable } from './pair-table';

/** One key column's values → codes, in a dictionary of its own. */
interface ColumnDictionary {
  readonly size: number;
  /** Writes a code (or -1 for null / unknown / masked-out rows) per row into `out`. */
  encode(data: Data, out: Int32Array, insert: boolean, mask: Uint8Array | null): void;
}

/** Largest id array a dictionary of small non-negative keys builds (4 MB). */
const MAX_DIRECT_ENTRIES = 1 << 20;

class IntegerDictionary implements ColumnDictionary {
  private readonly table = new PairTable();
  /** Largest key seen, while every key is an integer in [0, 2^31); -1 once one is not. */
  private largest = 0;
  /** Key value → id (or -1), for keys that are small non-negative integers; rebuilt after inserts. */
  private direct: Int32Array | null = null;

  get size(): number {
    return this.table.size;
  }

  private intern(hi: number, lo: number): number {
    if (hi !== 0 || lo < 0) this.largest = -1;
    else if (this.largest >= 0 && lo > this.largest) this.largest = lo;
    this.direct = null;
    return this.table.intern(hi, lo);
  }

  /**
   * Looking a key up in an array beats hashing it when the keys are dense small
   * integers (typical surrogate ids): the array stays in the CPU cache.
   */
  directIndex(): Int32Array | null {
    if (this.direct === null && this.largest >= 0 && this.largest < Math.max(MAX_DIRECT_ENTRIES, 8 * this.table.size)) {
      const direct = new Int32Array(this.largest + 1).fill(-1);
      this.table.forEach((_hi, lo, id) => (direct[lo] = id));
      this.direct = direct;
    }
    return this.direct;
  }

  encode(data: Data, out: Int32Array, insert: boolean, mask: Uint8Array | null): void {
    const valid = validityOf(data);
    const table = this.table;
    const n = data.length;
    const type = data.type;
    if (DataType.isTimestamp(type) || DataType.isDate(type)) {
      const micros = timestampColumnToMicros(makeVector(data), 'join key');
      for (let i = 0; i < n; i++) {
        const v = micros[i];
        const skip = v !== v || (mask !== null && mask[i] === 0);
        out[i] = skip ? -1 : insert ? this.intern(highWord(v), lowWord(v)) : table.get(highWord(v), lowWord(v));
      }
      return;
    }
    if (DataType.isInt(type) && type.bitWidth === 64) {
      const words = int64Words(data);
      if (valid === null && mask === null && !insert) {
        // The hot path: every feature row of a typical Int64-keyed source.
        const direct = this.directIndex();
        if (direct !== null) {
          const size = direct.length;
          for (let i = 0; i < n; i++) {
            const lo = words[2 * i];
            out[i] = words[2 * i + 1] === 0 && lo >= 0 && lo < size ? direct[lo] : -1;
          }
        } else {
          for (let i = 0; i < n; i++) out[i] = table.get(words[2 * i + 1], words[2 * i]);
        }
        return;
      }
      for (let i = 0; i < n; i++) {
        const skip = (valid !== null && !valid(i)) || (mask !== null && mask[i] === 0);
        out[i] = skip ? -1 : insert ? this.intern(words[2 * i + 1], words[2 * i]) : table.get(words[2 * i + 1], words[2 * i]);
      }
      return;
    }
    const values = data.values as Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;
    for (let i = 0; i < n; i++) {
      const skip = (valid !== null && !valid(i)) || (mask !== null && mask[i] === 0);
      const v = values[i];
      out[i] = skip ? -1 : insert ? this.intern(highWord(v), lowWord(v)) : table.get(highWord(v), lowWord(v));
    }
  }
}

class BytesDictionary implements ColumnDictionary {
  private readonly codes = new Map<string, number>();
  private readonly decoder = new TextDecoder();

  get size(): number {
    return this.codes.size;
  }

  encode(data: Data, out: Int32Array, insert: boolean, mask: Uint8Array | null): void {
    const valid = validityOf(data);
    const text = this.reader(data);
    for (let i = 0; i < data.length; i++) {
      if ((valid !== null && !valid(i)) || (mask !== null && mask[i] === 0)) {
        out[i] = -1;
        continue;
      }
      const key = text(i);
      let code = this.codes.get(key);
      if (code === undefined && insert) {
        code = this.codes.size;
        this.codes.set(key, code);
      }
      out[i] = code ?? -1;
    }
  }

  /** A string per row that is equal exactly when the stored bytes are. */
  private reader(data: Data): (i: number) => string {
    const type = data.type;
    if (isVariableBytes(type)) {
      const bytes = data.values as Uint8Array;
      const binary = DataType.isBinary(type) || DataType.isLargeBinary(type);
      return (i) => {
        const [start, end] = byteRange(data, i);
        return binary
          ? Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1')
          : this.decoder.decode(bytes.subarray(start, end));
      };
    }
    const vector = makeVector(data);
    return (i) => {
      const v = vector.get(i) as string | Uint8Array;
      return typeof v === 'string' ? v : Buffer.from(v).toString('latin1');
    };
  }
}

/** A join key column as read: its name (for messages) and declared type. */
export interface KeyColumn {
  readonly column: string;
  readonly valueType: JoinKeyType;
}

/**
 * Encodes the (possibly composite) join key of each row into one id. Composite keys
 * are folded pairwise: id(a, b, c) = pair(pair(a, b), c). No columns (an entity-less
 * view) gives every row the id 0.
 */
export class KeyEncoder {
  private readonly dictionaries: ColumnDictionary[];
  /** One table per fold step: level c maps (id of columns 0..c-1, code of column c) → id. */
  private readonly pairs: PairTable[];
  private scratch = new Int32Array(0);

  constructor(readonly columns: readonly KeyColumn[]) {
    this.dictionaries = columns.map((c) => (c.valueType === 'String' || c.valueType === 'Bytes' ? new BytesDictionary() : new IntegerDictionary()));
    this.pairs = columns.slice(1).map(() => new PairTable());
  }

  /**
   * For a single integer key whose values are small non-negative numbers: key value →
   * id (or -1), an array a decode worker can use to encode feature rows itself.
   */
  directIndex(): Int32Array | null {
    const dictionary = this.dictionaries.length === 1 ? this.dictionaries[0] : null;
    return dictionary instanceof IntegerDictionary ? dictionary.directIndex() : null;
  }

  /** Number of distinct keys seen so far (1 for no columns). */
  get size(): number {
    if (this.columns.length === 0) return 1;
    return this.columns.length === 1 ? this.dictionaries[0].size : this.pairs[this.pairs.length - 1].size;
  }

  /**
   * Writes a key id per row into `out` (length = rows): -1 when a key value is null,
   * when `insert` is false and the key is unknown, or when `mask[i]` is 0.
   * `chunks` holds one chunk per key column, in `columns` order.
   */
  encode(chunks: readonly Data[], out: Int32Array, insert: boolean, mask: Uint8Array | null = null): void {
    const n = out.length;
    if (chunks.length === 0) {
      for (let i = 0; i < n; i++) out[i] = mask !== null && mask[i] === 0 ? -1 : 0;
      return;
    }
    this.dictionaries[0].encode(chunks[0], out, insert, mask);
    if (chunks.length === 1) return;
    if (this.scratch.length < n) this.scratch = new Int32Array(n);
    const codes = this.scratch;
    for (let c = 1; c < chunks.length; c++) {
      this.dictionaries[c].encode(chunks[c], codes, insert, mask);
      const pairs = this.pairs[c - 1];
      for (let i = 0; i < n; i++) {
        const a = out[i];
        const b = codes[i];
        out[i] = a < 0 || b < 0 ? -1 : insert ? pairs.intern(a, b) : pairs.get(a, b);
      }
    }
  }
}
