import { withHash } from '../../runtime/manifest/canonical';
import type { FeatureViewSpec, Manifest } from '../../runtime/manifest/schema';

const meta = { description: '', tags: {}, owner: '' };

/** A small valid manifest: one local lake, one entity, two views, one service. */
export function exampleManifest(overrides: Partial<Manifest> = {}): Manifest {
  const driverStats: FeatureViewSpec = withHash({
    name: 'driver_hourly_stats',
    entities: ['driver'],
    joinKeys: [{ name: 'driver_id', valueType: 'Int64' }],
    features: [
      { name: 'conv_rate', dtype: 'Float32', description: '', tags: {} },
      { name: 'avg_daily_trips', dtype: 'Int64', description: '', tags: {} },
    ],
    ttlSeconds: 86400,
    source: 'driver_stats_source',
    batchSource: 'driver_stats_source',
    online: true,
    offline: true,
    ...meta,
  });
  const weather: FeatureViewSpec = withHash({
    name: 'weather',
    entities: [],
    joinKeys: [],
    features: [{ name: 'avg_temp', dtype: 'Float64', description: '', tags: {} }],
    ttlSeconds: 0,
    source: 'weather_source',
    batchSource: 'weather_source',
    online: true,
    offline: true,
    ...meta,
  });
  const body: Omit<Manifest, 'hash'> = {
    manifestVersion: 1,
    project: 'demo',
    stack: 'test',
    onlineStore: withHash({ kind: 'embedded', path: '.featurestack/online', layout: 'compact', keyTtlSeconds: null }),
    lakes: [withHash({ kind: 'local', name: 'local', root: '.featurestack/lake' })],
    entities: [withHash({ name: 'driver', joinKeys: [{ name: 'driver_id', valueType: 'Int64' }], ...meta })],
    dataSources: [
      withHash({ kind: 'batch', name: 'driver_stats_source', declaredAs: 'file', lake: 'local', filesystem: null, path: 'driver_stats', format: 'parquet', timestampField: 'event_timestamp', createdTimestampColumn: 'created', fieldMapping: {}, ...meta }),
      withHash({ kind: 'batch', name: 'weather_source', declaredAs: 'file', lake: 'local', filesystem: null, path: 'weather', format: 'parquet', timestampField: 'event_timestamp', createdTimestampColumn: null, fieldMapping: {}, ...meta }),
    ],
    featureViews: [driverStats, weather],
    featureServices: [
      withHash({
        name: 'driver_activity',
        projections: [
          { featureView: 'driver_hourly_stats', alias: null, features: ['conv_rate'], joinKeyMap: {} },
          { featureView: 'weather', alias: 'wx', features: ['avg_temp'], joinKeyMap: {} },
        ],
        ...meta,
      }),
    ],
    ...overrides,
  };
  return withHash<Manifest>(body);
}
