/**
 * The I/O shell of the point-in-time join: encodes the entity rows' keys once per
 * key layout, streams each view's batches through its matcher, and gathers the
 * winning rows' values into output columns (one row per entity row, input order).
 */
import type { Data, Table } from 'apache-arrow';
import type { StoreContext } from '../context';
import { MICROS_PER_SECOND } from '../arrow/timestamps';
import type { ResolvedProjection } from '../manifest/features';
import { buildEntityIndex, type EntityIndex } from './entity-index';
import { chunksByBatch } from './entity-rows';
import { KeyEncoder } from './key-encoder';
import { PointInTimeMatcher } from './point-in-time';
import { makeSlots, type ValueSlots } from './value-slots';
import { planViewSource, readViewSource, readViewValues, type TimeWindow, type ViewSource } from './view-source';
import type { FileSet, WorkerCopyPlan } from '../lakes/lake-reader';
import type { SharedSlots } from './worker-copier';
import { rowGroupDecoder } from '../lakes/parquet/row-group-decoder';
import { shareEntityIndex, workerMatchSpec, type SharedEntityIndex } from './worker-match-spec';
import { FeatureStoreError } from '../errors';
import { joinAggregations } from '../aggregations/training';

export interface Progress {
  /** The projection (view or alias) being read. */
  readonly view: string;
  /** Rows of that view read so far. */
  readonly rowsRead: number;
}

export interface JoinOptions {
  readonly filterByCreatedTimestamp: boolean;
  readonly onProgress?: (progress: Progress) => void;
}

/** Entity keys encoded for one join-key layout (shared by the views that use it). */
interface KeySpace {
  readonly encoder: KeyEncoder;
  readonly index: EntityIndex;
  /** The arrays decode workers need, made on first use; null when they cannot match. */
  shared?: SharedEntityIndex | null;
}

/** The feature columns of each projection, in request order, one row per entity row. */
export async function joinEntityRows(
  ctx: StoreContext,
  entities: Table,
  times: Float64Array,
  projections: readonly ResolvedProjection[],
  options: JoinOptions,
): Promise<Data[][]> {
  const spaces = new Map<string, KeySpace>();
  const keySpace = (p: ResolvedProjection): KeySpace => {
    const signature = JSON.stringify(p.joinKeys.map((k) => [k.column, k.valueType]));
    let space = spaces.get(signature);
    if (!space) {
      space = encodeEntityKeys(entities, times, p);
      spaces.set(signature, space);
    }
    return space;
  };
  const plans = projections.map((p) => ({ projection: p, space: keySpace(p) }));
  return Promise.all(
    plans.map(({ projection, space }) =>
      projection.view.aggregation ? joinAggregations(ctx, projection, projection.view.aggregation, space, options) : joinView(ctx, projection, space, times, options),
    ),
  );
}

function encodeEntityKeys(entities: Table, times: Float64Array, p: ResolvedProjection): KeySpace {
  const encoder = new KeyEncoder(p.joinKeys);
  const keyIds = new Int32Array(entities.numRows);
  let offset = 0;
  for (const { length, chunks } of chunksByBatch(entities, p.joinKeys.map((k) => k.column))) {
    encoder.encode(chunks, keyIds.subarray(offset, offset + length), true);
    offset += length;
  }
  return { encoder, index: buildEntityIndex(keyIds, times, encoder.size) };
}

/** [earliest entity time - ttl, latest entity time]: the only feature rows that can match. */
function readWindow(index: EntityIndex, ttl: number): TimeWindow {
  const times = index.times;
  let min = Infinity;
  let max = -Infinity;
  for (let p = 0; p < times.length; p++) {
    if (times[p] < min) min = times[p];
    if (times[p] > max) max = times[p];
  }
  return { start: ttl > 0 ? min - ttl : undefined, end: max };
}

/**
 * Two passes over the view's rows: the first reads only keys and times and finds
 * each entity position's best row; the second reads only the feature columns, of
 * the same files, and copies just the best rows' values. Copying every row that is
 * best for a while (several per position) at random places cost more than reading
 * the files twice.
 */
async function joinView(ctx: StoreContext, projection: ResolvedProjection, space: KeySpace, times: Float64Array, options: JoinOptions): Promise<Data[]> {
  const { index, encoder } = space;
  const ttl = projection.view.ttlSeconds * MICROS_PER_SECOND;
  const matcher = new PointInTimeMatcher(index, ttl, options.filterByCreatedTimestamp);
  if (space.shared === undefined) space.shared = shareEntityIndex(encoder, index);
  const plan = planViewSource(ctx.manifest, projection);
  const match = workerMatchSpec(space.shared, plan, ttl, options.filterByCreatedTimestamp);
  // Where the workers match, they can copy values too: into slots in shared memory.
  const slots = projection.features.map((f) => makeSlots(f.dtype, index.rows.length, { shared: match !== undefined }));
  if (index.rows.length > 0) {
    const window = readWindow(index, ttl);
    const fileSet: FileSet = {};
    const lengths: number[] = [];
    let keyIds = new Int32Array(0);
    let rowsRead = 0;
    try {
      for await (const batch of readViewSource(ctx, plan, window, { keysOnly: true, fileSet, match })) {
        if (batch.matched) matcher.skip(batch.length);
        else {
          if (keyIds.length < batch.length) keyIds = new Int32Array(batch.length);
          const ids = keyIds.subarray(0, batch.length);
          encoder.encode(batch.keys, ids, false);
          matcher.offer(ids, batch.times, batch.created, batch.length);
        }
        lengths.push(batch.length);
        rowsRead += batch.length;
        options.onProgress?.({ view: projection.name, rowsRead });
      }
    } catch (e) {
      // The workers keep this join's state until it is taken: free it.
      if (match) rowGroupDecoder().takeMatches(match.joinId).catch(() => undefined);
      throw e;
    }
    if (match) for (const state of await rowGroupDecoder().takeMatches(match.joinId)) matcher.absorb(state);
    if (slots.length > 0) await copyBestRows(ctx, plan, window, fileSet, matcher.bestRowsByBatch(lengths), lengths, slots, match !== undefined);
  }
  const winners = index.rows.length > 0 ? matcher.resolve() : new Int32Array(times.length).fill(-1);
  return slots.map((s) => s.gather(winners));
}

/**
 * The second pass: the best rows' feature values into the slots of their positions,
 * copied by the decode workers where they can (`inWorkers`), else here.
 */
async function copyBestRows(
  ctx: StoreContext,
  plan: ViewSource,
  window: TimeWindow,
  fileSet: FileSet,
  best: readonly { positions: Int32Array; rows: Int32Array }[],
  lengths: readonly number[],
  slots: readonly ValueSlots[],
  inWorkers: boolean,
): Promise<void> {
  const copy = inWorkers ? workerCopyPlan(plan, slots, best) : undefined;
  let b = 0;
  for await (const batch of readViewValues(ctx, plan, window, fileSet, copy)) {
    if (b >= lengths.length || batch.length !== lengths[b]) throw sourceChanged(plan);
    const { positions, rows } = best[b++];
    if (positions.length > 0 && !batch.copied) slots.forEach((s, f) => s.copy(batch.features[f], positions, rows, positions.length));
  }
  if (b !== lengths.length) throw sourceChanged(plan);
}

/** The slots each stored feature column goes into, or undefined when some are not in shared memory. */
function workerCopyPlan(plan: ViewSource, slots: readonly ValueSlots[], rowGroups: readonly { positions: Int32Array; rows: Int32Array }[]): WorkerCopyPlan | undefined {
  const targets: Record<string, SharedSlots[]> = {};
  for (let f = 0; f < slots.length; f++) {
    const shared = slots[f].shared();
    if (shared === null) return undefined;
    (targets[plan.featureColumns[f]] ??= []).push(shared);
  }
  return { targets, rowGroups };
}

function sourceChanged(plan: ViewSource): FeatureStoreError {
  return new FeatureStoreError(
    'SOURCE_INVALID',
    `source "${plan.source.name}" of feature view "${plan.projection.view.name}" changed while it was being read (${plan.source.path})`,
    'do not rewrite source files while a training set is built; append new part files instead, and run again',
  );
}
