/**
 * Time in the runtime is a plain number: epoch microseconds, UTC. Doubles hold
 * integers exactly up to 2^53 (year 2255 in microseconds), and number arithmetic
 * is far cheaper than bigint over millions of rows.
 */
import { DataType, TimeUnit, type Data, type Vector } from 'apache-arrow';
import { FeatureStoreError } from '../errors';
import { int64ToMicros, UNIT_TO_MICROS } from './epoch-micros';

export const MICROS_PER_SECOND = 1_000_000;

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO 8601 timestamp (`2024-05-01`, `2024-05-01T12:00:00`, `...Z`,
 * `...+02:00`, fractions to nanoseconds) into epoch microseconds. A timestamp
 * without a zone is UTC. `what` names the value in the error.
 */
export function parseTimestamp(text: string, what: string): number {
  const m = ISO.exec(text.trim());
  if (!m) {
    throw new FeatureStoreError(
      'TIMESTAMP_INVALID',
      `${what}: "${text}" is not a timestamp`,
      'use ISO 8601, e.g. 2024-05-01T12:00:00Z (no zone means UTC)',
    );
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  const check = new Date(ms);
  if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 59) {
    throw new FeatureStoreError('TIMESTAMP_INVALID', `${what}: "${text}" is not a valid date or time`, 'check the month, day and time fields');
  }
  let micros = ms * 1000 + Math.floor(Number((frac + '000000').slice(0, 6)));
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    micros -= sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60) * MICROS_PER_SECOND;
  }
  return micros;
}

/** Epoch microseconds → ISO 8601 UTC string with microsecond precision when needed. */
export function formatTimestamp(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString();
  const rest = micros - ms * 1000;
  return rest === 0 ? iso : iso.replace(/Z$/, `${String(rest).padStart(3, '0')}Z`);
}

/** Any accepted timestamp value (Date, ISO string, epoch micros number) → epoch micros. */
export function toMicros(value: Date | string | number, what: string): number {
  if (value instanceof Date) {
    const t = value.getTime();
    if (Number.isNaN(t)) throw new FeatureStoreError('TIMESTAMP_INVALID', `${what}: invalid Date`, 'pass a valid Date or an ISO 8601 string');
    return t * 1000;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new FeatureStoreError('TIMESTAMP_INVALID', `${what}: ${value} is not a timestamp`, 'pass epoch microseconds, a Date or an ISO 8601 string');
    return value;
  }
  return parseTimestamp(value, what);
}

/**
 * An Arrow column of timestamps (any unit, with or without zone; naive means UTC),
 * dates, or ISO strings → epoch microseconds. Nulls become NaN.
 * `what` names the column in errors.
 */
export function timestampColumnToMicros(vector: Vector, what: string): Float64Array {
  const out = new Float64Array(vector.length);
  let offset = 0;
  for (const data of vector.data) {
    const type = data.type;
    if (DataType.isTimestamp(type)) {
      int64ToMicros(data.values as unknown as BigInt64Array, data.length, out, offset, UNIT_TO_MICROS[type.unit as TimeUnit]);
    } else if (DataType.isDate(type)) {
      for (let i = 0; i < data.length; i++) {
        const v = (data.type.unit === 0 ? (data.values as Int32Array)[i] * 86_400_000 : Number((data.values as unknown as BigInt64Array)[i])) * 1000;
        out[offset + i] = v;
      }
    } else if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) {
      const vec = vector.data.length === 1 ? vector : null;
      for (let i = 0; i < data.length; i++) {
        const s = (vec ?? vector).get(offset + i) as string | null;
        out[offset + i] = s === null ? NaN : parseTimestamp(s, `${what}, row ${offset + i + 1}`);
      }
    } else {
      throw new FeatureStoreError(
        'TIMESTAMP_INVALID',
        `column "${what}" has type ${String(type)}, not a timestamp`,
        'store event and created times as Parquet TIMESTAMP (any unit), DATE, or ISO 8601 strings',
      );
    }
    if (data.nullCount > 0) {
      for (let i = 0; i < data.length; i++) if (!data.getValid(i)) out[offset + i] = NaN;
    }
    offset += data.length;
  }
  return out;
}
