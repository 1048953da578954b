/** Microseconds per unit of Arrow's TimeUnit enum (SECOND, MILLISECOND, MICROSECOND, NANOSECOND). */
export declare const UNIT_TO_MICROS: readonly number[];
/** Writes `length` 64-bit integers times `scale` into `out` from `offset`; a scale below 1 rounds down. */
export declare function int64ToMicros(values: BigInt64Array, length: number, out: Float64Array, offset: number, scale: number): void;
