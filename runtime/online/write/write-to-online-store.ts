/**
 * Writes rows handed in by a caller (the feature server's /push and
 * /write-to-online-store) straight to the online store, latest row per entity key,
 * never over a newer value. Every row is checked before anything is written.
 */
import { Table } from 'apache-arrow';
import type { StoreContext } from '../../context';
import type { WriteResult, WriteToOnlineStoreRequest } from '../types';
import { LatestRows } from './latest-rows';
import { batchSourceOf } from './materialize';
import { arrowRowBatch, columnNames, jsonColumnNames, jsonRowBatch, matchColumns, type RowBatch } from './row-batch';
import { writeLatestRows } from './write-rows';
import { eventColumnNames, pushTiles } from '../../aggregations/online-write';

export async function writeToOnlineStore(ctx: StoreContext, request: WriteToOnlineStoreRequest): Promise<WriteResult> {
  const store = await ctx.onlineStore();
  const codec = store.codecs.view(request.featureView);
  const source = batchSourceOf(ctx.manifest, codec.view);
  const names = codec.view.aggregation ? eventColumnNames(codec.view, source, codec) : columnNames(codec.view, source, codec.entityKey);
  const what = `rows for feature view "${codec.view.name}"`;
  let batch: RowBatch;
  if (request.rows instanceof Table) {
    batch = arrowRowBatch(request.rows, matchColumns(names, request.rows.schema.fields.map((f) => f.name), what), what);
  } else {
    const columns = request.rows;
    batch = jsonRowBatch(columns, matchColumns(names, jsonColumnNames(columns, what), what), what);
  }
  // An aggregation view adds the events into its tiles.
  if (codec.view.aggregation) return pushTiles(store, codec, batch);
  const latest = new LatestRows(codec.entityKey);
  latest.offer(batch);
  const rows = [...latest.rows()];
  // Decode every value before the first write, so bad input writes nothing.
  for (const r of rows) for (const read of r.batch.features) read(r.row);
  const written = await writeLatestRows(store, codec, rows);
  return { rows: rows.length, written };
}
