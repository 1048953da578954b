/** An aggregation view without entities aggregates every event: training, the generated SQL and the online store agree. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Table } from 'apache-arrow';
import { Testing, TerraformStack } from 'cdktf';
import { AggregationFeatureView, Duration, EmbeddedOnlineStore, FeatureRepo, FileSource, LocalLake, types } from '../../constructs';
import { FeatureStore } from '../../runtime/feature-store';
import { tableToParquet } from '../../runtime/io/parquet';
import type { Manifest } from '../../runtime/manifest/schema';
import { onlineResponse } from '../../runtime/online';
import { readOnlineRows } from '../../runtime/online/read/get-online-features';
import { DUCKDB } from '../../runtime/spark/dialect';
import { trainingSql } from '../../runtime/spark/training-sql';
import { plainRows, timestamps } from '../offline/fixtures';
import { openDuckDb, readParquetTable, runScript } from '../spark/support/duckdb';
import { AggregationLake, generateTrips, HOUR, MINUTE, T0 } from './fixtures';

function cityManifest(root: string): Manifest {
  const stack = new TerraformStack(Testing.app(), 'city');
  const lake = new LocalLake(stack, 'lake', { root: join(root, 'lake') });
  const repo = new FeatureRepo(stack, 'repo', { project: 'city', onlineStore: new EmbeddedOnlineStore(stack, 'online', { path: join(root, 'online') }) });
  const source = new FileSource(repo, 'raw_trips', { lake, path: 'trips', timestampField: 'event_timestamp', createdTimestampColumn: 'created' });
  new AggregationFeatureView(repo, 'city_trips', {
    source,
    aggregations: [{ column: 'fare', dtype: types.Float64, functions: ['count', 'sum', 'max', 'last'], windows: [Duration.hours(1), Duration.hours(3)] }],
    tileSize: Duration.minutes(10),
  });
  return repo.toManifest();
}

const FEATURES = ['fare_count_1h', 'fare_count_3h', 'fare_sum_1h', 'fare_sum_3h', 'fare_max_3h', 'fare_last_1h'];
const REFS = FEATURES.map((f) => `city_trips:${f}`);

test('every event counts for every entity row; online at t equals training at t', async () => {
  const lake = await AggregationLake.create();
  const events = generateTrips(61, 5, 400, 12);
  await lake.writeTrips([events]);
  const manifest = cityManifest(lake.root);
  const store = await FeatureStore.open({ manifest, env: {} });
  const duck = await openDuckDb();
  try {
    const times = [T0 - HOUR, T0 + 30 * MINUTE, T0 + 5 * HOUR + 7 * MINUTE, T0 + 12 * HOUR, T0 + 16 * HOUR];
    const entities = new Table({ event_timestamp: timestamps(times) });
    const ours = plainRows(await store.getHistoricalFeatures({ entities, features: REFS }));
    // The rule by hand: (ceil(t / 10 min) * 10 min - w, t].
    const tile = 10 * MINUTE;
    const expected = times.map((t) => {
      const inWindow = (w: number) => events.filter((e) => e.fare !== null && e.event_timestamp > Math.ceil(t / tile) * tile - w && e.event_timestamp <= t);
      const sum = (xs: typeof events) => (xs.length === 0 ? null : xs.reduce((a, e) => a + e.fare!, 0));
      const last = inWindow(HOUR).reduce<(typeof events)[number] | null>((best, e) => (!best || e.event_timestamp > best.event_timestamp || (e.event_timestamp === best.event_timestamp && e.created >= best.created) ? e : best), null);
      return {
        event_timestamp: t,
        fare_count_1h: inWindow(HOUR).length,
        fare_count_3h: inWindow(3 * HOUR).length,
        fare_sum_1h: sum(inWindow(HOUR)),
        fare_sum_3h: sum(inWindow(3 * HOUR)),
        fare_max_3h: inWindow(3 * HOUR).length === 0 ? null : Math.max(...inWindow(3 * HOUR).map((e) => e.fare!)),
        fare_last_1h: last ? last.fare : null,
      };
    });
    expect(ours).toEqual(expected);

    const entityFile = join(lake.root, 'entities.parquet');
    await writeFile(entityFile, await tableToParquet(entities));
    const out = join(lake.root, 'sql-out.parquet');
    await runScript(duck, trainingSql(manifest, { features: REFS, entityUrl: entityFile, outputUrl: out }, DUCKDB));
    expect(plainRows(await readParquetTable(out))).toEqual(ours);

    await store.materialize({ start: T0 - 24 * HOUR, end: T0 + 12 * HOUR });
    const online = await store.context.onlineStore();
    for (const t of times.slice(3)) {
      const response = onlineResponse(await readOnlineRows(online, { features: REFS, entities: {} }, t));
      const values = Object.fromEntries(FEATURES.map((f, i) => [f, response.results[i].values[0]]));
      const { event_timestamp: _t, ...training } = ours[times.indexOf(t)];
      expect(values).toEqual(training);
    }
  } finally {
    duck.closeSync();
    await store.close();
    await lake.remove();
  }
});

