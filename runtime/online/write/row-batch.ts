/**
 * Rows of one view to write online, from Arrow (the lake, or a table handed in) or
 * from JSON columns (the feature server's push): per row its join key values, event
 * and created times, and feature values in schema order.
 */
import { DataType, Precision, type RecordBatch, type Table, type Vector } from 'apache-arrow';
import { timestampColumnToMicros } from '../../arrow/timestamps';
import { FeatureStoreError } from '../../errors';
import type { BatchSourceSpec, FeatureDtype, FeatureViewSpec, JoinKeyType, PrimitiveType } from '../../manifest/schema';
import { validityOf } from '../../offline/arrow-access';
import { dtypeAccepts } from '../../offline/dtypes';
import { joinValueFromJson, type EntityKeyCodec, type JoinValue } from '../entity-key';
import { elementType, timestampFromJson, valueFromJson, type FeatureValue, type ScalarValue } from '../values';

export interface RowBatch {
  readonly length: number;
  /** A reader per join key, in serialization order; null for a missing value. */
  readonly keys: readonly ((row: number) => JoinValue | null)[];
  /** Event time per row, epoch µs (NaN when missing). */
  readonly event: Float64Array;
  /** Created time per row, epoch µs, or null when the source has none. */
  readonly created: Float64Array | null;
  /** A reader per feature, in schema order. */
  readonly features: readonly ((row: number) => FeatureValue)[];
}

/** The view's names → the source's data column names (the inverse of `fieldMapping`). */
export interface ColumnNames {
  /** Per join key, in serialization order. */
  readonly keys: readonly { readonly name: string; readonly column: string; readonly type: JoinKeyType }[];
  /** `column` is null for a feature the rows do not carry (written null). */
  readonly features: readonly { readonly name: string; readonly column: string | null; readonly dtype: FeatureDtype }[];
  readonly timestamp: { readonly name: string; readonly column: string };
  readonly created: { readonly name: string; readonly column: string } | null;
}

export function columnNames(view: FeatureViewSpec, source: BatchSourceSpec, entityKey: EntityKeyCodec): ColumnNames {
  const reverse = new Map(Object.entries(source.fieldMapping).map(([data, name]) => [name, data]));
  const col = (name: string) => ({ name, column: reverse.get(name) ?? name });
  return {
    keys: view.joinKeys.length === 0 ? [] : entityKey.sortedKeys.map((k) => ({ ...col(k.name), type: k.valueType })),
    features: view.features.map((f) => ({ ...col(f.name), dtype: f.dtype })),
    timestamp: col(source.timestampField),
    created: source.createdTimestampColumn ? col(source.createdTimestampColumn) : null,
  };
}

/** Every data column to read from the lake. */
export function dataColumns(names: ColumnNames): string[] {
  const all = [...names.keys.map((k) => k.column), ...names.features.map((f) => f.column ?? f.name), names.timestamp.column];
  if (names.created) all.push(names.created.column);
  return [...new Set(all)];
}

/**
 * Matches the names to the columns rows carry, named as in the view or as in the
 * source data (the event time may also be \`event_timestamp\`). Join keys and the
 * event time are required; a missing feature reads null.
 */
export function matchColumns(names: ColumnNames, available: readonly string[], what: string): ColumnNames {
  const have = new Set(available);
  const pick = (c: { name: string; column: string | null }, extra: string[] = []) =>
    [c.name, c.column, ...extra].find((n): n is string => n !== null && have.has(n)) ?? null;
  const required = <T extends { name: string; column: string }>(c: T, extra: string[] = []): T => {
    const column = pick(c, extra);
    if (column === null) {
      throw new FeatureStoreError('REQUEST_INVALID', `${what}: column "${c.name}" is missing`, `send the join keys, the features and "${c.name}" as columns (it has: ${available.join(', ') || 'none'})`);
    }
    return { ...c, column };
  };
  const created = names.created ? pick(names.created) : null;
  return {
    keys: names.keys.map((k) => required(k)),
    features: names.features.map((f) => ({ ...f, column: pick(f) })),
    timestamp: required(names.timestamp, ['event_timestamp']),
    created: created === null ? null : { name: names.created!.name, column: created },
  };
}

const ENTITY_LESS: RowBatch['keys'] = [() => ''];

function int64Number(v: unknown): number | bigint {
  if (typeof v !== 'bigint') return Number(v);
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

function arrowScalar(type: PrimitiveType, v: unknown): ScalarValue {
  switch (type) {
    case 'Int64':
      return int64Number(v);
    case 'Int32':
    case 'Float32':
    case 'Float64':
      return Number(v);
    default:
      return v as ScalarValue;
  }
}

function checkType(vector: Vector, dtype: FeatureDtype | JoinKeyType, what: string): void {
  if (!dtypeAccepts(dtype, vector.type)) {
    throw new FeatureStoreError('SOURCE_INVALID', `${what} has type ${String(vector.type)}, which cannot hold ${dtype}`, 'fix the data, or the declared type in the feature definitions');
  }
}

/** Numbers straight from a single-chunk float or 32-bit integer column, without Arrow's per-row `get`. */
function numericReader(vector: Vector, type: PrimitiveType): ((row: number) => number | null) | null {
  const numeric = type === 'Float64' || type === 'Float32' || type === 'Int32';
  const t = vector.type;
  const plain = DataType.isFloat(t) ? t.precision !== Precision.HALF : DataType.isInt(t) && t.bitWidth <= 32;
  if (!numeric || !plain || vector.data.length !== 1) return null;
  const data = vector.data[0];
  const values = data.values as Float64Array | Float32Array | Int32Array;
  const valid = validityOf(data);
  return valid ? (row) => (valid(row) ? values[row] : null) : (row) => values[row];
}

/** A reader of an Arrow column as `dtype` values (null where invalid). */
function arrowReader(vector: Vector, dtype: FeatureDtype, what: string): (row: number) => FeatureValue {
  checkType(vector, dtype, what);
  if (dtype === 'UnixTimestamp') {
    const micros = timestampColumnToMicros(vector, what);
    return (row) => (Number.isNaN(micros[row]) ? null : micros[row]);
  }
  const element = elementType(dtype);
  if (!element) {
    const type = dtype as PrimitiveType;
    const direct = numericReader(vector, type);
    if (direct) return direct;
    return (row) => {
      const v = vector.get(row);
      return v === null ? null : arrowScalar(type, v);
    };
  }
  return (row) => {
    const list = vector.get(row) as Vector | null;
    if (list === null) return null;
    const items = element === 'UnixTimestamp' ? Array.from(timestampColumnToMicros(list, what)) : list.toArray();
    const out: ScalarValue[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      if (items[i] === null || Number.isNaN(items[i])) {
        throw new FeatureStoreError('SOURCE_INVALID', `${what}, row ${row + 1}: a list holds a null`, 'online lists cannot hold nulls (as in Feast); drop or fill them');
      }
      out[i] = arrowScalar(element, items[i]);
    }
    return out;
  };
}

function arrowColumn(table: RecordBatch | Table, column: string, what: string): Vector {
  const vector = table.getChild(column);
  if (!vector) {
    const have = table.schema.fields.map((f) => f.name).join(', ');
    throw new FeatureStoreError('SOURCE_INVALID', `${what}: column "${column}" is missing`, `the data has: ${have}`);
  }
  return vector;
}

/** Rows from an Arrow batch whose columns are named as in the source data. */
export function arrowRowBatch(table: RecordBatch | Table, names: ColumnNames, what: string): RowBatch {
  const column = (c: string) => arrowColumn(table, c, what);
  return {
    length: table.numRows,
    keys:
      names.keys.length === 0
        ? ENTITY_LESS
        : names.keys.map((k) => arrowReader(column(k.column), k.type, `${what}, join key "${k.column}"`) as (row: number) => JoinValue | null),
    event: timestampColumnToMicros(column(names.timestamp.column), `${what}, column "${names.timestamp.column}"`),
    created: names.created ? timestampColumnToMicros(column(names.created.column), `${what}, column "${names.created.column}"`) : null,
    features: names.features.map((f) => (f.column === null ? () => null : arrowReader(column(f.column), f.dtype, `${what}, column "${f.column}"`))),
  };
}

/** Rows from JSON columns (`{ column: values[] }`, as Feast's `df`), with names from `matchColumns`. */
export function jsonRowBatch(columns: Readonly<Record<string, readonly unknown[]>>, names: ColumnNames, what: string): RowBatch {
  const length = Object.values(columns)[0]?.length ?? 0;
  const times = (column: string) =>
    Float64Array.from(columns[column], (v, i) => (v === null || v === undefined ? NaN : timestampFromJson(v, `${what}, "${column}" row ${i + 1}`)));
  return {
    length,
    keys:
      names.keys.length === 0
        ? ENTITY_LESS
        : names.keys.map((k) => {
            const values = columns[k.column];
            return (row: number) => (values[row] === null || values[row] === undefined ? null : joinValueFromJson(k.type, values[row], `${what}, "${k.column}" row ${row + 1}`));
          }),
    event: times(names.timestamp.column),
    created: names.created ? times(names.created.column) : null,
    features: names.features.map((f) => {
      if (f.column === null) return () => null;
      const values = columns[f.column];
      return (row: number) => valueFromJson(f.dtype, values[row], `${what}, "${f.column}" row ${row + 1}`);
    }),
  };
}

/** Checks JSON columns are lists of one length; returns their names. */
export function jsonColumnNames(columns: Readonly<Record<string, readonly unknown[]>>, what: string): string[] {
  const names = Object.keys(columns);
  const lengths = new Set(names.map((n) => (Array.isArray(columns[n]) ? columns[n].length : -1)));
  if (lengths.has(-1) || lengths.size > 1) {
    throw new FeatureStoreError('REQUEST_INVALID', `${what}: columns must be lists of equal length`, 'send the rows as { "column": [v1, v2, ...], ... }');
  }
  return names;
}
