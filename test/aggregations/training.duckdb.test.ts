import { FeatureStore } from '../../runtime/feature-store';
import { openDuckDb } from '../offline/duckdb-reference';
import { plainRows } from '../offline/fixtures';
import { referenceAggregates } from './duckdb-reference';
import { AggregationLake, aggregationManifest, entityTable, generateEntityRows, generateTrips, HOUR, T0, TILE, type EntityRow } from './fixtures';
import type { DuckDBConnection } from '@duckdb/node-api';

const manifest = aggregationManifest();
const view = manifest.featureViews.find((v) => v.name === 'rider_trips')!;
const spec = view.aggregation!;
const ALL = view.features.map((f) => f.name);

let lake: AggregationLake;
let store: FeatureStore;
let duck: DuckDBConnection;
let entityFile: string;
let entityRows: EntityRow[];

beforeAll(async () => {
  lake = await AggregationLake.create();
  const trips = generateTrips(7, 40, 3000, 30);
  // Late rows: a later part file holding events from early in the span.
  const late = generateTrips(8, 40, 500, 10).map((e) => ({ ...e, created: e.created + 48 * HOUR }));
  await lake.writeTrips([trips.slice(0, 1500), trips.slice(1500), late]);
  entityRows = generateEntityRows(9, 40, 1500, 30);
  entityFile = await lake.writeEntities(entityRows);
  store = await FeatureStore.open({ manifest, env: lake.env() });
  duck = await openDuckDb();
});

afterAll(async () => {
  await store.close();
  duck.closeSync();
  await lake.remove();
});

const features = (names: readonly string[]) => names.map((n) => `rider_trips:${n}`);

describe('aggregation views in getHistoricalFeatures agree with a DuckDB range query', () => {
  test('every function over both windows, row for row, in input order', async () => {
    const table = await store.getHistoricalFeatures({ entities: entityTable(entityRows), features: features(ALL) });
    expect(table.schema.fields.map((f) => f.name)).toEqual(['rider_id', 'event_timestamp', ...ALL]);
    const ours = plainRows(table).map((r) => Object.fromEntries(ALL.map((n) => [n, r[n] as number | null])));
    const theirs = await referenceAggregates(duck, spec, entityFile, lake.tripsGlob, ALL);
    expect(ours).toEqual(theirs);
    // The data exercises what it claims: empty windows, full ones, and nulls that are not empty windows.
    expect(ours.filter((r) => r.fare_count_1h === 0).length).toBeGreaterThan(50);
    expect(ours.filter((r) => (r.fare_count_6h as number) > 5).length).toBeGreaterThan(50);
    expect(ours.some((r) => r.fare_count_1h === 0 && r.fare_sum_1h === null && r.fare_last_1h === null)).toBe(true);
  });

  test('types: counts and integer sums are Int64, fare aggregates Float64', async () => {
    const table = await store.getHistoricalFeatures({ entities: entityTable(entityRows.slice(0, 3)), features: features(['fare_count_1h', 'tip_sum_1h', 'fare_mean_6h']) });
    expect(table.schema.fields.map((f) => String(f.type))).toEqual(['Int64', 'Timestamp<MICROSECOND, UTC>', 'Int64', 'Int64', 'Float64']);
    expect(view.features.find((f) => f.name === 'tip_last_1h')!.dtype).toBe('Int64');
  });

  test('filterByCreatedTimestamp leaves out events created after the entity row (the late rows)', async () => {
    const names = ['fare_count_6h', 'fare_sum_6h', 'tip_last_1h'];
    const table = await store.getHistoricalFeatures({ entities: entityTable(entityRows), features: features(names), filterByCreatedTimestamp: true });
    const ours = plainRows(table).map((r) => Object.fromEntries(names.map((n) => [n, r[n] as number | null])));
    expect(ours).toEqual(await referenceAggregates(duck, spec, entityFile, lake.tripsGlob, names, true));
    const unfiltered = plainRows(await store.getHistoricalFeatures({ entities: entityTable(entityRows), features: features(names) }));
    expect(ours.some((r, i) => r.fare_count_6h !== unfiltered[i].fare_count_6h)).toBe(true);
  });

  test('the window is (tile_end - w, t]: an event at t counts, one at tile_end - w does not, the start moves by whole tiles', async () => {
    const at = T0 + 3 * HOUR + 20 * 60_000_000; // tile (3:15, 3:30]
    const edge = T0 + 3 * HOUR + 30 * 60_000_000 - HOUR; // 2:30, excluded from the 1 h window
    const local = await AggregationLake.create();
    try {
      const event = (ts: number, fare: number) => ({ rider_id: 1, event_timestamp: ts, created: ts, fare, tip: 1 });
      await local.writeTrips([[event(edge, 1), event(edge + 1, 2), event(at, 4), event(at + 1, 8)]]);
      const s = await FeatureStore.open({ manifest, env: local.env() });
      const rows = plainRows(await s.getHistoricalFeatures({ entities: entityTable([{ rider_id: 1, event_timestamp: at }, { rider_id: 1, event_timestamp: at + TILE }]), features: features(['fare_sum_1h', 'fare_count_6h', 'fare_last_1h']) }));
      await s.close();
      expect(rows.map((r) => [r.fare_sum_1h, r.fare_count_6h, r.fare_last_1h])).toEqual([
        [6, 3, 4],
        [12, 4, 8],
      ]);
    } finally {
      await local.remove();
    }
  });

  test('a feature service selects aggregates like any feature, with full feature names', async () => {
    const table = await store.getHistoricalFeatures({ entities: entityTable(entityRows.slice(0, 20)), featureService: 'rider_service', fullFeatureNames: true });
    expect(table.schema.fields.map((f) => f.name)).toEqual(['rider_id', 'event_timestamp', 'rider_trips__fare_count_1h', 'rider_trips__fare_sum_6h', 'rider_trips__tip_last_1h']);
  });
});
