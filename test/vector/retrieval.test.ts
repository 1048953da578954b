import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { FeatureStore } from '../../runtime/feature-store';
import type { VectorMetric } from '../../runtime/manifest/schema';
import { writeToOnlineStore } from '../../runtime/online';
import type { VectorFilter } from '../../runtime/online/vector';
import { startRedisServer } from '../support/redis-server';
import { startRedisStack, type RedisStack } from '../support/redis-stack';
import { FeatureStore as Store } from '../../runtime/feature-store';
import { withHash } from '../../runtime/manifest/canonical';
import type { Manifest } from '../../runtime/manifest/schema';
import { iso, openVectorStore, referenceDistance, tempDir, vectorManifest, type VectorManifestOptions } from './vector-fixtures';

const QUERY = [1, 0.05, 0, 0];
const CHUNKS = {
  chunk_id: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'],
  embedding: [
    [1, 0, 0, 0],
    [0.9, 0.1, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0.7, 0.7, 0, 0],
    [0, 0, 0.2, 1],
  ],
  title: ['alpha', 'beta', 'gamma', 'delta', 'epsilon: v2 (final), 100%', 'zeta'],
  lang: ['en', 'en', 'fr', 'de', 'fr', 'en'],
  year: [2020, 2021, 2022, 2019, 2023, 2018],
  score: [0.5, 0.25, 1, 2, 0.75, null],
};

let stack: RedisStack;
beforeAll(async () => {
  stack = await startRedisStack();
});
afterAll(() => stack?.close());

const NOW = Date.now() * 1000;
const HOUR = 3600 * 1_000_000;

async function writeChunks(store: FeatureStore, rows: Partial<typeof CHUNKS> & { chunk_id: string[] } = CHUNKS, event = NOW) {
  return writeToOnlineStore(store.context, { featureView: 'doc_chunks', rows: { ...rows, event_timestamp: rows.chunk_id.map(() => iso(event)) } });
}

async function nearest(store: FeatureStore, query = QUERY, topK = 3, filter?: VectorFilter): Promise<string[]> {
  const res = await store.retrieveOnlineDocuments({ feature: 'doc_chunks:embedding', query, topK, filter });
  return res.results[res.metadata.feature_names.indexOf('chunk_id')].values as string[];
}

/** The records in Feast's layout too: the index and the search are the same, the features are read from Feast's hashes. */
type StoreKind = 'embedded' | 'redis' | 'redis, feast layout';

describe.each<StoreKind>(['embedded', 'redis', 'redis, feast layout'])('retrieveOnlineDocuments on the %s store', (kind) => {
  let dir: { path: string; cleanup(): void };
  const stores: FeatureStore[] = [];
  const open = async (options: Omit<VectorManifestOptions, 'embeddedPath' | 'redis'> = {}) => {
    const store = await openVectorStore({ ...options, ...(kind === 'embedded' ? { embeddedPath: join(dir.path, 'online') } : { redis: stack, layout: kind === 'redis' ? 'compact' : 'feast' }) });
    stores.push(store);
    return store;
  };
  beforeEach(async () => {
    dir = tempDir('fs-vector-');
    if (kind !== 'embedded') {
      const raw = new Redis(stack.port);
      await raw.flushall();
      for (const index of (await raw.call('FT._LIST')) as string[]) await raw.call('FT.DROPINDEX', index);
      raw.disconnect();
    }
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    dir.cleanup();
  });

  test('the nearest chunks come first, with their distances, features and statuses, then the join key (Feast v2 order)', async () => {
    const store = await open();
    await writeChunks(store);
    const res = await store.retrieveOnlineDocuments({ feature: 'doc_chunks:embedding', query: QUERY, topK: 3, features: ['doc_chunks:title', 'lang', 'score'] });
    expect(res.metadata.feature_names).toEqual(['title', 'lang', 'score', 'distance', 'chunk_id']);
    const [title, lang, score, distance, chunk] = res.results;
    expect(chunk.values).toEqual(['c1', 'c2', 'c5']);
    expect(title.values).toEqual(['alpha', 'beta', 'epsilon: v2 (final), 100%']);
    expect(lang.values).toEqual(['en', 'en', 'fr']);
    expect(score.values).toEqual([0.5, 0.25, 0.75]);
    expect(title.statuses).toEqual(['PRESENT', 'PRESENT', 'PRESENT']);
    expect(chunk.statuses).toEqual(['PRESENT', 'PRESENT', 'PRESENT']);
    const expected = [0, 1, 4].map((i) => referenceDistance('COSINE', QUERY, CHUNKS.embedding[i]));
    (distance.values as number[]).forEach((d, i) => expect(d).toBeCloseTo(expected[i], 5));
    // protobuf's JSON mapping: 0, 3 or 6 fraction digits (NOW is whole milliseconds).
    expect(distance.event_timestamps[0]).toBe(new Date(NOW / 1000).toISOString().replace(/\.000Z$/, 'Z'));
  });

  test('a null feature of a retrieved chunk has the status NULL_VALUE; full feature names prefix the view', async () => {
    const store = await open();
    await writeChunks(store);
    const res = await store.retrieveOnlineDocuments({ feature: 'doc_chunks:embedding', query: [0, 0, 0.2, 1], topK: 1, features: ['score'], fullFeatureNames: true });
    expect(res.metadata.feature_names).toEqual(['doc_chunks__score', 'distance', 'chunk_id']);
    expect(res.results[0]).toMatchObject({ values: [null], statuses: ['NULL_VALUE'] });
    expect(res.results[2].values).toEqual(['c6']);
  });

  test.each<[VectorMetric, string[]]>([
    ['L2', ['c1', 'c2', 'c5']],
    ['IP', ['c1', 'c2', 'c5']],
  ])('the %s metric ranks and measures as Redis defines it', async (metric, order) => {
    const store = await open({ metric, algorithm: { kind: 'flat' } });
    await writeChunks(store);
    const query = [2, 0.1, 0, 0];
    const res = await store.retrieveOnlineDocuments({ feature: 'doc_chunks:embedding', query, topK: 3 });
    expect(res.results[1].values).toEqual(order);
    const expected = order.map((id) => referenceDistance(metric, query, CHUNKS.embedding[CHUNKS.chunk_id.indexOf(id)]));
    (res.results[0].values as number[]).forEach((d, i) => expect(d).toBeCloseTo(expected[i], 4));
  });

  test.each<[string, VectorFilter, string[]]>([
    ['eq on a string feature', { type: 'eq', key: 'lang', value: 'fr' }, ['c5', 'c3']],
    ['in', { type: 'in', key: 'lang', value: ['de', 'fr'] }, ['c5', 'c3', 'c4']],
    ['ne', { type: 'ne', key: 'lang', value: 'en' }, ['c5', 'c3', 'c4']],
    ['nin', { type: 'nin', key: 'lang', value: ['en', 'fr'] }, ['c4']],
    ['a number range', { type: 'gte', key: 'year', value: 2021 }, ['c2', 'c5', 'c3']],
    ['lt on a float', { type: 'lt', key: 'score', value: 0.6 }, ['c1', 'c2']],
    ['and', { type: 'and', filters: [{ type: 'eq', key: 'lang', value: 'en' }, { type: 'gt', key: 'year', value: 2020 }] }, ['c2']],
    ['or', { type: 'or', filters: [{ type: 'eq', key: 'lang', value: 'de' }, { type: 'lte', key: 'year', value: 2018 }] }, ['c4', 'c6']],
    ['the join key', { type: 'eq', key: 'chunk_id', value: 'c3' }, ['c3']],
    ['eq on a value with spaces and punctuation', { type: 'eq', key: 'title', value: 'epsilon: v2 (final), 100%' }, ['c5']],
    ['case-sensitive eq', { type: 'eq', key: 'lang', value: 'FR' }, []],
  ])('a filter (%s) keeps only the chunks that match, nearest first', async (_name, filter, expected) => {
    const store = await open();
    await writeChunks(store);
    expect(await nearest(store, QUERY, 3, filter)).toEqual(expected);
  });

  test('a newer write moves a chunk; an older one changes nothing', async () => {
    const store = await open();
    await writeChunks(store);
    await writeChunks(store, { chunk_id: ['c4'], embedding: [[1, 0.04, 0, 0]], title: ['delta 2'], lang: ['de'], year: [2024], score: [1] }, NOW + 1);
    await writeChunks(store, { chunk_id: ['c1'], embedding: [[0, 0, 0, 1]], title: ['old'], lang: ['en'], year: [1999], score: [0] }, NOW - HOUR);
    expect(await nearest(store, QUERY, 3)).toEqual(['c4', 'c1', 'c2']);
    expect(await nearest(store, QUERY, 2, { type: 'eq', key: 'year', value: 2024 })).toEqual(['c4']);
    expect(await nearest(store, QUERY, 2, { type: 'eq', key: 'year', value: 1999 })).toEqual([]);
  });

  test('a chunk whose embedding becomes null leaves the index; an empty result keeps the column names', async () => {
    const store = await open();
    await writeChunks(store);
    await writeChunks(store, { chunk_id: ['c1'], embedding: [null as unknown as number[]] }, NOW + 1);
    expect(await nearest(store, QUERY, 2)).toEqual(['c2', 'c5']);
    const res = await store.retrieveOnlineDocuments({ feature: 'doc_chunks:embedding', query: QUERY, topK: 3, features: ['title'], filter: { type: 'eq', key: 'chunk_id', value: 'c1' } });
    expect(res).toEqual({ metadata: { feature_names: ['title', 'distance', 'chunk_id'] }, results: [0, 1, 2].map(() => ({ values: [], statuses: [], event_timestamps: [] })) });
  });

  test("a chunk past the view's TTL is not retrieved", async () => {
    const store = await open({ ttlSeconds: 3600 });
    await writeChunks(store);
    await writeChunks(store, { chunk_id: ['c7'], embedding: [[1, 0.05, 0, 0]], title: ['stale'], lang: ['en'], year: [2020], score: [1] }, NOW - 2 * HOUR);
    expect(await nearest(store, QUERY, 2)).toEqual(['c1', 'c2']);
  });

  test('the store key TTL applies to the index too', async () => {
    const store = await open({ keyTtlSeconds: 600 });
    await writeChunks(store);
    if (kind !== 'embedded') {
      const raw = new Redis(stack.port);
      try {
        const docKeys = await raw.keys('featurestack:rag:doc_chunks:doc:*');
        expect(docKeys).toHaveLength(6);
        for (const key of docKeys) expect(await raw.ttl(key)).toBeGreaterThan(590);
        // What expiry does to one document: the key goes, and so does the chunk.
        const c1 = docKeys.find((k) => k.endsWith(Buffer.from('c1').toString('hex')))!;
        await raw.pexpire(c1, 1);
        const deadline = Date.now() + 5000;
        while ((await raw.exists(c1)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      } finally {
        raw.disconnect();
      }
    } else {
      jest.useFakeTimers({ now: Date.now() + 601_000, doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    }
    try {
      expect(await nearest(store, QUERY, 2)).toEqual(kind !== 'embedded' ? ['c2', 'c5'] : []);
    } finally {
      jest.useRealTimers();
    }
  });

  test('a query of the wrong dimension is refused naming both dimensions', async () => {
    const store = await open();
    await writeChunks(store);
    await expect(store.retrieveOnlineDocuments({ feature: 'doc_chunks:embedding', query: [1, 0, 0], topK: 3 })).rejects.toMatchObject({
      code: 'REQUEST_INVALID',
      message: 'query has dimension 3, but the vector index "doc_chunks_embedding" on "doc_chunks:embedding" has dimension 4',
    });
  });

  test('bad requests are refused with what to do', async () => {
    const store = await open();
    await writeChunks(store);
    const retrieve = (over: object) => store.retrieveOnlineDocuments({ feature: 'doc_chunks:embedding', query: QUERY, topK: 3, ...over });
    await expect(retrieve({ feature: 'doc_chunks:title' })).rejects.toMatchObject({ code: 'REQUEST_INVALID', message: 'feature "doc_chunks:title" has no vector index', hint: 'vector-indexed features: doc_chunks:embedding' });
    await expect(retrieve({ feature: 'doc_chunks:nope' })).rejects.toMatchObject({ code: 'UNKNOWN_FEATURE' });
    await expect(retrieve({ feature: 'nope:embedding' })).rejects.toMatchObject({ code: 'UNKNOWN_FEATURE_VIEW' });
    await expect(retrieve({ topK: 0 })).rejects.toMatchObject({ code: 'REQUEST_INVALID', message: 'topK is 0' });
    await expect(retrieve({ filter: { type: 'eq', key: 'embedding', value: 1 } })).rejects.toMatchObject({
      code: 'REQUEST_INVALID',
      message: 'filter: key "embedding" is not a filterable field of "doc_chunks"',
      hint: 'filter on a join key or a scalar feature: chunk_id, title, lang, year, score',
    });
    await expect(retrieve({ filter: { type: 'gt', key: 'lang', value: 'a' } })).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
    await expect(retrieve({ filter: { type: 'eq', key: 'year', value: '2020' } })).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
    await expect(retrieve({ distanceMetric: 'L2' })).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
    await expect(retrieve({ features: ['other_view:x'] })).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
  });

  test('an embedding of the wrong length is refused before anything is written', async () => {
    const store = await open();
    await expect(writeChunks(store, { chunk_id: ['a', 'b'], embedding: [[1, 0, 0, 0], [1, 0]] })).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
    const online = await store.getOnlineFeatures({ features: ['doc_chunks:title'], entities: { chunk_id: ['a'] } });
    expect(online.results[1].statuses).toEqual(['NOT_FOUND']);
    expect(await nearest(store, QUERY, 3)).toEqual([]);
  });
});

test('a Redis without the query engine is named as such, with the fix, and nothing is written', async () => {
  const plain = await startRedisServer();
  const store = await openVectorStore({ redis: { host: plain.host, port: plain.port, url: plain.url, close: async () => undefined } });
  try {
    await expect(writeChunks(store)).rejects.toMatchObject({ code: 'ONLINE_STORE_ERROR', message: expect.stringContaining('has no query engine') });
    const online = await store.getOnlineFeatures({ features: ['doc_chunks:title'], entities: { chunk_id: ['c1'] } });
    expect(online.results[1].statuses).toEqual(['NOT_FOUND']);
    await expect(nearest(store)).rejects.toMatchObject({ code: 'ONLINE_STORE_ERROR', hint: expect.stringContaining('RediSearch') });
  } finally {
    await store.close();
    await plain.close();
  }
});

test("with Feast's layout, an index adds only its own keys: the records are the bytes Feast reads without one", async () => {
  const raw = new Redis(stack.port);
  const dump = async () => {
    const out: Record<string, Record<string, string>> = {};
    for (const key of await raw.keysBuffer('*')) {
      if (key.toString('latin1').startsWith('featurestack:')) continue;
      const hash = await raw.hgetallBuffer(key);
      out[key.toString('hex')] = Object.fromEntries(Object.entries(hash).map(([f, v]) => [Buffer.from(f, 'latin1').toString('hex'), v.toString('hex')]));
    }
    return out;
  };
  try {
    const withIndex = await openVectorStore({ redis: stack, layout: 'feast' });
    const { vectorIndexes: _index, hash: _hash, ...plain } = vectorManifest({ redis: stack, layout: 'feast' });
    const without = await Store.open({ manifest: withHash<Manifest>(plain), env: {} });
    try {
      await raw.flushall();
      await writeChunks(withIndex);
      const indexed = await dump();
      const docKeys = await raw.keys('featurestack:rag:doc_chunks:doc:*');
      expect(docKeys).toHaveLength(6);
      await raw.flushall();
      await writeChunks(without);
      expect(await dump()).toEqual(indexed);
      expect(Object.keys(indexed)).toHaveLength(6);
    } finally {
      await withIndex.close();
      await without.close();
    }
  } finally {
    raw.disconnect();
  }
});

test('a Redis Cluster connection is refused for a vector index before anything is written', async () => {
  const cluster = await startRedisServer({ cluster: true });
  const store = await openVectorStore({ redis: { host: cluster.host, port: cluster.port, url: cluster.url, close: async () => undefined }, cluster: true });
  try {
    await expect(writeChunks(store)).rejects.toMatchObject({ code: 'NOT_IMPLEMENTED', message: 'vector index "doc_chunks_embedding" cannot be served by a Redis Cluster connection (its query engine searches one shard)' });
    const online = await store.getOnlineFeatures({ features: ['doc_chunks:title'], entities: { chunk_id: ['c1'] } });
    expect(online.results[1].statuses).toEqual(['NOT_FOUND']);
    await expect(nearest(store)).rejects.toMatchObject({ code: 'NOT_IMPLEMENTED' });
  } finally {
    await store.close();
    await cluster.close();
  }
});
