import { Construct } from 'constructs';
import { Duration, Entity, FeatureView, HdfsSource, IHdfsLake, ILocalLake, types } from '../constructs';
import { DATA_LAYOUT } from './data-layout';

/** Hourly trip aggregates per taxi, computed on the on-prem Hadoop cluster. */
export function declareTaxiTrips(scope: Construct, lake: IHdfsLake | ILocalLake, taxi: Entity): FeatureView {
  const source = new HdfsSource(scope, 'taxi_trips_hourly_source', {
    lake,
    path: DATA_LAYOUT.taxiTripsHourly,
    timestampField: 'event_timestamp',
    createdTimestampColumn: 'created',
    group: 'mobility',
    description: 'Chicago taxi trips aggregated per taxi and hour',
  });
  return new FeatureView(scope, 'taxi_trips_hourly', {
    entities: [taxi],
    schema: [
      { name: 'trip_count', dtype: types.Int64, description: 'Trips started in the hour' },
      { name: 'avg_fare', dtype: types.Float64, description: 'Mean fare in dollars' },
      { name: 'avg_trip_miles', dtype: types.Float64 },
      { name: 'total_tips', dtype: types.Float64, description: 'Tips in dollars' },
    ],
    ttl: Duration.days(1),
    source,
    tags: { domain: 'mobility', lake: 'hdfs' },
    owner: 'mobility-data@example.com',
    description: 'What each taxi did in the last hour',
  });
}
