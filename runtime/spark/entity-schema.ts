import { existsSync, openAsBlob, statSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { ParquetFile } from 'parquet-wasm';
import { FeatureStoreError } from '../errors';
import { entityTimestampColumn, EVENT_TIMESTAMP } from '../offline/entity-rows';

/**
 * The entity rows' timestamp column, by the runtime's rule (`event_timestamp`, else
 * the only timestamp column), read from the footer when the entity rows are a local
 * Parquet file. Anywhere else the engine reads them, `event_timestamp` is assumed.
 */
export async function entityTimestampColumnOf(entityUrl: string): Promise<string> {
  if (!existsSync(entityUrl) || !statSync(entityUrl).isFile()) return EVENT_TIMESTAMP;
  let schemaBytes: Uint8Array;
  try {
    const file = await ParquetFile.fromFile(await openAsBlob(entityUrl));
    schemaBytes = file.schema().intoIPCStream();
    file.free();
  } catch (e) {
    throw new FeatureStoreError('ENTITY_ROWS_INVALID', `${entityUrl} is not a readable Parquet file: ${(e as Error).message}`, 'give a Parquet file of entity rows', { cause: e });
  }
  return entityTimestampColumn(tableFromIPC(schemaBytes));
}
