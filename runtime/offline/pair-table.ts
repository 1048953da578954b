/**
 * An open-addressing hash table from a pair of 32-bit words to a dense id
 * (0, 1, 2, ... in insertion order). It stores 64-bit join key values and pairs of
 * ids without creating a JS object or bigint per row, which is what keeps the join
 * fast over millions of rows.
 */
export class PairTable {
  private hi: Int32Array;
  private lo: Int32Array;
  /** id + 1 per slot; 0 marks an empty slot. */
  private ids: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.hi = new Int32Array(capacity);
    this.lo = new Int32Array(capacity);
    this.ids = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The id of (hi, lo), or -1. */
  get(hi: number, lo: number): number {
    let slot = hash(hi, lo) & this.mask;
    for (;;) {
      const id = this.ids[slot];
      if (id === 0) return -1;
      if (this.lo[slot] === lo && this.hi[slot] === hi) return id - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The id of (hi, lo), inserting it with the next id when new. */
  intern(hi: number, lo: number): number {
    let slot = hash(hi, lo) & this.mask;
    for (;;) {
      const id = this.ids[slot];
      if (id === 0) break;
      if (this.lo[slot] === lo && this.hi[slot] === hi) return id - 1;
      slot = (slot + 1) & this.mask;
    }
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    this.ids[slot] = ++this.count;
    if (this.count * 2 > this.mask) this.grow();
    return this.count - 1;
  }

  /** Calls `visit` once per stored pair, in no particular order. */
  forEach(visit: (hi: number, lo: number, id: number) => void): void {
    for (let slot = 0; slot < this.ids.length; slot++) if (this.ids[slot] !== 0) visit(this.hi[slot], this.lo[slot], this.ids[slot] - 1);
  }

  private grow(): void {
    const { hi, lo, ids } = this;
    const capacity = ids.length * 2;
    this.hi = new Int32Array(capacity);
    this.lo = new Int32Array(capacity);
    this.ids = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] === 0) continue;
      let slot = hash(hi[i], lo[i]) & this.mask;
      while (this.ids[slot] !== 0) slot = (slot + 1) & this.mask;
      this.hi[slot] = hi[i];
      this.lo[slot] = lo[i];
      this.ids[slot] = ids[i];
    }
  }
}

function hash(hi: number, lo: number): number {
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
