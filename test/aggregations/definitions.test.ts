import { AggregationFeatureView, Duration, Entity, FileSource, types, type Aggregation } from '../../constructs';
import { repoStack, validationErrors } from '../definitions/helpers';

function declare(aggregations: readonly Aggregation[], tileSize?: Duration) {
  const { stack, repo, lake } = repoStack();
  const rider = new Entity(repo, 'rider', { joinKeys: ['rider_id'], valueType: types.Int64 });
  const source = new FileSource(repo, 'trips', { lake, path: 'trips', timestampField: 'event_timestamp' });
  const view = new AggregationFeatureView(repo, 'recent', { entities: [rider], source, aggregations, tileSize });
  return { stack, repo, view };
}

describe('AggregationFeatureView', () => {
  test('derives one feature per function and window, typed, with a default tile size', () => {
    const { stack, repo } = declare([
      { column: 'fare', dtype: types.Float32, functions: ['count', 'sum', 'last'], windows: [Duration.minutes(30), Duration.days(1)] },
      { column: 'trip_id', dtype: types.String, functions: ['count'], windows: [Duration.hours(1)] },
      { column: 'miles', dtype: types.Int32, functions: ['max', 'mean'], windows: [Duration.seconds(90 * 60)] },
    ]);
    expect(validationErrors(stack)).toEqual([]);
    const view = repo.toManifest().featureViews[0];
    expect(view.features.map((f) => `${f.name}:${f.dtype}`)).toEqual([
      'fare_count_30m:Int64', 'fare_count_1d:Int64', 'fare_sum_30m:Float64', 'fare_sum_1d:Float64', 'fare_last_30m:Float64', 'fare_last_1d:Float64',
      'trip_id_count_1h:Int64', 'miles_max_90m:Int64', 'miles_mean_90m:Float64',
    ]);
    // The largest of 1 d, 1 h, 5 min, 1 min that divides 30 min, 1 d, 1 h and 90 min and is at most 30 min / 12.
    expect(view.aggregation!.tileSeconds).toBe(60);
    expect(view.ttlSeconds).toBe(86400);
    expect(view.aggregation!.columns).toEqual([{ name: 'fare', dtype: 'Float32' }, { name: 'trip_id', dtype: 'String' }, { name: 'miles', dtype: 'Int32' }]);
  });

  test('bad declarations fail at synth with the construct path and the fix', () => {
    const { stack } = declare(
      [
        { column: 'fare', dtype: types.Float64, functions: ['sum'], windows: [Duration.minutes(7)] },
        { column: 'name', dtype: types.String, functions: ['mean'], windows: [Duration.hours(1)] },
        { column: 'rider_id', dtype: types.Int64, functions: ['count'], windows: [Duration.hours(1)] },
        { column: 'tip', dtype: types.Float64, functions: [], windows: [Duration.hours(1)] },
        { column: 'fare', dtype: types.Float64, functions: ['sum'], windows: [Duration.minutes(7)] },
      ],
      Duration.minutes(5),
    );
    expect(validationErrors(stack)).toEqual([
      'test/repo/recent: feature "fare_sum_7m" is declared twice; declare each feature once in schema',
      'test/repo/recent: aggregation of column "fare": window 7m is not a whole number of tiles of 5m; make the window a multiple of tileSize, or pick a tileSize that divides 7m',
      'test/repo/recent: aggregation of column "name": mean needs a number column, but "name" is String; use count on it, or aggregate a number column',
      'test/repo/recent: aggregation of column "rider_id": "rider_id" is a join key; aggregate an event column, not the entity key',
      'test/repo/recent: aggregation of column "tip" has no functions; list some of: count, sum, mean, min, max, last',
      'test/repo/recent: aggregate "fare_sum_7m" is declared twice; list each function and window once per column',
    ]);
  });

  test('the default tile keeps the longest window within 10,000 tiles', () => {
    const { stack, repo } = declare([{ column: 'fare', dtype: types.Float64, functions: ['sum'], windows: [Duration.minutes(30), Duration.days(7)] }]);
    expect(validationErrors(stack)).toEqual([]);
    expect(repo.toManifest().featureViews[0].aggregation!.tileSeconds).toBe(300);
  });

  test('a window of too many tiles is refused', () => {
    const { stack } = declare([{ column: 'fare', dtype: types.Float64, functions: ['sum'], windows: [Duration.days(30)] }], Duration.seconds(60));
    expect(validationErrors(stack)).toEqual(['test/repo/recent: aggregation of column "fare": window 30d spans 43200 tiles of 1m (at most 10000); use a larger tileSize']);
  });
});
