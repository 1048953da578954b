/**
 * A registry with one document-chunk view and a vector index on its embedding, on
 * the embedded store or on a real Redis with its query engine; deterministic
 * embeddings to write into it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeatureStore } from '../../runtime/feature-store';
import { withHash } from '../../runtime/manifest/canonical';
import type { FeatureViewSpec, Manifest, OnlineLayout, OnlineStoreSpec, VectorAlgorithmSpec, VectorIndexSpec, VectorMetric } from '../../runtime/manifest/schema';
import type { RedisStack } from '../support/redis-stack';

const meta = { description: '', tags: {}, owner: '' };
const field = (name: string, dtype: FeatureViewSpec['features'][number]['dtype']) => ({ name, dtype, description: '', tags: {} });

export interface VectorManifestOptions {
  readonly dimension?: number;
  readonly metric?: VectorMetric;
  readonly algorithm?: VectorAlgorithmSpec;
  readonly ttlSeconds?: number;
  readonly keyTtlSeconds?: number | null;
  /** Embedded store folder; omitted: Redis. */
  readonly embeddedPath?: string;
  readonly redis?: RedisStack;
  /** @default 'compact' */
  readonly layout?: OnlineLayout;
  /** A Redis Cluster connection. @default false */
  readonly cluster?: boolean;
}

export function vectorManifest(options: VectorManifestOptions): Manifest {
  const dimension = options.dimension ?? 4;
  const view: FeatureViewSpec = withHash({
    name: 'doc_chunks',
    entities: ['chunk'],
    joinKeys: [{ name: 'chunk_id', valueType: 'String' }],
    features: [field('embedding', 'Array(Float32)'), field('title', 'String'), field('lang', 'String'), field('year', 'Int64'), field('score', 'Float64')],
    ttlSeconds: options.ttlSeconds ?? 0,
    source: 'doc_chunks_source',
    batchSource: 'doc_chunks_source',
    online: true,
    offline: true,
    ...meta,
  });
  const index: VectorIndexSpec = withHash({
    name: 'doc_chunks_embedding',
    featureView: 'doc_chunks',
    field: 'embedding',
    dimension,
    metric: options.metric ?? 'COSINE',
    algorithm: options.algorithm ?? { kind: 'hnsw', m: 16, efConstruction: 200, efRuntime: 64 },
  });
  const keyTtlSeconds = options.keyTtlSeconds ?? null;
  const onlineStore: OnlineStoreSpec = options.embeddedPath
    ? withHash({ kind: 'embedded', path: options.embeddedPath, layout: options.layout ?? 'compact', keyTtlSeconds })
    : withHash({ kind: 'redis', host: options.redis!.host, port: options.redis!.port, tls: false, cluster: options.cluster ?? false, passwordEnv: null, layout: options.layout ?? 'compact', keyTtlSeconds });
  return withHash<Manifest>({
    manifestVersion: 1,
    project: 'rag',
    stack: 'test',
    onlineStore,
    lakes: [withHash({ kind: 'local', name: 'local', root: '.featurestack/lake' })],
    entities: [withHash({ name: 'chunk', joinKeys: [{ name: 'chunk_id', valueType: 'String' }], ...meta })],
    dataSources: [
      withHash({ kind: 'batch', name: 'doc_chunks_source', declaredAs: 'file', lake: 'local', filesystem: null, path: 'doc_chunks', format: 'parquet', timestampField: 'event_timestamp', createdTimestampColumn: null, fieldMapping: {}, ...meta }),
    ],
    featureViews: [view],
    featureServices: [],
    vectorIndexes: [index],
  });
}

export function tempDir(prefix: string): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export function openVectorStore(options: VectorManifestOptions): Promise<FeatureStore> {
  return FeatureStore.open({ manifest: vectorManifest(options), env: {} });
}

// Local copies: inside jest's sandbox every lookup of the global Math is slow, and these run millions of times.
const { imul, sqrt, log, cos, PI } = Math;

/** A deterministic pseudo-random source (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal numbers from a seeded source (Box-Muller). */
export function gaussian(random: () => number): () => number {
  return () => sqrt(-2 * log(random() || 1e-12)) * cos(2 * PI * random());
}

/**
 * `count` vectors of `dimension` around `clusters` centres (spread 0.5 around unit
 * normal centres), row-major, and as many queries drawn the same way.
 */
export function clusteredVectors(count: number, dimension: number, clusters: number, seed: number): { data: Float32Array; queries: (n: number) => Float32Array[] } {
  const normal = gaussian(seeded(seed));
  const centres = Float32Array.from({ length: clusters * dimension }, normal);
  const data = new Float32Array(count * dimension);
  for (let i = 0; i < count; i++) {
    const c = i % clusters;
    for (let j = 0; j < dimension; j++) data[i * dimension + j] = centres[c * dimension + j] + 0.5 * normal();
  }
  const queries = (n: number) =>
    Array.from({ length: n }, (_, q) => {
      const c = (q * 7) % clusters;
      return Float32Array.from({ length: dimension }, (_, j) => centres[c * dimension + j] + 0.5 * normal());
    });
  return { data, queries };
}

export const iso = (micros: number) => new Date(micros / 1000).toISOString();

/** The distance Redis reports between two vectors. */
export function referenceDistance(metric: VectorMetric, a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let l2 = 0;
  a.forEach((x, i) => {
    dot += x * b[i];
    na += x * x;
    nb += b[i] * b[i];
    l2 += (x - b[i]) ** 2;
  });
  return metric === 'L2' ? l2 : metric === 'IP' ? 1 - dot : 1 - dot / Math.sqrt(na * nb);
}

/** Three chunks with 4-d embeddings, written at `micros`: what the server tests retrieve. */
export function threeChunks(micros: number): Record<string, unknown[]> {
  return {
    chunk_id: ['intro', 'setup', 'faq'],
    embedding: [[1, 0, 0, 0], [0.6, 0.8, 0, 0], [0, 0, 1, 0]],
    title: ['Introduction', 'Setting up', 'Questions'],
    lang: ['en', 'en', 'fr'],
    year: [2024, 2025, 2023],
    score: [1, 2, 3],
    event_timestamp: [iso(micros), iso(micros), iso(micros)],
  };
}
