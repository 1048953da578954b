import { numberJson } from '../../runtime/server/number-json';

/** A deterministic stream of doubles in [0, 1), so a failure can be reproduced. */
function randomDoubles(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const high = state;
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (high * 2 ** 21 + (state >>> 11)) / 2 ** 53;
  };
}

function mismatches(values: Iterable<number>): string[] {
  const wrong: string[] = [];
  for (const v of values) if (numberJson(v) !== String(v)) wrong.push(`${String(v)} printed as ${numberJson(v)}`);
  return wrong;
}

describe('numberJson', () => {
  test('prints short decimals, as feature values mostly are, as String does', () => {
    const random = randomDoubles(7);
    function* decimals(): Generator<number> {
      for (let i = 0; i < 100_000; i++) {
        const digits = Math.floor(random() * 10 ** (1 + Math.floor(random() * 15)));
        const value = digits / 10 ** Math.floor(random() * 12);
        yield value;
        yield -value;
        yield value * (1 + Number.EPSILON);
      }
    }
    expect(mismatches(decimals())).toEqual([]);
  });

  test('prints any other double as String does', () => {
    const random = randomDoubles(11);
    const bits = new DataView(new ArrayBuffer(8));
    function* others(): Generator<number> {
      for (let i = 0; i < 100_000; i++) {
        yield random() * 10 ** Math.floor(random() * 12);
        yield Math.fround(random() * 100);
        bits.setUint32(0, random() * 2 ** 32);
        bits.setUint32(4, random() * 2 ** 32);
        yield bits.getFloat64(0);
      }
    }
    expect(mismatches(others())).toEqual([]);
  });

  test('edge cases: zeros, the ends of fixed notation, the ends of small integers, 0.1 + 0.2', () => {
    const edges = [0, -0, 0.1 + 0.2, 1e-6, 1e-7, 9.999999e-7, 1.5e-6, 0.000001234, 2147483647.5, 2147483648.5, 2 ** 31 - 0.001, 0.999999999, 0.9999999999];
    expect(mismatches([...edges, 999999.999999999, 1e9 - 0.001, 5e-324, Number.MAX_VALUE, 1e21, 2 ** 60, -(2 ** 53)])).toEqual([]);
  });
});
