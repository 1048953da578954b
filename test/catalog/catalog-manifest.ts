import { withHash } from '../../runtime/manifest/canonical';
import type { DataSourceSpec, EntitySpec, FeatureServiceSpec, FeatureViewSpec, LakeSpec, Manifest } from '../../runtime/manifest/schema';
import type { Watermark } from '../../runtime/catalog';

/** The example repository's catalog: taxi trips on HDFS, station reads on ADLS, driver stats in a local file. */
export function catalogManifest(): Manifest {
  const lakes: LakeSpec[] = [
    withHash({ kind: 'hdfs', name: 'onprem', webhdfsUrl: 'http://namenode.corp.example:9870/webhdfs/v1', user: 'featurestack' }),
    withHash({ kind: 'adls', name: 'azure', accountName: 'citylake', dfsEndpoint: 'https://citylake.dfs.core.windows.net', auth: { kind: 'defaultAzureCredential' } }),
    withHash({ kind: 'local', name: 'local', root: 'data/lake' }),
  ];
  const entities: EntitySpec[] = [
    withHash({
      name: 'community_area',
      joinKeys: [{ name: 'pickup_community_area', valueType: 'Int64' }],
      description: 'One of the 77 community areas of Chicago',
      tags: { domain: 'mobility' },
      owner: 'mobility@city.example',
    }),
    withHash({ name: 'driver', joinKeys: [{ name: 'driver_id', valueType: 'Int64' }], description: 'A taxi driver', tags: {}, owner: 'ml-platform@city.example' }),
  ];
  const batch = { kind: 'batch', format: 'parquet', fieldMapping: {}, tags: {}, description: '' } as const;
  const dataSources: DataSourceSpec[] = [
    withHash({ ...batch, name: 'taxi_trips_source', declaredAs: 'hdfs', lake: 'onprem', filesystem: null, path: '/data/chicago/taxi_trips_hourly', timestampField: 'trip_hour', createdTimestampColumn: 'loaded_at', owner: 'mobility@city.example' }),
    withHash({ ...batch, name: 'station_reads_source', declaredAs: 'adls', lake: 'azure', filesystem: 'weather', path: 'stations/reads_hourly', timestampField: 'read_hour', createdTimestampColumn: null, fieldMapping: { temp: 'temperature_c' }, owner: 'weather@city.example' }),
    withHash({ ...batch, name: 'driver_stats_source', declaredAs: 'file', lake: 'local', filesystem: null, path: 'driver_stats.parquet', timestampField: 'event_timestamp', createdTimestampColumn: 'created', owner: 'ml-platform@city.example' }),
    withHash({ kind: 'push', name: 'driver_stats_push', batchSource: 'driver_stats_source', tags: {}, description: '', owner: 'ml-platform@city.example' }),
  ];
  const featureViews: FeatureViewSpec[] = [
    withHash({
      name: 'taxi_trips_hourly',
      entities: ['community_area'],
      joinKeys: [{ name: 'pickup_community_area', valueType: 'Int64' }],
      features: [
        { name: 'trip_count', dtype: 'Int64', description: 'Trips that started in the area during the hour', tags: {} },
        { name: 'avg_fare', dtype: 'Float64', description: 'Mean fare in USD, tips excluded', tags: { unit: 'usd' } },
        { name: 'avg_trip_miles', dtype: 'Float32', description: 'Mean trip length in miles', tags: {} },
      ],
      ttlSeconds: 86400,
      source: 'taxi_trips_source',
      batchSource: 'taxi_trips_source',
      online: true,
      offline: true,
      description: 'Hourly taxi trips per Chicago community area, from the city open data portal',
      tags: { domain: 'mobility', tier: 'gold' },
      owner: 'mobility@city.example',
    }),
    withHash({
      name: 'station_reads_hourly',
      entities: [],
      joinKeys: [],
      features: [
        { name: 'temperature_c', dtype: 'Float64', description: 'Air temperature at O\'Hare, °C', tags: {} },
        { name: 'precipitation_mm', dtype: 'Float64', description: 'Rain and snow in the hour, mm', tags: {} },
        { name: 'wind_speed_kmh', dtype: 'Float32', description: '', tags: {} },
      ],
      ttlSeconds: 10800,
      source: 'station_reads_source',
      batchSource: 'station_reads_source',
      online: true,
      offline: true,
      description: 'Weather station reads, one row per hour for the whole city',
      tags: { domain: 'weather' },
      owner: 'weather@city.example',
    }),
    withHash({
      name: 'driver_hourly_stats',
      entities: ['driver'],
      joinKeys: [{ name: 'driver_id', valueType: 'Int64' }],
      features: [
        { name: 'conv_rate', dtype: 'Float32', description: 'Share of offered rides accepted and completed', tags: {} },
        { name: 'acc_rate', dtype: 'Float32', description: 'Share of offered rides accepted', tags: {} },
        { name: 'avg_daily_trips', dtype: 'Int64', description: 'Trips per day over the last week', tags: { pii: 'no' } },
      ],
      ttlSeconds: 86400,
      source: 'driver_stats_push',
      batchSource: 'driver_stats_source',
      online: true,
      offline: true,
      description: 'Driver activity, pushed by the dispatch service and kept in a local file',
      tags: { team: 'ml-platform' },
      owner: 'ml-platform@city.example',
    }),
  ];
  const featureServices: FeatureServiceSpec[] = [
    withHash({
      name: 'taxi_weather',
      projections: [
        { featureView: 'taxi_trips_hourly', alias: null, features: ['trip_count', 'avg_fare'], joinKeyMap: {} },
        { featureView: 'station_reads_hourly', alias: 'weather', features: ['temperature_c', 'precipitation_mm'], joinKeyMap: {} },
      ],
      description: 'Demand forecasting: trips and the weather they happened in',
      tags: { domain: 'mobility', tier: 'gold' },
      owner: 'mobility@city.example',
    }),
    withHash({
      name: 'driver_ranking',
      projections: [{ featureView: 'driver_hourly_stats', alias: null, features: ['conv_rate', 'acc_rate'], joinKeyMap: { driver_id: 'driver' } }],
      description: 'Ranks drivers for dispatch',
      tags: { team: 'ml-platform' },
      owner: 'ml-platform@city.example',
    }),
  ];
  return withHash<Manifest>({
    manifestVersion: 1,
    project: 'chicago',
    stack: 'local',
    onlineStore: withHash({ kind: 'embedded', path: '.featurestack/online', layout: 'compact', keyTtlSeconds: null }),
    lakes,
    entities,
    dataSources,
    featureViews,
    featureServices,
  });
}

/** "Now" in the tests, and watermarks 3 h old, missing, and 2 days old (past the 1 d ttl). */
export const NOW = new Date('2024-05-01T15:00:00Z');
export const WATERMARKS: Record<string, Watermark> = {
  taxi_trips_hourly: Date.parse('2024-05-01T12:00:00Z') * 1000,
  station_reads_hourly: null,
  driver_hourly_stats: BigInt(Date.parse('2024-04-29T15:00:00Z')) * 1000n,
};
