import type { FeatureStatus, OnlineFeatureColumn, OnlineFeaturesResponse } from '../../runtime/online';
import { allRows, onlineResponseJson } from '../../runtime/server/online-json';

const response: OnlineFeaturesResponse = {
  metadata: { feature_names: ['driver_id', 'conv_rate', 'name', 'tags', 'flag', 'score'] },
  results: [
    { values: [1001, '9007199254740993', 3], statuses: ['PRESENT', 'PRESENT', 'PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'] },
    { values: [0.5, null, -1e-7], statuses: ['PRESENT', 'NOT_FOUND', 'PRESENT'], event_timestamps: ['2021-03-31T22:00:00Z', '1970-01-01T00:00:00Z', '2021-03-31T22:00:00.123Z'] },
    { values: ['say "hi"\n', 'é\u2028', ''], statuses: ['PRESENT', 'PRESENT', 'NULL_VALUE'], event_timestamps: ['2021-03-31T22:00:00Z', '2021-03-31T22:00:00Z', '2021-03-31T22:00:00Z'] },
    { values: [['a', 'b'], [], null], statuses: ['PRESENT', 'PRESENT', 'OUTSIDE_MAX_AGE'], event_timestamps: ['2021-03-31T22:00:00Z', '2021-03-31T22:00:00Z', '2020-01-01T00:00:00.000001Z'] },
    { values: [true, false, null], statuses: ['PRESENT', 'PRESENT', 'NULL_VALUE'], event_timestamps: ['2021-03-31T22:00:00Z', '2021-03-31T22:00:00Z', '2021-03-31T22:00:00Z'] },
    { values: [NaN, Infinity, 2 ** 60], statuses: ['PRESENT', 'PRESENT', 'PRESENT'], event_timestamps: ['2021-03-31T22:00:00Z', '2021-03-31T22:00:00Z', '2021-03-31T22:00:00Z'] },
  ],
};

const rowsOf = (offset: number, rows: number): OnlineFeaturesResponse => ({
  metadata: response.metadata,
  results: response.results.map((r) => ({
    values: r.values.slice(offset, offset + rows),
    statuses: r.statuses.slice(offset, offset + rows),
    event_timestamps: r.event_timestamps.slice(offset, offset + rows),
  })),
});

describe('the hand-written JSON of an online response', () => {
  test('is the text JSON.stringify gives, for every kind of value', () => {
    expect(onlineResponseJson(allRows(response))).toBe(JSON.stringify(response));
  });

  test.each([
    [0, 1],
    [1, 2],
    [2, 1],
    [1, 0],
  ])('rows from %i, %i of them, are the JSON of those rows alone', (offset, rows) => {
    expect(onlineResponseJson({ response, offset, rows })).toBe(JSON.stringify(rowsOf(offset, rows)));
  });

  test('a response without columns', () => {
    const empty: OnlineFeaturesResponse = { metadata: { feature_names: [] }, results: [] };
    expect(onlineResponseJson(allRows(empty))).toBe(JSON.stringify(empty));
  });

  test('one row of many columns from several views, as JSON.stringify writes it', () => {
    const column = (value: unknown, status: FeatureStatus, time: string): OnlineFeatureColumn => ({ values: [value], statuses: [status], event_timestamps: [time] });
    const many: OnlineFeaturesResponse = {
      metadata: { feature_names: ['driver_id', ...Array.from({ length: 50 }, (_, i) => `f${i}`)] },
      results: [
        column(1001, 'PRESENT', '1970-01-01T00:00:00Z'),
        ...Array.from({ length: 50 }, (_, i) =>
          i % 7 === 3 ? column(null, 'NULL_VALUE', '2024-05-01T00:00:00Z') : column(i / 100, 'PRESENT', i < 25 ? '2024-05-01T00:00:00Z' : '2024-05-02T08:30:00.5Z'),
        ),
      ],
    };
    expect(onlineResponseJson(allRows(many))).toBe(JSON.stringify(many));
  });

  test('feature names are written from their content, whatever list they were seen in before', () => {
    const withNames = (feature_names: string[]): OnlineFeaturesResponse => ({ metadata: { feature_names }, results: [] });
    const names = ['driver_id', 'conv_rate'];
    expect(onlineResponseJson(allRows(withNames(names)))).toBe(JSON.stringify(withNames(names)));
    names[1] = 'acc_rate';
    expect(onlineResponseJson(allRows(withNames(names)))).toBe(JSON.stringify(withNames(['driver_id', 'acc_rate'])));
    for (let i = 0; i < 20; i++) {
      const list = ['driver_id', `f${i % 11}`];
      expect(onlineResponseJson(allRows(withNames(list)))).toBe(JSON.stringify(withNames(list)));
    }
  });
});

