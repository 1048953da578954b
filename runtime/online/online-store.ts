/**
 * The seam between the online path and a store (Redis, embedded LMDB). Stores move
 * bytes and apply the never-older rule atomically; what the bytes mean lives in the
 * codecs, so both stores hold the same bytes for the same data.
 */
import type { OnlineCodecs } from './codecs';
import type { RecordWrite } from './packed-records';
import type { Bulks } from './resp';
import type { VectorStore } from './vector/vector-store';

/** The fields to read from one hash (`feast` layout). */
export interface HashRead {
  readonly key: Buffer;
  readonly fields: readonly Buffer[];
}

/** Compact records to write (packed); each replaces the stored one only if `compactMayReplace`. */
export type { RecordWrite } from './packed-records';

/** One view's rows in Feast's layout; each row is written only if its time is not older. */
export interface HashWrite {
  /** `_ts:<view>`. */
  readonly timestampField: Buffer;
  /** The feature fields, the same for every row. */
  readonly fields: readonly Buffer[];
  readonly rows: readonly {
    readonly key: Buffer;
    /** Encoded `Timestamp`. */
    readonly timestamp: Buffer;
    /** The same time in whole seconds, for the comparison. */
    readonly seconds: number;
    /** One encoded `Value` per field. */
    readonly values: readonly Buffer[];
  }[];
}

export interface OnlineStore {
  /** What was compiled from the manifest when the store opened. */
  readonly codecs: OnlineCodecs;
  /** Plain values (compact records), in one round trip; null where missing. */
  getValues(keys: readonly Buffer[]): Promise<(Buffer | null)[]>;
  /** `getValues` of keys written one after another as RESP bulk strings (no object per key). */
  getPackedValues(keys: Bulks): Promise<(Buffer | null)[]>;
  /** Hash fields, in one round trip; null where missing. */
  getHashFields(reads: readonly HashRead[]): Promise<(Buffer | null)[][]>;
  /** Compare-and-write of compact records; resolves to the number written. */
  writeRecords(write: RecordWrite): Promise<number>;
  /** Compare-and-write of Feast hashes; resolves to the number of rows written. */
  writeHashes(write: HashWrite): Promise<number>;
  /**
   * Read-modify-write of plain values (aggregation tiles): `update` gets a key's
   * current value and its index in `keys`, and returns the new value (null: leave it).
   * Each key is replaced only if it did not change meanwhile; `update` runs again for
   * those that did.
   */
  updateValues(keys: readonly Buffer[], update: ValueUpdate): Promise<void>;
  /** The vector indexes (retrieveOnlineDocuments); absent when the manifest declares none. */
  readonly vectors?: VectorStore;
  /** Materialization watermark of each view, epoch µs. */
  readWatermarks(): Promise<Map<string, number>>;
  /** Moves a view's watermark forward to `micros` (never back). */
  advanceWatermark(view: string, micros: number): Promise<void>;
  close(): Promise<void>;
}

/** A key's new value from its current one (null when absent) and its index; null leaves it as it is. */
export type ValueUpdate = (current: Buffer | null, index: number) => Buffer | null;
