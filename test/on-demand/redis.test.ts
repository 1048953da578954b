import { RedisOnlineStore } from '../../constructs';
import type { FeatureStore } from '../../runtime/feature-store';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { entityRows, HOUR, onDemandRepo, T0, type OnDemandRepo } from './fixtures';

const ORDER = ['amount_per_trip', 'big_order', 'currency_label', 'trips_plus_one'].map((f) => `order_features:${f}`);
const REQUEST = { driver_id: [1, 2, 3, 99], amount: [50, 150, 0.5, 20], currency: ['EUR', 'USD', null, 'GBP'] };

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis.close());

describe.each(['compact', 'feast'] as const)('on Redis, %s layout', (layout) => {
  let repo: OnDemandRepo;
  let store: FeatureStore;
  beforeAll(async () => {
    repo = await onDemandRepo((stack) => new RedisOnlineStore(stack, 'online', { host: '127.0.0.1', port: redis.port, layout }));
    store = await repo.open();
  });
  afterAll(async () => {
    await store.close();
    repo.remove();
  });

  it('the transform sees the same stored values online as in training', async () => {
    const online = await store.getOnlineFeatures({ features: ORDER, entities: REQUEST });
    const training = await store.getHistoricalFeatures({ features: ORDER, entities: entityRows(T0 + 2 * HOUR, REQUEST) });
    online.metadata.feature_names.slice(1).forEach((name, i) => {
      const offline = [...training.getChild(name)!].map((v) => (typeof v === 'bigint' ? Number(v) : v));
      expect({ name, values: online.results[i + 1].values }).toEqual({ name, values: offline });
    });
    expect(online.results[1].values).toEqual([2.5, 37.5, null, null]);
  });
});
