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

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

class Candidate implements LatestRow {
  constructor(
    public batch: RowBatch,
    public row: number,
    /** Null for rows filed by a numeric key, until asked for (compact writes serialize the key in place). */
    public key: Buffer | null,
    public event: number,
    public created: number,
    private readonly codec: EntityKeyCodec,
  ) {}

  get entityKey(): Buffer {
    return (this.key ??= this.codec.encode(this.batch.keys.map((read) => read(this.row)!)));
  }
}

export class LatestRows {
  /** Filed by the join key's value when it is one integer (no key to serialize per row), else by the serialized key. */
  private readonly latest = new Map<number | string, Candidate>();
  private readonly values: JoinValue[];
  /** One Int32 or Int64 join key: its safe values file rows as numbers (a timestamp key is keyed by its second, so not). */
  private readonly integerKey: boolean;

  /** Rows outside `[startMicros, endMicros]` or without an event time or a key are skipped. */
  constructor(
    private readonly entityKey: EntityKeyCodec,
    private readonly startMicros = -Infinity,
    private readonly endMicros = Infinity,
  ) {
    this.values = new Array(entityKey.sortedKeys.length);
    const only = entityKey.sortedKeys.length === 1 ? entityKey.sortedKeys[0].valueType : null;
    this.integerKey = only === 'Int64' || only === 'Int32';
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
      const first = this.values[0];
      let entityKey: Buffer | null = null;
      let id: number | string;
      // The same integer may come as a number or (from JSON text) a bigint: either files under the number.
      if (this.integerKey && (typeof first === 'number' || (typeof first === 'bigint' && first >= MIN_SAFE && first <= MAX_SAFE))) id = Number(first);
      else id = (entityKey = this.entityKey.encode(this.values)).toString('latin1');
      const c = created ? created[row] : -Infinity;
      const cNum = Number.isNaN(c) ? -Infinity : c;
      const previous = this.latest.get(id);
      if (!previous) this.latest.set(id, new Candidate(batch, row, entityKey, t, cNum, this.entityKey));
      else if (t > previous.event || (t === previous.event && cNum >= previous.created)) {
        previous.batch = batch;
        previous.row = row;
        previous.key = entityKey;
        previous.event = t;
        previous.created = cNum;
      }
    }
  }

  rows(): IterableIterator<LatestRow> {
    return this.latest.values();
  }
}
