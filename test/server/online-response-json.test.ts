import type { OnlineFeaturesResponse } from '../../runtime/online';
import { onlineResponseJson } from '../../runtime/server/online-response-json';

function response(rows: number): OnlineFeaturesResponse {
  const column = (values: unknown[]) => ({
    values: values.slice(0, rows),
    statuses: ['PRESENT', 'NULL_VALUE', 'NOT_FOUND', 'OUTSIDE_MAX_AGE', 'PRESENT', 'PRESENT'].slice(0, rows) as never,
    event_timestamps: Array.from({ length: rows }, (_, i) => `2024-05-0${i + 1}T00:00:00.000001Z`),
  });
  return {
    metadata: { feature_names: ['driver_id', 'conv "rate"', 'tags', 'blob'] },
    results: [
      column(['9007199254740993', 1002, -0, 1e21, 5, 6]),
      column([0.1, null, NaN, -1.5e-7, 2, 3]),
      column([['a', 'b\n'], [], [1, 2], [true], null, ['é']]),
      column(['AQI=', 'quote"d', 'back\\slash', false, true, '\u2028']),
    ],
  };
}

describe('onlineResponseJson', () => {
  it.each([0, 1, 3, 6])('writes the same bytes as JSON.stringify for %i rows', (rows) => {
    const r = response(rows);
    expect(onlineResponseJson(r)).toBe(JSON.stringify(r));
  });
});
