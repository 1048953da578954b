/** Exact cosine nearest neighbours by brute force: the truth an approximate index is measured against. */

/** The norm of each `dimension`-long row of `data`. */
export function rowNorms(data: Float32Array, dimension: number): Float64Array {
  const count = data.length / dimension;
  const norms = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let n = 0;
    for (let j = i * dimension, end = j + dimension; j < end; j++) n += data[j] * data[j];
    norms[i] = Math.sqrt(n);
  }
  return norms;
}

/** The rows of the `k` smallest cosine distances to `query`, nearest first. */
export function trueNeighbours(data: Float32Array, norms: Float64Array, query: Float32Array, k: number): number[] {
  const dimension = query.length;
  let qn = 0;
  for (let j = 0; j < dimension; j++) qn += query[j] * query[j];
  qn = Math.sqrt(qn);
  const best: { row: number; distance: number }[] = [];
  for (let i = 0; i < norms.length; i++) {
    let dot = 0;
    for (let j = 0, base = i * dimension; j < dimension; j++) dot += data[base + j] * query[j];
    const distance = 1 - dot / (norms[i] * qn);
    if (best.length === k && distance >= best[k - 1].distance) continue;
    let at = best.length;
    while (at > 0 && best[at - 1].distance > distance) at--;
    best.splice(at, 0, { row: i, distance });
    if (best.length > k) best.pop();
  }
  return best.map((b) => b.row);
}
