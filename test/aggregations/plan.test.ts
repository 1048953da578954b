import { Testing, TerraformStack } from 'cdktf';
import { AggregationFeatureView, Duration, EmbeddedOnlineStore, Entity, FeatureRepo, FeatureService, FileSource, LocalLake, types, type Aggregation } from '../../constructs';
import type { Manifest } from '../../runtime/manifest/schema';
import { buildPlan } from '../../runtime/plan';

function registry(aggregations: readonly Aggregation[], tileSize = Duration.minutes(5), served = 'fare_sum_1h'): Manifest {
  const stack = new TerraformStack(Testing.app(), 'plan');
  const repo = new FeatureRepo(stack, 'repo', { project: 'p', onlineStore: new EmbeddedOnlineStore(stack, 'online', { path: 'online' }) });
  const lake = new LocalLake(stack, 'lake', { root: 'lake' });
  const taxi = new Entity(repo, 'taxi', { joinKeys: ['taxi_id'], valueType: types.String });
  const source = new FileSource(repo, 'raw_trips', { lake, path: 'trips', timestampField: 'event_timestamp' });
  const view = new AggregationFeatureView(repo, 'taxi_trips_recent', { entities: [taxi], source, aggregations, tileSize });
  new FeatureService(repo, 'demand', { features: [view.select([served])] });
  return repo.toManifest();
}

const plan = (before: Manifest, after: Manifest) =>
  buildPlan('prod', { label: 'base', manifest: before, resources: null }, { label: 'head', manifest: after, resources: null });
const fare = (windows: Duration[], functions: Aggregation['functions'] = ['count', 'sum']): Aggregation => ({ column: 'fare', dtype: types.Float64, functions, windows });

describe('plan shows aggregation views and calls out changed windows, functions and tiles', () => {
  test('a new aggregate is not breaking; the plan describes the view', () => {
    const p = plan(registry([fare([Duration.hours(1)])]), registry([fare([Duration.hours(1), Duration.days(1)])]));
    expect(p.breaking).toEqual([]);
    const created = plan(registry([fare([Duration.hours(1)])]), registry([fare([Duration.hours(1)])]));
    expect(created.breaking).toEqual([]);
    const summary = p.features.find((f) => f.name === 'taxi_trips_recent')!.summary;
    expect(summary).toContain('aggregates count/sum of fare over 1h, 1d in 5m tiles');
  });

  test('a changed window removes the aggregates of the old one: breaking, naming the services that use them', () => {
    const p = plan(registry([fare([Duration.hours(1)])]), registry([fare([Duration.hours(2)])], Duration.minutes(5), 'fare_sum_2h'));
    expect(p.breaking.map((b) => `${b.name}: ${b.reason} [${b.consumers.join(', ')}]`)).toEqual([
      'taxi_trips_recent: aggregate fare_count_1h removed []',
      'taxi_trips_recent: aggregate fare_sum_1h removed [demand]',
      'taxi_trips_recent: feature fare_sum_1h removed while feature services use it [demand]',
      'demand: no longer returns taxi_trips_recent:fare_sum_1h [demand]',
    ]);
  });

  test('a changed function and a changed tile size are breaking', () => {
    const fn = plan(registry([fare([Duration.hours(1)], ['count', 'sum'])]), registry([fare([Duration.hours(1)], ['count', 'mean'])]));
    expect(fn.breaking.map((b) => b.reason)).toContain('aggregate fare_sum_1h removed');
    const tile = plan(registry([fare([Duration.hours(1)])]), registry([fare([Duration.hours(1)])], Duration.minutes(15)));
    expect(tile.breaking.map((b) => b.reason)).toEqual(['tile size changed 300 s → 900 s: every window starts elsewhere; materialize again']);
  });
});
