/**
 * Point-in-time candidates a decode worker found for a batch it decoded, kept beside
 * the batch (see ReadOptions.candidates and offline/decode-candidates.js).
 */
import type { RecordBatch } from 'apache-arrow';
import type { FoundCandidates } from '../../offline/decode-candidates';

const found = new WeakMap<RecordBatch, FoundCandidates>();

export function attachCandidates(batch: RecordBatch, candidates: FoundCandidates): void {
  found.set(batch, candidates);
}

/** The batch's candidates, or undefined when the reader's caller must find them itself. */
export function candidatesOf(batch: RecordBatch): FoundCandidates | undefined {
  return found.get(batch);
}
