import { Construct } from 'constructs';
import { Duration, Entity, FeatureView, FileSource, ILocalLake, PushSource, types } from '../constructs';
import { DATA_LAYOUT } from './data-layout';

/** Feast's driver example: a local file, plus a push source for fresh values. */
export function declareDriverStats(scope: Construct, lake: ILocalLake, driver: Entity): { stats: FeatureView; fresh: FeatureView } {
  const source = new FileSource(scope, 'driver_hourly_stats_source', {
    lake,
    path: DATA_LAYOUT.driverHourlyStats,
    timestampField: 'event_timestamp',
    createdTimestampColumn: 'created',
  });
  const schema = [
    { name: 'conv_rate', dtype: types.Float32 },
    { name: 'acc_rate', dtype: types.Float32 },
    { name: 'avg_daily_trips', dtype: types.Int64 },
  ];
  const common = { entities: [driver], schema, ttl: Duration.days(1), tags: { domain: 'drivers' }, owner: 'mobility-data@example.com' };
  const stats = new FeatureView(scope, 'driver_hourly_stats', { ...common, source, description: 'Hourly driver statistics' });
  const push = new PushSource(scope, 'driver_stats_push', { batchSource: source, description: 'Driver statistics pushed as they are computed' });
  const fresh = new FeatureView(scope, 'driver_hourly_stats_fresh', { ...common, source: push, description: 'Driver statistics, updated by push' });
  return { stats, fresh };
}
