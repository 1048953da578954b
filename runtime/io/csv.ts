/**
 * CSV ↔ Arrow tables. Reading types each column from its values (integers → Int64,
 * numbers → Float64, true/false → Bool, ISO 8601 → Timestamp(us, UTC), else
 * String) unless the caller names its type. An empty unquoted field is null; `""`
 * is an empty string.
 */
import { DataType, makeVector, Precision, Table, vectorFromArray, type Vector } from 'apache-arrow';
import { formatTimestamp, parseTimestamp } from '../arrow/timestamps';
import { FeatureStoreError } from '../errors';
import type { PrimitiveType } from '../manifest/schema';
import { arrowTypeOf, timestampData } from '../offline/dtypes';

/** Splits CSV text into rows of fields (RFC 4180 quoting); null marks an empty unquoted field. */
export function parseCsvRows(text: string, name: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    let value: string | null;
    if (text[i] === '"') {
      let out = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new FeatureStoreError('ENTITY_ROWS_INVALID', `${name}: a quoted field is not closed (row ${rows.length + 1})`, 'close the quote; write a quote inside a field as ""');
        out += text.slice(i, q);
        if (text[q + 1] === '"') {
          out += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      value = out;
    } else {
      let j = i;
      while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') j++;
      value = j === i ? null : text.slice(i, j);
      i = j;
    }
    row.push(value);
    if (text[i] === ',') {
      i++;
      if (i === n) row.push(null);
      continue;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    rows.push(row);
    row = [];
  }
  return rows;
}

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(Infinity|NaN)$/;
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

/** The type a column's values suggest. */
function inferType(values: readonly (string | null)[]): PrimitiveType {
  const present = values.filter((v): v is string => v !== null);
  if (present.length === 0) return 'String';
  if (present.every((v) => INTEGER.test(v))) return 'Int64';
  if (present.every((v) => NUMBER.test(v))) return 'Float64';
  if (present.every((v) => v === 'true' || v === 'false')) return 'Bool';
  if (present.every((v) => DATE_LIKE.test(v))) return 'UnixTimestamp';
  return 'String';
}

function toVector(values: readonly (string | null)[], type: PrimitiveType, what: string): Vector {
  const fail = (v: string) =>
    new FeatureStoreError('ENTITY_ROWS_INVALID', `${what}: "${v}" is not a valid ${type} value`, `write ${type} values in this column, or leave the field empty for null`);
  switch (type) {
    case 'Int32':
    case 'Int64':
    case 'Float32':
    case 'Float64': {
      const integer = type === 'Int32' || type === 'Int64';
      const parsed = values.map((v) => {
        if (v === null) return null;
        if (!(integer ? INTEGER : NUMBER).test(v)) throw fail(v);
        return type === 'Int64' ? BigInt(v) : Number(v);
      });
      return vectorFromArray(parsed, arrowTypeOf(type) as DataType);
    }
    case 'Bool':
      return vectorFromArray(
        values.map((v) => {
          if (v !== null && v !== 'true' && v !== 'false') throw fail(v);
          return v === null ? null : v === 'true';
        }),
        arrowTypeOf(type) as DataType,
      );
    case 'UnixTimestamp':
      return makeVector(timestampData(Float64Array.from(values, (v, i) => (v === null ? NaN : parseTimestamp(v, `${what}, row ${i + 1}`)))));
    case 'Bytes':
      return vectorFromArray(values.map((v) => (v === null ? null : Buffer.from(v, 'base64'))), arrowTypeOf(type) as DataType);
    case 'String':
      return vectorFromArray(values as (string | null)[], arrowTypeOf(type) as DataType);
  }
}

export interface CsvReadOptions {
  /** Column name → type, for columns whose values alone are ambiguous (e.g. "0042" ids). */
  readonly columnTypes?: Readonly<Record<string, PrimitiveType>>;
}

/** Parses CSV text with a header row into a table. */
export function csvToTable(text: string, name: string, options: CsvReadOptions = {}): Table {
  const rows = parseCsvRows(text, name);
  if (rows.length === 0) throw new FeatureStoreError('ENTITY_ROWS_INVALID', `${name} is empty`, 'the first line must name the columns');
  const header = rows[0].map((h, i) => h ?? `column_${i + 1}`);
  const body = rows.slice(1).filter((r) => !(r.length === 1 && r[0] === null));
  body.forEach((r, i) => {
    if (r.length !== header.length) {
      throw new FeatureStoreError('ENTITY_ROWS_INVALID', `${name}: row ${i + 2} has ${r.length} fields, the header has ${header.length}`, 'quote fields that contain commas');
    }
  });
  const columns: Record<string, Vector> = {};
  header.forEach((column, c) => {
    const values = body.map((r) => r[c]);
    const type = options.columnTypes?.[column] ?? inferType(values);
    columns[column] = toVector(values, type, `${name}, column "${column}"`);
  });
  return new Table(columns);
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) || text === '' ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A cell as CSV text: timestamps in ISO 8601 UTC, bytes in base64, lists as JSON. */
function cellFormatter(type: DataType): (value: unknown) => string {
  if (DataType.isTimestamp(type)) {
    // Arrow JS returns timestamps as epoch milliseconds (fractional below a millisecond).
    return (v) => formatTimestamp(Math.round((v as number) * 1000));
  }
  if (DataType.isDate(type)) return (v) => formatTimestamp((v as number) * 1000).slice(0, 10);
  if (DataType.isBinary(type) || DataType.isLargeBinary(type) || DataType.isFixedSizeBinary(type)) return (v) => Buffer.from(v as Uint8Array).toString('base64');
  if (DataType.isList(type) || DataType.isLargeList(type) || DataType.isFixedSizeList(type)) {
    return (v) => JSON.stringify(Array.from((v as Vector).toArray() as ArrayLike<unknown>, (x) => (typeof x === 'bigint' ? Number(x) : x)));
  }
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type) || DataType.isDictionary(type)) return (v) => quote(String(v));
  if (DataType.isFloat(type) && type.precision === Precision.SINGLE) return (v) => float32Text(v as number);
  return (v) => String(v);
}

/** The shortest decimal that reads back as the same 32-bit float (0.2, not 0.20000000298023224). */
function float32Text(v: number): string {
  for (let digits = 1; digits < 9; digits++) {
    const text = Number(v.toPrecision(digits));
    if (Math.fround(text) === v) return String(text);
  }
  return String(v);
}

/** Formats a table as CSV text with a header row. */
export function tableToCsv(table: Table): string {
  const fields = table.schema.fields;
  const lines: string[] = [fields.map((f) => quote(f.name)).join(',')];
  const columns = fields.map((f) => ({ vector: table.getChild(f.name)!, format: cellFormatter(f.type) }));
  for (let r = 0; r < table.numRows; r++) {
    lines.push(
      columns
        .map(({ vector, format }) => {
          const v = vector.get(r);
          return v === null || v === undefined ? '' : format(v);
        })
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}
