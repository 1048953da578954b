/** The seam between retrieval and a store's vector index (Redis's query engine, or the embedded index). */
import type { CheckedFilter } from './vector-filter';
import type { VectorDoc } from './vector-docs';
import type { VectorIndexPlan } from './vector-plan';

export interface VectorSearch {
  readonly plan: VectorIndexPlan;
  /** The query, of the index's dimension. */
  readonly query: Float32Array;
  readonly topK: number;
  readonly filter?: CheckedFilter;
  /** Documents whose event time is older are past the view's TTL; -Infinity when it has none. */
  readonly minEvent: number;
}

export interface VectorHit {
  readonly entityKey: Buffer;
  readonly distance: number;
  /** Event time of the document, epoch µs. */
  readonly event: number;
}

export interface VectorStore {
  /** Makes the index ready to be written and searched; rejects, naming why, when this store cannot serve it. */
  prepare(plan: VectorIndexPlan): Promise<void>;
  /** Compare-and-write of documents (never over a newer one); resolves to the number written. */
  writeDocs(plan: VectorIndexPlan, docs: readonly VectorDoc[]): Promise<number>;
  /** The nearest documents, nearest first, at most `topK`. */
  search(search: VectorSearch): Promise<VectorHit[]>;
}
