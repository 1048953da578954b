/**
 * Batches whose rows a decode worker already matched (see ReadOptions.match and
 * offline/worker-matcher.js).
 */
import type { RecordBatch } from 'apache-arrow';

const matched = new WeakSet<RecordBatch>();

export function markMatched(batch: RecordBatch): void {
  matched.add(batch);
}

/** True when the worker matched the batch's rows; the caller must then only count them. */
export function wasMatched(batch: RecordBatch): boolean {
  return matched.has(batch);
}
