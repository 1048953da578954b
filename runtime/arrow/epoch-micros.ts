/**
 * Arrow timestamp and date columns as epoch microseconds in a Float64Array, without
 * making a bigint per value. Shared by timestamps.ts and the decode workers.
 */

/** Microseconds per unit of Arrow's TimeUnit enum (SECOND, MILLISECOND, MICROSECOND, NANOSECOND). */
export const UNIT_TO_MICROS: readonly number[] = [1_000_000, 1_000, 1, 0.001];

/**
 * Writes `length` 64-bit integers (`values`) times `scale` into `out` from `offset`;
 * a scale below 1 (nanoseconds) rounds down.
 */
export function int64ToMicros(values: BigInt64Array, length: number, out: Float64Array, offset: number, scale: number): void {
  const words = new Int32Array(values.buffer, values.byteOffset, length * 2);
  if (scale === 1) {
    for (let i = 0; i < length; i++) out[offset + i] = words[2 * i + 1] * 4294967296 + (words[2 * i] >>> 0);
    return;
  }
  // Nanoseconds are divided, not multiplied by 0.001, which is not exact in binary.
  const divisor = scale < 1 ? Math.round(1 / scale) : 0;
  for (let i = 0; i < length; i++) {
    const v = words[2 * i + 1] * 4294967296 + (words[2 * i] >>> 0);
    out[offset + i] = divisor > 0 ? Math.floor(v / divisor) : v * scale;
  }
}
