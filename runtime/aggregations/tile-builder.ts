/**
 * Events → tiles per entity key, in the order offered (a tile's `last` tie goes to
 * the event offered later, as the read order decides it in training).
 */
import type { EntityKeyCodec, JoinValue } from '../online/entity-key';
import type { RowBatch } from '../online/write/row-batch';
import type { FeatureValue } from '../online/values';
import { addValue, emptyStates } from './partials';
import type { Tiles } from './tile-record';
import { tileOf } from './window';

export interface KeyTiles {
  readonly entityKey: Buffer;
  /** Tile id → partials. */
  readonly tiles: Map<number, Float64Array>;
}

function asNumber(v: FeatureValue): number {
  if (v === null) return NaN;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return 1; // a non-numeric column, aggregated by count only
}

export class TileBuilder {
  private readonly keys = new Map<string, KeyTiles>();
  private readonly values: JoinValue[];

  /** Events outside (`afterMicros`, `untilMicros`] or without a time or key are skipped. */
  constructor(
    private readonly entityKey: EntityKeyCodec,
    private readonly columns: number,
    private readonly tileMicros: number,
    private readonly afterMicros = -Infinity,
    private readonly untilMicros = Infinity,
  ) {
    this.values = new Array(entityKey.sortedKeys.length);
  }

  get size(): number {
    return this.keys.size;
  }

  /** `batch.features` must be the aggregated columns, in the spec's order. */
  offer(batch: RowBatch): void {
    const { event, created, keys, features } = batch;
    rows: for (let row = 0; row < batch.length; row++) {
      const t = event[row];
      if (!(t > this.afterMicros && t <= this.untilMicros)) continue;
      for (let k = 0; k < keys.length; k++) {
        const v = keys[k](row);
        if (v === null) continue rows;
        this.values[k] = v;
      }
      const entityKey = this.entityKey.encode(this.values);
      const id = entityKey.toString('latin1');
      let entry = this.keys.get(id);
      if (!entry) this.keys.set(id, (entry = { entityKey, tiles: new Map() }));
      const tile = tileOf(t, this.tileMicros);
      let state = entry.tiles.get(tile);
      if (!state) entry.tiles.set(tile, (state = emptyStates(this.columns)));
      const c = created === null || created[row] !== created[row] ? -Infinity : created[row];
      for (let f = 0; f < features.length; f++) addValue(state, f, asNumber(features[f](row)), t, c);
    }
  }

  entries(): KeyTiles[] {
    return [...this.keys.values()];
  }
}

/** A key's tiles, ids ascending. */
export function sortedTiles(tiles: ReadonlyMap<number, Float64Array>): Tiles {
  const ids = [...tiles.keys()].sort((a, b) => a - b);
  return { ids, states: ids.map((id) => tiles.get(id)!) };
}
