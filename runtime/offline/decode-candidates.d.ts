/**
 * What a decode worker needs to find point-in-time candidates for one view's rows
 * (see decode-candidates.js). The arrays live in SharedArrayBuffers: every decode
 * request carries them without copying.
 */
export interface CandidateSpec {
  /** Distinguishes joins, so a worker keeps one finder per join. */
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

/** A row group's candidates, in arrays of exactly `count` entries. */
export interface FoundCandidates {
  readonly count: number;
  readonly positions: Int32Array;
  readonly rows: Int32Array;
  readonly times: Float64Array;
  readonly created: Float64Array;
}

/** The candidates of one decoded row group (Arrow IPC bytes), or null when the case is not covered. */
export declare function decodeCandidates(ipc: Uint8Array, spec: CandidateSpec): FoundCandidates | null;
