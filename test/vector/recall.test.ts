/**
 * The embedded store's approximate index (usearch's HNSW) against exact search on
 * 100,000 clustered 384-dimensional vectors: recall@10 at least 0.95; the exact
 * search (a flat index) finds exactly the true neighbours.
 */
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { OnlineCodecs } from '../../runtime/online/codecs';
import { EmbeddedVectorStore } from '../../runtime/online/vector/embedded-vectors';
import type { VectorDoc } from '../../runtime/online/vector/vector-docs';
import { vectorPlans } from '../../runtime/online/vector/vector-plan';
import { rowNorms, trueNeighbours } from './brute-force';
import { clusteredVectors, tempDir, vectorManifest } from './vector-fixtures';

const COUNT = 100_000;
const DIMENSION = 384;
const K = 10;

const entityKey = (i: number) => {
  const key = Buffer.alloc(4);
  key.writeUInt32BE(i);
  return key;
};

describe('recall of the embedded HNSW index', () => {
  let dir: { path: string; cleanup(): void };
  let root: RootDatabase;
  const { data, queries } = clusteredVectors(COUNT, DIMENSION, 100, 20);
  beforeAll(async () => {
    dir = tempDir('fs-recall-');
    root = open({ path: join(dir.path, 'online'), maxDbs: 16 });
  });
  afterAll(async () => {
    await root.close();
    dir.cleanup();
  });

  test('recall@10 against exact search is at least 0.95 on 100k clustered 384-d vectors; the flat index is exact', async () => {
    const manifest = (algorithm: Parameters<typeof vectorManifest>[0]['algorithm']) =>
      vectorManifest({ dimension: DIMENSION, embeddedPath: join(dir.path, 'online'), algorithm });
    const hnsw = vectorPlans(new OnlineCodecs(manifest({ kind: 'hnsw', m: 16, efConstruction: 64, efRuntime: 128 }))).all()[0];
    const flat = vectorPlans(new OnlineCodecs(manifest({ kind: 'flat' }))).all()[0];
    const store = new EmbeddedVectorStore(root, 0);
    const docs: VectorDoc[] = [];
    for (let i = 0; i < COUNT; i++) {
      docs.push({ entityKey: entityKey(i), event: 1, created: -1, vector: data.subarray(i * DIMENSION, (i + 1) * DIMENSION), attributes: [] });
      if (docs.length === 10_000) await store.writeDocs(hnsw, docs.splice(0));
    }

    const norms = rowNorms(data, DIMENSION);
    const usearch = jest.spyOn(require('usearch').Index.prototype, 'search');
    const asked = queries(30);
    let found = 0;
    for (const query of asked) {
      const truth = new Set(trueNeighbours(data, norms, query, K));
      const hits = await store.search({ plan: hnsw, query, topK: K, minEvent: -Infinity });
      expect(hits).toHaveLength(K);
      for (const hit of hits) if (truth.has(hit.entityKey.readUInt32BE(0))) found++;
    }
    expect(usearch).toHaveBeenCalled();
    const recall = found / (asked.length * K);
    process.stdout.write(`recall@10 of the embedded HNSW index (M 16, efConstruction 64, efRuntime 128) on ${COUNT} x ${DIMENSION}: ${recall.toFixed(3)}\n`);
    expect(recall).toBeGreaterThanOrEqual(0.95);

    usearch.mockClear();
    for (const query of asked.slice(0, 5)) {
      const hits = await store.search({ plan: flat, query, topK: K, minEvent: -Infinity });
      expect(hits.map((h) => h.entityKey.readUInt32BE(0))).toEqual(trueNeighbours(data, norms, query, K));
    }
    expect(usearch).not.toHaveBeenCalled();
  });
});
