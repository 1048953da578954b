/** Materialization from the lake keeps the vector index in step, on the embedded store and on Redis Stack. */
import { join } from 'node:path';
import { Field, Float32, List, Table, vectorFromArray } from 'apache-arrow';
import { Redis } from 'ioredis';
import { float64s, int64s, strings, TempLake, timestamps } from '../offline/fixtures';
import { startRedisStack, type RedisStack } from '../support/redis-stack';
import { tempDir, vectorManifest } from './vector-fixtures';

const T0 = Date.UTC(2024, 0, 1) * 1000;
const HOUR = 3600 * 1_000_000;
const embeddings = (rows: number[][]) => vectorFromArray(rows as never[], new List(new Field('item', new Float32(), true)));

let lake: TempLake;
let stack: RedisStack;
beforeAll(async () => {
  stack = await startRedisStack();
  lake = await TempLake.create();
  // c2's later row (moved towards the query) wins; c3's later row has no embedding, so c3 leaves the index.
  await lake.write('doc_chunks/data.parquet', new Table({
    chunk_id: strings(['c1', 'c2', 'c3', 'c2', 'c3']),
    event_timestamp: timestamps([T0, T0, T0, T0 + HOUR, T0 + HOUR]),
    embedding: embeddings([[1, 0, 0, 0], [0, 1, 0, 0], [0.9, 0.1, 0, 0], [0.95, 0.05, 0, 0], null as unknown as number[]]),
    title: strings(['one', 'two', 'three', 'two, moved', 'three, gone']),
    lang: strings(['en', 'en', 'fr', 'en', 'fr']),
    year: int64s([2020, 2021, 2022, 2021, 2022]),
    score: float64s([1, 2, 3, 2, 3]),
  }));
});
afterAll(async () => {
  await lake?.remove();
  await stack?.close();
});

describe.each(['embedded', 'redis'] as const)('materialize on the %s store', (kind) => {
  test('writes the latest embedding of each entity into the index; a null one leaves it', async () => {
    const dir = tempDir('fs-vector-mat-');
    if (kind === 'redis') {
      const raw = new Redis(stack.port);
      await raw.flushall();
      for (const index of (await raw.call('FT._LIST')) as string[]) await raw.call('FT.DROPINDEX', index);
      raw.disconnect();
    }
    const store = await lake.store(vectorManifest(kind === 'embedded' ? { embeddedPath: join(dir.path, 'online') } : { redis: stack }));
    try {
      const result = await store.materialize({ start: T0, end: T0 + 2 * HOUR });
      expect(result.views).toEqual([expect.objectContaining({ name: 'doc_chunks', rows: 3 })]);
      const res = await store.retrieveOnlineDocuments({ feature: 'doc_chunks:embedding', query: [1, 0, 0, 0], topK: 3, features: ['title'] });
      expect(res.metadata.feature_names).toEqual(['title', 'distance', 'chunk_id']);
      expect(res.results[2].values).toEqual(['c1', 'c2']);
      expect(res.results[0].values).toEqual(['one', 'two, moved']);
      expect(res.results[1].event_timestamps).toEqual(['2024-01-01T00:00:00Z', '2024-01-01T01:00:00Z']);
    } finally {
      await store.close();
      dir.cleanup();
    }
  });
});
