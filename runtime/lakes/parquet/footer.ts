import { FeatureStoreError } from '../../errors';
import type { ByteSource } from '../byte-source';
import { readStruct, type ThriftField, type ThriftTypedValue } from './thrift-typed';

/** A Thrift value as plain data: structs as `{ [fieldId]: value }`, lists as arrays. */
type ThriftValue = boolean | number | bigint | Uint8Array | ThriftValue[] | ThriftStruct | Map<ThriftValue, ThriftValue>;
interface ThriftStruct {
  readonly [fieldId: number]: ThriftValue | undefined;
}

function plain(value: ThriftTypedValue): ThriftValue {
  if (Array.isArray(value)) return Object.fromEntries((value as ThriftField[]).map((f) => [f.id, plain(f.value)]));
  if (value instanceof Uint8Array || typeof value !== 'object') return value;
  if ('items' in value) return value.items.map(plain);
  return new Map(value.entries.map(([k, v]) => [plain(k), plain(v)]));
}

/** Min and max of a timestamp or date column in one row group, epoch microseconds. */
export interface TimeRange {
  readonly min: number;
  readonly max: number;
}

export interface RowGroupInfo {
  readonly numRows: number;
  /** Statistics of top-level timestamp and date columns, by column name. */
  readonly timeRanges: ReadonlyMap<string, TimeRange>;
}

/** What the reader needs from a Parquet footer. */
export interface ParquetFooter {
  /** Top-level column names in file order. */
  readonly columns: readonly string[];
  readonly rowGroups: readonly RowGroupInfo[];
  /** The footer's Thrift fields as they are (see thrift-typed.ts). */
  readonly fields: ThriftField[];
}

const MAGIC = 0x31524150; // "PAR1"

export function parquetInvalid(name: string, cause: unknown): FeatureStoreError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new FeatureStoreError(
    'PARQUET_INVALID',
    `${name} is not a valid Parquet file: ${why}`,
    'rewrite the file with a Parquet writer (Spark, pyarrow, DuckDB) or remove it from the source folder',
    { cause },
  );
}

/** Reads the footer: 8 bytes for its length, then the footer itself. */
export async function readFooter(source: ByteSource): Promise<ParquetFooter> {
  if (source.size < 12) throw parquetInvalid(source.name, `it is only ${source.size} bytes long`);
  const end = await source.read(source.size - 8, source.size);
  const view = new DataView(end.buffer, end.byteOffset, 8);
  if (view.getUint32(4, true) !== MAGIC) throw parquetInvalid(source.name, 'it does not end with the PAR1 marker');
  const length = view.getUint32(0, true);
  if (length + 12 > source.size) throw parquetInvalid(source.name, `its footer length ${length} exceeds the file size`);
  // Read through the end of the file so that the tail cache serves parquet-wasm's footer reads.
  const footer = await source.read(source.size - 8 - length, source.size);
  try {
    const { fields } = readStruct(footer.subarray(0, length));
    return { ...parseFooter(plain(fields) as ThriftStruct), fields };
  } catch (e) {
    throw parquetInvalid(source.name, e);
  }
}

// Field ids and enum values from parquet-format's parquet.thrift.
const INT32 = 1;
const INT64 = 2;
const CONVERTED_DATE = 6;
const CONVERTED_TIMESTAMP_MILLIS = 9;
const CONVERTED_TIMESTAMP_MICROS = 10;
const LOGICAL_DATE = 6;
const LOGICAL_TIMESTAMP = 8;

const struct = (v: ThriftValue | undefined): ThriftStruct => (v && typeof v === 'object' && !(v instanceof Uint8Array) && !Array.isArray(v) && !(v instanceof Map) ? v : {});
const list = (v: ThriftValue | undefined): ThriftValue[] => (Array.isArray(v) ? v : []);
const text = (v: ThriftValue | undefined): string => (v instanceof Uint8Array ? new TextDecoder().decode(v) : '');
const num = (v: ThriftValue | undefined): number | undefined => (typeof v === 'number' || typeof v === 'bigint' ? Number(v) : undefined);

/** Microseconds per stored unit for a timestamp or date leaf, or undefined for other types. */
function microsPerUnit(element: ThriftStruct): number | undefined {
  const physical = num(element[1]);
  const converted = num(element[6]);
  const logical = struct(element[10]);
  if (physical === INT64) {
    const timestamp = logical[LOGICAL_TIMESTAMP];
    if (timestamp !== undefined) {
      const unit = struct(struct(timestamp)[2]);
      if (unit[1] !== undefined) return 1000;
      if (unit[2] !== undefined) return 1;
      if (unit[3] !== undefined) return 0.001;
    }
    if (converted === CONVERTED_TIMESTAMP_MILLIS) return 1000;
    if (converted === CONVERTED_TIMESTAMP_MICROS) return 1;
  }
  if (physical === INT32 && (converted === CONVERTED_DATE || logical[LOGICAL_DATE] !== undefined)) return 86_400_000_000;
  return undefined;
}

function toMicros(bytes: ThriftValue | undefined, physical: number, scale: number): number | undefined {
  if (!(bytes instanceof Uint8Array)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (physical === INT64 && bytes.length === 8) {
    const v = Number(view.getBigInt64(0, true));
    return scale < 1 ? Math.floor(v * scale) : v * scale;
  }
  if (physical === INT32 && bytes.length === 4) return view.getInt32(0, true) * scale;
  return undefined;
}

function parseFooter(meta: ThriftStruct): Omit<ParquetFooter, 'fields'> {
  const schema = list(meta[2]).map(struct);
  if (schema.length === 0) throw new Error('the footer has no schema');
  const columns: string[] = [];
  const timeLeaves = new Map<string, { physical: number; scale: number }>();
  let i = 1;
  const skipSubtree = (): void => {
    const children = num(schema[i++]?.[5]) ?? 0;
    for (let c = 0; c < children; c++) skipSubtree();
  };
  const count = num(schema[0][5]) ?? 0;
  for (let c = 0; c < count && i < schema.length; c++) {
    const element = schema[i];
    const name = text(element[4]);
    columns.push(name);
    const scale = num(element[5]) ? undefined : microsPerUnit(element);
    if (scale !== undefined) timeLeaves.set(name, { physical: num(element[1])!, scale });
    skipSubtree();
  }

  // Leaf paths → physical types: each column chunk's own type must agree (a flipped type misreads every value).
  const leafTypes = new Map<string, number | undefined>();
  let at = 1;
  const walk = (prefix: string[]): void => {
    const element = schema[at++];
    if (!element) throw new Error('the footer\'s schema has fewer elements than its children counts');
    const path = [...prefix, text(element[4])];
    const children = num(element[5]) ?? 0;
    if (children === 0) leafTypes.set(path.join('\u0000'), num(element[1]));
    for (let c = 0; c < children; c++) walk(path);
  };
  for (let c = 0; c < count; c++) walk([]);
  if (at !== schema.length) throw new Error(`the footer's schema has ${schema.length} elements, its children counts ${at}`);
  const leaves = leafTypes.size;
  const rowGroups = list(meta[4]).map(struct).map((group): RowGroupInfo => {
    const timeRanges = new Map<string, TimeRange>();
    for (const chunk of list(group[1]).map(struct)) {
      const columnMeta = struct(chunk[3]);
      const path = list(columnMeta[3]).map(text);
      const key = path.join('\u0000');
      if (!leafTypes.has(key)) throw new Error(`a column chunk's path ${path.join('.')} is not a column of the schema`);
      if (leafTypes.get(key) !== num(columnMeta[1])) throw new Error(`column ${path.join('.')} has type ${leafTypes.get(key)} in the schema, ${num(columnMeta[1])} in a column chunk`);
      const leaf = path.length === 1 ? timeLeaves.get(path[0]) : undefined;
      if (!leaf) continue;
      const stats = struct(columnMeta[12]);
      const min = toMicros(stats[6] ?? stats[2], leaf.physical, leaf.scale);
      const max = toMicros(stats[5] ?? stats[1], leaf.physical, leaf.scale);
      if (min !== undefined && max !== undefined) timeRanges.set(path[0], { min, max });
    }
    const numRows = num(group[3]);
    if (numRows === undefined || !Number.isSafeInteger(numRows) || numRows < 0) throw new Error(`a row group's row count ${numRows} is not a count`);
    const chunks = list(group[1]).length;
    if (chunks !== leaves) throw new Error(`a row group has ${chunks} column chunks for the schema's ${leaves} columns`);
    return { numRows, timeRanges };
  });
  const total = num(meta[3]);
  const sum = rowGroups.reduce((n, g) => n + g.numRows, 0);
  if (total !== sum) throw new Error(`the footer says ${total} rows, its row groups hold ${sum}`);
  return { columns, rowGroups };
}
