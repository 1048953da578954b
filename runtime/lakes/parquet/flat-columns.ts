/**
 * Flat numeric columns decoded straight from their pages into Arrow-layout buffers.
 *
 * Ids, timestamps and numbers in required or optional top-level INT32, INT64, FLOAT
 * and DOUBLE columns make up most of a feature table. Their PLAIN and dictionary
 * pages (v1 or v2, uncompressed or zstd) hold the values' bits as Arrow keeps them,
 * so they are copied (or looked up in the dictionary) into one buffer per column,
 * instead of going through parquet-wasm and an Arrow IPC stream, which copied each
 * value four times. The Arrow types are parquet-wasm's own (read from the file's
 * schema, see flat-plan.ts), and a column is decoded here only where that type is its
 * stored bits unchanged. Anything else (other types and encodings, nesting,
 * snappy) returns null and goes through parquet-wasm.
 */
import { CODEC, COLUMN, CONVERTED, DATA_PAGE, DATA_PAGE_V2, DICTIONARY_PAGE, ENCODING, LOGICAL, PAGE, PAGE_TYPE, PHYSICAL, REPETITION, ROW_GROUP, SCHEMA_ELEMENT as ELEMENT } from './parquet-format';
import { decodeHybrid } from './rle-hybrid';
import type { FlatColumn, FlatColumnLayout, FlatKind } from './row-group-reader';
import { asStruct, get, getNumber, getStruct, required, type ThriftField } from './thrift-typed';
import * as zstd from './zstd-codec';
import { readChunk, rowGroupChunks, splitPages, topLevelColumns, topLevelName, type ReadRange } from './zstd-transcode';

const BYTES_PER_VALUE: Readonly<Partial<Record<number, 4 | 8>>> = { [PHYSICAL.INT32]: 4, [PHYSICAL.INT64]: 8, [PHYSICAL.FLOAT]: 4, [PHYSICAL.DOUBLE]: 8 };
// apache-arrow's Type ids and units.
const ARROW = { Int: 2, Float: 3, Date: 8, Timestamp: 10, DOUBLE: 2, SINGLE: 1, DAY: 0 } as const;

/**
 * What is read here of an Arrow field's type (an apache-arrow DataType): its type id
 * and, as its type has them, precision, width, signedness and unit. Compared as
 * numbers, so that the decode worker need not load apache-arrow.
 */
export interface ArrowTypeParts {
  readonly typeId: number;
  readonly precision?: number;
  readonly bitWidth?: number;
  readonly isSigned?: boolean;
  readonly unit?: number;
}

/** The union member set in a Thrift union: `{ id, value }`, or undefined. */
function member(union: readonly ThriftField[] | undefined): ThriftField | undefined {
  return union && union.length > 0 ? union[0] : undefined;
}

/** Arrow's time unit of a Parquet timestamp column (1 ms, 2 µs, 3 ns), or undefined. */
function timestampUnit(logical: ThriftField | undefined, converted: number | undefined): number | undefined {
  if (logical?.id === LOGICAL.TIMESTAMP) {
    const unit = member(getStruct(asStruct(logical.value, 'a timestamp logical type'), 2))?.id;
    return unit === 1 || unit === 2 || unit === 3 ? unit : undefined;
  }
  if (logical === undefined) return converted === CONVERTED.TIMESTAMP_MILLIS ? 1 : converted === CONVERTED.TIMESTAMP_MICROS ? 2 : undefined;
  return undefined;
}

/** Whether `arrowType` (parquet-wasm's type for the column) holds the column's stored bits as they are. */
function sameBits(element: readonly ThriftField[], arrowType: ArrowTypeParts): boolean {
  const physical = getNumber(element, ELEMENT.type);
  const converted = getNumber(element, ELEMENT.convertedType);
  const logical = member(getStruct(element, ELEMENT.logicalType));
  const signedInt = (bits: 32 | 64): boolean => {
    if (logical === undefined) return converted === undefined || converted === (bits === 32 ? CONVERTED.INT_32 : CONVERTED.INT_64);
    if (logical.id !== LOGICAL.INTEGER) return false;
    const integer = asStruct(logical.value, 'an integer logical type');
    return getNumber(integer, 1) === bits && get(integer, 2) === true;
  };
  const { typeId } = arrowType;
  switch (physical) {
    case PHYSICAL.DOUBLE:
    case PHYSICAL.FLOAT:
      return logical === undefined && converted === undefined && typeId === ARROW.Float && arrowType.precision === (physical === PHYSICAL.DOUBLE ? ARROW.DOUBLE : ARROW.SINGLE);
    case PHYSICAL.INT64:
      if (typeId === ARROW.Int) return arrowType.bitWidth === 64 && arrowType.isSigned === true && signedInt(64);
      return typeId === ARROW.Timestamp && timestampUnit(logical, converted) === arrowType.unit;
    case PHYSICAL.INT32:
      if (typeId === ARROW.Int) return arrowType.bitWidth === 32 && arrowType.isSigned === true && signedInt(32);
      return typeId === ARROW.Date && arrowType.unit === ARROW.DAY && (logical?.id === LOGICAL.DATE || (logical === undefined && converted === CONVERTED.DATE));
    default:
      return false;
  }
}

/** The value kind of a covered Arrow type, as workers compare it (see `SharedSlots` in ../scan-spec.ts). */
function kindOf(arrowType: ArrowTypeParts): FlatKind {
  switch (arrowType.typeId) {
    case ARROW.Float:
      return arrowType.precision === ARROW.DOUBLE ? 'float64' : 'float32';
    case ARROW.Int:
      return arrowType.bitWidth === 64 ? 'int64' : 'int32';
    case ARROW.Date:
      return 'date32';
    default:
      return 'timestamp';
  }
}

/**
 * How to decode `fields` (parquet-wasm's Arrow fields of the columns asked for) from
 * their pages, or null when any of them is not a flat column of a covered type.
 * @param footer the file's footer fields
 */
export function flatLayout(footer: readonly ThriftField[], fields: readonly { readonly name: string; readonly type: ArrowTypeParts }[]): FlatColumnLayout[] | null {
  const columns = topLevelColumns(footer);
  const layout: FlatColumnLayout[] = [];
  for (const field of fields) {
    const column = columns.get(field.name);
    if (!column || column.end !== column.at + 1) return null;
    const repetition = getNumber(column.element, ELEMENT.repetition);
    const physical = getNumber(column.element, ELEMENT.type);
    const width = physical === undefined ? undefined : BYTES_PER_VALUE[physical];
    if ((repetition !== REPETITION.REQUIRED && repetition !== REPETITION.OPTIONAL) || width === undefined || !sameBits(column.element, field.type)) return null;
    const kind = kindOf(field.type);
    layout.push({ name: field.name, kind, unit: kind === 'timestamp' ? field.type.unit : undefined, width, optional: repetition === REPETITION.OPTIONAL });
  }
  return layout;
}

/** A page's definition levels (null: none, or all present) and value bytes. */
interface OpenedPage {
  readonly levels: Uint8Array | null;
  readonly values: Uint8Array;
}

/** A page's definition levels and value bytes, decompressed; null if its codec is not covered. */
async function openPage(header: readonly ThriftField[], body: Uint8Array, codec: number | undefined, optional: boolean): Promise<OpenedPage | null> {
  const type = getNumber(header, PAGE.type);
  const size = getNumber(header, PAGE.uncompressedSize);
  if (type === PAGE_TYPE.DATA_V2) {
    const v2 = required(getStruct(header, PAGE.dataPageV2), 'a v2 data page header');
    if ((getNumber(v2, DATA_PAGE_V2.repetitionLevelsLength) ?? 0) !== 0) return null;
    const levelsLength = getNumber(v2, DATA_PAGE_V2.definitionLevelsLength) ?? 0;
    // An optional column's page without levels: unusual, left to parquet-wasm.
    if (optional && levelsLength === 0 && (getNumber(v2, DATA_PAGE_V2.numValues) ?? 0) > 0) return null;
    const compressed = codec !== CODEC.UNCOMPRESSED && get(v2, DATA_PAGE_V2.isCompressed) !== false;
    const values = compressed ? await decompress(body.subarray(levelsLength), size === undefined ? undefined : size - levelsLength) : body.subarray(levelsLength);
    return { levels: optional ? body.subarray(0, levelsLength) : null, values };
  }
  const whole = codec === CODEC.UNCOMPRESSED ? body : await decompress(body, size);
  if (type !== PAGE_TYPE.DATA || !optional) return { levels: null, values: whole };
  const encoding = getNumber(required(getStruct(header, PAGE.dataPage), 'a data page header'), DATA_PAGE.definitionLevelEncoding);
  if (encoding !== ENCODING.RLE) return null;
  if (whole.length < 4) throw new Error('a data page ends before its definition levels');
  const length = new DataView(whole.buffer, whole.byteOffset, 4).getUint32(0, true);
  if (4 + length > whole.length) throw new Error('a data page\'s definition levels run past its end');
  return { levels: whole.subarray(4, 4 + length), values: whole.subarray(4 + length) };
}

async function decompress(bytes: Uint8Array, size: number | undefined): Promise<Uint8Array> {
  const out = bytes.length === 0 ? new Uint8Array(0) : await zstd.decompress(bytes);
  if (out.length !== size) throw new Error(`a zstd page decompressed to ${out.length} bytes, its header says ${size}`);
  return out;
}

/** `bytes` copied into 32-bit words (page bodies need not be 4-byte aligned). */
function words(bytes: Uint8Array, count: number): Int32Array {
  const out = new Int32Array(count);
  new Uint8Array(out.buffer).set(bytes.subarray(0, count * 4));
  return out;
}

// Reused between pages. Both Int32Array: the hybrid decoder stays monomorphic (and fast).
let indexScratch = new Int32Array(0);
let levelScratch = new Int32Array(0);

/** Whether definition levels (bit width 1) are one run of 1s covering `count` values: no nulls. */
function allPresent(levels: Uint8Array, count: number): boolean {
  let header = 0;
  let scale = 1;
  let pos = 0;
  for (;;) {
    if (pos >= levels.length) return false;
    const b = levels[pos++];
    header += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) break;
    scale *= 128;
  }
  return header % 2 === 0 && header / 2 >= count && levels[pos] === 1;
}

/** The column's values of one row group: its column chunk's pages decoded into one buffer. */
class ColumnBuilder {
  // `declare`d: the constructor makes every field, in this order (the emitted class then defines no fields first).
  declare private readonly column: FlatColumnLayout;
  declare private readonly numRows: number;
  declare private readonly wordsPerValue: number;
  declare private readonly values: Int32Array<ArrayBuffer>;
  declare private validity: Uint8Array<ArrayBuffer> | null;
  declare private nullCount: number;
  declare private dictionary: Int32Array | null;
  declare private dictionarySize: number;
  declare private row: number;

  constructor(column: FlatColumnLayout, numRows: number) {
    this.column = column;
    this.numRows = numRows;
    this.wordsPerValue = column.width / 4;
    this.values = new Int32Array(numRows * this.wordsPerValue);
    this.validity = null;
    this.nullCount = 0;
    this.dictionary = null;
    this.dictionarySize = 0;
    this.row = 0;
  }

  setDictionary(header: readonly ThriftField[], page: OpenedPage): boolean {
    const dictionary = required(getStruct(header, PAGE.dictionaryPage), 'a dictionary page header');
    const encoding = getNumber(dictionary, DICTIONARY_PAGE.encoding);
    if (encoding !== ENCODING.PLAIN && encoding !== ENCODING.PLAIN_DICTIONARY) return false;
    const size = required(getNumber(dictionary, DICTIONARY_PAGE.numValues), "a dictionary page's value count");
    if (page.values.length < size * this.column.width) throw new Error(`the dictionary page holds fewer than its ${size} values`);
    this.dictionary = words(page.values, size * this.wordsPerValue);
    this.dictionarySize = size;
    return true;
  }

  /** Adds a data page's values; false if its encoding is not covered. */
  addPage(numValues: number, encoding: number | undefined, page: OpenedPage): boolean {
    if (this.row + numValues > this.numRows) throw new Error(`the pages hold more values than the row group's ${this.numRows} rows`);
    let levels = null;
    let present = numValues;
    if (page.levels !== null && !allPresent(page.levels, numValues)) {
      if (levelScratch.length < numValues) levelScratch = new Int32Array(numValues);
      levels = levelScratch;
      decodeHybrid(page.levels, 0, page.levels.length, 1, numValues, levels);
      present = 0;
      for (let i = 0; i < numValues; i++) present += levels[i];
      if (present === numValues) levels = null;
      else this.markNulls(levels, numValues);
    }
    if (encoding === ENCODING.PLAIN) this.addPlain(page.values, present, levels, numValues);
    else if (encoding === ENCODING.RLE_DICTIONARY || encoding === ENCODING.PLAIN_DICTIONARY) this.addIndexed(page.values, present, levels, numValues);
    else return false;
    this.row += numValues;
    return true;
  }

  private markNulls(levels: Int32Array, numValues: number): void {
    if (this.validity === null) this.validity = new Uint8Array(Math.ceil(this.numRows / 8)).fill(0xff);
    const validity = this.validity;
    for (let i = 0; i < numValues; i++) {
      if (levels[i] !== 0) continue;
      const r = this.row + i;
      validity[r >> 3] &= ~(1 << (r & 7));
      this.nullCount++;
    }
  }

  private addPlain(bytes: Uint8Array, present: number, levels: Int32Array | null, numValues: number): void {
    const width = this.column.width;
    if (bytes.length < present * width) throw new Error(`a PLAIN page holds fewer than its ${present} values`);
    if (levels === null) {
      new Uint8Array(this.values.buffer).set(bytes.subarray(0, present * width), this.row * width);
      return;
    }
    this.place(words(bytes, present * this.wordsPerValue), null, levels, numValues);
  }

  private addIndexed(bytes: Uint8Array, present: number, levels: Int32Array | null, numValues: number): void {
    if (this.dictionary === null) throw new Error('a dictionary-encoded page comes before any dictionary page');
    if (present > 0 && bytes.length === 0) throw new Error('a dictionary-encoded page has no index bit width');
    if (indexScratch.length < present) indexScratch = new Int32Array(present);
    const indices = indexScratch;
    if (present > 0) decodeHybrid(bytes, 1, bytes.length, bytes[0], present, indices);
    const size = this.dictionarySize;
    for (let k = 0; k < present; k++) if (indices[k] >>> 0 >= size) throw new Error(`a dictionary index ${indices[k] >>> 0} is past the dictionary's ${size} values`);
    this.place(this.dictionary, indices, levels, numValues, present);
  }

  /** Copies value `indices[k]` (or `k`) of `source` words to the k-th non-null row of the page. */
  private place(source: Int32Array, indices: Int32Array | null, levels: Int32Array | null, numValues: number, present = numValues): void {
    const out = this.values;
    const w = this.wordsPerValue;
    let d = this.row * w;
    if (levels === null && indices !== null && w === 2) {
      for (let k = 0; k < present; k++, d += 2) {
        const s = indices[k] * 2;
        out[d] = source[s];
        out[d + 1] = source[s + 1];
      }
      return;
    }
    let k = 0;
    for (let r = 0; r < numValues; r++, d += w) {
      if (levels !== null && levels[r] === 0) continue;
      const s = (indices === null ? k : indices[k]) * w;
      k++;
      out[d] = source[s];
      if (w === 2) out[d + 1] = source[s + 1];
    }
  }

  finish(): FlatColumn {
    if (this.row !== this.numRows) throw new Error(`the pages hold ${this.row} values for ${this.numRows} rows`);
    const { name, kind, unit } = this.column;
    return { name, kind, unit, values: this.values.buffer, validity: this.validity === null ? null : this.validity.buffer, nullCount: this.nullCount };
  }
}

/** One column chunk decoded, or null if a page is not covered here; errors name the column. */
async function decodeChunk(chunk: Uint8Array, codec: number | undefined, column: FlatColumnLayout, numRows: number, rowGroup: number): Promise<FlatColumn | null> {
  try {
    return await decodePages(chunk, codec, column, numRows);
  } catch (e) {
    throw new Error(`column "${column.name}" of row group ${rowGroup}: ${e instanceof Error ? e.message : e}`);
  }
}

async function decodePages(chunk: Uint8Array, codec: number | undefined, column: FlatColumnLayout, numRows: number): Promise<FlatColumn | null> {
  const pages = splitPages(chunk);
  const opened = await Promise.all(pages.map(({ header, body }) => openPage(header, body, codec, column.optional)));
  const builder = new ColumnBuilder(column, numRows);
  for (let i = 0; i < pages.length; i++) {
    const { header } = pages[i];
    const page = opened[i];
    if (page === null) return null;
    const type = getNumber(header, PAGE.type);
    if (type === PAGE_TYPE.DICTIONARY) {
      if (!builder.setDictionary(header, page)) return null;
    } else if (type === PAGE_TYPE.DATA) {
      const v1 = required(getStruct(header, PAGE.dataPage), 'a data page header');
      if (!builder.addPage(required(getNumber(v1, DATA_PAGE.numValues), "a data page's value count"), getNumber(v1, DATA_PAGE.encoding), page)) return null;
    } else if (type === PAGE_TYPE.DATA_V2) {
      const v2 = required(getStruct(header, PAGE.dataPageV2), 'a v2 data page header');
      if (!builder.addPage(required(getNumber(v2, DATA_PAGE_V2.numValues), "a data page's value count"), getNumber(v2, DATA_PAGE_V2.encoding), page)) return null;
    }
    // Index pages carry no values.
  }
  return builder.finish();
}

/**
 * Row group `rowGroup`'s columns of `layout` (from `flatLayout`), their chunks read
 * through `read(start, end)`: `{ length, columns: [{ name, kind, unit, values, validity, nullCount }] }`
 * with ArrayBuffers in Arrow's layout (validity null when no value is null), or null
 * when a chunk's codec or a page's encoding is not covered here.
 */
export async function decodeFlatRowGroup(
  footer: readonly ThriftField[],
  layout: readonly FlatColumnLayout[],
  rowGroup: number,
  read: ReadRange,
): Promise<{ length: number; columns: FlatColumn[] } | null> {
  const { group, metas } = rowGroupChunks(footer, rowGroup);
  const numRows = required(getNumber(group, ROW_GROUP.numRows), "a row group's row count");
  const byName = new Map(metas.map((meta) => [topLevelName(meta), meta]));
  const chosen: ThriftField[][] = [];
  for (const column of layout) {
    const meta = byName.get(column.name);
    if (meta === undefined) throw new Error(`row group ${rowGroup} lacks a column chunk of ${layout.map((c) => c.name).join(', ')}`);
    chosen.push(meta);
  }
  const codecs = chosen.map((meta) => getNumber(meta, COLUMN.codec));
  if (codecs.some((codec) => codec !== CODEC.UNCOMPRESSED && !(codec === CODEC.ZSTD && zstd.available))) return null;
  const columns = await Promise.all(layout.map(async (column, i) => decodeChunk(await readChunk(chosen[i], read), codecs[i], column, numRows, rowGroup)));
  return columns.every((c) => c !== null) ? { length: numRows, columns } : null;
}
