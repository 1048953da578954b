/** The entity positions a feature row can compete for (see candidates.js). */
export declare class CandidateFinder {
  constructor(index: { readonly keyStart: Int32Array; readonly times: Float64Array }, ttl: number, filterByCreated: boolean);
  /** Candidate positions, rows, times and created times (null = -Infinity) of the last `find`. */
  readonly positions: Int32Array;
  readonly rows: Int32Array;
  readonly times: Float64Array;
  readonly created: Float64Array;
  /** Finds the candidates of a batch's usable rows, grouped by key range; returns how many. */
  find(keyIds: Int32Array, times: Float64Array, created: Float64Array | null, count: number): number;
}

/** The best feature row per entity position: event time, created time, read order (-1 = none). */
export declare class BestRows {
  constructor(n: number);
  readonly bestTime: Float64Array;
  readonly bestCreated: Float64Array;
  readonly bestSeq: Float64Array;
  /** Keeps the better of each of `finder`'s last `count` candidates (rows numbered from `rowBase`) and its position's best row. */
  offer(finder: CandidateFinder, count: number, rowBase: number): void;
  /** Merges another thread's best rows. */
  merge(other: { readonly bestTime: Float64Array; readonly bestCreated: Float64Array; readonly bestSeq: Float64Array }): void;
}
