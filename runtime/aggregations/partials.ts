/**
 * Partial aggregates: per column, what count, sum, mean, min, max and last need
 * (count of non-null values, sum, min, max, and the latest value with its event and
 * created times). Events add into a state; states of tiles merge. Training adds
 * events, the online store merges tiles: the same arithmetic either way.
 */
import type { AggregationFunction } from '../manifest/schema';

/** Numbers per column in a state: count, sum, min, max, last event time, last created time, last value. */
export const STATE_WIDTH = 7;
const COUNT = 0;
const SUM = 1;
const MIN = 2;
const MAX = 3;
const LAST_TS = 4;
const LAST_CREATED = 5;
const LAST = 6;

export function emptyStates(columns: number): Float64Array {
  const s = new Float64Array(columns * STATE_WIDTH);
  for (let c = 0; c < columns; c++) resetState(s, c);
  return s;
}

export function resetState(s: Float64Array, column: number): void {
  const o = column * STATE_WIDTH;
  s[o + COUNT] = 0;
  s[o + SUM] = 0;
  s[o + MIN] = Infinity;
  s[o + MAX] = -Infinity;
  s[o + LAST_TS] = -Infinity;
  s[o + LAST_CREATED] = -Infinity;
  s[o + LAST] = NaN;
}

/**
 * Adds one event's value of `column` (NaN = null: ignored, as SQL aggregates do).
 * A missing created time is -Infinity (oldest). The latest event wins `last`; on a
 * tie of both times, the one added later.
 */
export function addValue(s: Float64Array, column: number, value: number, ts: number, created: number): void {
  if (value !== value) return;
  const o = column * STATE_WIDTH;
  s[o + COUNT]++;
  s[o + SUM] += value;
  if (value < s[o + MIN]) s[o + MIN] = value;
  if (value > s[o + MAX]) s[o + MAX] = value;
  if (ts > s[o + LAST_TS] || (ts === s[o + LAST_TS] && created >= s[o + LAST_CREATED])) {
    s[o + LAST_TS] = ts;
    s[o + LAST_CREATED] = created;
    s[o + LAST] = value;
  }
}

/** Merges `from` (states at `fromOffset`, `columns` wide) into `into`; `from` wins ties of `last`. */
export function mergeStates(into: Float64Array, from: Float64Array, columns: number, fromOffset = 0): void {
  for (let c = 0; c < columns; c++) {
    const o = c * STATE_WIDTH;
    const f = fromOffset + o;
    if (from[f + COUNT] === 0) continue;
    into[o + COUNT] += from[f + COUNT];
    into[o + SUM] += from[f + SUM];
    if (from[f + MIN] < into[o + MIN]) into[o + MIN] = from[f + MIN];
    if (from[f + MAX] > into[o + MAX]) into[o + MAX] = from[f + MAX];
    const ts = from[f + LAST_TS];
    if (ts > into[o + LAST_TS] || (ts === into[o + LAST_TS] && from[f + LAST_CREATED] >= into[o + LAST_CREATED])) {
      into[o + LAST_TS] = ts;
      into[o + LAST_CREATED] = from[f + LAST_CREATED];
      into[o + LAST] = from[f + LAST];
    }
  }
}

/** The aggregate of `column`; null for an empty window, except count (0). */
export function finish(s: Float64Array, column: number, fn: AggregationFunction): number | null {
  const o = column * STATE_WIDTH;
  const count = s[o + COUNT];
  if (fn === 'count') return count;
  if (count === 0) return null;
  switch (fn) {
    case 'sum':
      return s[o + SUM];
    case 'mean':
      return s[o + SUM] / count;
    case 'min':
      return s[o + MIN];
    case 'max':
      return s[o + MAX];
    case 'last':
      return s[o + LAST];
  }
}

/** The latest event time a state has seen (over all columns), or -Infinity. */
export function latestEvent(s: Float64Array, columns: number): number {
  let latest = -Infinity;
  for (let c = 0; c < columns; c++) if (s[c * STATE_WIDTH + COUNT] > 0 && s[c * STATE_WIDTH + LAST_TS] > latest) latest = s[c * STATE_WIDTH + LAST_TS];
  return latest;
}
