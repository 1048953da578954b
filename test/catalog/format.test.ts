import { formatAge, formatTtl } from '../../runtime/catalog/freshness';
import { matchesQuery, searchFields } from '../../runtime/catalog/search';
import { Catalog } from '../../runtime/catalog';
import { catalogManifest } from './catalog-manifest';

test('ages read in the largest unit that fits', () => {
  expect([0, 59, 60, 3599, 3600, 47 * 3600 + 59, 48 * 3600, -5].map(formatAge)).toEqual([
    '0 s ago',
    '59 s ago',
    '1 min ago',
    '59 min ago',
    '1 h ago',
    '47 h ago',
    '2 d ago',
    'in the future',
  ]);
});

test('a ttl reads in the largest whole unit, and 0 is no limit', () => {
  expect([0, 45, 90, 5400, 7200, 86400, 90000].map(formatTtl)).toEqual(['no limit', '45 s', '90 s', '90 min', '2 h', '1 d', '25 h']);
});

test('search terms all have to match; owner: and tag: look at one field only', () => {
  const features = new Catalog(catalogManifest()).list('features');
  const search = (q: string) => features.filter((f) => matchesQuery(searchFields(f), q)).map((f) => f.name);
  expect(search('MILES')).toEqual(['taxi_trips_hourly:avg_trip_miles']);
  expect(search('float32 driver')).toEqual(['driver_hourly_stats:conv_rate', 'driver_hourly_stats:acc_rate']);
  expect(search('tag:pii')).toEqual(['driver_hourly_stats:avg_daily_trips']);
  // "weather" is in the service name and descriptions, but no feature is owned by it under that spelling.
  expect(search('owner:mobility weather')).toEqual([]);
  expect(search('  ')).toHaveLength(9);
});
