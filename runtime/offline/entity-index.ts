/**
 * Entity rows sorted by (key id, timestamp, input order), so each feature row finds
 * the first entity row it can serve with one binary search inside its key's range
 * (candidates.ts).
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
 * Sorts without a comparator call per pair: a stable counting sort on the key id,
 * then each key's rows by time — insertion sort for the usual few rows, an LSD
 * radix sort for a large range (an entity-less view puts every row in one).
 */
export function buildEntityIndex(keyIds: Int32Array, times: Float64Array, keyCount: number): EntityIndex {
  const n = keyIds.length;
  const keyStart = new Int32Array(keyCount + 1);
  for (let i = 0; i < n; i++) if (keyIds[i] >= 0 && times[i] === times[i]) keyStart[keyIds[i] + 1]++;
  for (let k = 0; k < keyCount; k++) keyStart[k + 1] += keyStart[k];
  const m = keyStart[keyCount];
  const next = keyStart.slice(0, keyCount);
  const rows = new Int32Array(m);
  const sorted = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    if (keyIds[i] < 0 || times[i] !== times[i]) continue;
    const p = next[keyIds[i]]++;
    rows[p] = i;
    sorted[p] = times[i];
  }
  for (let k = 0; k < keyCount; k++) {
    const from = keyStart[k];
    const to = keyStart[k + 1];
    if (to - from <= 64) insertionSortByTime(rows, sorted, from, to);
    else {
      const segment = radixSortByTime(rows.subarray(from, to), times);
      rows.set(segment, from);
      for (let p = from; p < to; p++) sorted[p] = times[rows[p]];
    }
  }
  const positionOfRow = new Int32Array(n).fill(-1);
  for (let p = 0; p < m; p++) positionOfRow[rows[p]] = p;
  return { rows, times: sorted, keyStart, positionOfRow };
}

/** Sorts positions [from, to) by time; rows start in input order, and ties keep it. */
function insertionSortByTime(rows: Int32Array, times: Float64Array, from: number, to: number): void {
  for (let p = from + 1; p < to; p++) {
    const t = times[p];
    const r = rows[p];
    let q = p - 1;
    while (q >= from && times[q] > t) {
      times[q + 1] = times[q];
      rows[q + 1] = rows[q];
      q--;
    }
    times[q + 1] = t;
    rows[q + 1] = r;
  }
}

/**
 * `rows` ordered stably by `times[row]`. Times are whole microseconds, so
 * `time - min` is an integer below 2^53, sorted as four 16-bit digits.
 */
export function radixSortByTime(rows: Int32Array, times: Float64Array): Int32Array {
  const m = rows.length;
  let min = Infinity;
  for (let j = 0; j < m; j++) if (times[rows[j]] < min) min = times[rows[j]];
  const low = new Uint32Array(m);
  const high = new Uint32Array(m);
  for (let j = 0; j < m; j++) {
    const v = times[rows[j]] - min;
    if (!Number.isInteger(v)) return rows.slice().sort((a, b) => times[a] - times[b] || a - b);
    high[j] = Math.floor(v / 4294967296);
    low[j] = v >>> 0;
  }
  let order = new Int32Array(m);
  for (let j = 0; j < m; j++) order[j] = j;
  let spare = new Int32Array(m);
  const count = new Int32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const words = pass < 2 ? low : high;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let j = 0; j < m; j++) count[((words[j] >>> shift) & 0xffff) + 1]++;
    if (m === 0 || count[1 + ((words[0] >>> shift) & 0xffff)] === m) continue;
    for (let d = 0; d < 65536; d++) count[d + 1] += count[d];
    for (let j = 0; j < m; j++) {
      const o = order[j];
      spare[count[(words[o] >>> shift) & 0xffff]++] = o;
    }
    const swap = order;
    order = spare;
    spare = swap;
  }
  for (let j = 0; j < m; j++) spare[j] = rows[order[j]];
  return spare;
}
