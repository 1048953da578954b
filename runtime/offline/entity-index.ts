/**
 * Entity rows sorted by (key id, timestamp, input order), so each feature row finds
 * the first entity row it can serve with one binary search inside its key's range.
 */
export interface EntityIndex {
  /** Position → entity row (input index), for rows that have a key and a timestamp. */
  readonly rows: Int32Array;
  /** Entity timestamps (epoch micros) by position. */
  readonly times: Float64Array;
  /** The positions of key k are [keyStart[k], keyStart[k + 1]). */
  readonly keyStart: Int32Array;
  /** Entity row → position, or -1 for a row with a null key or timestamp. */
  readonly positionOfRow: Int32Array;
}

/**
 * Sorts with counting sorts instead of a comparator: timestamps are ranked (one
 * native sort of a Float64Array), then rows are placed by rank and then by key,
 * both stable. That is O(n) after the native sort, even for one huge key range
 * (an entity-less view).
 */
export function buildEntityIndex(keyIds: Int32Array, times: Float64Array, keyCount: number): EntityIndex {
  const n = keyIds.length;
  const usable: number[] = [];
  for (let i = 0; i < n; i++) if (keyIds[i] >= 0 && times[i] === times[i]) usable.push(i);
  const m = usable.length;

  const sortedTimes = new Float64Array(m);
  for (let j = 0; j < m; j++) sortedTimes[j] = times[usable[j]];
  sortedTimes.sort();
  const rank = new Int32Array(m);
  for (let j = 0; j < m; j++) rank[j] = lowerBound(sortedTimes, 0, m, times[usable[j]]);

  // Stable placement by rank (input order within equal times)...
  const byRank = countingSort(rank, m);
  // ...then by key, keeping that order within each key.
  const keyStart = new Int32Array(keyCount + 1);
  for (let j = 0; j < m; j++) keyStart[keyIds[usable[j]] + 1]++;
  for (let k = 0; k < keyCount; k++) keyStart[k + 1] += keyStart[k];
  const next = keyStart.slice(0, keyCount);
  const rows = new Int32Array(m);
  const positionOfRow = new Int32Array(n).fill(-1);
  for (let j = 0; j < m; j++) {
    const row = usable[byRank[j]];
    const p = next[keyIds[row]]++;
    rows[p] = row;
    positionOfRow[row] = p;
  }
  const sorted = new Float64Array(m);
  for (let p = 0; p < m; p++) sorted[p] = times[rows[p]];
  return { rows, times: sorted, keyStart, positionOfRow };
}

/** Indexes 0..m-1 ordered stably by `bucket[j]` (values in [0, buckets)). */
function countingSort(bucket: Int32Array, buckets: number): Int32Array {
  const m = bucket.length;
  const start = new Int32Array(buckets + 1);
  for (let j = 0; j < m; j++) start[bucket[j] + 1]++;
  for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
  const out = new Int32Array(m);
  for (let j = 0; j < m; j++) out[start[bucket[j]]++] = j;
  return out;
}

/** First index in [lo, hi) with `sorted[index] >= value`, or hi. */
export function lowerBound(sorted: Float64Array, lo: number, hi: number, value: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
