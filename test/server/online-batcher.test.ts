import { FeatureStoreError } from '../../runtime/errors';
import type { GetOnlineFeaturesRequest, OnlineFeaturesResponse } from '../../runtime/online';
import { OnlineBatcher } from '../../runtime/server/online-batcher';

/** A store stand-in that echoes each entity row as its value and records every call. */
function echoStore(fail?: (request: GetOnlineFeaturesRequest) => Error | undefined) {
  const calls: GetOnlineFeaturesRequest[] = [];
  const read = async (request: GetOnlineFeaturesRequest): Promise<OnlineFeaturesResponse> => {
    calls.push(request);
    await new Promise((r) => setImmediate(r));
    const error = fail?.(request);
    if (error) throw error;
    const ids = request.entities.driver_id as number[];
    return {
      metadata: { feature_names: ['driver_id', 'conv_rate'] },
      results: [
        { values: [...ids], statuses: ids.map(() => 'PRESENT'), event_timestamps: ids.map(() => '1970-01-01T00:00:00Z') },
        { values: ids.map((id) => id / 10), statuses: ids.map(() => 'PRESENT'), event_timestamps: ids.map((id) => `t${id}`) },
      ],
    };
  };
  return { calls, read };
}

const ask = (ids: unknown[], features = ['driver_hourly_stats:conv_rate']): GetOnlineFeaturesRequest => ({ entities: { driver_id: ids }, features });

describe('OnlineBatcher', () => {
  it('answers concurrent requests for the same features with one read, each with its own rows', async () => {
    const store = echoStore();
    const batcher = new OnlineBatcher(store.read, 100);
    const [a, b, c] = await Promise.all([batcher.get(ask([1])), batcher.get(ask([2, 3])), batcher.get(ask([4]))]);
    expect(store.calls).toHaveLength(1);
    expect(store.calls[0].entities.driver_id).toEqual([1, 2, 3, 4]);
    expect(a.results[1].values).toEqual([0.1]);
    expect(b.results[0].values).toEqual([2, 3]);
    expect(b.results[1].event_timestamps).toEqual(['t2', 't3']);
    expect(c.results[1].values).toEqual([0.4]);
    expect(c.metadata.feature_names).toEqual(['driver_id', 'conv_rate']);
  });

  it('keeps requests for different features apart', async () => {
    const store = echoStore();
    const batcher = new OnlineBatcher(store.read, 100);
    await Promise.all([batcher.get(ask([1])), batcher.get(ask([2], ['driver_hourly_stats:acc_rate'])), batcher.get(ask([3]))]);
    expect(store.calls.map((c) => c.entities.driver_id)).toEqual([[1, 3], [2]]);
  });

  it('starts a new read once a batch would pass the row limit', async () => {
    const store = echoStore();
    const batcher = new OnlineBatcher(store.read, 3);
    const answers = await Promise.all([batcher.get(ask([1, 2])), batcher.get(ask([3, 4])), batcher.get(ask([5]))]);
    expect(store.calls.map((c) => c.entities.driver_id)).toEqual([[1, 2], [3, 4, 5]]);
    expect(answers.map((a) => a.results[0].values)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('answers a bad request with its own error and its neighbours with their rows', async () => {
    const store = echoStore((r) =>
      (r.entities.driver_id as unknown[]).includes('x') ? new FeatureStoreError('ENTITY_ROWS_INVALID', 'driver_id "x" is not an Int64') : undefined,
    );
    const batcher = new OnlineBatcher(store.read, 100);
    const [good, bad] = await Promise.allSettled([batcher.get(ask([1])), batcher.get(ask(['x']))]);
    expect(good.status === 'fulfilled' && good.value.results[0].values).toEqual([1]);
    expect(bad.status === 'rejected' && (bad.reason as FeatureStoreError).message).toBe('driver_id "x" is not an Int64');
  });

  it('fails every request of a batch at once when the store is unreachable', async () => {
    const store = echoStore(() => new FeatureStoreError('ONLINE_STORE_UNREACHABLE', 'redis down'));
    const batcher = new OnlineBatcher(store.read, 100);
    const settled = await Promise.allSettled([batcher.get(ask([1])), batcher.get(ask([2]))]);
    expect(settled.map((s) => s.status === 'rejected' && (s.reason as FeatureStoreError).code)).toEqual(['ONLINE_STORE_UNREACHABLE', 'ONLINE_STORE_UNREACHABLE']);
    expect(store.calls).toHaveLength(1);
  });

  it('lets requests that arrive during a read wait for it, then share the next read', async () => {
    const store = echoStore();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const batcher = new OnlineBatcher(async (r) => {
      if (store.calls.length === 0) await gate;
      return store.read(r);
    }, 100);
    const first = batcher.get(ask([1]));
    await new Promise((r) => setImmediate(r));
    const later = [batcher.get(ask([2]))];
    await new Promise((r) => setImmediate(r));
    later.push(batcher.get(ask([3])), batcher.get(ask([4])));
    await new Promise((r) => setImmediate(r));
    release();
    const answers = await Promise.all([first, ...later]);
    expect(store.calls.map((c) => c.entities.driver_id)).toEqual([[1], [2, 3, 4]]);
    expect(answers.map((a) => a.results[0].values)).toEqual([[1], [2], [3], [4]]);
  });

  it('passes requests with uneven entity columns straight through', async () => {
    const store = echoStore();
    const batcher = new OnlineBatcher(store.read, 100);
    const uneven: GetOnlineFeaturesRequest = { entities: { driver_id: [1, 2], other: [1] }, features: ['driver_hourly_stats:conv_rate'] };
    await Promise.all([batcher.get(uneven), batcher.get(ask([3]))]);
    expect(store.calls.map((c) => c.entities)).toEqual([{ driver_id: [1, 2], other: [1] }, { driver_id: [3] }]);
  });
});
