/**
 * Vector search, top-10 over 100,000 clustered 384-dimensional embeddings (issue 20):
 * - Redis (Redis Stack 7.4's query engine, HNSW M 16, EF_CONSTRUCTION 200, EF_RUNTIME 128):
 *   retrieveOnlineDocuments in-process (without features, and with one feature read
 *   for the hits) against a bare ioredis `FT.SEARCH … KNN` of the same query on the
 *   same index, p50/p99, blocks alternating so both see the same load;
 * - the embedded store: its HNSW index (usearch) against its exact search, p50/p99;
 * and the recall@10 of each approximate index against brute force. Ratios, one run.
 * Run: npx tsx bench/vector.ts [queries]
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { open } from 'lmdb';
import type { FeatureStore } from '../runtime/feature-store';
import { writeToOnlineStore } from '../runtime/online';
import { OnlineCodecs } from '../runtime/online/codecs';
import { EmbeddedVectorStore } from '../runtime/online/vector/embedded-vectors';
import { RedisVectorStore } from '../runtime/online/vector/redis-vectors';
import type { VectorDoc } from '../runtime/online/vector/vector-docs';
import { vectorPlans } from '../runtime/online/vector/vector-plan';
import { startRedisStack } from '../test/support/redis-stack';
import { rowNorms, trueNeighbours } from '../test/vector/brute-force';
import { clusteredVectors, iso, openVectorStore, tempDir, vectorManifest } from '../test/vector/vector-fixtures';

const COUNT = 100_000;
const DIMENSION = 384;
const K = 10;
/** The same graph parameters on both stores: VectorIndex's defaults, with a wider search for recall@10 >= 0.95. */
const HNSW = { kind: 'hnsw', m: 16, efConstruction: 200, efRuntime: 128 } as const;

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const ms = (x: number) => x.toFixed(3).padStart(8);

interface Latency {
  p50: number;
  p99: number;
}

/** Alternates blocks of each side over the same queries; returns p50/p99 per side, ms. */
async function measure(queries: readonly Float32Array[], sides: readonly ((q: Float32Array) => Promise<unknown>)[], rounds = 1): Promise<Latency[]> {
  const times = sides.map(() => [] as number[]);
  for (const q of queries.slice(0, 20)) for (const side of sides) await side(q);
  const block = 10;
  for (let r = 0; r < rounds; r++) {
    for (let start = 0; start < queries.length; start += block) {
      for (let s = 0; s < sides.length; s++) {
        for (const q of queries.slice(start, start + block)) {
          const t = performance.now();
          await sides[s](q);
          times[s].push(performance.now() - t);
        }
      }
    }
  }
  return times.map((xs) => {
    xs.sort((a, b) => a - b);
    return { p50: percentile(xs, 0.5), p99: percentile(xs, 0.99) };
  });
}

const chunkId = (i: number) => `c${i}`;

export async function run(queryCount = 200): Promise<void> {
  const { data, queries } = clusteredVectors(COUNT, DIMENSION, 100, 20);
  const asked = queries(queryCount);
  const norms = rowNorms(data, DIMENSION);
  const truth = asked.slice(0, 50).map((q) => new Set(trueNeighbours(data, norms, q, K)));
  const recall = (found: readonly (readonly number[])[]) => found.reduce((n, rows, i) => n + rows.filter((r) => truth[i].has(r)).length, 0) / (found.length * K);
  const started = loadavg()[0].toFixed(2);

  // Redis: the records and the index documents written by the store's own write path.
  const stack = await startRedisStack();
  let store: FeatureStore | undefined;
  const raw = new Redis(stack.port);
  try {
    store = await openVectorStore({ redis: stack, dimension: DIMENSION, algorithm: HNSW });
    const t = performance.now();
    for (let start = 0; start < COUNT; start += 5000) {
      const ids = Array.from({ length: Math.min(5000, COUNT - start) }, (_, i) => start + i);
      await writeToOnlineStore(store.context, {
        featureView: 'doc_chunks',
        rows: {
          chunk_id: ids.map(chunkId),
          embedding: ids.map((i) => Array.from(data.subarray(i * DIMENSION, (i + 1) * DIMENSION))),
          title: ids.map((i) => `chunk ${i}`),
          lang: ids.map((i) => (i % 3 === 0 ? 'fr' : 'en')),
          year: ids.map((i) => 2000 + (i % 25)),
          score: ids.map((i) => i / COUNT),
          event_timestamp: ids.map(() => iso(Date.now() * 1000)),
        },
      });
    }
    const writeSeconds = (performance.now() - t) / 1000;
    const plan = vectorPlans(new OnlineCodecs(vectorManifest({ redis: stack, dimension: DIMENSION, algorithm: HNSW }))).all()[0];
    const index = new RedisVectorStore(raw, new OnlineCodecs(vectorManifest({ redis: stack, dimension: DIMENSION, algorithm: HNSW })), 0, false, 'bench').indexName(plan);
    const retrieve = (q: Float32Array, features: string[] = []) => store!.retrieveOnlineDocuments({ feature: 'doc_chunks:embedding', query: q, topK: K, features });
    const bare = (q: Float32Array) =>
      raw.call('FT.SEARCH', index, `*=>[KNN ${K} @v $vec EF_RUNTIME ${HNSW.efRuntime} AS d]`, 'PARAMS', '2', 'vec', Buffer.from(q.buffer, q.byteOffset, q.byteLength), 'SORTBY', 'd', 'RETURN', '1', 'd', 'LIMIT', '0', String(K), 'DIALECT', '2');
    const [ours, oursWithFeature, bareSearch] = await measure(asked, [(q) => retrieve(q), (q) => retrieve(q, ['title']), bare]);
    const redisFound = [];
    for (const q of asked.slice(0, 50)) {
      const res = await retrieve(q);
      redisFound.push((res.results[1].values as string[]).map((id) => Number(id.slice(1))));
    }
    console.log(`vector: top-${K} over ${COUNT} x ${DIMENSION} clustered embeddings, ${asked.length} queries, ms (load average ${started} at the start; the 2 cores are shared with other work)`);
    console.log(`  Redis Stack 7.4 (HNSW M ${HNSW.m}, EF_CONSTRUCTION ${HNSW.efConstruction}, EF_RUNTIME ${HNSW.efRuntime}); ${COUNT} rows written through writeToOnlineStore in ${writeSeconds.toFixed(1)} s (records and index documents)`);
    console.log('                                           p50       p99   ours/bare p50  p99');
    console.log(`  bare FT.SEARCH KNN (ioredis)        ${ms(bareSearch.p50)}  ${ms(bareSearch.p99)}`);
    console.log(`  retrieveOnlineDocuments             ${ms(ours.p50)}  ${ms(ours.p99)}      ${(ours.p50 / bareSearch.p50).toFixed(2)}×  ${(ours.p99 / bareSearch.p99).toFixed(2)}×`);
    console.log(`  retrieveOnlineDocuments + 1 feature ${ms(oursWithFeature.p50)}  ${ms(oursWithFeature.p99)}      ${(oursWithFeature.p50 / bareSearch.p50).toFixed(2)}×  ${(oursWithFeature.p99 / bareSearch.p99).toFixed(2)}×`);
    console.log(`  recall@${K} of Redis's HNSW against brute force (50 queries): ${recall(redisFound).toFixed(3)}`);
  } finally {
    raw.disconnect();
    await store?.close();
    await stack.close();
  }

  // The embedded store: its HNSW index (usearch) and its exact search over the same documents.
  const dir = tempDir('fs-vector-bench-');
  const root = open({ path: join(dir.path, 'online'), maxDbs: 16 });
  try {
    const manifest = (algorithm: Parameters<typeof vectorManifest>[0]['algorithm']) => vectorManifest({ dimension: DIMENSION, embeddedPath: join(dir.path, 'online'), algorithm });
    const hnsw = vectorPlans(new OnlineCodecs(manifest(HNSW))).all()[0];
    const flat = vectorPlans(new OnlineCodecs(manifest({ kind: 'flat' }))).all()[0];
    const embedded = new EmbeddedVectorStore(root, 0);
    const docs: VectorDoc[] = [];
    for (let i = 0; i < COUNT; i++) {
      docs.push({ entityKey: Buffer.from(chunkId(i)), event: 1, created: -1, vector: data.subarray(i * DIMENSION, (i + 1) * DIMENSION), attributes: [] });
      if (docs.length === 10_000) await embedded.writeDocs(hnsw, docs.splice(0));
    }
    const t = performance.now();
    embedded.warm(hnsw);
    const buildSeconds = (performance.now() - t) / 1000;
    const approx = (q: Float32Array) => embedded.search({ plan: hnsw, query: q, topK: K, minEvent: -Infinity });
    const exact = (q: Float32Array) => embedded.search({ plan: flat, query: q, topK: K, minEvent: -Infinity });
    // The exact side reads the same documents through its own plan: load it once before timing.
    await exact(asked[0]);
    embedded.warm(hnsw);
    const sample = asked.slice(0, 50);
    const found = [];
    for (const q of sample) found.push((await approx(q)).map((h) => Number(h.entityKey.toString().slice(1))));
    const [a, e] = await measure(sample, [approx, exact]);
    console.log(`  embedded store: usearch HNSW (M ${HNSW.m}, efConstruction ${HNSW.efConstruction}, efRuntime ${HNSW.efRuntime}) built in ${buildSeconds.toFixed(1)} s; ${sample.length} queries`);
    console.log(`  exact search (flat)                 ${ms(e.p50)}  ${ms(e.p99)}`);
    console.log(`  HNSW (usearch)                      ${ms(a.p50)}  ${ms(a.p99)}      ${(e.p50 / a.p50).toFixed(1)}× faster at p50, ${(e.p99 / a.p99).toFixed(1)}× at p99`);
    console.log(`  recall@${K} of the embedded HNSW against brute force: ${recall(found).toFixed(3)}`);
  } finally {
    await root.close();
    dir.cleanup();
  }
}

if (require.main === module) {
  run(process.argv[2] ? Number(process.argv[2]) : undefined).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
