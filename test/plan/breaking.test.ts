import type { Manifest } from '../../runtime/manifest/schema';
import { buildPlan } from '../../runtime/plan';
import { feature, manifestWith, ManifestDraft, view } from './fixtures';

function planFeatures(change: (d: ManifestDraft) => void, before: (d: ManifestDraft) => void = () => undefined) {
  const side = (manifest: Manifest, label: string) => ({ label, manifest, resources: null });
  return buildPlan('prod', side(manifestWith(before), 'base'), side(manifestWith((d) => (before(d), change(d))), 'head'));
}

const reasons = (plan: ReturnType<typeof planFeatures>) => plan.breaking.map((b) => `${b.name}: ${b.reason}`);

describe('breaking feature changes', () => {
  it('a shorter ttl breaks, a longer one does not', () => {
    expect(reasons(planFeatures((d) => (view(d, 'weather').ttlSeconds = 1800)))).toEqual([
      'weather: ttl shortened 1h → 30m: values older than 30m no longer join or serve',
    ]);
    expect(planFeatures((d) => (view(d, 'weather').ttlSeconds = 7200)).breaking).toEqual([]);
  });

  it('going from no limit to a limit is shorter; removing the limit is not', () => {
    const unlimited = (d: ManifestDraft) => (view(d, 'weather').ttlSeconds = 0);
    expect(reasons(planFeatures((d) => (view(d, 'weather').ttlSeconds = 60), unlimited))).toEqual([
      'weather: ttl shortened 0 (no limit) → 1m: values older than 1m no longer join or serve',
    ]);
    expect(planFeatures(unlimited).breaking).toEqual([]);
  });

  it('a dtype change names only the services that project that feature', () => {
    const plan = planFeatures((d) => (view(d, 'driver_hourly_stats').features[2].dtype = 'Int32'));
    expect(plan.breaking).toEqual([
      { kind: 'featureView', name: 'driver_hourly_stats', reason: 'dtype of feature avg_daily_trips changed Int64 → Int32', consumers: ['driver_ranking'] },
    ]);
  });

  it('removing a feature no service uses is not breaking', () => {
    const plan = planFeatures((d) => view(d, 'weather').features.splice(1, 1));
    expect(plan.breaking).toEqual([]);
    expect(plan.features[0].changes).toEqual([{ path: 'features[precipitation]', before: feature('precipitation', 'Float64') }]);
  });

  it('a renamed feature in use is reported as removed, with the new name suggested', () => {
    const plan = planFeatures((d) => {
      view(d, 'driver_hourly_stats').features[2].name = 'trips_per_day';
      d.featureServices[1].projections[0].features = ['trips_per_day'];
    });
    expect(reasons(plan)).toEqual([
      'driver_hourly_stats: feature avg_daily_trips removed (renamed to trips_per_day?) while feature services use it',
      'driver_ranking: no longer returns driver_hourly_stats:avg_daily_trips',
    ]);
  });

  it('turning an offline-only view online is not breaking; the reverse is', () => {
    const offlineOnly = (d: ManifestDraft) => (view(d, 'weather').online = false);
    expect(planFeatures((d) => (view(d, 'weather').online = true), offlineOnly).breaking).toEqual([]);
    expect(reasons(planFeatures(offlineOnly))).toEqual(['weather: no longer served online (online: true → false)']);
  });

  it('deleting a view no service uses is not breaking; deleting a service is', () => {
    const unused = (d: ManifestDraft) => (d.featureServices = d.featureServices.filter((s) => s.name !== 'driver_ranking'));
    expect(reasons(planFeatures(unused))).toEqual(['driver_ranking: feature service removed: clients requesting it fail']);
    const dropWeather = (d: ManifestDraft) => {
      d.featureServices[0].projections.pop();
      d.featureViews = d.featureViews.filter((v) => v.name !== 'weather');
    };
    const weatherUnused = (d: ManifestDraft) => d.featureServices[0].projections.pop();
    expect(planFeatures((d) => (d.featureViews = d.featureViews.filter((v) => v.name !== 'weather')), weatherUnused).breaking).toEqual([]);
    expect(reasons(planFeatures(dropWeather))).toContain('weather: feature view removed while feature services use it');
  });

  it('renaming a projection alias or remapping join keys breaks the service clients', () => {
    const plan = planFeatures((d) => {
      d.featureServices[1].projections[0].alias = 'stats';
      d.featureServices[1].projections[0].joinKeyMap = { driver_id: 'taxi_driver' };
    });
    expect(reasons(plan)).toEqual([
      'driver_ranking: output columns of driver_hourly_stats renamed (alias null → stats)',
      'driver_ranking: entity row columns for driver_hourly_stats changed (joinKeyMap)',
    ]);
  });

  it('a new feature, tag, owner or description is shown but breaks nothing', () => {
    const plan = planFeatures((d) => {
      const stats = view(d, 'driver_hourly_stats');
      stats.features.push(feature('rating', 'Float32'));
      stats.tags.team = 'driver-analytics';
      stats.description = 'Hourly driver statistics, from the trip log';
    });
    expect(plan.breaking).toEqual([]);
    expect(plan.features.map((f) => f.changes.map((c) => c.path))).toEqual([['description', 'features[rating]', 'tags.team']]);
  });

  it('objects with equal content hashes are not compared field by field', () => {
    const base = manifestWith();
    const head = manifestWith();
    // Same hash, different bytes: only a hash-based skip reports no change.
    const tampered: Manifest = { ...head, hash: '0000000000000000', featureViews: head.featureViews.map((v) => ({ ...v, description: 'edited' })) };
    const plan = buildPlan('prod', { label: 'a', manifest: base, resources: null }, { label: 'b', manifest: tampered, resources: null });
    expect(plan.features).toEqual([]);
  });
});
