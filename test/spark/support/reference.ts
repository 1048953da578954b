/**
 * An independent, deliberately naive statement of the semantics (DESIGN.md): every
 * candidate row is compared with every entity row. The SQL is checked against it.
 */
import type { FeatureRow } from './random-lake';

/** true when `a` wins over `b`: later event time, later created time (none = oldest), read later. */
function wins(a: FeatureRow, b: FeatureRow): boolean {
  if (a.ts !== b.ts) return a.ts! > b.ts!;
  const ac = a.created ?? -Infinity;
  const bc = b.created ?? -Infinity;
  if (ac !== bc) return ac > bc;
  if (a.order[0] !== b.order[0]) return a.order[0] > b.order[0];
  return a.order[1] > b.order[1];
}

export interface PointInTimeQuery {
  readonly keys: readonly (number | string | null)[];
  readonly at: number;
  readonly ttlSeconds: number;
  readonly filterByCreatedTimestamp?: boolean;
}

export function latestAt(rows: readonly FeatureRow[], q: PointInTimeQuery): FeatureRow | null {
  let best: FeatureRow | null = null;
  for (const row of rows) {
    if (row.ts === null || row.ts > q.at) continue;
    if (q.ttlSeconds > 0 && row.ts < q.at - q.ttlSeconds * 1_000_000) continue;
    if (!q.keys.every((k, i) => k !== null && row.keys[i] === k)) continue;
    if (q.filterByCreatedTimestamp && row.created !== null && row.created > q.at) continue;
    if (best === null || wins(row, best)) best = row;
  }
  return best;
}

/** Latest row per entity key (no null in it) with start <= ts <= end, keyed by the JSON of the key values. */
export function snapshot(rows: readonly FeatureRow[], start: number, end: number): Map<string, FeatureRow> {
  const latest = new Map<string, FeatureRow>();
  for (const row of rows) {
    if (row.ts === null || row.ts < start || row.ts > end || row.keys.some((k) => k === null)) continue;
    const key = JSON.stringify(row.keys);
    const best = latest.get(key);
    if (!best || wins(row, best)) latest.set(key, row);
  }
  return latest;
}
