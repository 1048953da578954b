/**
 * The latest row per key id: latest event time, then latest created time, then the
 * row read last. Used where there are no entity rows (range retrieval); the key ids
 * grow as new keys are read.
 */

/** The keys whose latest row changed in one batch, with that row's index in the batch. */
export interface Changes {
  readonly positions: Int32Array;
  readonly rows: Int32Array;
  readonly count: number;
}

export class LatestPerKey {
  private bestTime = new Float64Array(1024).fill(-Infinity);
  private bestCreated = new Float64Array(1024);
  private batchRow = new Int32Array(1024);
  private touchedIn = new Int32Array(1024).fill(-1);
  private changed = new Int32Array(1024);
  private changedRows = new Int32Array(1024);
  private batchNo = 0;
  private keys = 0;

  /** Number of key ids that have a row. */
  get size(): number {
    return this.keys;
  }

  /** Event time (epoch micros) of key k's latest row, or -Infinity. */
  timeOf(k: number): number {
    return k < this.keys ? this.bestTime[k] : -Infinity;
  }

  /** Offers a batch (key id -1 = skip; times and created as epoch micros, NaN = null). */
  offer(keyIds: Int32Array, times: Float64Array, created: Float64Array | null, count: number): Changes {
    for (let i = 0; i < count; i++) if (keyIds[i] >= this.keys) this.keys = keyIds[i] + 1;
    this.reserve(Math.max(this.keys, count));
    const { bestTime, bestCreated, batchRow, touchedIn, changed } = this;
    const batch = this.batchNo++;
    let nChanged = 0;
    for (let i = 0; i < count; i++) {
      const k = keyIds[i];
      const t = times[i];
      if (k < 0 || t !== t) continue;
      let c = created === null ? -Infinity : created[i];
      if (c !== c) c = -Infinity;
      if (t > bestTime[k] || (t === bestTime[k] && c >= bestCreated[k])) {
        bestTime[k] = t;
        bestCreated[k] = c;
        batchRow[k] = i;
        if (touchedIn[k] !== batch) {
          touchedIn[k] = batch;
          changed[nChanged++] = k;
        }
      }
    }
    for (let j = 0; j < nChanged; j++) this.changedRows[j] = batchRow[changed[j]];
    return { positions: changed, rows: this.changedRows, count: nChanged };
  }

  private reserve(n: number): void {
    if (this.bestTime.length >= n && this.changed.length >= n) return;
    const capacity = Math.max(n, this.bestTime.length * 2);
    const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T, fill: number): T => {
      const next = make(capacity).fill(fill) as T;
      next.set(a);
      return next;
    };
    this.bestTime = grow(this.bestTime, (m) => new Float64Array(m), -Infinity);
    this.bestCreated = grow(this.bestCreated, (m) => new Float64Array(m), 0);
    this.batchRow = grow(this.batchRow, (m) => new Int32Array(m), 0);
    this.touchedIn = grow(this.touchedIn, (m) => new Int32Array(m), -1);
    this.changed = new Int32Array(capacity);
    this.changedRows = new Int32Array(capacity);
  }
}
