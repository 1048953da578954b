/** An aggregation view keyed by two entities (an Int64 and a String join key), over part files of unequal sizes. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Table } from 'apache-arrow';
import { Testing, TerraformStack } from 'cdktf';
import { AggregationFeatureView, Duration, EmbeddedOnlineStore, Entity, FeatureRepo, FileSource, LocalLake, types } from '../../constructs';
import { FeatureStore } from '../../runtime/feature-store';
import { tableToParquet } from '../../runtime/io/parquet';
import { onlineResponse } from '../../runtime/online';
import { readOnlineRows } from '../../runtime/online/read/get-online-features';
import { float64s, int64s, plainRows, random, strings, timestamps } from '../offline/fixtures';
import { AggregationLake, HOUR, MINUTE, T0 } from './fixtures';

const CITIES = ['chicago', 'evanston', 'oak park'];

test('aggregates per (rider, city) in training equal the rule computed by hand, and online equals training', async () => {
  const lake = await AggregationLake.create();
  try {
    const stack = new TerraformStack(Testing.app(), 'composite');
    const local = new LocalLake(stack, 'lake', { root: join(lake.root, 'lake') });
    const repo = new FeatureRepo(stack, 'repo', { project: 'composite', onlineStore: new EmbeddedOnlineStore(stack, 'online', { path: join(lake.root, 'online') }) });
    const rider = new Entity(repo, 'rider', { joinKeys: ['rider_id'], valueType: types.Int64 });
    const city = new Entity(repo, 'city', { joinKeys: ['city'], valueType: types.String });
    const source = new FileSource(repo, 'raw_trips', { lake: local, path: 'trips', timestampField: 'event_timestamp' });
    new AggregationFeatureView(repo, 'rider_city', {
      entities: [rider, city],
      source,
      aggregations: [{ column: 'fare', dtype: types.Float64, functions: ['count', 'sum', 'min'], windows: [Duration.hours(2)] }],
      tileSize: Duration.minutes(30),
    });
    const manifest = repo.toManifest();

    const rnd = random(71);
    const events = Array.from({ length: 3000 }, () => ({ rider: 1 + rnd.int(6), city: rnd.pick(CITIES), ts: T0 + rnd.int(10 * 60) * MINUTE, fare: rnd.int(200) / 4 }));
    await mkdir(join(lake.root, 'lake', 'trips'), { recursive: true });
    // Unequal part files and row groups: batches of different lengths.
    for (const [i, [from, to]] of [[0, 2500], [2500, 2510], [2510, 3000]].entries()) {
      const part = events.slice(from, to);
      const table = new Table({ rider_id: int64s(part.map((e) => e.rider)), city: strings(part.map((e) => e.city)), event_timestamp: timestamps(part.map((e) => e.ts)), fare: float64s(part.map((e) => e.fare)) });
      await writeFile(join(lake.root, 'lake', 'trips', `part-${i}.parquet`), await tableToParquet(table, { rowGroupSize: 333 }));
    }
    const rows = Array.from({ length: 300 }, () => ({ rider: 1 + rnd.int(7), city: rnd.pick(CITIES), at: T0 + rnd.int(11 * 3600) * 1_000_000 }));
    const entities = new Table({ rider_id: int64s(rows.map((r) => r.rider)), city: strings(rows.map((r) => r.city)), event_timestamp: timestamps(rows.map((r) => r.at)) });
    const store = await FeatureStore.open({ manifest, env: {} });
    try {
      const refs = ['rider_city:fare_count_2h', 'rider_city:fare_sum_2h', 'rider_city:fare_min_2h'];
      const got = plainRows(await store.getHistoricalFeatures({ entities, features: refs }));
      const tile = 30 * MINUTE;
      const want = rows.map((r) => {
        const hits = events.filter((e) => e.rider === r.rider && e.city === r.city && e.ts <= r.at && e.ts > Math.ceil(r.at / tile) * tile - 2 * HOUR);
        return { rider_id: r.rider, city: r.city, event_timestamp: r.at, fare_count_2h: hits.length, fare_sum_2h: hits.length ? hits.reduce((a, e) => a + e.fare, 0) : null, fare_min_2h: hits.length ? Math.min(...hits.map((e) => e.fare)) : null };
      });
      expect(got).toEqual(want);
      expect(want.filter((w) => w.fare_count_2h > 3).length).toBeGreaterThan(50);

      const now = T0 + 10 * HOUR + 7 * MINUTE;
      await store.materialize({ start: T0, end: now });
      const keys = [[1, 'chicago'], [4, 'oak park'], [7, 'evanston']] as const;
      const response = onlineResponse(await readOnlineRows(await store.context.onlineStore(), { features: refs, entities: { rider_id: keys.map((k) => k[0]), city: keys.map((k) => k[1]) } }, now));
      const training = plainRows(await store.getHistoricalFeatures({ entities: new Table({ rider_id: int64s(keys.map((k) => k[0])), city: strings(keys.map((k) => k[1])), event_timestamp: timestamps(keys.map(() => now)) }), features: refs }));
      const names = response.metadata.feature_names;
      const online = keys.map((_, r) => Object.fromEntries(names.map((n, i) => [n, response.results[i].values[r]])));
      expect(online.map((o) => [o.fare_count_2h, o.fare_sum_2h, o.fare_min_2h])).toEqual(training.map((t) => [t.fare_count_2h, t.fare_sum_2h, t.fare_min_2h]));
    } finally {
      await store.close();
    }
  } finally {
    await lake.remove();
  }
});
