import { onlineResponse, type ColumnGroup, type OnlineFeaturesResponse, type OnlineRows } from '../../runtime/online';
import { allRows, onlineResponseJson } from '../../runtime/server/online-json';

const EPOCH = '1970-01-01T00:00:00Z';
const [P, NULL, MISSING, OLD] = [0, 1, 2, 3];

/** A group from rows of [values, statuses] and one stamp per row. */
function group(rows: [unknown[], number[]][], stamps: string[]): ColumnGroup {
  const width = rows[0][0].length;
  const columns = Array.from({ length: width }, (_, c) => rows.map((r) => r[0][c]));
  const statuses = Uint8Array.from({ length: width * rows.length }, (_, i) => rows[i % rows.length][1][Math.floor(i / rows.length)]);
  return { width, count: rows.length, columns, statuses, stamps };
}

const read: OnlineRows = {
  featureNames: ['driver_id', 'conv_rate', 'name', 'tags', 'flag', 'score', 'text'],
  count: 3,
  groups: [
    group([[[1001], [P]], [['9007199254740993'], [P]], [[3], [P]]], [EPOCH, EPOCH, EPOCH]),
    group(
      [
        [[0.5, 'say "hi"\n', ['a', 'b']], [P, P, P]],
        [[null, null, null], [MISSING, MISSING, MISSING]],
        [[null, null, null], [OLD, OLD, OLD]],
      ],
      ['2021-03-31T22:00:00Z', EPOCH, '2020-01-01T00:00:00.000001Z'],
    ),
    group(
      [
        [[true, NaN, 'é\u2028'], [P, P, P]],
        [[false, Infinity, ''], [P, P, NULL]],
        [[null, 2 ** 60, -1e-7], [NULL, P, P]],
      ],
      ['2021-03-31T22:00:00Z', '2021-03-31T22:00:00Z', '2021-03-31T22:00:00.123Z'],
    ),
  ],
};

describe("an online read's rows as Feast's columns", () => {
  test('each column holds its rows, statuses by name and its group\'s times', () => {
    const response = onlineResponse(read);
    expect(response.metadata.feature_names).toEqual(read.featureNames);
    expect(response.results[0]).toEqual({ values: [1001, '9007199254740993', 3], statuses: ['PRESENT', 'PRESENT', 'PRESENT'], event_timestamps: [EPOCH, EPOCH, EPOCH] });
    expect(response.results[2]).toEqual({ values: ['say "hi"\n', null, null], statuses: ['PRESENT', 'NOT_FOUND', 'OUTSIDE_MAX_AGE'], event_timestamps: ['2021-03-31T22:00:00Z', EPOCH, '2020-01-01T00:00:00.000001Z'] });
    expect(response.results[6]).toEqual({ values: ['é\u2028', '', -1e-7], statuses: ['PRESENT', 'NULL_VALUE', 'PRESENT'], event_timestamps: ['2021-03-31T22:00:00Z', '2021-03-31T22:00:00Z', '2021-03-31T22:00:00.123Z'] });
    expect(onlineResponse(read, 1, 1).results[4]).toEqual({ values: [false], statuses: ['PRESENT'], event_timestamps: ['2021-03-31T22:00:00Z'] });
  });

  test('a copying response gives every column its own arrays; one that takes the columns shares a group\'s times and all-PRESENT statuses', () => {
    const copied = onlineResponse(read);
    expect(copied.results[1].event_timestamps).not.toBe(copied.results[2].event_timestamps);
    expect(copied.results[1].values).not.toBe(read.groups[1].columns[0]);
    const fresh = structuredClone(read);
    const taken = onlineResponse(fresh, 0, fresh.count, true);
    expect(taken).toEqual(copied);
    expect(taken.results[1].values).toBe(fresh.groups[1].columns[0]);
    expect(taken.results[1].event_timestamps).toBe(taken.results[2].event_timestamps);
    const present: OnlineRows = { featureNames: ['a', 'b', 'c'], count: 2, groups: [group([[[1, 2, 3], [P, P, P]], [[4, 5, 6], [P, P, NULL]]], [EPOCH, EPOCH])] };
    const shares = onlineResponse(present, 0, 2, true).results;
    expect(shares[0].statuses).toBe(shares[1].statuses);
    expect(shares[2].statuses).toEqual(['PRESENT', 'NULL_VALUE']);
  });
});

describe('the hand-written JSON of an online read', () => {
  test('is the text JSON.stringify gives for its columns, for every kind of value', () => {
    expect(onlineResponseJson(allRows(read)).toString()).toBe(JSON.stringify(onlineResponse(read)));
  });

  test.each([
    [0, 1],
    [1, 2],
    [2, 1],
    [1, 0],
  ])('rows from %i, %i of them, are the JSON of those rows alone', (offset, rows) => {
    expect(onlineResponseJson({ read, offset, rows }).toString()).toBe(JSON.stringify(onlineResponse(read, offset, rows)));
  });

  test('a read without columns', () => {
    const empty: OnlineRows = { featureNames: [], count: 0, groups: [] };
    expect(onlineResponseJson(allRows(empty)).toString()).toBe(JSON.stringify({ metadata: { feature_names: [] }, results: [] } satisfies OnlineFeaturesResponse));
  });

  test('one row of many columns from several views, as JSON.stringify writes it', () => {
    const features = (from: number, n: number, stamp: string) =>
      group([[Array.from({ length: n }, (_, i) => ((from + i) % 7 === 3 ? null : (from + i) / 100)), Array.from({ length: n }, (_, i) => ((from + i) % 7 === 3 ? NULL : P))]], [stamp]);
    const many: OnlineRows = {
      featureNames: ['driver_id', ...Array.from({ length: 50 }, (_, i) => `f${i}`)],
      count: 1,
      groups: [group([[[1001], [P]]], [EPOCH]), features(0, 25, '2024-05-01T00:00:00Z'), features(25, 25, '2024-05-02T08:30:00.5Z')],
    };
    expect(onlineResponseJson(allRows(many)).toString()).toBe(JSON.stringify(onlineResponse(many)));
  });

  test('feature names are written from their content, whatever list they were seen in before', () => {
    const withNames = (featureNames: string[]): OnlineRows => ({ featureNames, count: 0, groups: [] });
    const text = (featureNames: string[]) => JSON.stringify({ metadata: { feature_names: featureNames }, results: [] });
    const names = ['driver_id', 'conv_rate'];
    expect(onlineResponseJson(allRows(withNames(names))).toString()).toBe(text(names));
    names[1] = 'acc_rate';
    expect(onlineResponseJson(allRows(withNames(names))).toString()).toBe(text(['driver_id', 'acc_rate']));
    for (let i = 0; i < 20; i++) {
      const list = ['driver_id', `f${i % 11}`];
      expect(onlineResponseJson(allRows(withNames(list))).toString()).toBe(text(list));
    }
  });
});

