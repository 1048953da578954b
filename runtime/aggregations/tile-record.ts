/**
 * The online form of an aggregation view: one value per entity key holding the
 * key's tiles (partial aggregates, partials.ts) that a window can still reach,
 * sorted by tile. Redis and the embedded store hold the same bytes.
 *
 * Layout (little-endian): u8 version (1), u32 fingerprint of the tile size and
 * columns, u32 tile count, then per tile: f64 tile id, STATE_WIDTH f64 per column.
 */
import { createHash } from 'node:crypto';
import { FeatureStoreError } from '../errors';
import type { AggregationSpec, FeatureViewSpec } from '../manifest/schema';
import { STATE_WIDTH } from './partials';
import { longestWindowSeconds } from './window';

const VERSION = 1;
const HEADER = 9;

/** A key's tiles: ids ascending, `states` holding each tile's partials one after another. */
export interface Tiles {
  readonly ids: number[];
  readonly states: Float64Array[];
}

export class TileCodec {
  readonly columns: number;
  readonly tileMicros: number;
  /** Tiles the longest window spans. */
  readonly span: number;
  private readonly fingerprint: number;
  private readonly prefix: Buffer;

  constructor(
    readonly view: FeatureViewSpec,
    readonly spec: AggregationSpec,
    project: string,
  ) {
    this.columns = spec.columns.length;
    this.tileMicros = spec.tileSeconds * 1_000_000;
    this.span = longestWindowSeconds(spec) / spec.tileSeconds;
    this.fingerprint = createHash('sha256').update(JSON.stringify([spec.tileSeconds, spec.columns])).digest().readUInt32LE(0);
    this.prefix = Buffer.from(`${project}:${view.name}:tiles:`, 'utf8');
  }

  /** The store key of an entity key's tiles. */
  key(entityKey: Buffer): Buffer {
    return Buffer.concat([this.prefix, entityKey]);
  }

  /** Numbers per tile in `numbers()`: the id, then the partials. */
  get tileWidth(): number {
    return 1 + this.columns * STATE_WIDTH;
  }

  /** The tiles as one array, `tileWidth` numbers per tile (one copy of the bytes: what a read needs). */
  numbers(record: Buffer): Float64Array {
    if (record.length < HEADER || record[0] !== VERSION || record.readUInt32LE(1) !== this.fingerprint) {
      throw new FeatureStoreError(
        'SCHEMA_MISMATCH',
        `online tiles of aggregation view "${this.view.name}" were written with another tile size or columns than the manifest's`,
        `materialize "${this.view.name}" again (featurestack materialize <start> <end> --views ${this.view.name})`,
      );
    }
    const numbers = new Float64Array(record.readUInt32LE(5) * this.tileWidth);
    new Uint8Array(numbers.buffer).set(record.subarray(HEADER, HEADER + numbers.length * 8));
    return numbers;
  }

  decode(record: Buffer): Tiles {
    const numbers = this.numbers(record);
    const width = this.tileWidth;
    const count = numbers.length / width;
    const ids: number[] = [];
    const states: Float64Array[] = [];
    for (let t = 0; t < count; t++) {
      ids.push(numbers[t * width]);
      states.push(numbers.subarray(t * width + 1, (t + 1) * width));
    }
    return { ids, states };
  }

  encode(tiles: Tiles): Buffer {
    const width = this.columns * STATE_WIDTH;
    const out = Buffer.allocUnsafe(HEADER + tiles.ids.length * 8 * (1 + width));
    out[0] = VERSION;
    out.writeUInt32LE(this.fingerprint, 1);
    out.writeUInt32LE(tiles.ids.length, 5);
    let at = HEADER;
    tiles.ids.forEach((id, t) => {
      out.writeDoubleLE(id, at);
      at += 8;
      for (let i = 0; i < width; i++, at += 8) out.writeDoubleLE(tiles.states[t][i], at);
    });
    return out;
  }

  /** Drops the tiles no window can reach once `newest` is the current tile. */
  prune(tiles: Tiles, newest = tiles.ids[tiles.ids.length - 1]): Tiles {
    const keep = tiles.ids.map((id) => id > newest - this.span);
    return { ids: tiles.ids.filter((_, i) => keep[i]), states: tiles.states.filter((_, i) => keep[i]) };
  }
}
