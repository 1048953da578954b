/**
 * Encodes the latest rows of a view in the store's layout and writes them in batches,
 * a few batches in flight, each compared and written atomically by the store.
 */
import type { ViewCodec } from '../codecs';
import { NO_CREATED_TIME } from '../compact/record';
import { encodeFeastTimestamp, encodeFeastValue } from '../feast/value-proto';
import type { HashWrite, OnlineStore } from '../online-store';
import { PackedRecords } from '../packed-records';
import type { JoinValue } from '../entity-key';
import type { FeatureValue } from '../values';
import type { LatestRow } from './latest-rows';
import { vectorSync } from '../vector/vector-sync';

/** Rows per store call: big enough to amortize the round trip, small enough not to stall Redis. */
const BATCH_ROWS = { compact: 2000, feast: 500 } as const;
const IN_FLIGHT = 4;

function featureValues(r: LatestRow) {
  return r.batch.features.map((read) => read(r.row));
}

function writeBatch(store: OnlineStore, codec: ViewCodec, rows: readonly LatestRow[]): Promise<number> {
  if (store.codecs.layout === 'compact') {
    const packed = new PackedRecords(codec, rows.length);
    const values: FeatureValue[] = new Array(codec.view.features.length);
    const keyValues: JoinValue[] = new Array(codec.entityKey.sortedKeys.length);
    for (const r of rows) {
      const { features, keys } = r.batch;
      for (let f = 0; f < features.length; f++) values[f] = features[f](r.row);
      // The key values were read once already (latest-rows.ts checked them): they are not null.
      for (let k = 0; k < keys.length; k++) keyValues[k] = keys[k](r.row)!;
      packed.add(keyValues, r.event, r.created === -Infinity ? NO_CREATED_TIME : r.created, values);
    }
    return store.writeRecords(packed.finish());
  }
  const dtypes = codec.view.features.map((f) => f.dtype);
  const write: HashWrite = {
    timestampField: codec.timestampField,
    fields: codec.featureFields,
    rows: rows.map((r) => ({
      key: codec.storeKey(r.entityKey),
      timestamp: encodeFeastTimestamp(r.event),
      seconds: Math.floor(r.event / 1_000_000),
      values: featureValues(r).map((v, i) => encodeFeastValue(dtypes[i], v)),
    })),
  };
  return store.writeHashes(write);
}

/**
 * Writes `rows`; `onWritten(rowsSoFar)` runs after each batch and may throw to stop
 * (batches already sent finish first). Resolves to the number of keys written.
 */
export async function writeLatestRows(
  store: OnlineStore,
  codec: ViewCodec,
  rows: readonly LatestRow[],
  onWritten?: (rowsSoFar: number) => void,
): Promise<number> {
  const vectors = vectorSync(store, codec, rows);
  // The index must be servable before the first record goes: otherwise records would be written without it.
  if (vectors) await vectors.ready();
  const size = BATCH_ROWS[store.codecs.layout];
  const inFlight = new Set<Promise<void>>();
  let done = 0;
  let written = 0;
  let failure: { error: unknown } | null = null;
  for (let start = 0; start < rows.length && !failure; start += size) {
    const chunk = rows.slice(start, start + size);
    const task = writeBatch(store, codec, chunk)
      .then((n) => (vectors ? vectors.write(chunk).then(() => n) : n))
      .then((n) => {
        written += n;
        done += chunk.length;
        onWritten?.(done);
      })
      .catch((error) => {
        failure ??= { error };
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw (failure as { error: unknown }).error;
  return written;
}
