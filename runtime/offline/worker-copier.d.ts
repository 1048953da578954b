import type { FlatKind, FlatRowGroup } from '../lakes/parquet/row-group-reader';

/**
 * Slots of a join's output column in shared memory, which decode workers fill
 * themselves (see worker-copier.js): Float64/Float32/Int32 values, or Int64 values
 * as pairs of 32-bit words; `valid` is 1 per slot holding a value.
 */
export interface SharedSlots {
  readonly kind: FlatKind;
  readonly values: Float64Array | Float32Array | Int32Array;
  readonly valid: Uint8Array;
}

/** One row group's part of a join's second pass (see ReadOptions.copy). */
export interface WorkerCopySpec {
  /** Stored column → the slots its values go into. */
  readonly targets: Readonly<Record<string, readonly SharedSlots[]>>;
  /** Slot of each copied row. */
  readonly positions: Int32Array;
  /** Rows of the row group to copy, ascending. */
  readonly rows: Int32Array;
}

/** Copies the spec's rows of a flat row group into its targets; false (nothing copied) when not covered. */
export declare function copyBestValues(flat: FlatRowGroup, spec: WorkerCopySpec): boolean;
