import { isFeatureStoreError } from '../errors';
import type { FeatureViewSpec } from '../manifest/schema';

/** A view's materialization watermark: epoch microseconds UTC, or null if never materialized. */
export type Watermark = number | bigint | null;

/** Reads the watermarks of the online views, by view name. */
export type WatermarkReader = () => Promise<Readonly<Record<string, Watermark>>>;

/** How fresh a view's online values are. */
export type Freshness =
  | {
      readonly state: 'materialized';
      /** The watermark, ISO 8601 UTC. */
      readonly materializedUpTo: string;
      readonly ageSeconds: number;
      /** True when the watermark is older than the view's TTL: online reads would answer OUTSIDE_MAX_AGE. */
      readonly outsideTtl: boolean;
    }
  | { readonly state: 'never' }
  | { readonly state: 'offline-only' }
  | { readonly state: 'unknown'; readonly reason: string };

/** The watermarks of all online views, or the reason they could not be read. */
export type WatermarkSnapshot =
  | { readonly ok: true; readonly watermarks: Readonly<Record<string, Watermark>> }
  | { readonly ok: false; readonly reason: string };

export async function takeSnapshot(read: WatermarkReader): Promise<WatermarkSnapshot> {
  try {
    return { ok: true, watermarks: await read() };
  } catch (e) {
    // A catalog is still useful when the online store is down: say so instead of failing.
    const hint = isFeatureStoreError(e) && e.hint ? ` (${e.hint})` : '';
    return { ok: false, reason: (e as Error).message + hint };
  }
}

export function freshnessOf(view: FeatureViewSpec, snapshot: WatermarkSnapshot, now: Date): Freshness {
  if (!view.online) return { state: 'offline-only' };
  if (!snapshot.ok) return { state: 'unknown', reason: snapshot.reason };
  const watermark = snapshot.watermarks[view.name];
  if (watermark === null || watermark === undefined) return { state: 'never' };
  const millis = typeof watermark === 'bigint' ? Number(watermark / 1000n) : Math.floor(watermark / 1000);
  const ageSeconds = Math.floor((now.getTime() - millis) / 1000);
  return {
    state: 'materialized',
    materializedUpTo: isoSeconds(millis),
    ageSeconds,
    outsideTtl: view.ttlSeconds > 0 && ageSeconds > view.ttlSeconds,
  };
}

/** "2024-05-01T12:00:00Z", with milliseconds only when there are some. */
export function isoSeconds(millis: number): string {
  return new Date(millis).toISOString().replace('.000Z', 'Z');
}

/** "45 s ago", "12 min ago", "3 h ago", "4 d ago"; "in the future" for a clock ahead of ours. */
export function formatAge(seconds: number): string {
  if (seconds < 0) return 'in the future';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** One line: "materialized up to 2024-05-01T12:00:00Z (3 h ago)", "never materialized", ... */
export function describeFreshness(f: Freshness): string {
  switch (f.state) {
    case 'materialized':
      return `materialized up to ${f.materializedUpTo} (${formatAge(f.ageSeconds)})${f.outsideTtl ? ', older than its ttl' : ''}`;
    case 'never':
      return 'never materialized';
    case 'offline-only':
      return 'offline only (not served online)';
    case 'unknown':
      return `unknown: ${f.reason}`;
  }
}

/** A TTL as people say it: "2 h", "1 d", "90 min", "no limit". */
export function formatTtl(seconds: number): string {
  if (seconds === 0) return 'no limit';
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['min', 60]] as const) {
    if (seconds % size === 0) return `${seconds / size} ${unit}`;
  }
  return `${seconds} s`;
}
