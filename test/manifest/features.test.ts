import { outputName, resolveFeatures } from '../../runtime/manifest/features';
import { exampleManifest } from '../support/example-manifest';

describe('resolving feature references', () => {
  const m = exampleManifest();

  it('groups view:feature references by view, in request order', () => {
    const p = resolveFeatures(m, { features: ['weather:avg_temp', 'driver_hourly_stats:conv_rate', 'driver_hourly_stats:avg_daily_trips'] }, false);
    expect(p.map((x) => [x.name, x.features.map((f) => f.name)])).toEqual([
      ['weather', ['avg_temp']],
      ['driver_hourly_stats', ['conv_rate', 'avg_daily_trips']],
    ]);
  });

  it('applies a service projection alias to full feature names', () => {
    const p = resolveFeatures(m, { featureService: 'driver_activity' }, true);
    expect(p.flatMap((x) => x.features.map((f) => outputName(x, f.name, true)))).toEqual(['driver_hourly_stats__conv_rate', 'wx__avg_temp']);
  });

  it('names the view and lists its features when a feature is unknown', () => {
    expect(() => resolveFeatures(m, { features: ['driver_hourly_stats:speed'] }, false)).toThrow('feature view "driver_hourly_stats" has no feature "speed"');
  });

  it('lists known views when a view is unknown', () => {
    expect(() => resolveFeatures(m, { features: ['drivers:conv_rate'] }, false)).toThrow(expect.objectContaining({ hint: 'known views: driver_hourly_stats, weather' }));
  });

  it('refuses a malformed reference', () => {
    expect(() => resolveFeatures(m, { features: ['conv_rate'] }, false)).toThrow('feature reference "conv_rate" is not of the form view:feature');
  });

  it('refuses both or neither of features and service', () => {
    expect(() => resolveFeatures(m, {}, false)).toThrow('give either features or a feature service');
  });
});
