/** Value helpers shared by the feature and infrastructure diffs and the renderers. */

export type JsonObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Structural equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

const UNITS: [number, string][] = [
  [7 * 86400, 'w'],
  [86400, 'd'],
  [3600, 'h'],
  [60, 'm'],
  [1, 's'],
];

/** `86400` -> `1d`, `5400` -> `1h30m`, `0` -> `0 (no limit)`: how a TTL reads in a review. */
export function formatTtl(seconds: number): string {
  if (seconds === 0) return '0 (no limit)';
  let rest = seconds;
  let out = '';
  for (const [size, unit] of UNITS) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

function compact(value: unknown): string {
  if (value === null) return 'null';
  // Quote what would not read as one plain line.
  if (typeof value === 'string') return value === '' || /[\x00-\x1f]/.test(value) ? JSON.stringify(value) : value;
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(compact).join(', ')}]`;
  const obj = value as JsonObject;
  // Join keys and fields read best as `name: Type`.
  if (typeof obj.name === 'string' && typeof (obj.valueType ?? obj.dtype) === 'string') {
    return `${obj.name}: ${String(obj.valueType ?? obj.dtype)}`;
  }
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${k}: ${compact(obj[k])}`)
    .join(', ')}}`;
}

const LONG = 120;

/** One-line human rendering of a field value; `path` picks special forms (TTLs). */
export function formatValue(value: unknown, path = ''): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'number' && /(^|\.)ttlSeconds$/.test(path)) return formatTtl(value);
  const text = compact(value);
  return text.length > LONG ? `${text.slice(0, LONG - 1)}…` : text;
}
