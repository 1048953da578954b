import { withHash } from '../../runtime/manifest/canonical';
import type { DataSourceSpec, FeatureViewSpec, FieldSpec, Manifest } from '../../runtime/manifest/schema';

const meta = { description: '', tags: {}, owner: '' };
const field = (name: string, dtype: FieldSpec['dtype']): FieldSpec => ({ name, dtype, description: '', tags: {} });

export interface ServerManifestOptions {
  /** Folder of the local lake. */
  readonly lakeRoot: string;
  readonly redisPort: number;
  /** Extra Float64 features `f0..f<n-1>` on the `wide_stats` view (for 50-feature reads). */
  readonly wideFeatures?: number;
}

/**
 * A registry as `cdktf synth` would write it for a small driver project: a push
 * source feeding `driver_hourly_stats` over a local lake folder, a wide view, a
 * feature service, and Redis (compact layout) as the online store.
 */
export function serverManifest({ lakeRoot, redisPort, wideFeatures = 50 }: ServerManifestOptions): Manifest {
  const driverKey = [{ name: 'driver_id', valueType: 'Int64' as const }];
  const view = (name: string, source: string, batchSource: string, features: FieldSpec[]) =>
    withHash<FeatureViewSpec>({ name, entities: ['driver'], joinKeys: driverKey, features, ttlSeconds: 0, source, batchSource, online: true, offline: true, ...meta });
  const batch = (name: string, path: string) =>
    withHash<DataSourceSpec>({ kind: 'batch' as const, name, declaredAs: 'file' as const, lake: 'lake', filesystem: null, path, format: 'parquet' as const, timestampField: 'event_timestamp', createdTimestampColumn: 'created', fieldMapping: {}, ...meta });
  return withHash<Manifest>({
    manifestVersion: 1,
    project: 'driver_demo',
    stack: 'test',
    onlineStore: withHash({ kind: 'redis', host: '127.0.0.1', port: redisPort, tls: false, cluster: false, passwordEnv: null, layout: 'compact', keyTtlSeconds: null }),
    lakes: [withHash({ kind: 'local', name: 'lake', root: lakeRoot })],
    entities: [withHash({ name: 'driver', joinKeys: driverKey, ...meta })],
    dataSources: [
      batch('driver_stats_source', 'driver_stats'),
      withHash<DataSourceSpec>({ kind: 'push', name: 'driver_stats_push', batchSource: 'driver_stats_source', ...meta }),
      batch('wide_source', 'wide'),
    ],
    featureViews: [
      view('driver_hourly_stats', 'driver_stats_push', 'driver_stats_source', [
        field('conv_rate', 'Float64'),
        field('acc_rate', 'Float64'),
        field('avg_daily_trips', 'Int64'),
      ]),
      view('wide_stats', 'wide_source', 'wide_source', Array.from({ length: wideFeatures }, (_, i) => field(`f${i}`, 'Float64'))),
    ],
    featureServices: [
      withHash({
        name: 'driver_activity',
        projections: [{ featureView: 'driver_hourly_stats', alias: null, features: ['conv_rate', 'avg_daily_trips'], joinKeyMap: {} }],
        ...meta,
      }),
    ],
  });
}
