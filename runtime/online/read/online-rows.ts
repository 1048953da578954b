/**
 * An online read's result: what the feature server writes as JSON and what
 * `onlineResponse` turns into Feast's response. The output columns come in groups
 * that share an event time per row: the columns of one feature view, or a single
 * entity column. Each column is one array of its rows' values, as Feast's response
 * holds it: a column of numbers stays an array of unboxed doubles, and in-process
 * callers get the arrays themselves, not copies.
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
  /** Rows in the group. */
  readonly count: number;
  /** Per output column, its value in each row, in the response's JSON form. */
  readonly columns: readonly unknown[][];
  /** Status code (`STATUS_NAMES`) of column `c` in row `r`, at `c * count + r`. */
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

/**
 * Statuses are cut from shared slabs, as Buffer's pool does: a typed array of over 64
 * bytes gets a backing store of its own, off the V8 heap, and thousands a second of
 * those were left waiting for a full collection.
 */
const SLAB_BYTES = 64 * 1024;
let slab = new Uint8Array(0);
let slabUsed = 0;

/** `count` zero bytes (PRESENT statuses). */
export function zeroStatuses(count: number): Uint8Array {
  if (count > SLAB_BYTES / 4) return new Uint8Array(count);
  if (slabUsed + count > slab.length) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  return slab.subarray(slabUsed, (slabUsed += count));
}

/** A column of doubles, copied (as long as needed) for columns of numbers: filling one then allocates nothing more. */
let doubles: number[] = [];

/**
 * A group of `width` columns and `count` rows, every status PRESENT, to be filled.
 * `numbers[c]`: column c holds numbers (it starts as an array of doubles).
 */
export function emptyGroup(width: number, count: number, numbers?: readonly boolean[]): ColumnGroup {
  if (numbers && doubles.length < count) doubles = new Array(count).fill(0.5);
  const columns = Array.from({ length: width }, (_, c) => (numbers?.[c] ? doubles.slice(0, count) : new Array(count)));
  return { width, count, columns, statuses: zeroStatuses(width * count), stamps: new Array(count) };
}

/** A column of PRESENT statuses, copied (as long as needed): a copy costs less than a fill. */
let allPresent: FeatureStatus[] = [];

/** True when `count` statuses from `from` are all PRESENT. */
export function isAllPresent(statuses: Uint8Array, from: number, count: number): boolean {
  for (let r = 0; r < count; r++) if (statuses[from + r] !== PRESENT) return false;
  return true;
}

/** A fresh column of `count` PRESENT statuses. */
function presentColumn(count: number): FeatureStatus[] {
  if (allPresent.length < count) allPresent = new Array(count).fill(STATUS_NAMES[PRESENT]);
  return allPresent.slice(0, count);
}

function statusNames(statuses: Uint8Array, from: number, count: number): FeatureStatus[] {
  const names: FeatureStatus[] = new Array(count);
  for (let r = 0; r < count; r++) names[r] = STATUS_NAMES[statuses[from + r]];
  return names;
}

/**
 * Feast's column-oriented response for rows `[offset, offset + count)`. With
 * `takeColumns`, a response of every row is given the groups' arrays instead of
 * copies (`rows` must not be used afterwards), and the columns of a group share its
 * event times and, when all are PRESENT, one array of statuses.
 */
export function onlineResponse(rows: OnlineRows, offset = 0, count = rows.count - offset, takeColumns = false): OnlineFeaturesResponse {
  const results: OnlineFeatureColumn[] = new Array(rows.featureNames.length);
  let at = 0;
  const whole = takeColumns && offset === 0 && count === rows.count;
  const end = offset + count;
  for (const group of rows.groups) {
    const groupStamps = whole ? group.stamps : group.stamps.slice(offset, end);
    let shared: FeatureStatus[] | undefined;
    for (let c = 0; c < group.width; c++) {
      const from = c * group.count + offset;
      let statuses: FeatureStatus[];
      if (!isAllPresent(group.statuses, from, count)) statuses = statusNames(group.statuses, from, count);
      else statuses = whole ? (shared ??= presentColumn(count)) : presentColumn(count);
      const values = whole ? group.columns[c] : group.columns[c].slice(offset, end);
      results[at++] = { values, statuses, event_timestamps: c === 0 || whole ? groupStamps : groupStamps.slice() };
    }
  }
  return { metadata: { feature_names: whole ? (rows.featureNames as string[]) : [...rows.featureNames] }, results };
}
