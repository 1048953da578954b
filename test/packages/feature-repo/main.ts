// A feature repository that installed the construct package: definitions synthesized by cdktf.
import { App, TerraformStack } from 'cdktf';
import {
  Duration,
  EmbeddedOnlineStore,
  Entity,
  FeatureRepo,
  FeatureService,
  FeatureView,
  FileSource,
  LocalLake,
  OnDemandFeatureView,
  RequestSource,
  types,
} from '@featurestack/constructs';
import { join } from 'node:path';

const app = new App({ outdir: 'cdktf.out' });
const stack = new TerraformStack(app, 'local');
const lake = new LocalLake(stack, 'files', { root: 'data' });
const onlineStore = new EmbeddedOnlineStore(stack, 'online', { path: 'online' });
const repo = new FeatureRepo(stack, 'repo', { project: 'scratch', onlineStore });
const driver = new Entity(repo, 'driver', { joinKeys: ['driver_id'], valueType: types.Int64 });
const source = new FileSource(repo, 'driver_stats_source', { lake, path: 'driver_stats.parquet', timestampField: 'event_timestamp' });
const stats = new FeatureView(repo, 'driver_stats', {
  entities: [driver],
  source,
  schema: [{ name: 'conv_rate', dtype: types.Float32 }],
  ttl: Duration.days(1),
});
const request = new RequestSource(repo, 'scale_request', { schema: [{ name: 'factor', dtype: types.Float64 }] });
const scaled = new OnDemandFeatureView(repo, 'scaled', {
  sources: [request, stats],
  schema: [{ name: 'scaled_rate', dtype: types.Float64 }],
  transform: { module: join(__dirname, '..', 'transform.js'), export: 'scaledRate' },
});
new FeatureService(repo, 'driver_service', { features: [stats, scaled] });
app.synth();
