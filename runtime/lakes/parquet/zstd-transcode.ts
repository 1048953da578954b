/**
 * ZSTD pages in and out of Parquet files, outside parquet-wasm.
 *
 * parquet-wasm's own zstd is a quarter of the speed of native zstd, and zstd is most
 * of the time a read or write of a zstd Parquet file takes (600 ms of 700 for a
 * 2.5M-row file here). So reads hand parquet-wasm a small Parquet file holding one
 * row group's chosen column chunks with their pages already decompressed, and writes
 * let parquet-wasm write uncompressed pages, then compress them here.
 * Page indexes and bloom filters are dropped from the files built here: they point at
 * byte offsets that change, and nothing downstream needs them to read correctly.
 * Only used where native zstd is `available` (zstd-codec.ts).
 */
import type { BlobLike } from '../byte-source';
import { CHUNK, CODEC, COLUMN, DATA_PAGE_V2 as V2, FILE, MAGIC, PAGE, PAGE_TYPE, ROW_GROUP, SCHEMA_ELEMENT } from './parquet-format';
import { asStruct, get, getBinary, getList, getNumber, getStruct, readStruct, required, set, T, without, writeStruct, type ThriftField, type ThriftList, type ThriftTypedValue } from './thrift-typed';
import * as zstd from './zstd-codec';

/** Reads bytes [start, end) of a file. */
export type ReadRange = (start: number, end: number) => Promise<Uint8Array>;

/** The file's footer: its fields, parsed from the bytes before the trailing length and magic. */
export function parseFooter(tail: Uint8Array): ThriftField[] {
  const length = new DataView(tail.buffer, tail.byteOffset + tail.length - 8, 4).getUint32(0, true);
  if (length + 8 > tail.length) throw new Error(`the footer length ${length} exceeds the bytes given`);
  return readStruct(tail.subarray(tail.length - 8 - length, tail.length - 8)).fields;
}

function rowGroupsOf(footer: readonly ThriftField[]): ThriftList {
  return required(getList(footer, FILE.rowGroups), "the footer's list of row groups");
}

function chunksOf(group: readonly ThriftField[]): ThriftList {
  return required(getList(group, ROW_GROUP.columns), "a row group's list of column chunks");
}

/** Row group `rowGroup` of the footer's file, and the column metadata of each of its chunks. */
export function rowGroupChunks(footer: readonly ThriftField[], rowGroup: number): { group: ThriftField[]; metas: ThriftField[][] } {
  const item = rowGroupsOf(footer).items[rowGroup];
  if (!item) throw new Error(`the file has no row group ${rowGroup}`);
  const group = asStruct(item, 'a row group');
  const metas = chunksOf(group).items.map((chunk) => {
    const meta = getStruct(asStruct(chunk, 'a column chunk'), CHUNK.metaData);
    if (!meta) throw new Error('a column chunk has no metadata (column data in other files is not supported)');
    return meta;
  });
  return { group, metas };
}

/** A column chunk's bytes, read through `read(start, end)`. */
export async function readChunk(columnMeta: readonly ThriftField[], read: ReadRange): Promise<Uint8Array> {
  const { start, end } = chunkRange(columnMeta);
  const bytes = await read(start, end);
  if (bytes.length !== end - start) throw new Error('a column chunk runs past the end of the file');
  return bytes;
}

/** Bytes [start, end) of the file holding a column chunk (its column metadata given). */
export function chunkRange(columnMeta: readonly ThriftField[]): { start: number; end: number } {
  const data = getNumber(columnMeta, COLUMN.dataPageOffset);
  const dictionary = getNumber(columnMeta, COLUMN.dictionaryPageOffset);
  const start = dictionary !== undefined && data !== undefined && dictionary > 0 && dictionary < data ? dictionary : data;
  const size = getNumber(columnMeta, COLUMN.totalCompressedSize);
  if (start === undefined || !Number.isSafeInteger(start) || start < 4 || size === undefined || !Number.isSafeInteger(size) || size < 0) throw new Error(`a column chunk's offset ${start} or size ${size} is out of range`);
  return { start, end: start + size };
}

/** The parts joined into one buffer (of `total` bytes, when known). */
export function concat(parts: readonly Uint8Array[], total?: number): Uint8Array {
  const out = new Uint8Array(total ?? parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** One page of a column chunk. */
export interface ChunkPage {
  readonly header: ThriftField[];
  readonly headerBytes: Uint8Array;
  readonly body: Uint8Array;
}

/** The pages of a column chunk: header fields, header bytes and body of each. */
export function splitPages(chunk: Uint8Array): ChunkPage[] {
  const pages: ChunkPage[] = [];
  let offset = 0;
  while (offset < chunk.length) {
    const { fields: header, end } = readStruct(chunk, offset);
    const size = getNumber(header, PAGE.compressedSize);
    if (size === undefined || size < 0 || end + size > chunk.length) throw new Error('a page runs past the end of its column chunk');
    pages.push({ header, headerBytes: chunk.subarray(offset, end), body: chunk.subarray(end, end + size) });
    offset = end + size;
  }
  return pages;
}

/** A page rewritten: its new header fields and body. */
interface NewPage {
  readonly header: ThriftField[];
  readonly body: Uint8Array;
}

/** A rewrite of one page, or null to keep it as is. */
type PageTransform = (header: ThriftField[], body: Uint8Array) => Promise<NewPage | null>;

/** A rewritten column chunk as headers and bodies (copied once, into the whole file), offsets relative to its start. */
interface MovedPages {
  readonly parts: Uint8Array[];
  readonly length: number;
  readonly firstDataPage: number;
  readonly dictionaryPage: number | undefined;
}

/**
 * Rewrites every page of a column chunk through `transform(header, body)`, which
 * resolves to the new page header fields and body (or null to keep the page as is);
 * the pages are transformed concurrently.
 */
async function mapPages(chunk: Uint8Array, transform: PageTransform): Promise<MovedPages> {
  const pages = splitPages(chunk);
  const changed = await Promise.all(pages.map(({ header, body }) => transform(header, body)));
  const parts: Uint8Array[] = [];
  let total = 0;
  let firstDataPage: number | undefined;
  let dictionaryPage: number | undefined;
  pages.forEach(({ header, headerBytes, body }, i) => {
    const page = changed[i];
    const newHeader = page ? writeStruct(page.header) : headerBytes;
    const newBody = page ? page.body : body;
    const pageType = getNumber(header, PAGE.type);
    if (pageType === PAGE_TYPE.DICTIONARY) dictionaryPage ??= total;
    else if (pageType !== PAGE_TYPE.INDEX) firstDataPage ??= total;
    parts.push(newHeader, newBody);
    total += newHeader.length + newBody.length;
  });
  if (firstDataPage === undefined) throw new Error('a column chunk has no data page');
  return { parts, length: total, firstDataPage, dictionaryPage };
}

/** How many leading bytes of a page's body are not compressed (a v2 data page's levels). */
function uncompressedPrefix(header: readonly ThriftField[]): number {
  const v2 = getStruct(header, PAGE.dataPageV2);
  if (!v2) return 0;
  return (getNumber(v2, V2.definitionLevelsLength) ?? 0) + (getNumber(v2, V2.repetitionLevelsLength) ?? 0);
}

async function decompressPage(header: ThriftField[], body: Uint8Array): Promise<NewPage | null> {
  const v2 = getStruct(header, PAGE.dataPageV2);
  if (v2 && get(v2, V2.isCompressed) === false) return null;
  const prefix = uncompressedPrefix(header);
  const size = getNumber(header, PAGE.uncompressedSize);
  const values = body.length === prefix ? new Uint8Array(0) : await zstd.decompress(body.subarray(prefix));
  if (size === undefined || prefix + values.length !== size) throw new Error(`a zstd page decompressed to ${prefix + values.length} bytes, its header says ${size}`);
  let newHeader = without(set(header, PAGE.compressedSize, T.I32, size), PAGE.crc);
  if (v2) newHeader = set(newHeader, PAGE.dataPageV2, T.STRUCT, set(v2, V2.isCompressed, T.TRUE, false));
  return { header: newHeader, body: prefix === 0 ? values : concat([body.subarray(0, prefix), values]) };
}

async function compressPage(header: ThriftField[], body: Uint8Array): Promise<NewPage> {
  const prefix = uncompressedPrefix(header);
  const values = await zstd.compress(body.subarray(prefix));
  const newBody = prefix === 0 ? values : concat([body.subarray(0, prefix), values]);
  let newHeader = without(set(header, PAGE.compressedSize, T.I32, newBody.length), PAGE.crc);
  const v2 = getStruct(header, PAGE.dataPageV2);
  if (v2) newHeader = set(newHeader, PAGE.dataPageV2, T.STRUCT, set(v2, V2.isCompressed, T.TRUE, true));
  return { header: newHeader, body: newBody };
}

/** A column chunk's codec (a required field of its metadata). */
function codecOf(columnMeta: readonly ThriftField[]): number {
  return required(getNumber(columnMeta, COLUMN.codec), "a column chunk's codec");
}

/**
 * Column metadata for a chunk now at `start` in the new file: new codec, sizes and
 * page offsets; index pages, page indexes and bloom filters left out.
 */
function movedColumn(columnMeta: readonly ThriftField[], start: number, pages: MovedPages, codec: number): ThriftField[] {
  let meta = without(columnMeta, COLUMN.indexPageOffset, COLUMN.dictionaryPageOffset, COLUMN.bloomFilterOffset, COLUMN.bloomFilterLength);
  meta = set(meta, COLUMN.codec, T.I32, codec);
  meta = set(meta, COLUMN.totalCompressedSize, T.I64, BigInt(pages.length));
  meta = set(meta, COLUMN.dataPageOffset, T.I64, BigInt(start + pages.firstDataPage));
  if (pages.dictionaryPage !== undefined) meta = set(meta, COLUMN.dictionaryPageOffset, T.I64, BigInt(start + pages.dictionaryPage));
  return meta;
}

function movedChunk(chunk: readonly ThriftField[], meta: ThriftField[], start: number): ThriftField[] {
  const fields = without(chunk, CHUNK.offsetIndexOffset, CHUNK.offsetIndexLength, CHUNK.columnIndexOffset, CHUNK.columnIndexLength);
  return set(set(fields, CHUNK.metaData, T.STRUCT, meta), CHUNK.fileOffset, T.I64, BigInt(start));
}

/** "PAR1", the chunks, the footer, its length, "PAR1", as parts. */
function fileParts(chunks: readonly Uint8Array[], footer: Uint8Array): Uint8Array[] {
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, footer.length, true);
  return [MAGIC, ...chunks, footer, length, MAGIC];
}

/**
 * A file made of parts, read as a Blob (what parquet-wasm reads): a range is copied
 * out of the parts it covers, so the parts are never joined into one buffer first.
 */
export function partsBlob(parts: readonly Uint8Array[]): BlobLike {
  const starts: number[] = [];
  let size = 0;
  for (const part of parts) {
    starts.push(size);
    size += part.length;
  }
  const bytes = (start: number, end: number): Uint8Array<ArrayBuffer> => {
    const out = new Uint8Array(Math.max(0, end - start));
    let i = 0;
    while (i + 1 < parts.length && starts[i + 1] <= start) i++;
    for (let at = start; at < end && i < parts.length; i++) {
      const from = at - starts[i];
      const n = Math.min(parts[i].length - from, end - at);
      out.set(parts[i].subarray(from, from + n), at - start);
      at += n;
    }
    return out;
  };
  return {
    size,
    slice(start = 0, end = size) {
      return { arrayBuffer: async () => bytes(Math.max(0, start), Math.min(end, size)).buffer };
    },
  };
}

const utf8 = new TextDecoder();

/**
 * Whether the file carries an Arrow schema (pyarrow and parquet-wasm write one):
 * readers match its fields to the Parquet schema's, so that cannot be pruned.
 */
function hasArrowSchema(footer: readonly ThriftField[]): boolean {
  const metadata = getList(footer, FILE.keyValueMetadata);
  return metadata !== undefined && metadata.items.some((entry) => utf8.decode(getBinary(asStruct(entry, 'a key-value metadata entry'), 1)) === 'ARROW:schema');
}

function schemaOf(footer: readonly ThriftField[]): ThriftTypedValue[] {
  return required(getList(footer, FILE.schema), "the footer's schema").items;
}

function elementAt(elements: readonly ThriftTypedValue[], at: number): ThriftField[] {
  return asStruct(elements[at], 'a schema element');
}

/** The index just past the schema element at `at` and its descendants. */
function subtreeEnd(elements: readonly ThriftTypedValue[], at: number): number {
  let end = at + 1;
  const children = getNumber(elementAt(elements, at), SCHEMA_ELEMENT.numChildren) ?? 0;
  for (let c = 0; c < children && end < elements.length; c++) end = subtreeEnd(elements, end);
  return end;
}

/** A top-level column's schema element, its index and the index just past its subtree. */
export interface TopLevelColumn {
  readonly element: ThriftField[];
  readonly at: number;
  readonly end: number;
}

/** The top-level columns' schema elements, by name, each with the index just past its subtree. */
export function topLevelColumns(footer: readonly ThriftField[]): Map<string, TopLevelColumn> {
  const elements = schemaOf(footer);
  const columns = new Map<string, TopLevelColumn>();
  for (let at = 1; at < elements.length; ) {
    const end = subtreeEnd(elements, at);
    const element = elementAt(elements, at);
    columns.set(utf8.decode(getBinary(element, SCHEMA_ELEMENT.name)), { element, at, end });
    at = end;
  }
  return columns;
}

/** The schema with only the chosen top-level columns (and their nested fields). */
function prunedSchema(footer: readonly ThriftField[], wanted: ReadonlySet<string>): ThriftList {
  const elements = schemaOf(footer);
  const kept: ThriftTypedValue[] = [];
  let count = 0;
  for (let at = 1; at < elements.length; ) {
    const end = subtreeEnd(elements, at);
    if (wanted.has(utf8.decode(getBinary(elementAt(elements, at), SCHEMA_ELEMENT.name)))) {
      kept.push(...elements.slice(at, end));
      count++;
    }
    at = end;
  }
  return { elementType: T.STRUCT, items: [set(elementAt(elements, 0), SCHEMA_ELEMENT.numChildren, T.I32, count), ...kept] };
}

/** The top-level column a chunk (its column metadata given) belongs to. */
export function topLevelName(columnMeta: readonly ThriftField[]): string {
  const path = required(getList(columnMeta, COLUMN.pathInSchema), "a column chunk's path in the schema");
  const first = path.items[0];
  if (first !== undefined && !(first instanceof Uint8Array)) throw new Error("a column chunk's path in the schema is not a list of names");
  return utf8.decode(first);
}

/**
 * A Parquet file holding only row group `rowGroup` of the file whose footer fields
 * are `footer`, with the column chunks of `columns` (top-level names) read through
 * `read(start, end)` and their zstd pages decompressed, as parts to join. Without an
 * Arrow schema in the file, the other columns are left out (`pruned`: every column
 * of the file is to be read); with one, they stay in the footer as empty chunks that
 * must not be read.
 */
export async function rowGroupFile(footer: readonly ThriftField[], rowGroup: number, columns: readonly string[], read: ReadRange): Promise<{ parts: Uint8Array[]; pruned: boolean }> {
  const { group, metas } = rowGroupChunks(footer, rowGroup);
  const chunks = chunksOf(group).items;
  const wanted = new Set(columns);
  const transcoded = await Promise.all(
    metas.map(async (meta) => {
      if (!wanted.has(topLevelName(meta))) return null;
      const bytes = await readChunk(meta, read);
      return mapPages(bytes, codecOf(meta) === CODEC.ZSTD ? decompressPage : async () => null);
    }),
  );
  const pruned = !hasArrowSchema(footer);
  const parts: Uint8Array[] = [];
  let offset = MAGIC.length;
  const newChunks = chunks.map((item, i) => {
    const chunk = asStruct(item, 'a column chunk');
    const meta = metas[i];
    const pages = transcoded[i];
    if (!pages && pruned) return null;
    if (!pages) {
      const empty: MovedPages = { parts: [], length: 0, firstDataPage: 0, dictionaryPage: undefined };
      return movedChunk(chunk, movedColumn(meta, MAGIC.length, empty, codecOf(meta)), MAGIC.length);
    }
    const zstdChunk = codecOf(meta) === CODEC.ZSTD;
    const start = offset;
    for (const part of pages.parts) parts.push(part);
    offset += pages.length;
    return movedChunk(chunk, movedColumn(meta, start, pages, zstdChunk ? CODEC.UNCOMPRESSED : codecOf(meta)), start);
  });
  let newGroup = set(group, ROW_GROUP.columns, T.LIST, { elementType: T.STRUCT, items: newChunks.filter((c) => c !== null) });
  newGroup = without(newGroup, ROW_GROUP.fileOffset, ROW_GROUP.totalCompressedSize);
  let newFooter = set(footer, FILE.rowGroups, T.LIST, { elementType: T.STRUCT, items: [newGroup] });
  newFooter = set(newFooter, FILE.numRows, T.I64, BigInt(required(getNumber(group, ROW_GROUP.numRows), "a row group's row count")));
  if (pruned) {
    newFooter = set(newFooter, FILE.schema, T.LIST, prunedSchema(footer, wanted));
    // One column order per leaf column, in the order of the row group's chunks.
    const orders = getList(footer, FILE.columnOrders);
    if (orders) newFooter = set(newFooter, FILE.columnOrders, T.LIST, { elementType: orders.elementType, items: orders.items.filter((_, i) => newChunks[i] !== null) });
  }
  return { parts: fileParts(parts, writeStruct(newFooter)), pruned };
}

/** A file with the footer's schema and metadata but no rows: what a reader makes of its columns' types. */
export function schemaOnlyFile(footer: readonly ThriftField[]): Uint8Array {
  const empty = set(set(footer, FILE.rowGroups, T.LIST, { elementType: T.STRUCT, items: [] }), FILE.numRows, T.I64, 0n);
  return concat(fileParts([], writeStruct(empty)));
}

/** Whether any column chunk of the footer's file is zstd-compressed. */
export function hasZstdChunks(footer: readonly ThriftField[]): boolean {
  return rowGroupsOf(footer).items.some((group) =>
    chunksOf(asStruct(group, 'a row group')).items.some((chunk) => getNumber(getStruct(asStruct(chunk, 'a column chunk'), CHUNK.metaData) ?? [], COLUMN.codec) === CODEC.ZSTD),
  );
}

/**
 * A whole Parquet file with uncompressed pages (as parquet-wasm wrote it) turned
 * into the same file with zstd pages.
 */
export async function compressFile(file: Uint8Array): Promise<Uint8Array> {
  const footer = parseFooter(file);
  const groups = rowGroupsOf(footer).items.map((group) => asStruct(group, 'a row group'));
  const groupChunks = groups.map((group) => chunksOf(group).items.map((chunk) => asStruct(chunk, 'a column chunk')));
  const metaOf = (chunk: readonly ThriftField[]): ThriftField[] => required(getStruct(chunk, CHUNK.metaData), "a column chunk's metadata");
  const compressed = await Promise.all(
    groupChunks.map((chunks) =>
      Promise.all(
        chunks.map((chunk) => {
          const range = chunkRange(metaOf(chunk));
          return mapPages(file.subarray(range.start, range.end), compressPage);
        }),
      ),
    ),
  );
  const parts: Uint8Array[] = [];
  let offset = MAGIC.length;
  const newGroups = groups.map((group, g) => {
    const groupStart = offset;
    const chunks = groupChunks[g].map((chunk, c) => {
      const meta = metaOf(chunk);
      const pages = compressed[g][c];
      const start = offset;
      for (const part of pages.parts) parts.push(part);
      offset += pages.length;
      return movedChunk(chunk, movedColumn(meta, start, pages, CODEC.ZSTD), start);
    });
    let newGroup = set(group, ROW_GROUP.columns, T.LIST, { elementType: T.STRUCT, items: chunks });
    newGroup = set(newGroup, ROW_GROUP.fileOffset, T.I64, BigInt(groupStart));
    return set(newGroup, ROW_GROUP.totalCompressedSize, T.I64, BigInt(offset - groupStart));
  });
  return concat(fileParts(parts, writeStruct(set(footer, FILE.rowGroups, T.LIST, { elementType: T.STRUCT, items: newGroups }))));
}
