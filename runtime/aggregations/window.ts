/**
 * The window rule, in one place (docs/aggregations.md). Tiles are right-closed:
 * tile k holds the events with (k - 1)·tile < ts <= k·tile (epoch time). The window
 * of length w as of time t holds the events with ceil(t / tile)·tile - w < ts <= t:
 * its end is exact, its start is aligned to a tile boundary, so that it is the union
 * of whole tiles cut at t — what the online store can combine. At a tile boundary
 * it is exactly (t - w, t].
 */
import type { AggregationSpec } from '../manifest/schema';

export const MICROS_PER_SECOND = 1_000_000;

/** The tile holding an event at `micros`. */
export function tileOf(micros: number, tileMicros: number): number {
  return Math.ceil(micros / tileMicros);
}

/** Events of the window as of `t` are strictly after this time (epoch micros). */
export function windowStartExclusive(t: number, windowMicros: number, tileMicros: number): number {
  return tileOf(t, tileMicros) * tileMicros - windowMicros;
}

/** The distinct windows of a spec, ascending, in seconds. */
export function windowsOf(spec: AggregationSpec): number[] {
  return [...new Set(spec.outputs.map((o) => o.windowSeconds))].sort((a, b) => a - b);
}

export function longestWindowSeconds(spec: AggregationSpec): number {
  return Math.max(...spec.outputs.map((o) => o.windowSeconds));
}
