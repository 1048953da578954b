/**
 * Batches whose rows a decode worker already took care of: matched them (a join's
 * first pass, ReadOptions.match) or copied their best values (its second pass,
 * ReadOptions.copy). Such a batch has no columns, only its row count.
 */
import type { RecordBatch } from 'apache-arrow';

const handled = new WeakSet<RecordBatch>();

export function markHandled(batch: RecordBatch): void {
  handled.add(batch);
}

/** True when a decode worker handled the batch's rows; the caller must then only count them. */
export function wasHandled(batch: RecordBatch): boolean {
  return handled.has(batch);
}
