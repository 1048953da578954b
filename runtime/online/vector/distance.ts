/**
 * Distances as Redis's query engine reports them, so both stores rank and answer
 * alike: COSINE 1 - cos(a, b), IP 1 - a·b, L2 the squared Euclidean distance.
 */
import type { VectorMetric } from '../../manifest/schema';

/** Vectors as the exact search holds them: cosine ones already scaled to unit length. */
export function prepareVector(metric: VectorMetric, vector: Float32Array): Float32Array {
  if (metric !== 'COSINE') return vector;
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
  if (norm === 0) return vector;
  const scale = 1 / Math.sqrt(norm);
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i] * scale;
  return out;
}

/** Distance from a prepared query to row `row` of a matrix of prepared vectors. */
export function distanceAt(metric: VectorMetric, query: Float32Array, matrix: Float32Array, row: number): number {
  const d = query.length;
  const base = row * d;
  if (metric === 'L2') {
    let sum = 0;
    for (let i = 0; i < d; i++) {
      const diff = query[i] - matrix[base + i];
      sum += diff * diff;
    }
    return sum;
  }
  let dot = 0;
  for (let i = 0; i < d; i++) dot += query[i] * matrix[base + i];
  return 1 - dot;
}

/** The `k` smallest (distance, row) pairs seen, nearest first; ties keep the earlier row. */
export class TopK {
  private readonly rows: number[] = [];
  private readonly distances: number[] = [];

  constructor(private readonly k: number) {}

  get worst(): number {
    return this.rows.length < this.k ? Infinity : this.distances[this.distances.length - 1];
  }

  offer(row: number, distance: number): void {
    if (distance >= this.worst) return;
    let at = this.distances.length;
    while (at > 0 && this.distances[at - 1] > distance) at--;
    this.distances.splice(at, 0, distance);
    this.rows.splice(at, 0, row);
    if (this.rows.length > this.k) {
      this.rows.pop();
      this.distances.pop();
    }
  }

  result(): { row: number; distance: number }[] {
    return this.rows.map((row, i) => ({ row, distance: this.distances[i] }));
  }
}
