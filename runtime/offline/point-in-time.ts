/**
 * The point-in-time rule for one feature view, as a streaming computation.
 *
 * A feature row (key k, time t, created c) is a candidate for every entity row of
 * key k with `t <= entity_ts <= t + ttl` (and `c <= entity_ts` when filtering by
 * created time). In the entity index those rows start at one position p: the first
 * of key k at or after t. So each feature row only competes for position p, where
 * the best row (latest t, then latest c, then read last) is kept. At the end, a
 * sweep through each key's positions carries the best row forward; the winner
 * seen at an entity row is the latest candidate, and if it is older than the TTL,
 * so is every other. Memory is O(entity rows), whatever the feature table's size.
 */
import { lowerBound, type EntityIndex } from './entity-index';

/** The positions whose best row changed in one batch, with that row's index in the batch. */
export interface Changes {
  readonly positions: Int32Array;
  readonly rows: Int32Array;
  readonly count: number;
}

export class PointInTimeMatcher {
  private readonly bestTime: Float64Array;
  private readonly bestCreated: Float64Array;
  /** Global read order of the best row (for the "read last" tie-break across positions). */
  private readonly bestSeq: Float64Array;
  private readonly batchRow: Int32Array;
  private readonly touchedIn: Int32Array;
  private readonly changed: Int32Array;
  private readonly changedRows: Int32Array;
  private batchNo = 0;
  private rowsOffered = 0;
  private bucket = new Int32Array(0);
  private groupKey = new Int32Array(0);
  private groupTime = new Float64Array(0);
  private groupCreated = new Float64Array(0);
  private groupRow = new Int32Array(0);

  constructor(
    private readonly index: EntityIndex,
    /** TTL in microseconds; 0 = no limit. */
    private readonly ttl: number,
    private readonly filterByCreated: boolean,
  ) {
    const n = index.rows.length;
    this.bestTime = new Float64Array(n).fill(-Infinity);
    this.bestCreated = new Float64Array(n);
    this.bestSeq = new Float64Array(n).fill(-1);
    this.batchRow = new Int32Array(n);
    this.touchedIn = new Int32Array(n).fill(-1);
    this.changed = new Int32Array(n);
    this.changedRows = new Int32Array(n);
  }

  /**
   * Offers a batch of feature rows: key ids (-1 = not among the entities), event
   * times and created times (epoch micros; NaN = null). Returns the positions whose
   * best row is now in this batch, so the caller copies those rows' values.
   */
  offer(keyIds: Int32Array, times: Float64Array, created: Float64Array | null, count: number): Changes {
    const { keyStart, times: entityTimes } = this.index;
    const { bestTime, bestCreated, bestSeq, batchRow, touchedIn, changed } = this;
    const ttl = this.ttl;
    const filter = this.filterByCreated;
    const batch = this.batchNo++;
    const seq0 = this.rowsOffered;
    const n = this.groupByKey(keyIds, times, created, count);
    const { groupKey, groupTime, groupCreated, groupRow } = this;
    let nChanged = 0;
    for (let j = 0; j < n; j++) {
      const k = groupKey[j];
      const t = groupTime[j];
      const c = groupCreated[j];
      const from = filter && c > t ? c : t;
      const end = keyStart[k + 1];
      const p = lowerBound(entityTimes, keyStart[k], end, from);
      if (p === end) continue;
      if (ttl > 0 && entityTimes[p] - ttl > t) continue;
      const bt = bestTime[p];
      if (t > bt || (t === bt && c >= bestCreated[p])) {
        const i = groupRow[j];
        bestTime[p] = t;
        bestCreated[p] = c;
        bestSeq[p] = seq0 + i;
        batchRow[p] = i;
        if (touchedIn[p] !== batch) {
          touchedIn[p] = batch;
          changed[nChanged++] = p;
        }
      }
    }
    this.rowsOffered += count;
    for (let j = 0; j < nChanged; j++) this.changedRows[j] = batchRow[changed[j]];
    return { positions: changed, rows: this.changedRows, count: nChanged };
  }

  /**
   * Copies the batch's usable rows (a known key and an event time) ordered by key
   * range (a bucket of up to 2^shift neighbouring key ids), stably so read order
   * holds within a key; a null created time becomes -Infinity. Walking the
   * entity-side arrays forward instead of at random keeps the loop above in the
   * CPU cache, and a few hundred buckets (not one per key) keep this scatter
   * in it too.
   */
  private groupByKey(keyIds: Int32Array, times: Float64Array, created: Float64Array | null, count: number): number {
    const keys = this.index.keyStart.length - 1;
    let shift = 0;
    while (keys >> shift > 256) shift++;
    const buckets = (keys >> shift) + 1;
    if (this.bucket.length < buckets + 1) this.bucket = new Int32Array(buckets + 1);
    if (this.groupRow.length < count) {
      this.groupKey = new Int32Array(count);
      this.groupTime = new Float64Array(count);
      this.groupCreated = new Float64Array(count);
      this.groupRow = new Int32Array(count);
    }
    const { bucket, groupKey, groupTime, groupCreated, groupRow } = this;
    bucket.fill(0, 0, buckets + 1);
    for (let i = 0; i < count; i++) {
      if (keyIds[i] >= 0 && times[i] === times[i]) bucket[(keyIds[i] >> shift) + 1]++;
    }
    for (let b = 0; b < buckets; b++) bucket[b + 1] += bucket[b];
    for (let i = 0; i < count; i++) {
      const k = keyIds[i];
      const t = times[i];
      if (k < 0 || t !== t) continue;
      const q = bucket[k >> shift]++;
      const c = created === null ? -Infinity : created[i];
      groupKey[q] = k;
      groupTime[q] = t;
      groupCreated[q] = c === c ? c : -Infinity;
      groupRow[q] = i;
    }
    return bucket[buckets - 1];
  }

  /** For each entity row (input order): the position whose slot holds its feature row, or -1. */
  resolve(): Int32Array {
    const { keyStart, times: entityTimes, positionOfRow } = this.index;
    const { bestTime, bestCreated, bestSeq } = this;
    const winnerAt = new Int32Array(entityTimes.length).fill(-1);
    for (let k = 0; k + 1 < keyStart.length; k++) {
      let run = -1;
      for (let p = keyStart[k]; p < keyStart[k + 1]; p++) {
        if (bestSeq[p] >= 0) {
          const better =
            run < 0 ||
            bestTime[p] > bestTime[run] ||
            (bestTime[p] === bestTime[run] && (bestCreated[p] > bestCreated[run] || (bestCreated[p] === bestCreated[run] && bestSeq[p] > bestSeq[run])));
          if (better) run = p;
        }
        if (run >= 0 && (this.ttl === 0 || bestTime[run] >= entityTimes[p] - this.ttl)) winnerAt[p] = run;
      }
    }
    const out = new Int32Array(positionOfRow.length);
    for (let r = 0; r < out.length; r++) out[r] = positionOfRow[r] < 0 ? -1 : winnerAt[positionOfRow[r]];
    return out;
  }
}
