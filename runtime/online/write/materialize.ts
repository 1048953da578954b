/**
 * Materialization: per online view, the latest row per entity key in the window is
 * read from the lake and written online (never over a newer value); the view's
 * watermark moves to the window's end only after its rows are written, so a run
 * stopped midway loses nothing and a re-run is idempotent.
 */
import { formatTimestamp, toMicros } from '../../arrow/timestamps';
import type { StoreContext } from '../../context';
import { FeatureStoreError } from '../../errors';
import type { BatchSourceSpec, FeatureViewSpec, Manifest } from '../../manifest/schema';
import type { ViewCodec } from '../codecs';
import type { OnlineStore } from '../online-store';
import type { MaterializedView, MaterializeIncrementalRequest, MaterializeOptions, MaterializeRequest, MaterializeResult } from '../types';
import { LatestRows } from './latest-rows';
import { arrowRowBatch, columnNames, dataColumns } from './row-batch';
import { writeLatestRows } from './write-rows';
import { materializeTiles } from '../../aggregations/online-write';

const WEEK_MICROS = 7 * 24 * 3600 * 1_000_000;

export function batchSourceOf(manifest: Manifest, view: FeatureViewSpec): BatchSourceSpec {
  const source = manifest.dataSources.find((s) => s.name === view.batchSource);
  if (!source || source.kind !== 'batch') {
    throw new FeatureStoreError('MANIFEST_INVALID', `feature view "${view.name}" names batch source "${view.batchSource}", which is not a batch source in the manifest`, 'synthesize the registry again');
  }
  return source;
}

function chosenViews(store: OnlineStore, views: readonly string[] | undefined): ViewCodec[] {
  return views === undefined ? store.codecs.onlineViews() : [...new Set(views)].map((name) => store.codecs.view(name));
}

function rate(rows: number, since: number): number {
  const seconds = (performance.now() - since) / 1000;
  return seconds > 0 ? Math.round(rows / seconds) : 0;
}

async function materializeView(ctx: StoreContext, store: OnlineStore, codec: ViewCodec, start: number, end: number, options: MaterializeOptions): Promise<MaterializedView> {
  const { view } = codec;
  const source = batchSourceOf(ctx.manifest, view);
  if (view.aggregation) return materializeTiles(ctx, store, codec, source, start, end, options);
  const names = columnNames(view, source, codec.entityKey);
  const latest = new LatestRows(codec.entityKey, start, end);
  const progress = options.onProgress;
  const what = `source "${source.name}" of feature view "${view.name}"`;

  let rowsRead = 0;
  const readStart = performance.now();
  const batches = ctx.lakeReader(source.lake).read(
    { filesystem: source.filesystem, path: source.path },
    { columns: dataColumns(names), timestampColumn: names.timestamp.column, startMicros: start, endMicros: end },
  );
  for await (const batch of batches) {
    latest.offer(arrowRowBatch(batch, names, what));
    rowsRead += batch.numRows;
    progress?.({ view: view.name, phase: 'reading', rows: rowsRead, rowsPerSecond: rate(rowsRead, readStart) });
  }

  const rows = [...latest.rows()];
  const writeStart = performance.now();
  await writeLatestRows(store, codec, rows, (done) =>
    progress?.({ view: view.name, phase: 'writing', rows: done, totalRows: rows.length, rowsPerSecond: rate(done, writeStart) }),
  );
  await store.advanceWatermark(view.name, end);
  return { name: view.name, rows: rows.length, rowsRead, start: formatTimestamp(start), end: formatTimestamp(end) };
}

export async function materialize(ctx: StoreContext, request: MaterializeRequest): Promise<MaterializeResult> {
  const start = toMicros(request.start, 'materialize start');
  const end = toMicros(request.end, 'materialize end');
  if (start > end) {
    throw new FeatureStoreError('TIMESTAMP_INVALID', `materialize start ${formatTimestamp(start)} is after its end ${formatTimestamp(end)}`, 'swap them: materialize <start> <end>');
  }
  const store = await ctx.onlineStore();
  const views: MaterializedView[] = [];
  for (const codec of chosenViews(store, request.views)) views.push(await materializeView(ctx, store, codec, start, end, request));
  return { views };
}

export async function materializeIncremental(ctx: StoreContext, request: MaterializeIncrementalRequest): Promise<MaterializeResult> {
  const end = toMicros(request.end, 'materialize-incremental end');
  const now = Date.now() * 1000;
  if (end > now) {
    throw new FeatureStoreError('TIMESTAMP_INVALID', `materialize-incremental end ${formatTimestamp(end)} is in the future`, `give a time up to now (${formatTimestamp(now)})`);
  }
  const store = await ctx.onlineStore();
  const codecs = chosenViews(store, request.views);
  const watermarks = await store.readWatermarks();
  const views: MaterializedView[] = [];
  for (const codec of codecs) {
    const ttl = codec.view.ttlSeconds * 1_000_000;
    const start = watermarks.get(codec.view.name) ?? end - (ttl > 0 ? ttl : 52 * WEEK_MICROS);
    views.push(await materializeView(ctx, store, codec, Math.min(start, end), end, request));
  }
  return { views };
}
