/**
 * What a vector index holds per entity key: the embedding, the event and created
 * times (for the never-older rule and the view's TTL) and the values a filter may
 * compare. Built from the rows materialization and push write, for both stores.
 */
import { FeatureStoreError } from '../../errors';
import type { JoinValue } from '../entity-key';
import type { FeatureValue } from '../values';
import type { LatestRow } from '../write/latest-rows';
import type { FilterableField, VectorIndexPlan } from './vector-plan';

/** A filter's view of a value: strings and booleans compare by equality, numbers by order. */
export type AttributeValue = string | number | boolean | null;

export interface VectorDoc {
  readonly entityKey: Buffer;
  /** Event time, epoch µs. */
  readonly event: number;
  /** Created time, epoch µs; -1 when the source has none. */
  readonly created: number;
  /** null: the row has no embedding, so the entity leaves the index. */
  readonly vector: Float32Array | null;
  /** One per filterable field, in `plan.filterable` order. */
  readonly attributes: readonly AttributeValue[];
}

export function attributeValue(field: FilterableField, value: FeatureValue | JoinValue): AttributeValue {
  if (value === null || value === undefined) return null;
  if (field.dtype === 'UnixTimestamp') return Math.floor(Number(value) / 1_000_000);
  if (typeof value === 'bigint') return Number(value);
  return value as AttributeValue;
}

/** The embedding of a row as float32, checked against the index's dimension. */
function embedding(plan: VectorIndexPlan, value: FeatureValue, row: LatestRow): Float32Array | null {
  if (value === null) return null;
  const list = value as number[];
  if (list.length !== plan.dimension) {
    throw new FeatureStoreError(
      'REQUEST_INVALID',
      `feature "${plan.spec.featureView}:${plan.spec.field}" of entity key ${row.entityKey.toString('hex')} has ${list.length} elements, but its vector index "${plan.spec.name}" has dimension ${plan.dimension}`,
      `write embeddings of ${plan.dimension} elements, or change the index's dimension and synthesize again`,
    );
  }
  return Float32Array.from(list);
}

/** The documents of `rows`; throws on an embedding of the wrong length before anything is written. */
export function vectorDocs(plan: VectorIndexPlan, rows: readonly LatestRow[]): VectorDoc[] {
  const fields = [...plan.filterable.values()];
  return rows.map((r) => {
    const readers = r.batch.features;
    return {
      entityKey: r.entityKey,
      event: r.event,
      created: r.created === -Infinity ? -1 : r.created,
      vector: embedding(plan, readers[plan.featureIndex](r.row), r),
      attributes: fields.map((f) => attributeValue(f, 'feature' in f.source ? readers[f.source.feature](r.row) : r.batch.keys[f.source.joinKey](r.row))),
    };
  });
}

/** Whether a document at (event, created) may replace the stored one: never an older one. */
export function docMayReplace(event: number, created: number, storedEvent: number, storedCreated: number): boolean {
  return event > storedEvent || (event === storedEvent && created >= storedCreated);
}
