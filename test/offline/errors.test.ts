import { Table } from 'apache-arrow';
import { FeatureStoreError } from '../../runtime/errors';
import type { FeatureStore } from '../../runtime/feature-store';
import type { HistoricalRequest } from '../../runtime/offline';
import { float64s, int64s, manifestOf, strings, T0, TempLake, timestamps, type ViewDef } from './fixtures';

const key = [{ name: 'driver_id', valueType: 'Int64' as const }];
const view = (name: string, path: string, features: ViewDef['features'] = [['rate', 'Float64']]): ViewDef => ({ name, joinKeys: key, features, ttlSeconds: 0, path });

const manifest = manifestOf([
  view('good', 'good'),
  view('twin', 'good'),
  view('corrupt', 'corrupt'),
  view('missing_column', 'good', [['absent', 'Float64']]),
  view('string_keys', 'string_keys'),
  view('string_values', 'string_values'),
]);

let lake: TempLake;
let store: FeatureStore;

beforeAll(async () => {
  lake = await TempLake.create();
  await lake.write('good/part-0.parquet', new Table({ driver_id: int64s([1]), event_timestamp: timestamps([T0]), rate: float64s([0.5]) }));
  await lake.writeBytes('corrupt/part-0.parquet', new TextEncoder().encode('PAR1 this is not parquet at all PAR1'));
  await lake.write('string_keys/part-0.parquet', new Table({ driver_id: strings(['1']), event_timestamp: timestamps([T0]), rate: float64s([0.5]) }));
  await lake.write('string_values/part-0.parquet', new Table({ driver_id: int64s([1]), event_timestamp: timestamps([T0]), rate: strings(['high']) }));
  store = await lake.store(manifest);
});

afterAll(async () => {
  await store?.close();
  await lake?.remove();
});

const entities = (extra: Record<string, ReturnType<typeof int64s>> = {}) => new Table({ driver_id: int64s([1]), event_timestamp: timestamps([T0]), ...extra });

async function failure(request: HistoricalRequest): Promise<FeatureStoreError> {
  try {
    await store.getHistoricalFeatures(request);
  } catch (e) {
    expect(e).toBeInstanceOf(FeatureStoreError);
    expect((e as FeatureStoreError).hint).not.toBe('');
    return e as FeatureStoreError;
  }
  throw new Error('expected getHistoricalFeatures to fail');
}

describe('getHistoricalFeatures rejects bad input with a clear error', () => {
  test('entity rows without a timestamp column', async () => {
    const e = await failure({ entities: new Table({ driver_id: int64s([1]) }), features: ['good:rate'] });
    expect([e.code, e.message]).toEqual(['ENTITY_ROWS_INVALID', 'entity rows have no timestamp column (columns: driver_id)']);
    expect(e.hint).toContain('event_timestamp');
  });

  test('entity rows with two timestamp columns, neither named event_timestamp', async () => {
    const e = await failure({ entities: new Table({ driver_id: int64s([1]), a: timestamps([T0]), b: timestamps([T0]) }), features: ['good:rate'] });
    expect([e.code, e.message]).toEqual(['ENTITY_ROWS_INVALID', 'entity rows have several timestamp columns (a, b) and none is named "event_timestamp"']);
  });

  test('entity rows made by another copy of apache-arrow (a service using the bundle)', async () => {
    class ForeignTable extends Table {}
    const e = await failure({ entities: new ForeignTable({ driver_id: int64s([1]), event_timestamp: timestamps([T0]) }), features: ['good:rate'] });
    expect([e.code, e.message]).toEqual(['ENTITY_ROWS_INVALID', "the entity rows were made by another copy of apache-arrow than the runtime's"]);
    expect(e.hint).toContain('arrow.tableFromArrays');
  });

  test('entity rows without a join key column', async () => {
    const e = await failure({ entities: new Table({ driver: int64s([1]), event_timestamp: timestamps([T0]) }), features: ['good:rate'] });
    expect([e.code, e.message]).toEqual(['ENTITY_ROWS_INVALID', 'entity rows have no column "driver_id" (join key "driver_id" of feature view "good")']);
  });

  test('a string entity column for an Int64 join key', async () => {
    const e = await failure({ entities: new Table({ driver_id: strings(['1']), event_timestamp: timestamps([T0]) }), features: ['good:rate'] });
    expect([e.code, e.message]).toEqual(['ENTITY_ROWS_INVALID', 'entity rows: column "driver_id" is Utf8, but join key "driver_id" of feature view "good" is Int64']);
  });

  test('a source whose join key column has the wrong type', async () => {
    const e = await failure({ entities: entities(), features: ['string_keys:rate'] });
    expect([e.code, e.message]).toEqual(['SOURCE_INVALID', 'source "string_keys_source" of feature view "string_keys": column "driver_id" is Utf8, but join key "driver_id" is Int64']);
  });

  test('a source whose feature column has the wrong type', async () => {
    const e = await failure({ entities: entities(), features: ['string_values:rate'] });
    expect([e.code, e.message]).toEqual(['SOURCE_INVALID', 'source "string_values_source" of feature view "string_values": column "rate" is Utf8, but feature "rate" is Float64']);
  });

  test('a source missing a declared column', async () => {
    const e = await failure({ entities: entities(), features: ['missing_column:absent'] });
    expect(e.code).toBe('SOURCE_INVALID');
    expect(e.message).toContain('"absent"');
  });

  test('a corrupt Parquet file', async () => {
    const e = await failure({ entities: entities(), features: ['corrupt:rate'] });
    expect(e.code).toBe('PARQUET_INVALID');
    expect(e.message).toContain('part-0.parquet');
  });

  test('an unknown feature or view', async () => {
    expect((await failure({ entities: entities(), features: ['good:nope'] })).code).toBe('UNKNOWN_FEATURE');
    expect((await failure({ entities: entities(), features: ['nope:rate'] })).code).toBe('UNKNOWN_FEATURE_VIEW');
  });

  test('two views with the same feature name, without full feature names', async () => {
    const e = await failure({ entities: entities(), features: ['good:rate', 'twin:rate'] });
    expect([e.code, e.message]).toEqual(['FEATURE_NAME_COLLISION', 'feature name "rate" is returned by both "good" and "twin"']);
    const table = await store.getHistoricalFeatures({ entities: entities(), features: ['good:rate', 'twin:rate'], fullFeatureNames: true });
    expect(table.schema.fields.map((f) => f.name)).toEqual(['driver_id', 'event_timestamp', 'good__rate', 'twin__rate']);
  });

  test('a feature named like an entity column', async () => {
    const e = await failure({ entities: entities({ rate: int64s([3]) }), features: ['good:rate'] });
    expect([e.code, e.message]).toEqual(['FEATURE_NAME_COLLISION', 'feature "rate" has the same name as a column of the entity rows']);
  });

  test('entity rows and a range together, or neither', async () => {
    expect((await failure({ entities: entities(), start: T0, end: T0, features: ['good:rate'] })).code).toBe('REQUEST_INVALID');
    expect((await failure({ features: ['good:rate'] })).code).toBe('REQUEST_INVALID');
    expect((await failure({ start: T0 + 1, end: T0, features: ['good:rate'] })).code).toBe('REQUEST_INVALID');
  });
});
