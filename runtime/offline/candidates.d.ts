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
