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
import { CandidateFinder } from './candidates';
import type { EntityIndex } from './entity-index';
import type { WorkerMatchState } from './worker-matcher';

/** The positions whose best row changed in one batch, with that row's index in the batch. */
export interface Changes {
  readonly positions: Int32Array;
  readonly rows: Int32Array;
  readonly count: number;
}

export class PointInTimeMatcher {
  private readonly finder: CandidateFinder;
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

  constructor(
    private readonly index: EntityIndex,
    /** TTL in microseconds; 0 = no limit. */
    private readonly ttl: number,
    filterByCreated: boolean,
  ) {
    const n = index.rows.length;
    this.finder = new CandidateFinder(index, ttl, filterByCreated);
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
    const { bestTime, bestCreated, bestSeq, batchRow, touchedIn, changed, finder } = this;
    const found = finder.find(keyIds, times, created, count);
    const { positions, rows } = finder;
    const batch = this.batchNo++;
    const seq0 = this.rowsOffered;
    let nChanged = 0;
    for (let j = 0; j < found; j++) {
      const p = positions[j];
      const t = finder.times[j];
      const c = finder.created[j];
      const bt = bestTime[p];
      if (t > bt || (t === bt && c >= bestCreated[p])) {
        const i = rows[j];
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

  /** Counts a batch of `count` rows matched elsewhere (a decode worker), keeping the read order. */
  skip(count: number): void {
    this.rowsOffered += count;
  }

  /** Merges a decode worker's best rows (event time, created time, then read order decide). */
  absorb(state: WorkerMatchState): void {
    const { bestTime, bestCreated, bestSeq } = this;
    for (let p = 0; p < bestTime.length; p++) {
      const t = state.bestTime[p];
      const c = state.bestCreated[p];
      const seq = state.bestSeq[p];
      if (t > bestTime[p] || (t === bestTime[p] && (c > bestCreated[p] || (c === bestCreated[p] && seq > bestSeq[p])))) {
        bestTime[p] = t;
        bestCreated[p] = c;
        bestSeq[p] = seq;
      }
    }
  }

  /**
   * Where the best rows are, for a second pass that reads the feature values: per
   * batch offered (in order, `lengths` as offered), the positions whose best row is
   * in it and that row's index in the batch, by row (reading a batch in order is
   * far cheaper than at random).
   */
  bestRowsByBatch(lengths: readonly number[]): { positions: Int32Array; rows: Int32Array }[] {
    const starts = new Float64Array(lengths.length + 1);
    lengths.forEach((n, b) => (starts[b + 1] = starts[b] + n));
    const bestSeq = this.bestSeq;
    const batchOf = new Int32Array(bestSeq.length).fill(-1);
    const counts = new Int32Array(lengths.length);
    for (let p = 0; p < bestSeq.length; p++) {
      const seq = bestSeq[p];
      if (seq < 0) continue;
      let lo = 0;
      let hi = lengths.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (starts[mid] <= seq) lo = mid;
        else hi = mid - 1;
      }
      batchOf[p] = lo;
      counts[lo]++;
    }
    // Each row is best for at most one position: a position per row, then a sweep by row.
    const positionAt = lengths.map((n) => new Int32Array(n).fill(-1));
    for (let p = 0; p < bestSeq.length; p++) {
      const b = batchOf[p];
      if (b >= 0) positionAt[b][bestSeq[p] - starts[b]] = p;
    }
    return positionAt.map((at, b) => {
      const positions = new Int32Array(counts[b]);
      const rows = new Int32Array(counts[b]);
      let j = 0;
      for (let r = 0; r < at.length; r++) {
        if (at[r] < 0) continue;
        positions[j] = at[r];
        rows[j++] = r;
      }
      return { positions, rows };
    });
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
