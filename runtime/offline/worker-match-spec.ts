/**
 * When and how decode workers run the first pass of a view's join themselves (see
 * worker-matcher.ts): a single integer join key whose entity values are small
 * non-negative numbers (the usual surrogate ids).
 */
import type { EntityIndex } from './entity-index';
import type { KeyEncoder } from './key-encoder';
import type { ViewSource } from './view-source';
import type { WorkerMatchSpec } from './worker-matcher';

/** The entity-side arrays every worker reads, in shared memory (made once per key layout). */
export interface SharedEntityIndex {
  readonly direct: Int32Array;
  readonly keyStart: Int32Array;
  readonly entityTimes: Float64Array;
}

let nextJoinId = 0;

/** A copy of `array` in a SharedArrayBuffer: worker messages then carry it without copying. */
function shared<T extends Int32Array | Float64Array>(array: T, make: (buffer: SharedArrayBuffer) => T): T {
  const copy = make(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}

/** The shared arrays for a key layout, or null when its keys cannot be looked up in an array. */
export function shareEntityIndex(encoder: KeyEncoder, index: EntityIndex): SharedEntityIndex | null {
  const direct = encoder.directIndex();
  if (direct === null) return null;
  return {
    direct: shared(direct, (b) => new Int32Array(b)),
    keyStart: shared(index.keyStart, (b) => new Int32Array(b)),
    entityTimes: shared(index.times, (b) => new Float64Array(b)),
  };
}

/** The spec for one view's first pass, or undefined when the workers cannot run it. */
export function workerMatchSpec(entityIndex: SharedEntityIndex | null, plan: ViewSource, ttl: number, filterByCreated: boolean): WorkerMatchSpec | undefined {
  if (entityIndex === null || plan.keyColumns.length !== 1) return undefined;
  return {
    joinId: nextJoinId++,
    keyColumn: plan.keyColumns[0],
    timestampColumn: plan.timestampColumn,
    createdColumn: plan.createdColumn,
    ttl,
    filterByCreated,
    ...entityIndex,
  };
}
