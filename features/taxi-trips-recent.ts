import { Construct } from 'constructs';
import { AggregationFeatureView, Duration, Entity, HdfsSource, IHdfsLake, ILocalLake, PushSource, types } from '../constructs';
import { DATA_LAYOUT } from './data-layout';

/**
 * Taxi trips in the last 1 h and 24 h, aggregated from raw trips (one row per trip)
 * at request time: trips are pushed as they end, and a lookup at t counts the
 * trips in the windows ending at t (docs/aggregations.md).
 */
export function declareRecentTaxiTrips(scope: Construct, lake: IHdfsLake | ILocalLake, taxi: Entity): AggregationFeatureView {
  const raw = new HdfsSource(scope, 'taxi_trips_raw_source', {
    lake,
    path: DATA_LAYOUT.taxiTripsRaw,
    timestampField: 'trip_start_timestamp',
    group: 'mobility',
    description: 'Chicago taxi trips, one row per trip',
  });
  const push = new PushSource(scope, 'taxi_trips_raw_push', { batchSource: raw, description: 'Trips pushed as they end' });
  return new AggregationFeatureView(scope, 'taxi_trips_recent', {
    entities: [taxi],
    source: push,
    aggregations: [{ column: 'fare', dtype: types.Float64, functions: ['count', 'sum', 'mean'], windows: [Duration.hours(1), Duration.hours(24)], description: 'fare in dollars' }],
    tileSize: Duration.minutes(5),
    tags: { domain: 'mobility', lake: 'hdfs' },
    owner: 'mobility-data@example.com',
    description: 'Trips of each taxi in the last 1 h and 24 h (count, fare sum and mean), from raw trips',
  });
}
