import { DataType, Table, TimeUnit, type Timestamp } from 'apache-arrow';
import type { FeatureStore } from '../../runtime/feature-store';
import {
  bools,
  float32s,
  float64s,
  HOUR,
  int32s,
  int64s,
  manifestOf,
  MINUTE,
  plainRows,
  strings,
  T0,
  TempLake,
  timestamps,
  type ViewDef,
} from './fixtures';

const driverStats: ViewDef = {
  name: 'driver_stats',
  joinKeys: [{ name: 'driver_id', valueType: 'Int64' }],
  features: [
    ['conv_rate', 'Float64'],
    ['trips', 'Int64'],
  ],
  ttlSeconds: 3600,
  path: 'driver_stats',
  createdTimestampColumn: 'created',
};
const weather: ViewDef = { name: 'weather', joinKeys: [], features: [['temp', 'Float64']], ttlSeconds: 0, path: 'weather.parquet' };
const pairs: ViewDef = {
  name: 'pairs',
  joinKeys: [
    { name: 'driver_id', valueType: 'Int64' },
    { name: 'city', valueType: 'String' },
  ],
  features: [['rides', 'Int32']],
  ttlSeconds: 0,
  path: 'pairs',
};
const mapped: ViewDef = {
  name: 'mapped',
  joinKeys: [{ name: 'driver_id', valueType: 'Int64' }],
  features: [['score', 'Float64']],
  ttlSeconds: 0,
  path: 'mapped',
  timestampField: 'ts',
  fieldMapping: { drv: 'driver_id', raw_score: 'score' },
};
const typed: ViewDef = {
  name: 'typed',
  joinKeys: [{ name: 'driver_id', valueType: 'Int64' }],
  features: [
    ['f32', 'Float32'],
    ['label', 'String'],
    ['flag', 'Bool'],
    ['seen', 'UnixTimestamp'],
    ['small', 'Int32'],
    ['widened', 'Int64'],
  ],
  ttlSeconds: 0,
  path: 'typed',
};

const manifest = manifestOf(
  [driverStats, weather, pairs, mapped, typed],
  [
    {
      name: 'svc',
      projections: [
        { featureView: 'driver_stats', alias: null, features: ['conv_rate'], joinKeyMap: {} },
        { featureView: 'driver_stats', alias: 'other', features: ['conv_rate'], joinKeyMap: { driver_id: 'other_driver' } },
      ],
    },
  ],
);

let lake: TempLake;
let store: FeatureStore;

beforeAll(async () => {
  lake = await TempLake.create();
  // Two part files: equal event and created times across them are won by the later file.
  await lake.write(
    'driver_stats/part-0.parquet',
    new Table({
      driver_id: int64s([1, 1, 1, 2, 2, 1]),
      event_timestamp: timestamps([T0, T0 + HOUR, T0 + 2 * HOUR, T0, T0 + HOUR, T0 + 5 * HOUR]),
      created: timestamps([T0, T0 + HOUR, T0 + 2 * HOUR, T0 + MINUTE, T0 + HOUR, T0 + 5 * HOUR]),
      conv_rate: float64s([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
      trips: int64s([1, 2, 3, 4, 5, null]),
    }),
  );
  await lake.write(
    'driver_stats/part-1.parquet',
    new Table({
      driver_id: int64s([1, 2, 2]),
      // driver 1 at T0+H: a later created time wins; driver 2 at T0+H: same times, read last wins.
      event_timestamp: timestamps([T0 + HOUR, T0 + HOUR, T0 + 90 * MINUTE]),
      created: timestamps([T0 + HOUR + MINUTE, T0 + HOUR, T0 + 9 * HOUR]),
      conv_rate: float64s([0.25, 0.55, 0.7]),
      trips: int64s([20, 50, 7]),
    }),
  );
  await lake.write('weather.parquet', new Table({ event_timestamp: timestamps([T0, T0 + 2 * HOUR]), temp: float64s([5, 7]) }));
  await lake.write(
    'pairs/part-0.parquet',
    new Table({
      driver_id: int32s([1, 1, 2]),
      city: strings(['paris', 'rome', 'paris']),
      event_timestamp: timestamps([T0, T0, T0]),
      rides: int32s([10, 20, 30]),
    }),
  );
  await lake.write('mapped/data.parquet', new Table({ drv: int64s([1, 2]), ts: timestamps([T0, T0]), raw_score: float64s([9, 8]) }));
  await lake.write(
    'typed/data.parquet',
    new Table({
      driver_id: int64s([1, 2]),
      event_timestamp: timestamps([T0, T0]),
      f32: float32s([1.5, null]),
      label: strings(['é-1', null]),
      flag: bools([true, false]),
      seen: timestamps([T0 + 123, T0 - HOUR], null, 'ns'),
      small: int32s([-3, 4]),
      widened: int32s([-7, 9]),
    }),
  );
  store = await lake.store(manifest);
});

afterAll(async () => {
  await store?.close();
  await lake?.remove();
});

function entities(driverIds: (number | null)[], times: number[], extra: Record<string, ReturnType<typeof int64s>> = {}): Table {
  return new Table({ driver_id: int64s(driverIds), event_timestamp: timestamps(times), ...extra });
}

async function features(rows: Table, refs: string[], options: { filterByCreatedTimestamp?: boolean } = {}): Promise<Record<string, unknown>[]> {
  return plainRows(await store.getHistoricalFeatures({ entities: rows, features: refs, ...options }));
}

describe('getHistoricalFeatures: the point-in-time rule', () => {
  test('takes the latest row at or before the entity time, never a later one', async () => {
    const rows = await features(entities([1, 1, 1], [T0 + 30 * MINUTE, T0 + 2 * HOUR, T0 - 1]), ['driver_stats:conv_rate']);
    expect(rows.map((r) => r.conv_rate)).toEqual([0.1, 0.3, null]);
  });

  test('both TTL bounds are inclusive; an older row gives null', async () => {
    const rows = await features(entities([1, 1, 1], [T0 + 3 * HOUR, T0 + 3 * HOUR + 1, T0 + 2 * HOUR]), ['driver_stats:conv_rate']);
    expect(rows.map((r) => r.conv_rate)).toEqual([0.3, null, 0.3]);
  });

  test('a later-created row wins a tie on event time', async () => {
    const rows = await features(entities([1], [T0 + HOUR + 30 * MINUTE]), ['driver_stats:conv_rate', 'driver_stats:trips']);
    expect(rows).toEqual([{ driver_id: 1, event_timestamp: T0 + HOUR + 30 * MINUTE, conv_rate: 0.25, trips: 20 }]);
  });

  test('with equal event and created times, the row read last (later part file) wins', async () => {
    const rows = await features(entities([2], [T0 + HOUR]), ['driver_stats:conv_rate']);
    expect(rows[0].conv_rate).toBe(0.55);
  });

  test('filterByCreatedTimestamp ignores rows created after the entity time', async () => {
    const at = [T0 + HOUR, T0 + 2 * HOUR];
    expect((await features(entities([1, 2], at), ['driver_stats:conv_rate'])).map((r) => r.conv_rate)).toEqual([0.25, 0.7]);
    const filtered = await features(entities([1, 2], at), ['driver_stats:conv_rate'], { filterByCreatedTimestamp: true });
    expect(filtered.map((r) => r.conv_rate)).toEqual([0.2, 0.55]);
  });

  test('keeps input order and duplicate rows; unmatched or null keys give nulls', async () => {
    const rows = await features(entities([2, 1, 2, 99, null, 1], [T0, T0, T0, T0, T0, T0]), ['driver_stats:trips']);
    expect(rows.map((r) => [r.driver_id, r.trips])).toEqual([
      [2, 4],
      [1, 1],
      [2, 4],
      [99, null],
      [null, null],
      [1, 1],
    ]);
  });

  test('a null feature value stays null (it is not replaced by an older value)', async () => {
    const rows = await features(entities([1], [T0 + 5 * HOUR]), ['driver_stats:trips', 'driver_stats:conv_rate']);
    expect(rows[0]).toMatchObject({ trips: null, conv_rate: 0.6 });
  });

  test('an entity-less view joins on time only', async () => {
    const rows = await features(entities([1, 7, 1], [T0 - 1, T0 + HOUR, T0 + 2 * HOUR]), ['weather:temp']);
    expect(rows.map((r) => r.temp)).toEqual([null, 5, 7]);
  });

  test('composite join keys match on every column (an Int32 column serves an Int64 key)', async () => {
    const rows = plainRows(
      await store.getHistoricalFeatures({
        entities: new Table({ driver_id: int64s([1, 1, 2, 2]), city: strings(['rome', 'paris', 'rome', 'paris']), event_timestamp: timestamps([T0, T0, T0, T0]) }),
        features: ['pairs:rides'],
      }),
    );
    expect(rows.map((r) => r.rides)).toEqual([20, 10, null, 30]);
  });

  test('field mapping renames stored columns to join keys and features', async () => {
    const rows = await features(entities([2, 1], [T0, T0]), ['mapped:score']);
    expect(rows.map((r) => r.score)).toEqual([8, 9]);
  });

  test('a service projection with an alias and a join key map reads another entity column', async () => {
    const rows = plainRows(
      await store.getHistoricalFeatures({
        entities: entities([1, 2], [T0, T0], { other_driver: int64s([2, null]) }),
        featureService: 'svc',
        fullFeatureNames: true,
      }),
    );
    expect(rows).toEqual([
      { driver_id: 1, event_timestamp: T0, other_driver: 2, driver_stats__conv_rate: 0.1, other__conv_rate: 0.4 },
      { driver_id: 2, event_timestamp: T0, other_driver: null, driver_stats__conv_rate: 0.4, other__conv_rate: null },
    ]);
  });

  test('naive entity timestamps are UTC, and a timestamp column need not be named event_timestamp', async () => {
    const naive = new Table({ driver_id: int64s([1]), at: timestamps([T0 + 2 * HOUR], null, 'ms') });
    const table = await store.getHistoricalFeatures({ entities: naive, features: ['driver_stats:conv_rate'] });
    expect(plainRows(table)).toEqual([{ driver_id: 1, at: T0 + 2 * HOUR, conv_rate: 0.3 }]);
    const type = table.schema.fields[1].type as Timestamp;
    expect([DataType.isTimestamp(type), type.unit, type.timezone]).toEqual([true, TimeUnit.MICROSECOND, 'UTC']);
  });

  test('feature columns are typed per the manifest', async () => {
    const table = await store.getHistoricalFeatures({
      entities: entities([1, 2, 3], [T0, T0, T0]),
      features: ['typed:f32', 'typed:label', 'typed:flag', 'typed:seen', 'typed:small', 'typed:widened', 'driver_stats:trips'],
    });
    expect(table.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'driver_id:Int64',
      'event_timestamp:Timestamp<MICROSECOND, UTC>',
      'f32:Float32',
      'label:Utf8',
      'flag:Bool',
      'seen:Timestamp<MICROSECOND, UTC>',
      'small:Int32',
      'widened:Int64',
      'trips:Int64',
    ]);
    expect(plainRows(table).map(({ driver_id: _d, event_timestamp: _t, ...f }) => f)).toEqual([
      { f32: 1.5, label: 'é-1', flag: true, seen: T0 + 123, small: -3, widened: -7, trips: 1 },
      { f32: null, label: null, flag: false, seen: T0 - HOUR, small: 4, widened: 9, trips: 4 },
      { f32: null, label: null, flag: null, seen: null, small: null, widened: null, trips: null },
    ]);
  });

  test('no entity rows at all give an empty table with every column', async () => {
    const table = await store.getHistoricalFeatures({ entities: entities([], []), features: ['driver_stats:conv_rate', 'weather:temp'] });
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['driver_id', 'event_timestamp', 'conv_rate', 'temp']);
  });
});
