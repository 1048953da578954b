/**
 * Redis's vector index (the query engine's HNSW, VectorIndex's default graph) against
 * exact search on 100,000 clustered 384-dimensional vectors written by the store's own
 * write path: recall@10 of retrieveOnlineDocuments at least 0.95, hits nearest first.
 */
import type { FeatureStore } from '../../runtime/feature-store';
import { writeToOnlineStore } from '../../runtime/online';
import { startRedisStack, type RedisStack } from '../support/redis-stack';
import { rowNorms, trueNeighbours } from './brute-force';
import { clusteredVectors, iso, openVectorStore } from './vector-fixtures';

const COUNT = 100_000;
const DIMENSION = 384;
const K = 10;
const BATCH = 5000;

describe('recall of the Redis vector index', () => {
  let stack: RedisStack;
  let store: FeatureStore;
  const { data, queries } = clusteredVectors(COUNT, DIMENSION, 100, 20);
  beforeAll(async () => {
    stack = await startRedisStack();
    store = await openVectorStore({ redis: stack, dimension: DIMENSION, algorithm: { kind: 'hnsw', m: 16, efConstruction: 200, efRuntime: 128 } });
  });
  afterAll(async () => {
    await store?.close();
    await stack?.close();
  });

  test('recall@10 of retrieveOnlineDocuments against exact search is at least 0.95 on 100k clustered 384-d vectors', async () => {
    const now = iso(Date.now() * 1000);
    for (let start = 0; start < COUNT; start += BATCH) {
      const ids = Array.from({ length: BATCH }, (_, i) => start + i);
      await writeToOnlineStore(store.context, {
        featureView: 'doc_chunks',
        rows: {
          chunk_id: ids.map((i) => `c${i}`),
          embedding: ids.map((i) => Array.from(data.subarray(i * DIMENSION, (i + 1) * DIMENSION))),
          title: ids.map((i) => `chunk ${i}`),
          lang: ids.map(() => 'en'),
          year: ids.map(() => 2024),
          score: ids.map(() => 0),
          event_timestamp: ids.map(() => now),
        },
      });
    }

    const norms = rowNorms(data, DIMENSION);
    const asked = queries(30);
    let found = 0;
    for (const query of asked) {
      const truth = new Set(trueNeighbours(data, norms, query, K));
      const response = await store.retrieveOnlineDocuments({ feature: 'doc_chunks:embedding', query, topK: K });
      const names = response.metadata.feature_names;
      const ids = response.results[names.indexOf('chunk_id')].values as string[];
      const distances = response.results[names.indexOf('distance')].values as number[];
      expect(ids).toHaveLength(K);
      expect([...distances].sort((a, b) => a - b)).toEqual(distances);
      for (const id of ids) if (truth.has(Number(id.slice(1)))) found++;
    }
    const recall = found / (asked.length * K);
    process.stdout.write(`recall@10 of Redis's HNSW index (M 16, EF_CONSTRUCTION 200, EF_RUNTIME 128) on ${COUNT} x ${DIMENSION}: ${recall.toFixed(3)}\n`);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  }, 600_000);
});
