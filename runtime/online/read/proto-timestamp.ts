/**
 * Timestamps as protobuf's JSON mapping writes them (Feast's responses): RFC 3339 UTC
 * with 0, 3 or 6 fraction digits. Responses format one per row and view, so the date
 * part is cached per day and the time of day is formatted by arithmetic.
 */

export const EPOCH = '1970-01-01T00:00:00Z';
const DAY_SECONDS = 86400;
const MAX_CACHED_DAYS = 4096;
const days = new Map<number, string>();

function datePart(day: number): string {
  let text = days.get(day);
  if (text === undefined) {
    if (days.size >= MAX_CACHED_DAYS) days.clear();
    text = new Date(day * DAY_SECONDS * 1000).toISOString().slice(0, 11);
    days.set(day, text);
  }
  return text;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** The last time formatted: rows of a lookup often share one (a materialization's hour). */
let lastMicros = 0;
let lastText = EPOCH;

export function protoTimestamp(micros: number): string {
  if (micros === lastMicros) return lastText;
  lastText = formatTimestamp(micros);
  lastMicros = micros;
  return lastText;
}

function formatTimestamp(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  const day = Math.floor(seconds / DAY_SECONDS);
  const inDay = seconds - day * DAY_SECONDS;
  const base = `${datePart(day)}${pad2(Math.floor(inDay / 3600))}:${pad2(Math.floor(inDay / 60) % 60)}:${pad2(inDay % 60)}`;
  if (fraction === 0) return `${base}Z`;
  if (fraction % 1000 === 0) return `${base}.${String(fraction / 1000).padStart(3, '0')}Z`;
  return `${base}.${String(fraction).padStart(6, '0')}Z`;
}
