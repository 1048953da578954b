'use strict';
/**
 * The first half of the point-in-time rule (see point-in-time.ts): for each feature
 * row, the one entity position it can compete for. Shared by the calling thread and
 * the Parquet decode workers, which find candidates for the rows they decode while
 * the calling thread applies earlier batches (see decode-candidates.js). Plain
 * JavaScript so the worker loads it as is.
 */

/** First index in [lo, hi) with `sorted[index] >= value`, or hi. */
function lowerBound(sorted, lo, hi, value) {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Keys per bucket of the grouping pass (log2): 16, so that a bucket's entity rows
 * stay in the CPU cache, or more when that would make more than 2^16 buckets.
 */
function bucketShift(keys) {
  return Math.max(4, Math.ceil(Math.log2(Math.max(2, keys))) - 16);
}

class CandidateFinder {
  /**
   * @param {{ keyStart: Int32Array, times: Float64Array }} index entity positions by key, and their times
   * @param {number} ttl microseconds; 0 = no limit
   * @param {boolean} filterByCreated
   */
  constructor(index, ttl, filterByCreated) {
    this.keyStart = index.keyStart;
    this.entityTimes = index.times;
    this.ttl = ttl;
    this.filterByCreated = filterByCreated;
    const keys = index.keyStart.length - 1;
    this.shift = bucketShift(keys);
    this.bucket = new Int32Array((keys >> this.shift) + 2);
    this.positions = new Int32Array(0);
    this.rows = new Int32Array(0);
    this.times = new Float64Array(0);
    this.created = new Float64Array(0);
  }

  /**
   * Finds the candidate position of each usable row (a known key id, an event time)
   * and keeps those that have one, grouped by key range: walking the entity-side
   * arrays forward instead of at random keeps the work in the CPU cache.
   * Results are in `positions`, `rows`, `times`, `created` (null created = -Infinity),
   * valid until the next call.
   * @param {Int32Array} keyIds -1 = not among the entities
   * @param {Float64Array} times epoch micros, NaN = null
   * @param {Float64Array | null} created epoch micros, NaN = null
   * @param {number} count
   * @returns {number} how many candidates
   */
  find(keyIds, times, created, count) {
    this.reserve(count);
    const { bucket, shift, positions, rows, keyStart, entityTimes, ttl, filterByCreated } = this;
    const groupTimes = this.times;
    const groupCreated = this.created;
    const buckets = bucket.length - 1;
    bucket.fill(0);
    for (let i = 0; i < count; i++) {
      if (keyIds[i] >= 0 && times[i] === times[i]) bucket[(keyIds[i] >> shift) + 1]++;
    }
    for (let b = 0; b < buckets; b++) bucket[b + 1] += bucket[b];
    // Scatter rows into their buckets (keys stay in `positions` until the second pass).
    for (let i = 0; i < count; i++) {
      const k = keyIds[i];
      const t = times[i];
      if (k < 0 || t !== t) continue;
      const q = bucket[k >> shift]++;
      const c = created === null ? -Infinity : created[i];
      positions[q] = k;
      groupTimes[q] = t;
      groupCreated[q] = c === c ? c : -Infinity;
      rows[q] = i;
    }
    const n = bucket[buckets - 1];
    let kept = 0;
    for (let j = 0; j < n; j++) {
      const k = positions[j];
      const t = groupTimes[j];
      const c = groupCreated[j];
      const end = keyStart[k + 1];
      const p = lowerBound(entityTimes, keyStart[k], end, filterByCreated && c > t ? c : t);
      if (p === end || (ttl > 0 && entityTimes[p] - ttl > t)) continue;
      positions[kept] = p;
      groupTimes[kept] = t;
      groupCreated[kept] = c;
      rows[kept] = rows[j];
      kept++;
    }
    return kept;
  }

  reserve(count) {
    if (this.rows.length >= count) return;
    this.positions = new Int32Array(count);
    this.rows = new Int32Array(count);
    this.times = new Float64Array(count);
    this.created = new Float64Array(count);
  }
}

/** Whether row (t, c, seq) beats row (t2, c2, seq2): later event time, then created time, then read last. */
function beats(t, c, seq, t2, c2, seq2) {
  return t > t2 || (t === t2 && (c > c2 || (c === c2 && seq > seq2)));
}

/**
 * The best feature row per entity position so far: its event time, created time and
 * read order (-1 = none). Kept on the calling thread and in each decode worker; the
 * workers' copies are merged at the end, so ties go by read order, not arrival.
 */
class BestRows {
  /** @param {number} n entity positions */
  constructor(n) {
    this.bestTime = new Float64Array(n).fill(-Infinity);
    this.bestCreated = new Float64Array(n);
    this.bestSeq = new Float64Array(n).fill(-1);
  }

  /** Keeps the better of each of `finder`'s last `count` candidates and its position's best row. */
  offer(finder, count, rowBase) {
    const { bestTime, bestCreated, bestSeq } = this;
    const { positions, rows, times, created } = finder;
    for (let j = 0; j < count; j++) {
      const p = positions[j];
      const seq = rowBase + rows[j];
      if (beats(times[j], created[j], seq, bestTime[p], bestCreated[p], bestSeq[p])) {
        bestTime[p] = times[j];
        bestCreated[p] = created[j];
        bestSeq[p] = seq;
      }
    }
  }

  /** Merges another thread's best rows (arrays of the same shape). */
  merge(other) {
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

module.exports = { BestRows, CandidateFinder };
