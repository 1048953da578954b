/**
 * getHistoricalFeatures for an aggregation view: each asked aggregate as of each
 * entity row's time, over the window rule of window.ts. The view's raw events are
 * read once (keys, times and the aggregated columns, in the span the entity rows
 * need), sorted per key by (event time, created time, read order), and each entity
 * position's window is found with two pointers that only move forward.
 */
import type { Data } from 'apache-arrow';
import type { StoreContext } from '../context';
import type { ResolvedProjection } from '../manifest/features';
import { aggregatedFields } from '../manifest/aggregation';
import type { AggregationSpec } from '../manifest/schema';
import { radixSortByTime, type EntityIndex } from '../offline/entity-index';
import type { KeyEncoder } from '../offline/key-encoder';
import { planViewSource, readViewSource } from '../offline/view-source';
import { numericValues } from './event-values';
import { aggregateColumn } from './output-column';
import { addValue, emptyStates, finish, resetState } from './partials';
import { resolveOutputs } from './resolve';
import { longestWindowSeconds, MICROS_PER_SECOND, windowsOf, windowStartExclusive } from './window';

export interface AggregationJoinOptions {
  readonly filterByCreatedTimestamp: boolean;
  readonly onProgress?: (progress: { view: string; rowsRead: number }) => void;
}

/** The raw events of the entities' keys, in read order, growing as batches arrive. */
class Events {
  length = 0;
  keys = new Int32Array(1024);
  times = new Float64Array(1024);
  created = new Float64Array(1024);
  values: Float64Array[];

  constructor(columns: number) {
    this.values = Array.from({ length: columns }, () => new Float64Array(1024));
  }

  private grow(): void {
    const size = this.keys.length * 2;
    const more = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.keys = more(this.keys, (n) => new Int32Array(n));
    this.times = more(this.times, (n) => new Float64Array(n));
    this.created = more(this.created, (n) => new Float64Array(n));
    this.values = this.values.map((v) => more(v, (n) => new Float64Array(n)));
  }

  add(key: number, time: number, created: number, values: readonly Float64Array[], row: number): void {
    if (this.length === this.keys.length) this.grow();
    const i = this.length++;
    this.keys[i] = key;
    this.times[i] = time;
    this.created[i] = created;
    for (let c = 0; c < values.length; c++) this.values[c][i] = values[c][row];
  }

  /**
   * Event indices ordered by key, then time, then created time, then read order; and
   * each key's range. A stable radix sort on time, then a stable counting sort on the
   * key: no comparator call per pair. Equal times are then ordered by created time.
   */
  sorted(keyCount: number): { order: Int32Array; keyStart: Int32Array } {
    const all = new Int32Array(this.length);
    for (let i = 0; i < all.length; i++) all[i] = i;
    const byTime = radixSortByTime(all, this.times);
    const keyStart = new Int32Array(keyCount + 1);
    for (let i = 0; i < this.length; i++) keyStart[this.keys[i] + 1]++;
    for (let k = 0; k < keyCount; k++) keyStart[k + 1] += keyStart[k];
    const next = keyStart.slice(0, keyCount);
    const order = new Int32Array(this.length);
    for (let j = 0; j < byTime.length; j++) order[next[this.keys[byTime[j]]]++] = byTime[j];
    const { times, created } = this;
    for (let k = 0; k < keyCount; k++) {
      for (let p = keyStart[k] + 1; p < keyStart[k + 1]; p++) {
        const i = order[p];
        let q = p - 1;
        while (q >= keyStart[k] && times[order[q]] === times[i] && created[order[q]] > created[i]) {
          order[q + 1] = order[q];
          q--;
        }
        order[q + 1] = i;
      }
    }
    return { order, keyStart };
  }
}

export async function joinAggregations(
  ctx: StoreContext,
  projection: ResolvedProjection,
  spec: AggregationSpec,
  space: { readonly index: EntityIndex; readonly encoder: KeyEncoder },
  options: AggregationJoinOptions,
): Promise<Data[]> {
  const { index, encoder } = space;
  const outputs = resolveOutputs(projection.view, spec, projection.features);
  const positions = index.rows.length;
  const results = outputs.map(() => new Float64Array(positions).fill(NaN));
  if (positions > 0) {
    const events = await readEvents(ctx, projection, spec, index, encoder, options);
    aggregate(events, index, spec, outputs, results, encoder.size, options.filterByCreatedTimestamp);
  }
  const rowCount = index.positionOfRow.length;
  return outputs.map((o, j) => {
    const byRow = new Float64Array(rowCount).fill(NaN);
    for (let r = 0; r < rowCount; r++) {
      const p = index.positionOfRow[r];
      if (p >= 0) byRow[r] = results[j][p];
    }
    return aggregateColumn(o.feature.dtype, byRow);
  });
}

async function readEvents(
  ctx: StoreContext,
  projection: ResolvedProjection,
  spec: AggregationSpec,
  index: EntityIndex,
  encoder: KeyEncoder,
  options: AggregationJoinOptions,
): Promise<Events> {
  let min = Infinity;
  let max = -Infinity;
  for (const t of index.times) {
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const tile = spec.tileSeconds * MICROS_PER_SECOND;
  const start = windowStartExclusive(min, longestWindowSeconds(spec) * MICROS_PER_SECOND, tile);
  const plan = planViewSource(ctx.manifest, { ...projection, features: aggregatedFields(spec) });
  const events = new Events(spec.columns.length);
  let ids = new Int32Array(0);
  let rowsRead = 0;
  for await (const batch of readViewSource(ctx, plan, { start, end: max })) {
    if (ids.length < batch.length) ids = new Int32Array(batch.length);
    encoder.encode(batch.keys, ids, false);
    const values = batch.features.map(numericValues);
    const { times, created } = batch;
    for (let i = 0; i < batch.length; i++) {
      const t = times[i];
      if (ids[i] < 0 || !(t > start && t <= max)) continue;
      const c = created === null || created[i] !== created[i] ? -Infinity : created[i];
      events.add(ids[i], t, c, values, i);
    }
    rowsRead += batch.length;
    options.onProgress?.({ view: projection.name, rowsRead });
  }
  return events;
}

/** Fills `results[j][position]` for every entity position, window by window. */
function aggregate(
  events: Events,
  index: EntityIndex,
  spec: AggregationSpec,
  outputs: ReturnType<typeof resolveOutputs>,
  results: Float64Array[],
  keyCount: number,
  filterByCreated: boolean,
): void {
  const { order, keyStart: eventStart } = events.sorted(keyCount);
  const tile = spec.tileSeconds * MICROS_PER_SECOND;
  const columns = spec.columns.length;
  const state = emptyStates(columns);
  const { times, created, values } = events;
  for (const windowSeconds of windowsOf(spec)) {
    const here = outputs.map((o, j) => ({ ...o, j })).filter((o) => o.windowSeconds === windowSeconds);
    if (here.length === 0) continue;
    const used = [...new Set(here.map((o) => o.column))];
    const width = windowSeconds * MICROS_PER_SECOND;
    for (let k = 0; k + 1 < index.keyStart.length; k++) {
      let lo = eventStart[k];
      let hi = lo;
      const end = eventStart[k + 1];
      let previousLo = -1;
      let previousHi = -1;
      for (let p = index.keyStart[k]; p < index.keyStart[k + 1]; p++) {
        const t = index.times[p];
        while (hi < end && times[order[hi]] <= t) hi++;
        const after = windowStartExclusive(t, width, tile);
        while (lo < hi && times[order[lo]] <= after) lo++;
        // Entity rows of a key at the same window reuse its state (not when created times filter per row).
        if (lo !== previousLo || hi !== previousHi || filterByCreated) {
          for (const c of used) resetState(state, c);
          for (let e = lo; e < hi; e++) {
            const i = order[e];
            if (filterByCreated && created[i] > t) continue;
            for (const c of used) addValue(state, c, values[c][i], times[i], created[i]);
          }
          previousLo = lo;
          previousHi = hi;
        }
        for (const o of here) {
          const v = finish(state, o.column, o.fn);
          results[o.j][p] = v === null ? NaN : v;
        }
      }
    }
  }
}
