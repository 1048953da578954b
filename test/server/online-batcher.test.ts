import { FeatureStoreError } from '../../runtime/errors';
import type { GetOnlineFeaturesRequest, OnlineRows } from '../../runtime/online';
import { OnlineBatcher } from '../../runtime/server/online-batcher';

/** A store stand-in that echoes each entity row as its value and records every call. */
function echoStore(fail?: (request: GetOnlineFeaturesRequest) => Error | undefined) {
  const calls: GetOnlineFeaturesRequest[] = [];
  const read = async (request: GetOnlineFeaturesRequest): Promise<OnlineRows> => {
    calls.push(request);
    await new Promise((r) => setImmediate(r));
    const error = fail?.(request);
    if (error) throw error;
    const ids = request.entities.driver_id as number[];
    const present = () => new Uint8Array(ids.length);
    return {
      featureNames: ['driver_id', 'conv_rate'],
      count: ids.length,
      groups: [
        { width: 1, count: ids.length, columns: [[...ids]], statuses: present(), stamps: ids.map(() => '1970-01-01T00:00:00Z') },
        { width: 1, count: ids.length, columns: [ids.map((id) => id / 10)], statuses: present(), stamps: ids.map((id) => `t${id}`) },
      ],
    };
  };
  return { calls, read };
}

const ask = (ids: unknown[], features = ['driver_hourly_stats:conv_rate']): GetOnlineFeaturesRequest => ({ entities: { driver_id: ids }, features });

describe('OnlineBatcher', () => {
  it('answers concurrent requests for the same features with one read, each with its own rows', async () => {
    const store = echoStore();
    const batcher = new OnlineBatcher(store.read, { maxBatchRows: 100 });
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
    const batcher = new OnlineBatcher(store.read, { maxBatchRows: 100 });
    await Promise.all([batcher.get(ask([1])), batcher.get(ask([2], ['driver_hourly_stats:acc_rate'])), batcher.get(ask([3]))]);
    expect(store.calls.map((c) => c.entities.driver_id)).toEqual([[1, 3], [2]]);
  });

  it('starts a new read once a batch would pass the row limit', async () => {
    const store = echoStore();
    const batcher = new OnlineBatcher(store.read, { maxBatchRows: 3 });
    const answers = await Promise.all([batcher.get(ask([1, 2])), batcher.get(ask([3, 4])), batcher.get(ask([5]))]);
    expect(store.calls.map((c) => c.entities.driver_id)).toEqual([[1, 2], [3, 4, 5]]);
    expect(answers.map((a) => a.results[0].values)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('answers a bad request with its own error and its neighbours with their rows', async () => {
    const store = echoStore((r) =>
      (r.entities.driver_id as unknown[]).includes('x') ? new FeatureStoreError('ENTITY_ROWS_INVALID', 'driver_id "x" is not an Int64') : undefined,
    );
    const batcher = new OnlineBatcher(store.read, { maxBatchRows: 100 });
    const [good, bad] = await Promise.allSettled([batcher.get(ask([1])), batcher.get(ask(['x']))]);
    expect(good.status === 'fulfilled' && good.value.results[0].values).toEqual([1]);
    expect(bad.status === 'rejected' && (bad.reason as FeatureStoreError).message).toBe('driver_id "x" is not an Int64');
  });

  it('fails every request of a batch at once when the store is unreachable', async () => {
    const store = echoStore(() => new FeatureStoreError('ONLINE_STORE_UNREACHABLE', 'redis down'));
    const batcher = new OnlineBatcher(store.read, { maxBatchRows: 100 });
    const settled = await Promise.allSettled([batcher.get(ask([1])), batcher.get(ask([2]))]);
    expect(settled.map((s) => s.status === 'rejected' && (s.reason as FeatureStoreError).code)).toEqual(['ONLINE_STORE_UNREACHABLE', 'ONLINE_STORE_UNREACHABLE']);
    expect(store.calls).toHaveLength(1);
  });

  it('with one read in flight, lets requests that arrive during a read wait for it, then share the next read', async () => {
    const store = echoStore();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const batcher = new OnlineBatcher(async (r) => {
      if (store.calls.length === 0) await gate;
      return store.read(r);
    }, { maxBatchRows: 100, maxReadsInFlight: 1 });
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
    const batcher = new OnlineBatcher(store.read, { maxBatchRows: 100 });
    const uneven: GetOnlineFeaturesRequest = { entities: { driver_id: [1, 2], other: [1] }, features: ['driver_hourly_stats:conv_rate'] };
    await Promise.all([batcher.get(uneven), batcher.get(ask([3]))]);
    expect(store.calls.map((c) => c.entities)).toEqual([{ driver_id: [1, 2], other: [1] }, { driver_id: [3] }]);
  });

  it('keeps apart feature lists that share their length and their first and last names', async () => {
    const store = echoStore();
    const batcher = new OnlineBatcher(store.read, { maxBatchRows: 100 });
    const a = ['v:a', 'v:b', 'v:z'];
    const b = ['v:a', 'v:c', 'v:z'];
    await Promise.all([batcher.get(ask([1], a)), batcher.get(ask([2], b)), batcher.get(ask([3], [...a]))]);
    expect(store.calls.map((c) => [c.features, c.entities.driver_id])).toEqual([
      [a, [1, 3]],
      [b, [2]],
    ]);
  });

  it('keeps apart requests for the same features keyed by other entity columns', async () => {
    const store = echoStore();
    const batcher = new OnlineBatcher(store.read, { maxBatchRows: 100 });
    const byTwo: GetOnlineFeaturesRequest = { entities: { driver_id: [2], rider_id: [7] }, features: ['driver_hourly_stats:conv_rate'] };
    await Promise.all([batcher.get(ask([1])), batcher.get(byTwo), batcher.get(ask([3]))]);
    expect(store.calls.map((c) => c.entities)).toEqual([{ driver_id: [1, 3] }, { driver_id: [2], rider_id: [7] }]);
  });

  it('keeps apart requests that differ only in full_feature_names, or in the order of their entity columns not at all', async () => {
    const store = echoStore();
    const batcher = new OnlineBatcher(store.read, { maxBatchRows: 100 });
    const full: GetOnlineFeaturesRequest = { ...ask([2]), fullFeatureNames: true };
    const twoColumns = (driver: number): GetOnlineFeaturesRequest => ({ ...ask([driver]), entities: driver === 3 ? { driver_id: [3], rider_id: [7] } : { rider_id: [8], driver_id: [4] } });
    await Promise.all([batcher.get(ask([1])), batcher.get(full), batcher.get(twoColumns(3)), batcher.get(twoColumns(4))]);
    expect(store.calls.map((c) => [c.fullFeatureNames, c.entities])).toEqual([
      [undefined, { driver_id: [1] }],
      [true, { driver_id: [2] }],
      [undefined, { driver_id: [3, 4], rider_id: [7, 8] }],
    ]);
  });

  it('reads a feature list asked again, after its earlier reads ended, with the list of its first request', async () => {
    const store = echoStore();
    const batcher = new OnlineBatcher(store.read, { maxBatchRows: 100 });
    const first = ['v:a', 'v:b'];
    await batcher.get(ask([1], first));
    await batcher.get(ask([2], [...first]));
    expect(store.calls.map((c) => c.features)).toEqual([first, first]);
    expect(store.calls[1].features).toBe(first);
  });

  it('still answers every request when more feature lists are asked than it keeps groups for', async () => {
    const store = echoStore();
    const batcher = new OnlineBatcher(store.read, { maxBatchRows: 100 });
    const lists = Array.from({ length: 1100 }, (_, i) => [`v:f${i}`]);
    for (const list of lists) await batcher.get(ask([1], list));
    const answers = await Promise.all(lists.slice(0, 5).map((list, i) => batcher.get(ask([i], [...list]))));
    expect(answers.map((a) => a.results[0].values)).toEqual([[0], [1], [2], [3], [4]]);
  });

  describe('with two reads in flight', () => {
    /** A store whose reads each wait for their own release; `started` lists each read's entity rows. */
    function gatedStore() {
      const store = echoStore();
      const started: unknown[][] = [];
      const releases: (() => void)[] = [];
      const read = async (r: GetOnlineFeaturesRequest) => {
        started.push(r.entities.driver_id as unknown[]);
        await new Promise<void>((release) => releases.push(release));
        return store.read(r);
      };
      return { read, started, releases };
    }
    const turn = () => new Promise((r) => setImmediate(r));

    it('starts a second read without waiting for the first, and never a third', async () => {
      const store = gatedStore();
      const batcher = new OnlineBatcher(store.read, { maxBatchRows: 100, maxReadsInFlight: 2 });
      const first = Promise.all([batcher.get(ask([1])), batcher.get(ask([2]))]);
      await turn();
      const second = Promise.all([batcher.get(ask([3])), batcher.get(ask([4, 5]))]);
      await turn();
      const third = Promise.all([batcher.get(ask([6])), batcher.get(ask([7]))]);
      await turn();
      expect(store.started).toEqual([[1, 2], [3, 4, 5]]);

      store.releases[1]();
      const secondAnswers = await second;
      expect(secondAnswers.map((a) => a.results[0].values)).toEqual([[3], [4, 5]]);
      expect(secondAnswers.map((a) => a.results[1].values)).toEqual([[0.3], [0.4, 0.5]]);
      await turn();
      expect(store.started).toEqual([[1, 2], [3, 4, 5], [6, 7]]);

      store.releases[2]();
      store.releases[0]();
      expect((await third).map((a) => a.results[1].event_timestamps)).toEqual([['t6'], ['t7']]);
      expect((await first).map((a) => a.results[0].values)).toEqual([[1], [2]]);
    });

    it('keeps each request its own rows when the reads end in the other order', async () => {
      const store = gatedStore();
      const batcher = new OnlineBatcher(store.read, { maxBatchRows: 100, maxReadsInFlight: 2 });
      const ids = [[10], [11, 12], [13], [14], [15, 16, 17]];
      const early = ids.slice(0, 2).map((row) => batcher.get(ask(row)));
      await turn();
      const late = ids.slice(2).map((row) => batcher.get(ask(row)));
      await turn();
      store.releases[1]();
      store.releases[0]();
      const answers = await Promise.all([...early, ...late]);
      expect(answers.map((a) => a.results[0].values)).toEqual(ids);
      expect(answers.map((a) => a.results[1].values)).toEqual(ids.map((row) => row.map((id) => id / 10)));
    });
  });
});
