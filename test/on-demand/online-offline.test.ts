import type { FastifyInstance } from 'fastify';
import type { FeatureStore } from '../../runtime/feature-store';
import { buildFeatureServer } from '../../runtime/server';
import { featurestack } from '../catalog/run-cli';
import { plainRows } from '../offline/fixtures';
import { client, listen } from '../server/http-client';
import { entityRows, HOUR, onDemandRepo, T0, type OnDemandRepo } from './fixtures';

let repo: OnDemandRepo;
let store: FeatureStore;

beforeAll(async () => {
  repo = await onDemandRepo();
  store = await repo.open();
});
afterAll(async () => {
  await store.close();
  repo.remove();
});

const ORDER = ['amount_per_trip', 'big_order', 'currency_label', 'trips_plus_one'].map((f) => `order_features:${f}`);
const REQUEST = { driver_id: [1, 2, 3, 99], amount: [50, 150, 0.5, 20], currency: ['EUR', 'USD', null, 'GBP'] };
/** Each driver's latest statistics (1: 0.75 and 20 trips, 2: no rate and 4, 3: 0 trips, 99: none) against the order. */
const EXPECTED = {
  amount_per_trip: [2.5, 37.5, null, null],
  big_order: [false, true, false, false],
  currency_label: ['EUR:loyal', 'USD:new', null, 'GBP:new'],
  trips_plus_one: [21, 5, 1, null],
};

/** An online response as `{ column: values }`. */
function onlineColumns(res: { metadata: { feature_names: string[] }; results: { values: unknown[] }[] }): Record<string, unknown[]> {
  return Object.fromEntries(res.metadata.feature_names.map((name, i) => [name, res.results[i].values]));
}

/** A training set's columns as plain values (Int64 as numbers, as online JSON gives them). */
function offlineColumns(table: Parameters<typeof plainRows>[0]): Record<string, unknown[]> {
  const rows = plainRows(table);
  const names = table.schema.fields.map((f) => f.name);
  return Object.fromEntries(names.map((n) => [n, rows.map((r) => (typeof r[n] === 'bigint' ? Number(r[n]) : r[n]))]));
}

describe('an on-demand view computed from request data and stored features', () => {
  it('getOnlineFeatures runs the transform over each entity row; request fields come as extra entity columns and are not echoed', async () => {
    const res = await store.getOnlineFeatures({ features: ORDER, entities: REQUEST });
    expect(res.metadata.feature_names).toEqual(['driver_id', 'amount_per_trip', 'big_order', 'currency_label', 'trips_plus_one']);
    expect(onlineColumns(res)).toEqual({ driver_id: [1, 2, 3, 99], ...EXPECTED });
    expect(res.results[1].statuses).toEqual(['PRESENT', 'PRESENT', 'NULL_VALUE', 'NULL_VALUE']);
    expect(res.results[1].event_timestamps).toEqual(Array(4).fill('1970-01-01T00:00:00Z'));
  });

  it('getHistoricalFeatures gives the same values for the same inputs, request fields read from the entity rows', async () => {
    const training = await store.getHistoricalFeatures({ features: ORDER, entities: entityRows(T0 + 2 * HOUR, REQUEST) });
    expect(training.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'driver_id:Int64',
      'event_timestamp:Timestamp<MICROSECOND, UTC>',
      'amount:Float64',
      'currency:Utf8',
      'amount_per_trip:Float64',
      'big_order:Bool',
      'currency_label:Utf8',
      'trips_plus_one:Int64',
    ]);
    const offline = offlineColumns(training);
    const online = onlineColumns(await store.getOnlineFeatures({ features: ORDER, entities: REQUEST }));
    for (const name of Object.keys(EXPECTED)) expect(offline[name]).toEqual(online[name]);
    expect(offline).toMatchObject(EXPECTED);
  });

  it('training is point in time: an entity row before the second hour sees the first hour through the same transform', async () => {
    const training = await store.getHistoricalFeatures({ features: ['order_features:amount_per_trip', 'order_features:currency_label'], entities: entityRows(T0 + HOUR / 2, { driver_id: [1], amount: [50], currency: ['EUR'] }) });
    expect(offlineColumns(training)).toMatchObject({ amount_per_trip: [5], currency_label: ['EUR:casual'] });
  });

  it('a feature service mixing stored and on-demand projections keeps its order online and offline', async () => {
    const online = await store.getOnlineFeatures({ featureService: 'order_scoring', entities: REQUEST });
    expect(online.metadata.feature_names).toEqual(['driver_id', 'acc_rate', 'amount_per_trip', 'currency_label']);
    expect(onlineColumns(online)).toEqual({ driver_id: [1, 2, 3, 99], acc_rate: [0.95, 0.8, 0.7, null], amount_per_trip: EXPECTED.amount_per_trip, currency_label: EXPECTED.currency_label });
    const offline = await store.getHistoricalFeatures({ featureService: 'order_scoring', entities: entityRows(T0 + 2 * HOUR, REQUEST) });
    expect(offline.schema.fields.map((f) => f.name)).toEqual(['driver_id', 'event_timestamp', 'amount', 'currency', 'acc_rate', 'amount_per_trip', 'currency_label']);
    expect(offlineColumns(offline)).toMatchObject({ acc_rate: [0.95, 0.8, 0.7, null], amount_per_trip: EXPECTED.amount_per_trip, currency_label: EXPECTED.currency_label });
  });

  it('aliases name on-demand columns with full feature names, as for stored views', async () => {
    const online = await store.getOnlineFeatures({ featureService: 'order_scoring_aliased', entities: REQUEST, fullFeatureNames: true });
    expect(onlineColumns(online)).toEqual({ driver_id: [1, 2, 3, 99], stats__conv_rate: [0.75, null, 0.5, null], od__big_order: EXPECTED.big_order });
    const offline = await store.getHistoricalFeatures({ featureService: 'order_scoring_aliased', entities: entityRows(T0 + 2 * HOUR, REQUEST), fullFeatureNames: true });
    expect(offlineColumns(offline)).toMatchObject({ stats__conv_rate: [0.75, null, 0.5, null], od__big_order: EXPECTED.big_order });
  });

  it('references mixing several on-demand views and a stored view come back in request order', async () => {
    const features = ['order_features:big_order', 'driver_stats:acc_rate', 'amount_cents:amount_cents'];
    const online = await store.getOnlineFeatures({ features, entities: { driver_id: [1, 2], amount: [1.25, null], currency: ['EUR', 'EUR'] } });
    expect(onlineColumns(online)).toEqual({ driver_id: [1, 2], big_order: [false, null], acc_rate: [0.95, 0.8], amount_cents: [125, null] });
    const offline = await store.getHistoricalFeatures({ features, entities: entityRows(T0 + 2 * HOUR, { driver_id: [1, 2], amount: [1.25, null], currency: ['EUR', 'EUR'] }) });
    expect(offline.schema.fields.map((f) => f.name).slice(4)).toEqual(['big_order', 'acc_rate', 'amount_cents']);
    expect(offlineColumns(offline)).toMatchObject({ big_order: [false, null], acc_rate: [0.95, 0.8], amount_cents: [125, null] });
  });

  it('a view of request data only needs no entity key', async () => {
    const online = await store.getOnlineFeatures({ features: ['amount_cents:amount_cents'], entities: { amount: [0.5, 2, null] } });
    expect(onlineColumns(online)).toEqual({ amount_cents: [50, 200, null] });
    expect(online.results[0].statuses).toEqual(['PRESENT', 'PRESENT', 'NULL_VALUE']);
  });
});

describe('the feature server', () => {
  let app: FastifyInstance;
  let http: ReturnType<typeof client>;
  beforeAll(async () => {
    app = await buildFeatureServer(store, { maxEntities: 100, tokens: [], logLevel: 'error' });
    http = client(await listen(app));
  });
  afterAll(() => app.close());

  it("answers /get-online-features in Feast's shape, request fields sent as entity columns, the same as in process", async () => {
    const res = await http.post('/get-online-features', { features: ORDER, entities: REQUEST, full_feature_names: false });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual(await store.getOnlineFeatures({ features: ORDER, entities: REQUEST }));
    const service = await http.post('/get-online-features', { feature_service: 'order_scoring', entities: REQUEST });
    expect(service.json()).toEqual(await store.getOnlineFeatures({ featureService: 'order_scoring', entities: REQUEST }));
  });

  it('concurrent one-row requests batched by the server each get their own rows', async () => {
    const answers = await Promise.all(REQUEST.driver_id.map((id, i) =>
      http.post('/get-online-features', { features: ORDER, entities: { driver_id: [id], amount: [REQUEST.amount[i]], currency: [REQUEST.currency[i]] } })));
    expect(answers.map((a) => a.json().results[1].values[0])).toEqual(EXPECTED.amount_per_trip);
    expect(answers.map((a) => a.json().results[3].values[0])).toEqual(EXPECTED.currency_label);
  });

  it('a missing request field is a 400 naming it; a failing transform a 500 naming the view', async () => {
    const missing = await http.post('/get-online-features', { features: ORDER, entities: { driver_id: [1], amount: [5] } });
    expect(missing.status).toBe(400);
    expect(missing.json().error.message).toBe('request field "currency" of on-demand view "order_features" is missing');
    const failing = await http.post('/get-online-features', { features: ['refuse_negative:checked_amount'], entities: { amount: [-3] } });
    expect(failing.status).toBe(500);
    expect(failing.json().error).toMatchObject({ code: 'TRANSFORM_FAILED' });
    expect(failing.json().error.message).toContain('on-demand view "refuse_negative"');
  });
});

describe('featurestack get-online', () => {
  it('takes request fields beside the join keys in --entity, read by their types', async () => {
    const run = await featurestack('get-online', '--manifest', repo.registry, '--features', ORDER.join(','), '--entity', 'driver_id=1,amount=50,currency=EUR', '--entity', 'driver_id=2,amount=150,currency=USD');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(onlineColumns(JSON.parse(run.stdout))).toEqual({
      driver_id: [1, 2],
      amount_per_trip: [2.5, 37.5],
      big_order: [false, true],
      currency_label: ['EUR:loyal', 'USD:new'],
      trips_plus_one: [21, 5],
    });
  });
});
