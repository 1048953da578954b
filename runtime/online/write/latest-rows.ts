/**
 * The latest row per entity key, as materialization and the point-in-time join agree:
 * latest event time, then latest created time, then the row offered last.
 */
import type { EntityKeyCodec, JoinValue } from '../entity-key';
import type { RowBatch } from './row-batch';

export interface LatestRow {
  readonly batch: RowBatch;
  readonly row: number;
  readonly entityKey: Buffer;
  readonly event: number;
  readonly created: number;
}

export class LatestRows {
  private readonly latest = new Map<string, LatestRow>();
  private readonly values: JoinValue[];

  /** Rows outside `[startMicros, endMicros]` or without an event time or a key are skipped. */
  constructor(
    private readonly entityKey: EntityKeyCodec,
    private readonly startMicros = -Infinity,
    private readonly endMicros = Infinity,
  ) {
    this.values = new Array(entityKey.sortedKeys.length);
  }

  get size(): number {
    return this.latest.size;
  }

  /** Offers every row of a batch, in order. */
  offer(batch: RowBatch): void {
    const { event, created, keys } = batch;
    rows: for (let row = 0; row < batch.length; row++) {
      const t = event[row];
      if (!(t >= this.startMicros && t <= this.endMicros)) continue;
      for (let k = 0; k < keys.length; k++) {
        const v = keys[k](row);
        if (v === null) continue rows;
        this.values[k] = v;
      }
      const entityKey = this.entityKey.encode(this.values);
      const id = entityKey.toString('latin1');
      const c = created ? created[row] : -Infinity;
      const cNum = Number.isNaN(c) ? -Infinity : c;
      const previous = this.latest.get(id);
      if (!previous || t > previous.event || (t === previous.event && cNum >= previous.created)) {
        this.latest.set(id, { batch, row, entityKey, event: t, created: cNum });
      }
    }
  }

  rows(): IterableIterator<LatestRow> {
    return this.latest.values();
  }
}
