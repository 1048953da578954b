import type { RecordBatch } from 'apache-arrow';
import type { PartFile } from './part-files';
import type { WorkerCopySpec, WorkerMatchSpec } from './scan-spec';

/** Where a batch source's data lives inside its lake. */
export interface LakeLocation {
  /** ADLS filesystem (container); on a local lake it becomes the first folder. */
  readonly filesystem: string | null;
  /** A Parquet file or a folder of part files, relative to the lake root. */
  readonly path: string;
}

export interface ReadOptions {
  /**
   * Data columns to read (names as stored, before field mapping). A column that is
   * neither in the files nor a hive partition key is a SOURCE_INVALID error.
   */
  readonly columns: readonly string[];
  /** Column whose Parquet statistics let whole row groups be skipped. */
  readonly timestampColumn?: string;
  /** Inclusive window, epoch microseconds UTC: row groups entirely outside it are skipped. */
  readonly startMicros?: number;
  readonly endMicros?: number;
  /**
   * The files read: an empty object gets the list of files the read found; given
   * again, a read takes exactly those files, so that two reads of different columns
   * see the same rows in the same order even if files are added meanwhile.
   */
  readonly fileSet?: FileSet;
  /**
   * Run a join's first pass where row groups are decoded (worker threads): batches
   * it ran on are marked (`wasHandled`), the others are left to the caller, and the
   * workers' states are collected with the decoder's `takeMatches`.
   */
  readonly match?: WorkerMatchSpec;
  /**
   * Run a join's second pass where row groups are decoded (worker threads): the
   * values of `rowGroups[i].rows` of the i-th row group read go into slots
   * `rowGroups[i].positions` of each column's `targets`. Batches copied so are marked
   * (`wasHandled`); the others are left to the caller.
   */
  readonly copy?: WorkerCopyPlan;
}

/** See `ReadOptions.copy`. */
export interface WorkerCopyPlan {
  readonly targets: WorkerCopySpec['targets'];
  /** Per row group read, in order. */
  readonly rowGroups: readonly { readonly positions: Int32Array; readonly rows: Int32Array }[];
}

/** The part files of one read (see `ReadOptions.fileSet`). */
export interface FileSet {
  files?: readonly PartFile[];
}

/**
 * One lake (local folder, HDFS over WebHDFS, ADLS Gen2). Readers yield Apache Arrow
 * record batches, one Parquet row group at a time, reading only the asked columns.
 * Hive partition values (`key=value` folders) are appended as Utf8 columns.
 */
export interface LakeReader {
  read(location: LakeLocation, options: ReadOptions): AsyncIterable<RecordBatch>;
  /** Writes `bytes` as `<location>/<fileName>` atomically (temp name, then rename). */
  writeFile(location: LakeLocation, fileName: string, bytes: Uint8Array): Promise<void>;
  /** Whole-file read, for small files such as the registry itself. */
  readFile(path: string): Promise<Uint8Array>;
  close(): Promise<void>;
}
