import type { DecodedColumns } from '../lakes/parquet/row-group-reader';
/**
 * What a decode worker needs to run the first pass of one view's join on the rows
 * it decodes (see worker-matcher.js). The arrays live in SharedArrayBuffers: every
 * decode request carries them without copying.
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

/** A worker's best row per entity position: its event and created times and read order (-1 = none). */
export interface WorkerMatchState {
  readonly bestTime: Float64Array;
  readonly bestCreated: Float64Array;
  readonly bestSeq: Float64Array;
}

/** Matches one decoded row group whose first row is row `rowBase` of the read; false (nothing changed) when not covered. */
export declare function matchBatch(decoded: DecodedColumns, spec: WorkerMatchSpec, rowBase: number): boolean;
/** This worker's state for a join, then forgotten; null if it matched none of its rows. */
export declare function takeState(joinId: number): WorkerMatchState | null;
/** The buffers of a state, for a transfer list. */
export declare function stateBuffers(state: WorkerMatchState | null): ArrayBuffer[];
