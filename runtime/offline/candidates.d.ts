/** Finds the entity position each feature row can compete for (see candidates.js). */
export declare class CandidateFinder {
  constructor(index: { readonly keyStart: Int32Array; readonly times: Float64Array }, ttl: number, filterByCreated: boolean);
  /**
   * Offers a batch's usable rows (rows numbered from `rowBase` in read order) to the
   * best row of the position each can compete for. `created` null: the view has no created times.
   */
  offer(best: BestRows, keyIds: Int32Array, times: Float64Array, created: Float64Array | null, count: number, rowBase: number): void;
}

/** The best feature row per entity position: event time, created time, read order (-1 = none). */
export declare class BestRows {
  constructor(n: number);
  readonly bestTime: Float64Array;
  readonly bestCreated: Float64Array;
  readonly bestSeq: Float64Array;
  /** Merges another thread's best rows. */
  merge(other: { readonly bestTime: Float64Array; readonly bestCreated: Float64Array; readonly bestSeq: Float64Array }): void;
}
