import type { Table } from 'apache-arrow';
import type { FeatureSelection } from '../manifest/features';

/** Feast's online field statuses. */
export type FeatureStatus = 'PRESENT' | 'NULL_VALUE' | 'NOT_FOUND' | 'OUTSIDE_MAX_AGE';

export interface GetOnlineFeaturesRequest extends FeatureSelection {
  /** Columnar entity values: `{ driver_id: [1001, 1002] }`. */
  readonly entities: Readonly<Record<string, readonly unknown[]>>;
  /** Name output columns `view__feature`. @default false */
  readonly fullFeatureNames?: boolean;
}

/** One output column: a value, a status and an event time per entity row. */
export interface OnlineFeatureColumn {
  values: unknown[];
  /** The columns of one feature view may share this array: copy it before changing it. */
  statuses: readonly FeatureStatus[];
  /**
   * RFC 3339 UTC; `1970-01-01T00:00:00Z` for join keys and values not found. The
   * columns of one feature view may share this array: copy it before changing it.
   */
  event_timestamps: readonly string[];
}

/** Feast's column-oriented response: join key columns first, then the features. */
export interface OnlineFeaturesResponse {
  metadata: { feature_names: string[] };
  results: OnlineFeatureColumn[];
}

/** Reported while a view materializes (reading the lake, then writing online). */
export interface MaterializeProgress {
  readonly view: string;
  readonly phase: 'reading' | 'writing';
  /** Rows read so far (reading) or written so far (writing). */
  readonly rows: number;
  /** Rows to write; known once reading is done. */
  readonly totalRows?: number;
  readonly rowsPerSecond: number;
}

export interface MaterializeOptions {
  /** Online views to materialize. @default every online view */
  readonly views?: readonly string[];
  /** Called as rows are read and written; a throw stops the run (nothing is lost, the watermark stays). */
  readonly onProgress?: (progress: MaterializeProgress) => void;
}

export interface MaterializeRequest extends MaterializeOptions {
  /** Inclusive window start: Date, ISO 8601 string, or epoch microseconds. */
  readonly start: Date | string | number;
  /** Inclusive window end. */
  readonly end: Date | string | number;
}

export interface MaterializeIncrementalRequest extends MaterializeOptions {
  /** Inclusive end; each view starts at its watermark (or end - ttl, or end - 52 weeks). Not in the future. */
  readonly end: Date | string | number;
}

export interface MaterializedView {
  name: string;
  /** Entity keys offered to the online store (the latest row of each). */
  rows: number;
  /** Rows read from the lake in the window. */
  rowsRead: number;
  /** Window, ISO 8601 UTC. */
  start: string;
  end: string;
}

export interface MaterializeResult {
  views: MaterializedView[];
}

/** Rows to write online: an Arrow table or columns of JSON values (as Feast's `df`). */
export type OnlineRows = Table | Readonly<Record<string, readonly unknown[]>>;

export interface WriteToOnlineStoreRequest {
  readonly featureView: string;
  /**
   * The view's join keys, features and event timestamp column (the batch source's
   * timestamp field, or `event_timestamp`), named as in the view or as in the source
   * data; the created timestamp column is optional. Missing features are written null.
   */
  readonly rows: OnlineRows;
}

export interface WriteResult {
  /** Entity keys offered (the latest row of each). */
  rows: number;
  /** Keys actually written: the others already held a newer value. */
  written: number;
}
