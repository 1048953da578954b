/** Timestamps as protobuf's JSON mapping writes them (Feast's responses): RFC 3339 UTC, 0/3/6 fraction digits. */

export const EPOCH = '1970-01-01T00:00:00Z';

export function protoTimestamp(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (fraction === 0) return `${base}Z`;
  if (fraction % 1000 === 0) return `${base}.${String(fraction / 1000).padStart(3, '0')}Z`;
  return `${base}.${String(fraction).padStart(6, '0')}Z`;
}
