/**
 * An online read's result, row-major: what the feature server writes as JSON without
 * building Feast's columns first, and what `onlineResponse` turns into those columns
 * for in-process callers. The output columns come in groups that share an event time
 * per row: the columns of one feature view, or a single entity column.
 */
import type { FeatureStatus, OnlineFeatureColumn, OnlineFeaturesResponse } from '../types';

/** Feature statuses by code, as `ColumnGroup.statuses` stores them. */
export const STATUS_NAMES: readonly FeatureStatus[] = ['PRESENT', 'NULL_VALUE', 'NOT_FOUND', 'OUTSIDE_MAX_AGE'];
export const PRESENT = 0;
export const NULL_VALUE = 1;
export const NOT_FOUND = 2;
export const OUTSIDE_MAX_AGE = 3;

/** Output columns that share each row's event time. */
export interface ColumnGroup {
  /** Output columns in the group. */
  readonly width: number;
  /** Value of column `c` in row `r` at `r * width + c`, in the response's JSON form. */
  readonly values: unknown[];
  /** Status code (`STATUS_NAMES`) of each value, at the same index. */
  readonly statuses: Uint8Array;
  /** Event time of each row, RFC 3339. */
  readonly stamps: string[];
}

export interface OnlineRows {
  /** Output column names: entity columns, then features, in request order. */
  readonly featureNames: readonly string[];
  readonly count: number;
  readonly groups: readonly ColumnGroup[];
}

/** Feast's column-oriented response for rows `[offset, offset + count)`. */
export function onlineResponse(rows: OnlineRows, offset = 0, count = rows.count - offset): OnlineFeaturesResponse {
  const results: OnlineFeatureColumn[] = [];
  const end = offset + count;
  for (const { width, values, statuses, stamps } of rows.groups) {
    const groupStamps = stamps.slice(offset, end);
    for (let c = 0; c < width; c++) {
      const column: OnlineFeatureColumn = { values: new Array(count), statuses: new Array(count), event_timestamps: c === 0 ? groupStamps : [...groupStamps] };
      for (let r = offset; r < end; r++) {
        column.values[r - offset] = values[r * width + c];
        column.statuses[r - offset] = STATUS_NAMES[statuses[r * width + c]];
      }
      results.push(column);
    }
  }
  return { metadata: { feature_names: [...rows.featureNames] }, results };
}
