/**
 * A finite number as JSON text: exactly `String(value)`, about three times faster for
 * the short decimals most feature values are (0.07, 19.99, 1234.5). V8 prints a
 * double with its general shortest-digits algorithm (about 0.1 µs each, 50 of them
 * in a 1×50 response); a number with at most 9 decimals and 15 significant digits
 * can be printed from integers instead.
 *
 * Why the result is the same: a decimal of at most 15 significant digits is the only
 * one of its length that parses to its double, and `m / 10^d` (both exact, division
 * correctly rounded) is what parsing `m·10^-d` gives; so the smallest d for which
 * `round(value·10^d) / 10^d === value` gives the shortest digits, which is what
 * `String` prints in fixed notation (used from 1e-6 up to 1e21).
 */

const POWERS_OF_TEN = Array.from({ length: 10 }, (_, i) => 10 ** i);
const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000', '00000000'];
/** Whole parts and fractions below this are small integers, which V8 prints fast. */
const SMALL_INTEGER = 2 ** 31;

/** Most decimals `value` may have so that it has at most 15 significant digits (and at most 9 decimals). */
function mostDecimals(value: number): number {
  return value < 1e6 ? 9 : value < 1e7 ? 8 : value < 1e8 ? 7 : value < 1e9 ? 6 : 5;
}

/** `String(value)` for a finite number (callers write `null` for NaN and infinities). */
export function numberJson(value: number): string {
  const a = value < 0 ? -value : value;
  if (!(a >= 1e-6 && a < SMALL_INTEGER) || Number.isInteger(a)) return '' + value;
  const most = mostDecimals(a);
  // Not a short decimal (a computed ratio, a widened Float32): one test, then V8's way.
  if (Math.round(a * POWERS_OF_TEN[most]) / POWERS_OF_TEN[most] !== a) return '' + value;
  let decimals = 1;
  let digits = Math.round(a * 10);
  while (digits / POWERS_OF_TEN[decimals] !== a) digits = Math.round(a * POWERS_OF_TEN[++decimals]);
  const whole = Math.floor(a);
  const fraction = digits - whole * POWERS_OF_TEN[decimals];
  let fractionDigits = 1;
  while (fraction >= POWERS_OF_TEN[fractionDigits]) fractionDigits++;
  return (value < 0 ? '-' : '') + whole + '.' + ZEROS[decimals - fractionDigits] + fraction;
}
