/**
 * The first pass of the point-in-time rule (see point-in-time.ts): for each feature
 * row, the one entity position it can compete for, and the best row per position.
 * Shared by the calling thread and the Parquet decode workers, which match the rows
 * they decode (see worker-matcher.ts).
 */

/**
 * First index in [lo, hi) with `sorted[index] >= value`, or hi. Written so that each
 * step is a conditional move, not a branch: the branch is a coin toss and its
 * mispredictions took a quarter of a join's matching time.
 */
function lowerBound(sorted: Float64Array, lo: number, hi: number, value: number): number {
  let at = lo;
  let length = hi - lo;
  while (length > 0) {
    const half = length >>> 1;
    const less = sorted[at + half] < value;
    at = less ? at + half + 1 : at;
    length = less ? length - half - 1 : half;
  }
  return at;
}

/**
 * Keys per bucket of the grouping pass (log2): 16, so that a bucket's entity rows
 * stay in the CPU cache, or more when that would make more than 2^16 buckets.
 */
function bucketShift(keys: number): number {
  if (process.env.SHIFT) return Number(process.env.SHIFT);
  return Math.max(4, Math.ceil(Math.log2(Math.max(2, keys))) - 16);
}

/** A best row per entity position: its event time, created time and read order (-1 = none). */
export interface BestRowArrays {
  readonly bestTime: Float64Array;
  readonly bestCreated: Float64Array;
  readonly bestSeq: Float64Array;
}

/** Finds the entity position each feature row can compete for. */
export class CandidateFinder {
  // `declare`d: the constructor makes every field, in this order (the emitted class then defines no fields first).
  declare private readonly keyStart: Int32Array;
  declare private readonly entityTimes: Float64Array;
  declare private readonly ttl: number;
  declare private readonly filterByCreated: boolean;
  declare private readonly shift: number;
  declare private readonly bucket: Int32Array;
  // The rows of a batch grouped by key range (reused from batch to batch).
  declare private keys: Int32Array;
  declare private rows: Int32Array;
  declare private times: Float64Array;
  declare private created: Float64Array;

  /**
   * @param index entity positions by key (those of key k are [keyStart[k], keyStart[k + 1])), and their times
   * @param ttl microseconds; 0 = no limit
   */
  constructor(index: { readonly keyStart: Int32Array; readonly times: Float64Array }, ttl: number, filterByCreated: boolean) {
    this.keyStart = index.keyStart;
    this.entityTimes = index.times;
    this.ttl = ttl;
    this.filterByCreated = filterByCreated;
    const keys = index.keyStart.length - 1;
    this.shift = bucketShift(keys);
    this.bucket = new Int32Array((keys >> this.shift) + 2);
    this.keys = new Int32Array(0);
    this.rows = new Int32Array(0);
    this.times = new Float64Array(0);
    this.created = new Float64Array(0);
  }

  /**
   * Finds the candidate position of each usable row (a known key id, an event time)
   * and offers the row to `best` there. Rows are first grouped by key range: walking
   * the entity-side arrays (and `best`'s) forward instead of at random keeps the work
   * in the CPU cache.
   * @param keyIds -1 = not among the entities
   * @param times epoch micros, NaN = null
   * @param created epoch micros, NaN = null (-Infinity when compared); null = no created column
   * @param rowBase the read order of the first row
   */
  offer(best: BestRows, keyIds: Int32Array, times: Float64Array, created: Float64Array | null, count: number, rowBase: number): void {
    this.reserve(count);
    const { bucket, shift, keys, rows } = this;
    const groupTimes = this.times;
    const groupCreated = this.created;
    const buckets = bucket.length - 1;
    bucket.fill(0);
    for (let i = 0; i < count; i++) {
      if (keyIds[i] >= 0 && times[i] === times[i]) bucket[(keyIds[i] >> shift) + 1]++;
    }
    for (let b = 0; b < buckets; b++) bucket[b + 1] += bucket[b];
    for (let i = 0; i < count; i++) {
      const k = keyIds[i];
      const t = times[i];
      if (k < 0 || t !== t) continue;
      const q = bucket[k >> shift]++;
      keys[q] = k;
      groupTimes[q] = t;
      rows[q] = i;
      if (created !== null) groupCreated[q] = created[i] === created[i] ? created[i] : -Infinity;
    }
    const n = bucket[buckets - 1];
    if (created === null) this.offerByTime(best, n, rowBase);
    else this.offerByTimeAndCreated(best, n, rowBase);
  }

  /**
   * The grouped rows of a view without created times: they compete on event time,
   * then read order (`best`'s created times stay 0, equal for all). Kept apart from
   * `offerByTimeAndCreated` because this is the join's innermost loop, and the
   * created-time arrays are then neither read nor written.
   */
  private offerByTime(best: BestRows, n: number, rowBase: number): void {
    const { keys, rows, keyStart, entityTimes, ttl } = this;
    const groupTimes = this.times;
    const { bestTime, bestSeq } = best;
    for (let j = 0; j < n; j++) {
      const k = keys[j];
      const t = groupTimes[j];
      const end = keyStart[k + 1];
      const p = lowerBound(entityTimes, keyStart[k], end, t);
      if (p === end || (ttl > 0 && entityTimes[p] - ttl > t)) continue;
      const seq = rowBase + rows[j];
      if (t > bestTime[p] || (t === bestTime[p] && seq > bestSeq[p])) {
        bestTime[p] = t;
        bestSeq[p] = seq;
      }
    }
  }

  private offerByTimeAndCreated(best: BestRows, n: number, rowBase: number): void {
    const { keys, rows, keyStart, entityTimes, ttl, filterByCreated } = this;
    const groupTimes = this.times;
    const groupCreated = this.created;
    const { bestTime, bestCreated, bestSeq } = best;
    for (let j = 0; j < n; j++) {
      const k = keys[j];
      const t = groupTimes[j];
      const c = groupCreated[j];
      const end = keyStart[k + 1];
      const p = lowerBound(entityTimes, keyStart[k], end, filterByCreated && c > t ? c : t);
      if (p === end || (ttl > 0 && entityTimes[p] - ttl > t)) continue;
      const seq = rowBase + rows[j];
      if (beats(t, c, seq, bestTime[p], bestCreated[p], bestSeq[p])) {
        bestTime[p] = t;
        bestCreated[p] = c;
        bestSeq[p] = seq;
      }
    }
  }

  private reserve(count: number): void {
    if (this.rows.length >= count) return;
    this.keys = new Int32Array(count);
    this.rows = new Int32Array(count);
    this.times = new Float64Array(count);
    this.created = new Float64Array(count);
  }
}

/** Whether row (t, c, seq) beats row (t2, c2, seq2): later event time, then created time, then read last. */
function beats(t: number, c: number, seq: number, t2: number, c2: number, seq2: number): boolean {
  return t > t2 || (t === t2 && (c > c2 || (c === c2 && seq > seq2)));
}

/**
 * The best feature row per entity position so far: its event time, created time (0
 * for all when the view has no created times) and read order (-1 = none). Kept on the calling thread and in each decode worker; the
 * workers' copies are merged at the end, so ties go by read order, not arrival.
 */
export class BestRows implements BestRowArrays {
  declare readonly bestTime: Float64Array<ArrayBuffer>;
  declare readonly bestCreated: Float64Array<ArrayBuffer>;
  declare readonly bestSeq: Float64Array<ArrayBuffer>;

  /** @param n entity positions */
  constructor(n: number) {
    this.bestTime = new Float64Array(n).fill(-Infinity);
    this.bestCreated = new Float64Array(n);
    this.bestSeq = new Float64Array(n).fill(-1);
  }

  /** Merges another thread's best rows (arrays of the same shape). */
  merge(other: BestRowArrays): void {
    const { bestTime, bestCreated, bestSeq } = this;
    for (let p = 0; p < bestTime.length; p++) {
      if (beats(other.bestTime[p], other.bestCreated[p], other.bestSeq[p], bestTime[p], bestCreated[p], bestSeq[p])) {
        bestTime[p] = other.bestTime[p];
        bestCreated[p] = other.bestCreated[p];
        bestSeq[p] = other.bestSeq[p];
      }
    }
  }
}
