/**
 * getHistoricalFeatures against DuckDB SQL computing the same semantics, row for row,
 * on generated data: many entities, equal event times broken by created times, rows
 * outside the TTL, nulls, unmatched and duplicate entity rows, an entity-less view,
 * composite keys, naive and zone-aware timestamps, field mapping and join key maps.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { Table } from 'apache-arrow';
import type { FeatureStore } from '../../runtime/feature-store';
import { tableToParquet } from '../../runtime/io/parquet';
import { openDuckDb, referenceTrainingSet, type ReferenceView } from './duckdb-reference';
import {
  bools,
  float32s,
  float64s,
  int32s,
  int64s,
  manifestOf,
  MINUTE,
  plainRows,
  random,
  strings,
  T0,
  TempLake,
  timestamps,
  type ViewDef,
} from './fixtures';

const rnd = random(20240601);
const DRIVERS = 60;
const CUSTOMERS = 40;
const SLOTS = 2 * 24 * 6; // two days of 10-minute slots: many equal event times
const slot = () => T0 + rnd.int(SLOTS) * 10 * MINUTE;
const maybe = <T>(value: T, nullShare = 0.05): T | null => (rnd.next() < nullShare ? null : value);
const customerId = (i: number) => `c-${i}`;

const driverStats: ViewDef = {
  name: 'driver_stats',
  joinKeys: [{ name: 'driver_id', valueType: 'Int64' }],
  features: [
    ['conv_rate', 'Float64'],
    ['trips', 'Int64'],
    ['rating', 'Float32'],
    ['shifts', 'Int32'],
    ['label', 'String'],
    ['active', 'Bool'],
  ],
  ttlSeconds: 2 * 3600,
  path: 'drivers',
  timestampField: 'ts',
  createdTimestampColumn: 'created',
  fieldMapping: { driver: 'driver_id', conv: 'conv_rate' },
};
const customerProfile: ViewDef = {
  name: 'customer_profile',
  joinKeys: [{ name: 'customer_id', valueType: 'String' }],
  features: [
    ['score', 'Float64'],
    ['last_seen', 'UnixTimestamp'],
  ],
  ttlSeconds: 0,
  path: 'customers/profile.parquet',
  timestampField: 'event_ts',
};
const driverCustomer: ViewDef = {
  name: 'driver_customer',
  joinKeys: [
    { name: 'driver_id', valueType: 'Int64' },
    { name: 'customer_id', valueType: 'String' },
  ],
  features: [['pair_count', 'Int32']],
  ttlSeconds: 86400,
  path: 'pairs',
  timestampField: 'ts',
  createdTimestampColumn: 'created',
};
const weather: ViewDef = {
  name: 'weather',
  joinKeys: [],
  features: [['temp', 'Float64']],
  ttlSeconds: 3 * 3600,
  path: 'weather',
  createdTimestampColumn: 'created',
};

const manifest = manifestOf(
  [driverStats, customerProfile, driverCustomer, weather],
  [
    {
      name: 'two_drivers',
      projections: [
        { featureView: 'driver_stats', alias: null, features: ['conv_rate', 'trips'], joinKeyMap: {} },
        { featureView: 'driver_stats', alias: 'other', features: ['conv_rate', 'label'], joinKeyMap: { driver_id: 'other_driver' } },
        { featureView: 'driver_customer', alias: 'pair', features: ['pair_count'], joinKeyMap: { driver_id: 'other_driver' } },
      ],
    },
  ],
);

/** Event time, created time (equal, later, or null), so ties are broken every way. */
function timesOf(n: number): { ts: (number | null)[]; created: (number | null)[] } {
  const ts = Array.from({ length: n }, () => maybe(slot(), 0.01));
  const created = ts.map((t) => (t === null ? T0 : maybe(t + rnd.pick([0, 0, 10, 20]) * MINUTE, 0.05)));
  return { ts, created };
}

function driverStatsPart(n: number): Table {
  const { ts, created } = timesOf(n);
  return new Table({
    driver: int64s(Array.from({ length: n }, () => maybe(1 + rnd.int(DRIVERS), 0.01))),
    ts: timestamps(ts),
    created: timestamps(created),
    conv: float64s(Array.from({ length: n }, () => maybe(rnd.next()))),
    trips: int64s(Array.from({ length: n }, () => maybe(rnd.int(1000)))),
    rating: float32s(Array.from({ length: n }, () => maybe(rnd.next() * 5))),
    shifts: int32s(Array.from({ length: n }, () => maybe(rnd.int(30) - 10))),
    label: strings(Array.from({ length: n }, (_, i) => maybe(`l${i % 17}-é`))),
    active: bools(Array.from({ length: n }, () => maybe(rnd.next() < 0.5))),
  });
}

function customerProfileFile(n: number): Table {
  return new Table({
    customer_id: strings(Array.from({ length: n }, () => maybe(customerId(rnd.int(CUSTOMERS)), 0.01))),
    // naive, in milliseconds
    event_ts: timestamps(Array.from({ length: n }, () => slot()), null, 'ms'),
    score: float64s(Array.from({ length: n }, () => maybe(rnd.next() * 100))),
    last_seen: timestamps(Array.from({ length: n }, () => maybe(slot() + rnd.int(1000))), null),
  });
}

function pairsPart(n: number): Table {
  const { ts, created } = timesOf(n);
  return new Table({
    // stored as Int32 while the join key is Int64
    driver_id: int32s(Array.from({ length: n }, () => 1 + rnd.int(DRIVERS / 2))),
    customer_id: strings(Array.from({ length: n }, () => customerId(rnd.int(CUSTOMERS / 2)))),
    ts: timestamps(ts, 'UTC', 'ns'),
    created: timestamps(created, 'UTC', 'ns'),
    pair_count: int32s(Array.from({ length: n }, () => maybe(rnd.int(50)))),
  });
}

function weatherPart(n: number): Table {
  const { ts, created } = timesOf(n);
  return new Table({
    event_timestamp: timestamps(ts, 'Europe/Paris'),
    created: timestamps(created, 'Europe/Paris'),
    temp: float64s(Array.from({ length: n }, () => maybe(rnd.int(400) / 10))),
  });
}

/** Entity rows, with ~10% duplicates of earlier rows, and keys that match nothing. */
function entityRows(n: number, naive: boolean): Table {
  const rows = Array.from({ length: n }, () => ({
    driver: maybe(1 + rnd.int(DRIVERS + 20), 0.02),
    other: maybe(1 + rnd.int(DRIVERS), 0.1),
    customer: maybe(customerId(rnd.int(CUSTOMERS + 5)), 0.02),
    // on the 10-minute grid (exact hits and TTL edges) or anywhere in between
    at: rnd.next() < 0.5 ? slot() + rnd.pick([0, 2 * 60, 3 * 60, 24 * 60]) * MINUTE : T0 + rnd.int(SLOTS * 10 * MINUTE),
  }));
  for (let i = 0; i < n / 10; i++) rows.splice(rnd.int(rows.length), 0, rows[rnd.int(rows.length)]);
  return new Table({
    driver_id: int64s(rows.map((r) => r.driver)),
    other_driver: int64s(rows.map((r) => r.other)),
    customer_id: strings(rows.map((r) => r.customer)),
    event_timestamp: naive ? timestamps(rows.map((r) => r.at), null, 'ms') : timestamps(rows.map((r) => r.at)),
  });
}

let lake: TempLake;
let store: FeatureStore;
let duck: DuckDBConnection;

beforeAll(async () => {
  lake = await TempLake.create();
  // zstd parts take the flat-column path (and, for numbers alone, the workers' match and copy); snappy, parquet-wasm.
  for (let p = 0; p < 3; p++) await lake.write(`drivers/part-${p}.parquet`, driverStatsPart(1500), 400, p < 2 ? 'zstd' : 'snappy');
  await lake.write('customers/profile.parquet', customerProfileFile(800), 300);
  for (let p = 0; p < 2; p++) await lake.write(`pairs/day=${p}/part-0.parquet`, pairsPart(700), 1000);
  for (let p = 0; p < 2; p++) await lake.write(`weather/part-${p}.parquet`, weatherPart(150), 100, 'zstd');
  store = await lake.store(manifest);
  duck = await openDuckDb();
});

afterAll(async () => {
  await store?.close();
  duck?.closeSync();
  await lake?.remove();
});

const glob = (view: ViewDef) => lake.path(view.path.endsWith('.parquet') ? view.path : `${view.path}/**/*.parquet`);
const stored = (view: ViewDef, name: string) => Object.entries(view.fieldMapping ?? {}).find(([, to]) => to === name)?.[0] ?? name;

function reference(view: ViewDef, features: string[], options: { entityColumn?: Record<string, string>; prefix?: string } = {}): ReferenceView {
  return {
    glob: glob(view),
    keys: view.joinKeys.map((k) => [options.entityColumn?.[k.name] ?? k.name, stored(view, k.name)] as const),
    timestampColumn: view.timestampField ?? 'event_timestamp',
    createdColumn: view.createdTimestampColumn ?? null,
    ttlSeconds: view.ttlSeconds,
    features: features.map((f) => [stored(view, f), `${options.prefix ?? ''}${f}`, view.features.find(([n]) => n === f)![1] === 'UnixTimestamp'] as const),
  };
}

async function compare(entities: Table, run: () => Promise<Table>, views: ReferenceView[], filterByCreated: boolean): Promise<Record<string, unknown>[]> {
  const file = lake.path(`entities-${Math.random().toString(36).slice(2)}.parquet`);
  await lake.writeBytes(file.slice(lake.root.length + 1), await tableToParquet(entities));
  const expected = await referenceTrainingSet(duck, file, 'event_timestamp', views, filterByCreated);
  const actual = plainRows(await run());
  expect(actual).toHaveLength(entities.numRows);
  const featureNames = Object.keys(expected[0]);
  const actualFeatures = actual.map((row) => Object.fromEntries(featureNames.map((n) => [n, row[n]])));
  actualFeatures.forEach((row, i) => expect({ row: i, ...row }).toEqual({ row: i, ...expected[i] }));
  // The data must exercise the rule: every feature matches some rows and misses others.
  for (const name of featureNames) {
    const matched = actual.filter((r) => r[name] !== null).length;
    expect({ name, some: matched > actual.length * 0.05, notAll: matched < actual.length }).toEqual({ name, some: true, notAll: true });
  }
  return actual;
}

const allFeatures = [
  'driver_stats:conv_rate',
  'driver_stats:trips',
  'driver_stats:rating',
  'driver_stats:shifts',
  'driver_stats:label',
  'driver_stats:active',
  'customer_profile:score',
  'customer_profile:last_seen',
  'driver_customer:pair_count',
  'weather:temp',
];

function allReferences(): ReferenceView[] {
  return [
    reference(driverStats, ['conv_rate', 'trips', 'rating', 'shifts', 'label', 'active']),
    reference(customerProfile, ['score', 'last_seen']),
    reference(driverCustomer, ['pair_count']),
    reference(weather, ['temp']),
  ];
}

describe('getHistoricalFeatures agrees with DuckDB SQL, row for row', () => {
  test('every view kind, zone-aware entity timestamps', async () => {
    const entities = entityRows(1200, false);
    const rows = await compare(entities, () => store.getHistoricalFeatures({ entities, features: allFeatures }), allReferences(), false);
    expect(rows.map((r) => r.driver_id)).toEqual(plainRows(entities).map((r) => r.driver_id));
  });

  test('naive entity timestamps, filtered by created time', async () => {
    const entities = entityRows(900, true);
    await compare(entities, () => store.getHistoricalFeatures({ entities, features: allFeatures, filterByCreatedTimestamp: true }), allReferences(), true);
  });

  test('numeric features only: matched and copied where they are decoded', async () => {
    const entities = entityRows(1000, false);
    const numbers = ['conv_rate', 'trips', 'rating', 'shifts'];
    await compare(
      entities,
      () => store.getHistoricalFeatures({ entities, features: numbers.map((f) => `driver_stats:${f}`), filterByCreatedTimestamp: true }),
      [reference(driverStats, numbers)],
      true,
    );
  });

  test('a feature service with aliases, join key maps and full feature names', async () => {
    const entities = entityRows(700, false);
    await compare(
      entities,
      () => store.getHistoricalFeatures({ entities, featureService: 'two_drivers', fullFeatureNames: true }),
      [
        reference(driverStats, ['conv_rate', 'trips'], { prefix: 'driver_stats__' }),
        reference(driverStats, ['conv_rate', 'label'], { prefix: 'other__', entityColumn: { driver_id: 'other_driver' } }),
        reference(driverCustomer, ['pair_count'], { prefix: 'pair__', entityColumn: { driver_id: 'other_driver' } }),
      ],
      false,
    );
  });
});
