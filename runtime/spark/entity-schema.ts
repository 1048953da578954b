import { existsSync, openAsBlob, statSync } from 'node:fs';
import { DataType, TimeUnit, tableFromIPC, type Schema, type Table } from 'apache-arrow';
import { ParquetFile } from 'parquet-wasm';
import { FeatureStoreError } from '../errors';
import { entityTimestampColumn, EVENT_TIMESTAMP } from '../offline/entity-rows';
import type { SqlDialect } from './dialect';

/** A local Parquet file of entity rows as an empty table of its schema (from the footer); undefined anywhere else. */
async function localSchemaOf(entityUrl: string): Promise<Table | undefined> {
  if (!existsSync(entityUrl) || !statSync(entityUrl).isFile()) return undefined;
  let schemaBytes: Uint8Array;
  try {
    const file = await ParquetFile.fromFile(await openAsBlob(entityUrl));
    schemaBytes = file.schema().intoIPCStream();
    file.free();
  } catch (e) {
    throw new FeatureStoreError('ENTITY_ROWS_INVALID', `${entityUrl} is not a readable Parquet file: ${(e as Error).message}`, 'give a Parquet file of entity rows', { cause: e });
  }
  return tableFromIPC(schemaBytes);
}

/**
 * The entity rows' timestamp column, by the runtime's rule (`event_timestamp`, else
 * the only timestamp column), read from the footer when the entity rows are a local
 * Parquet file. Anywhere else the engine reads them, `event_timestamp` is assumed.
 * `given` (--entity-timestamp-column) wins. For Spark, a local file is also checked
 * for what Spark cannot read.
 */
export async function entityTimestampColumnOf(entityUrl: string, dialect?: SqlDialect, given?: string): Promise<string> {
  const empty = await localSchemaOf(entityUrl);
  if (!empty) return given ?? EVENT_TIMESTAMP;
  if (dialect?.name === 'spark') checkSparkReadable(empty.schema, entityUrl);
  return given ?? entityTimestampColumn(empty);
}

/**
 * Spark 4 fails a job reading a nanosecond Parquet timestamp (PARQUET_TYPE_ILLEGAL,
 * deep in a task), and pandas writes naive datetimes as nanoseconds: say so before
 * submitting, with the fix.
 */
export function checkSparkReadable(schema: Schema, entityUrl: string): void {
  const nanos = schema.fields.filter((f) => DataType.isTimestamp(f.type) && f.type.unit === TimeUnit.NANOSECOND).map((f) => f.name);
  if (nanos.length > 0) {
    throw new FeatureStoreError(
      'ENTITY_ROWS_INVALID',
      `${entityUrl}: ${nanos.map((n) => `"${n}"`).join(', ')} ${nanos.length === 1 ? 'is a' : 'are'} nanosecond timestamp${nanos.length === 1 ? '' : 's'}, which Spark cannot read`,
      "write the entity rows with microsecond timestamps (pandas: df.to_parquet(path, coerce_timestamps='us', allow_truncated_timestamps=True))",
    );
  }
}
