import type { VectorIndexSpec } from './schema';

/** One line for a reader: `embedding, 384 dimensions, COSINE, HNSW M 16, EF_CONSTRUCTION 200, EF_RUNTIME 64`. */
export function describeVectorIndex(v: VectorIndexSpec): string {
  const algorithm = v.algorithm.kind === 'hnsw' ? `HNSW M ${v.algorithm.m}, EF_CONSTRUCTION ${v.algorithm.efConstruction}, EF_RUNTIME ${v.algorithm.efRuntime}` : 'flat (exact)';
  return `${v.field}, ${v.dimension} dimensions, ${v.metric}, ${algorithm}`;
}
