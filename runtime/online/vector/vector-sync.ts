/** Keeps a view's vector index in step with the rows written online (materialization, push, direct writes). */
import type { ViewCodec } from '../codecs';
import type { OnlineStore } from '../online-store';
import type { LatestRow } from '../write/latest-rows';
import { vectorDocs } from './vector-docs';
import { vectorPlans } from './vector-plan';

export interface VectorSync {
  /** Resolves once the store can serve the index (Redis: the FT index exists), before any record is written. */
  ready(): Promise<void>;
  /** Writes the documents of a chunk of the rows. */
  write(chunk: readonly LatestRow[]): Promise<number>;
}

/**
 * A writer of the index documents for chunks of `rows`, or null when the view has no
 * vector index. Every row's embedding is checked now, before the first record is written.
 */
export function vectorSync(store: OnlineStore, codec: ViewCodec, rows: readonly LatestRow[]): VectorSync | null {
  const vectors = store.vectors;
  const plan = vectors ? vectorPlans(store.codecs).ofView(codec.view.name) : undefined;
  if (!vectors || !plan) return null;
  const docs = vectorDocs(plan, rows);
  const docOf = new Map(rows.map((r, i) => [r, docs[i]]));
  return { ready: () => vectors.prepare(plan), write: (chunk) => vectors.writeDocs(plan, chunk.map((r) => docOf.get(r)!)) };
}
