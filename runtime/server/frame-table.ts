import {
  Binary,
  Bool,
  DataType,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  List,
  makeData,
  makeVector,
  Table,
  TimestampMicrosecond,
  Utf8,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { parseTimestamp } from '../arrow/timestamps';
import { FeatureStoreError } from '../errors';
import type { FeatureDtype, PrimitiveType } from '../manifest/schema';
import type { FrameColumn } from './frame-columns';

/** Feast's push `df`: column name → values, all columns of one length. */
export type DataFrameJson = Record<string, unknown[]>;

const INT64_TEXT = /^-?\d{1,19}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function arrowType(type: PrimitiveType | 'EventTime'): DataType {
  switch (type) {
    case 'Int32':
      return new Int32();
    case 'Int64':
      return new Int64();
    case 'Float32':
      return new Float32();
    case 'Float64':
      return new Float64();
    case 'String':
      return new Utf8();
    case 'Bytes':
      return new Binary();
    case 'Bool':
      return new Bool();
    case 'UnixTimestamp':
    case 'EventTime':
      return new TimestampMicrosecond('UTC');
  }
}

function elementType(type: FeatureDtype | 'EventTime'): { list: boolean; scalar: PrimitiveType | 'EventTime' } {
  const m = /^Array\((\w+)\)$/.exec(type);
  return m ? { list: true, scalar: m[1] as PrimitiveType } : { list: false, scalar: type as PrimitiveType | 'EventTime' };
}

const EXPECTED: Record<PrimitiveType | 'EventTime', string> = {
  Int32: 'a 32-bit integer',
  Int64: 'an integer (a number, or a decimal string beyond 2^53)',
  Float32: 'a number',
  Float64: 'a number',
  String: 'a string',
  Bytes: 'a base64 string',
  Bool: 'true or false',
  UnixTimestamp: 'an ISO 8601 timestamp string',
  EventTime: 'an ISO 8601 timestamp string, e.g. "2024-05-01T12:00:00Z"',
};

/**
 * One JSON value → what the Arrow builder takes (timestamps as epoch micros), or
 * undefined when it does not fit the type.
 */
function convertScalar(value: unknown, type: PrimitiveType | 'EventTime', what: string): unknown {
  switch (type) {
    case 'Int32':
      return Number.isInteger(value) && (value as number) >= -2147483648 && (value as number) <= 2147483647 ? value : undefined;
    case 'Int64':
      if (Number.isSafeInteger(value)) return BigInt(value as number);
      if (typeof value === 'string' && INT64_TEXT.test(value)) {
        const big = BigInt(value);
        return big >= -(2n ** 63n) && big < 2n ** 63n ? big : undefined;
      }
      return undefined;
    case 'Float32':
    case 'Float64':
      return typeof value === 'number' ? value : undefined;
    case 'String':
      return typeof value === 'string' ? value : undefined;
    case 'Bytes':
      return typeof value === 'string' && value.length % 4 === 0 && BASE64.test(value) ? new Uint8Array(Buffer.from(value, 'base64')) : undefined;
    case 'Bool':
      return typeof value === 'boolean' ? value : undefined;
    case 'UnixTimestamp':
    case 'EventTime':
      return typeof value === 'string' ? parseTimestamp(value, what) : undefined;
  }
}

function invalid(column: FrameColumn, row: number, value: unknown, expected: string): FeatureStoreError {
  const shown = JSON.stringify(value)?.slice(0, 60) ?? String(value);
  return new FeatureStoreError(
    'REQUEST_INVALID',
    `df column "${column.name}", row ${row + 1}: ${shown} is not ${expected}`,
    `column "${column.name}" has type ${column.type === 'EventTime' ? 'timestamp' : column.type}; send ${expected}${column.nullable ? ' or null' : ''}`,
  );
}

/** Epoch microseconds → a timestamp[us, UTC] vector without losing sub-millisecond digits. */
function timestampVector(micros: (number | null)[]): Vector {
  const values = new BigInt64Array(micros.length);
  const validity = new Uint8Array(Math.ceil(micros.length / 8));
  let nullCount = 0;
  micros.forEach((m, i) => {
    if (m === null) nullCount++;
    else {
      values[i] = BigInt(m);
      validity[i >> 3] |= 1 << (i & 7);
    }
  });
  const type = new TimestampMicrosecond('UTC');
  return makeVector(makeData({ type, length: micros.length, nullCount, nullBitmap: nullCount ? validity : null, data: values }));
}

function columnVector(column: FrameColumn, values: readonly unknown[]): Vector {
  const { list, scalar } = elementType(column.type);
  const converted = values.map((value, row) => {
    if (value === null || value === undefined) {
      if (!column.nullable) throw invalid(column, row, value, `null: this column needs a value in every row`);
      return null;
    }
    const what = `df column "${column.name}", row ${row + 1}`;
    if (list) {
      if (!Array.isArray(value)) throw invalid(column, row, value, `a list of ${EXPECTED[scalar]}`);
      return value.map((item) => {
        if (item === null) return null;
        const v = convertScalar(item, scalar, what);
        if (v === undefined) throw invalid(column, row, item, EXPECTED[scalar]);
        // Arrow's list builder takes timestamps in milliseconds.
        return scalar === 'UnixTimestamp' ? Math.round((v as number) / 1000) : v;
      });
    }
    const v = convertScalar(value, scalar, what);
    if (v === undefined) throw invalid(column, row, value, EXPECTED[scalar]);
    return v;
  });
  if (!list && (scalar === 'EventTime' || scalar === 'UnixTimestamp')) return timestampVector(converted as (number | null)[]);
  const type = list ? new List(new Field('item', arrowType(scalar), true)) : arrowType(scalar);
  return vectorFromArray(converted, type);
}

/**
 * Checks a Feast `df` against the columns a write needs (names, equal lengths,
 * each value's type) and converts it into an Arrow table with those columns in
 * that order. Nothing is written before this succeeds, so a bad frame changes nothing.
 */
export function frameToTable(df: DataFrameJson, columns: readonly FrameColumn[], now: number = Date.now() * 1000): Table {
  const known = new Set(columns.map((c) => c.name));
  const unknown = Object.keys(df).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new FeatureStoreError(
      'REQUEST_INVALID',
      `df has columns this write does not use: ${unknown.join(', ')}`,
      `send exactly these columns: ${columns.map((c) => c.name).join(', ')}`,
    );
  }
  const missing = columns.filter((c) => !c.optional && !Object.hasOwn(df, c.name)).map((c) => c.name);
  if (missing.length > 0) {
    throw new FeatureStoreError('REQUEST_INVALID', `df lacks columns: ${missing.join(', ')}`, `send these columns: ${columns.map((c) => c.name).join(', ')}`);
  }
  const lengths = new Set(Object.values(df).map((values) => values.length));
  if (lengths.size !== 1) {
    const shown = Object.entries(df).map(([name, values]) => `${name}: ${values.length}`).join(', ');
    throw new FeatureStoreError('REQUEST_INVALID', `df columns have different lengths (${shown})`, 'send the same number of values in every column');
  }
  const rows = lengths.values().next().value as number;
  if (rows === 0) throw new FeatureStoreError('REQUEST_INVALID', 'df has no rows', 'send at least one row');
  const vectors: Record<string, Vector> = {};
  for (const column of columns) {
    // A missing created timestamp is the write time: when the row was created.
    vectors[column.name] = Object.hasOwn(df, column.name) ? columnVector(column, df[column.name]) : timestampVector(new Array(rows).fill(now));
  }
  return new Table(vectors);
}
