/** The entity rows of a training-set request: their timestamp column and key columns. */
import { DataType, type Data, type Table } from 'apache-arrow';
import { timestampColumnToMicros } from '../arrow/timestamps';
import { FeatureStoreError } from '../errors';
import type { ResolvedProjection } from '../manifest/features';
import { dtypeAccepts } from './dtypes';

export const EVENT_TIMESTAMP = 'event_timestamp';

/** `event_timestamp` if present, else the single timestamp (or date) column. */
export function entityTimestampColumn(entities: Table): string {
  const names = entities.schema.fields.map((f) => f.name);
  if (names.includes(EVENT_TIMESTAMP)) return EVENT_TIMESTAMP;
  const candidates = entities.schema.fields.filter((f) => DataType.isTimestamp(f.type) || DataType.isDate(f.type)).map((f) => f.name);
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    throw new FeatureStoreError(
      'ENTITY_ROWS_INVALID',
      `entity rows have no timestamp column (columns: ${names.join(', ') || 'none'})`,
      `add an "${EVENT_TIMESTAMP}" column holding each row's point in time (ISO 8601 in CSV; no zone means UTC)`,
    );
  }
  throw new FeatureStoreError(
    'ENTITY_ROWS_INVALID',
    `entity rows have several timestamp columns (${candidates.join(', ')}) and none is named "${EVENT_TIMESTAMP}"`,
    `rename the one that gives each row's point in time to "${EVENT_TIMESTAMP}"`,
  );
}

/** Entity timestamps as epoch micros (NaN for null). */
export function entityTimes(entities: Table, column: string): Float64Array {
  return timestampColumnToMicros(entities.getChild(column)!, `entity rows, column "${column}"`);
}

/**
 * Checks that the entity rows hold every join key the projections read, with a
 * compatible type.
 */
export function checkEntityKeys(entities: Table, projections: readonly ResolvedProjection[]): void {
  for (const p of projections) {
    for (const key of p.joinKeys) {
      const field = entities.schema.fields.find((f) => f.name === key.column);
      if (!field) {
        throw new FeatureStoreError(
          'ENTITY_ROWS_INVALID',
          `entity rows have no column "${key.column}" (join key "${key.name}" of feature view "${p.view.name}")`,
          key.column === key.name
            ? `add a "${key.name}" column to the entity rows, or map the join key to another column with withJoinKeyMap`
            : `add a "${key.column}" column to the entity rows (the feature service maps "${key.name}" to it)`,
        );
      }
      if (!dtypeAccepts(key.valueType, field.type)) {
        throw new FeatureStoreError(
          'ENTITY_ROWS_INVALID',
          `entity rows: column "${key.column}" is ${String(field.type)}, but join key "${key.name}" of feature view "${p.view.name}" is ${key.valueType}`,
          `give the column ${key.valueType} values (in a CSV file, a column is typed from its values)`,
        );
      }
    }
  }
}

/** The chunks of `columns`, one list per record batch of the table, with its row count. */
export function chunksByBatch(entities: Table, columns: readonly string[]): { length: number; chunks: Data[] }[] {
  return entities.batches.map((batch) => ({ length: batch.numRows, chunks: columns.map((c) => batch.getChild(c)!.data[0]) }));
}
