import { makeData, makeVector, Table, TimestampMicrosecond, vectorFromArray, type Vector } from 'apache-arrow';
import { FeatureStoreError } from '../errors';
import type { PrimitiveType } from '../manifest/schema';
import { arrowTypeOf } from '../offline/dtypes';
import { checkExactInteger, elementType, timestampFromJson, valueFromJson, type ScalarValue } from '../online/values';
import type { FrameColumn } from './frame-columns';

/** Feast's push `df`: column name → values, all columns of one length. */
export type DataFrameJson = Record<string, unknown[]>;

/** An online-path value → what Arrow's builders take for `type` (Int64 as bigint, timestamps in ms). */
function builderInput(type: PrimitiveType, value: ScalarValue): unknown {
  if (type === 'Int64') return BigInt(value as number | bigint);
  if (type === 'UnixTimestamp') return Math.round((value as number) / 1000);
  return value;
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
  const what = (row: number) => `df column "${column.name}", row ${row + 1}`;
  const nullAt = (row: number): null => {
    if (column.nullable) return null;
    throw new FeatureStoreError('REQUEST_INVALID', `${what(row)}: null, but this column needs a value in every row`, `send a value for "${column.name}" in every row`);
  };
  // Values are read as the online path reads them (valueFromJson), so /push and
  // /write-to-online-store accept exactly what the online store does.
  if (column.type === 'EventTime' || column.type === 'UnixTimestamp') {
    return timestampVector(values.map((v, row) => (v === null || v === undefined ? nullAt(row) : timestampFromJson(v, what(row)))));
  }
  const dtype = column.type;
  const element = elementType(dtype);
  // Join keys (the columns that need a value) must be the entity meant, not a double's neighbour of it.
  const exactKey = !column.nullable && dtype === 'Int64';
  const converted = values.map((v, row) => {
    if (v === null || v === undefined) return nullAt(row);
    if (exactKey) checkExactInteger(v, what(row));
    const value = valueFromJson(dtype, v, what(row)) as ScalarValue | ScalarValue[];
    return element ? (value as ScalarValue[]).map((item) => builderInput(element, item)) : builderInput(dtype as PrimitiveType, value as ScalarValue);
  });
  return vectorFromArray(converted, arrowTypeOf(dtype));
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
