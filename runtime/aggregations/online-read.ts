/**
 * Online reads of aggregation views: one value per entity key holds its tiles; the
 * aggregate over a window of n tiles as of `now` combines the tiles
 * tileOf(now) - n + 1 .. tileOf(now), oldest first (window.ts). Tiles after the
 * current one (events pushed with future times) are not read.
 */
import type { OnlineStore } from '../online/online-store';
import type { EntityRows } from '../online/read/entity-rows';
import { NOT_FOUND, NULL_VALUE, PRESENT, type ColumnGroup } from '../online/read/online-rows';
import { EPOCH, protoTimestamp } from '../online/read/proto-timestamp';
import type { ProjectionPlan } from '../online/read/read-plan';
import { emptyStates, finish, latestEvent, mergeStates } from './partials';
import { tileCodecOf } from './online-write';
import { resolveOutputs, type ResolvedOutput } from './resolve';
import type { TileCodec } from './tile-record';
import { tileOf } from './window';

/** The output columns of one aggregation projection (as get-online-features fills them). */
export interface TileGroup extends ColumnGroup {
  readonly plan: ProjectionPlan;
}

interface CompiledRead {
  readonly tiles: TileCodec;
  readonly outputs: readonly ResolvedOutput[];
  /** Distinct windows, in tiles. */
  readonly windows: readonly number[];
  /** Per output, its window's index in `windows`. */
  readonly windowOf: readonly number[];
  /** Partials of an empty window. */
  readonly empty: Float64Array;
}

const compiled = new WeakMap<ProjectionPlan, CompiledRead>();

function compile(plan: ProjectionPlan, project: string): CompiledRead {
  let read = compiled.get(plan);
  if (read) return read;
  const view = plan.codec.view;
  const tiles = tileCodecOf(plan.codec, project);
  const outputs = resolveOutputs(view, view.aggregation!, plan.featureIndex.map((i) => view.features[i]));
  const windows = [...new Set(outputs.map((o) => o.windowSeconds / view.aggregation!.tileSeconds))];
  const windowOf = outputs.map((o) => windows.indexOf(o.windowSeconds / view.aggregation!.tileSeconds));
  read = { tiles, outputs, windows, windowOf, empty: emptyStates(tiles.columns) };
  compiled.set(plan, read);
  return read;
}

export async function readTileGroups(store: OnlineStore, groups: readonly TileGroup[], rows: EntityRows, nowMicros: number): Promise<void> {
  if (groups.length === 0) return;
  const reads = groups.map((g) => compile(g.plan, store.codecs.project));
  const keys: Buffer[] = [];
  groups.forEach((g, i) => {
    for (const ek of rows.entityKeys(g.plan)) keys.push(reads[i].tiles.key(ek));
  });
  const records = await store.getValues(keys);
  let at = 0;
  groups.forEach((group, i) => {
    const read = reads[i];
    const current = tileOf(nowMicros, read.tiles.tileMicros);
    const states = read.windows.map(() => emptyStates(read.tiles.columns));
    for (let row = 0; row < rows.count; row++) fillRow(group, read, records[at++], current, states, row);
  });
}

function fillRow(group: TileGroup, read: CompiledRead, record: Buffer | null, current: number, states: Float64Array[], row: number): void {
  const { outputs, tiles } = read;
  if (!record) {
    outputs.forEach((o, f) => {
      group.columns[f][row] = o.fn === 'count' ? 0 : null;
      group.statuses[f * group.count + row] = NOT_FOUND;
    });
    group.stamps[row] = EPOCH;
    return;
  }
  const numbers = tiles.numbers(record);
  const width = tiles.tileWidth;
  let latest = -Infinity;
  read.windows.forEach((n, w) => {
    const state = states[w];
    state.set(read.empty);
    for (let at = 0; at < numbers.length; at += width) {
      const id = numbers[at];
      if (id > current - n && id <= current) mergeStates(state, numbers, tiles.columns, at + 1);
    }
    latest = Math.max(latest, latestEvent(state, tiles.columns));
  });
  outputs.forEach((o, f) => {
    const v = finish(states[read.windowOf[f]], o.column, o.fn);
    const convert = group.plan.toJson[f];
    group.columns[f][row] = v === null || convert === null ? v : convert(v);
    group.statuses[f * group.count + row] = v === null ? NULL_VALUE : PRESENT;
  });
  group.stamps[row] = latest === -Infinity ? EPOCH : protoTimestamp(latest);
}
