/**
 * What a read can ask the decode workers to do with the rows they decode, besides
 * decoding them: the shapes of a training-set join's two passes as the Parquet layer
 * carries them (in decode requests and replies). The join itself lives in
 * runtime/offline (worker-matcher.ts, worker-copier.ts); the Parquet layer only
 * passes these along and calls the `WorkerJoin` it is given.
 */
import type { DecodedColumns, FlatKind, FlatRowGroup } from './parquet/row-group-reader';

/**
 * What a decode worker needs to run the first pass of one view's join on the rows
 * it decodes. The arrays live in SharedArrayBuffers: every decode request carries
 * them without copying.
 */
export interface WorkerMatchSpec {
  /** Distinguishes joins: a worker keeps one state per join until it is taken. */
  readonly joinId: number;
  /** The single join key's stored column (an integer column). */
  readonly keyColumn: string;
  /** Key value → key id, -1 for a value no entity row has. */
  readonly direct: Int32Array;
  readonly timestampColumn: string;
  readonly createdColumn: string | null;
  /** The entity index: positions of key k are [keyStart[k], keyStart[k + 1]). */
  readonly keyStart: Int32Array;
  /** Entity times by position, epoch micros. */
  readonly entityTimes: Float64Array;
  /** Microseconds; 0 = no limit. */
  readonly ttl: number;
  readonly filterByCreated: boolean;
}

/** A request to run a join's first pass on a row group where it is decoded. */
export interface MatchRequest {
  readonly spec: WorkerMatchSpec;
  /** The row group's first row's index in the view's read order (the "read last" tie-break). */
  readonly rowBase: number;
}

/** A worker's best row per entity position: its event and created times and read order (-1 = none). */
export interface WorkerMatchState {
  // Own buffers (not shared), so that a state moves between threads without a copy.
  readonly bestTime: Float64Array<ArrayBuffer>;
  readonly bestCreated: Float64Array<ArrayBuffer>;
  readonly bestSeq: Float64Array<ArrayBuffer>;
}

/**
 * Slots of a join's output column in shared memory, which decode workers fill
 * themselves: Float64/Float32/Int32 values, or Int64 values as pairs of 32-bit
 * words; `valid` is 1 per slot holding a value.
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

/** The join's side of a decode worker: what it runs on the row groups it decodes. */
export interface WorkerJoin {
  /** Matches one decoded row group whose first row is row `rowBase` of the read; false (nothing changed) when not covered. */
  matchBatch(decoded: DecodedColumns, spec: WorkerMatchSpec, rowBase: number): boolean;
  /** This worker's state for a join, then forgotten; null if it matched none of its rows. */
  takeState(joinId: number): WorkerMatchState | null;
  /** The buffers of a state, for a transfer list. */
  stateBuffers(state: WorkerMatchState | null): ArrayBuffer[];
  /** Copies the spec's rows of a flat row group into its targets; false (nothing copied) when not covered. */
  copyBestValues(flat: FlatRowGroup, spec: WorkerCopySpec): boolean;
}
