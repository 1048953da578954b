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
import { BestRows, CandidateFinder } from './candidates';
import type { EntityIndex } from './entity-index';
import type { WorkerMatchState } from './worker-matcher';

export class PointInTimeMatcher {
  private readonly finder: CandidateFinder;
  private readonly best: BestRows;
  /** Rows offered or skipped so far: the read order of the next batch's first row. */
  private rowsOffered = 0;

  constructor(
    private readonly index: EntityIndex,
    /** TTL in microseconds; 0 = no limit. */
    private readonly ttl: number,
    filterByCreated: boolean,
  ) {
    this.finder = new CandidateFinder(index, ttl, filterByCreated);
    this.best = new BestRows(index.rows.length);
  }

  /**
   * Offers a batch of feature rows: key ids (-1 = not among the entities), event
   * times and created times (epoch micros; NaN = null).
   */
  offer(keyIds: Int32Array, times: Float64Array, created: Float64Array | null, count: number): void {
    this.finder.offer(this.best, keyIds, times, created, count, this.rowsOffered);
    this.rowsOffered += count;
  }

  /** Counts a batch of `count` rows matched elsewhere (a decode worker), keeping the read order. */
  skip(count: number): void {
    this.rowsOffered += count;
  }

  /** Merges a decode worker's best rows (event time, created time, then read order decide). */
  absorb(state: WorkerMatchState): void {
    this.best.merge(state);
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
    const { bestSeq } = this.best;
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
    const { bestTime, bestCreated, bestSeq } = this.best;
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
