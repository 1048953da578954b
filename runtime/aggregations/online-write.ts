/**
 * Tiles into the online store. Materialization rebuilds whole tiles from the lake
 * (the lake holds the truth: a re-run writes the same bytes); push adds events into
 * the current tiles. Both are read-modify-write per key (OnlineStore.updateValues),
 * so concurrent writers lose nothing, and both drop tiles no window can reach.
 */
import { formatTimestamp } from '../arrow/timestamps';
import type { StoreContext } from '../context';
import { aggregatedFields } from '../manifest/aggregation';
import type { ViewCodec } from '../online/codecs';
import type { OnlineStore } from '../online/online-store';
import type { MaterializedView, MaterializeOptions } from '../online/types';
import { arrowRowBatch, columnNames, dataColumns, type ColumnNames, type RowBatch } from '../online/write/row-batch';
import type { BatchSourceSpec, FeatureViewSpec } from '../manifest/schema';
import { mergeStates } from './partials';
import { sortedTiles, TileBuilder, type KeyTiles } from './tile-builder';
import { TileCodec, type Tiles } from './tile-record';
import { tileOf } from './window';

const KEYS_PER_UPDATE = 1000;

function rate(rows: number, since: number): number {
  const seconds = (performance.now() - since) / 1000;
  return seconds > 0 ? Math.round(rows / seconds) : 0;
}

const codecs = new WeakMap<ViewCodec, TileCodec>();

/** The tile codec of an online aggregation view, compiled on first use. */
export function tileCodecOf(codec: ViewCodec, project: string): TileCodec {
  let tiles = codecs.get(codec);
  if (!tiles) codecs.set(codec, (tiles = new TileCodec(codec.view, codec.view.aggregation!, project)));
  return tiles;
}

/** Column names of the aggregated raw columns (not the output features), for reading events. */
export function eventColumnNames(view: FeatureViewSpec, source: BatchSourceSpec, codec: ViewCodec): ColumnNames {
  return columnNames({ ...view, features: aggregatedFields(view.aggregation!) }, source, codec.entityKey);
}

type Combine = (current: Tiles | null, built: Tiles) => Tiles;

async function writeTiles(store: OnlineStore, tiles: TileCodec, entries: readonly KeyTiles[], combine: Combine, onWritten?: (done: number) => void): Promise<number> {
  let done = 0;
  for (let from = 0; from < entries.length; from += KEYS_PER_UPDATE) {
    const chunk = entries.slice(from, from + KEYS_PER_UPDATE);
    const built = chunk.map((e) => sortedTiles(e.tiles));
    await store.updateValues(
      chunk.map((e) => tiles.key(e.entityKey)),
      (record, i) => tiles.encode(tiles.prune(combine(record ? tiles.decode(record) : null, built[i]))),
    );
    done += chunk.length;
    onWritten?.(done);
  }
  return done;
}

/** Replaces the tiles in [first, last] with the rebuilt ones (an empty one there is removed), keeps the rest. */
function replaceRange(first: number, last: number): Combine {
  return (current, built) => {
    const merged = new Map<number, Float64Array>();
    if (current) current.ids.forEach((id, i) => (id < first || id > last) && merged.set(id, current.states[i]));
    built.ids.forEach((id, i) => merged.set(id, built.states[i]));
    return sortedTiles(merged);
  };
}

/** Adds the new events' partials into the stored tiles. */
function addInto(columns: number): Combine {
  return (current, built) => {
    const merged = new Map<number, Float64Array>();
    if (current) current.ids.forEach((id, i) => merged.set(id, Float64Array.from(current.states[i])));
    built.ids.forEach((id, i) => {
      const stored = merged.get(id);
      if (stored) mergeStates(stored, built.states[i], columns);
      else merged.set(id, built.states[i]);
    });
    return sortedTiles(merged);
  };
}

/**
 * Materializes an aggregation view for reads from `end` on: the tiles from the one
 * holding `start` (or the oldest the longest window ending at `end` reaches, if later)
 * to the one holding `end`, each rebuilt from every event of the lake in it.
 */
export async function materializeTiles(
  ctx: StoreContext,
  store: OnlineStore,
  codec: ViewCodec,
  source: BatchSourceSpec,
  start: number,
  end: number,
  options: MaterializeOptions,
): Promise<MaterializedView> {
  const tiles = tileCodecOf(codec, store.codecs.project);
  const last = tileOf(end, tiles.tileMicros);
  const first = Math.max(tileOf(start, tiles.tileMicros), last - tiles.span + 1);
  const after = (first - 1) * tiles.tileMicros;
  const until = last * tiles.tileMicros;
  const names = eventColumnNames(codec.view, source, codec);
  const builder = new TileBuilder(codec.entityKey, tiles.columns, tiles.tileMicros, after, until);
  const what = `source "${source.name}" of feature view "${codec.view.name}"`;
  let rowsRead = 0;
  const readStart = performance.now();
  const batches = ctx.lakeReader(source.lake).read(
    { filesystem: source.filesystem, path: source.path },
    { columns: dataColumns(names), timestampColumn: names.timestamp.column, startMicros: after + 1, endMicros: until },
  );
  for await (const batch of batches) {
    builder.offer(arrowRowBatch(batch, names, what));
    rowsRead += batch.numRows;
    options.onProgress?.({ view: codec.view.name, phase: 'reading', rows: rowsRead, rowsPerSecond: rate(rowsRead, readStart) });
  }
  const entries = builder.entries();
  const writeStart = performance.now();
  await writeTiles(store, tiles, entries, replaceRange(first, last), (done) =>
    options.onProgress?.({ view: codec.view.name, phase: 'writing', rows: done, totalRows: entries.length, rowsPerSecond: rate(done, writeStart) }),
  );
  await store.advanceWatermark(codec.view.name, end);
  return { name: codec.view.name, rows: entries.length, rowsRead, start: formatTimestamp(start), end: formatTimestamp(end) };
}

/** Pushed (or directly written) events added into their tiles; every value was read before anything is written. */
export async function pushTiles(store: OnlineStore, codec: ViewCodec, batch: RowBatch): Promise<{ rows: number; written: number }> {
  const tiles = tileCodecOf(codec, store.codecs.project);
  const builder = new TileBuilder(codec.entityKey, tiles.columns, tiles.tileMicros);
  builder.offer(batch);
  const entries = builder.entries();
  const written = await writeTiles(store, tiles, entries, addInto(tiles.columns));
  return { rows: entries.length, written };
}
