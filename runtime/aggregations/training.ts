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

  private grow(needed: number): void {
    let size = this.keys.length * 2;
    while (size < needed) size *= 2;
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

  /**
   * Adds a batch's rows whose key is among the entities' (`ids[i] >= 0`) and whose time
   * is in (after, until]; a null created time is -Infinity (oldest).
   */
  addBatch(ids: Int32Array, times: Float64Array, created: Float64Array | null, values: readonly Float64Array[], count: number, after: number, until: number): void {
    if (this.length + count > this.keys.length) this.grow(this.length + count);
    const { keys, times: allTimes, created: allCreated } = this;
    let at = this.length;
    for (let i = 0; i < count; i++) {
      const t = times[i];
      if (ids[i] < 0 || !(t > after && t <= until)) continue;
      keys[at] = ids[i];
      allTimes[at] = t;
      allCreated[at] = created === null || created[i] !== created[i] ? -Infinity : created[i];
      at++;
    }
    for (let c = 0; c < values.length; c++) {
      const from = values[c];
      const into = this.values[c];
      let j = this.length;
      for (let i = 0; i < count; i++) {
        const t = times[i];
        if (ids[i] < 0 || !(t > after && t <= until)) continue;
        into[j++] = from[i];
      }
    }
    this.length = at;
  }

  /**
   * Event indices ordered by key, then time, then created time, then read order, with
   * each key's range and the times in that order. A counting sort on the key (stable:
   * read order), the times gathered next to it, then each key's events sorted where
   * they lie (sortKey). Contiguous data: several times cheaper than one radix sort of
   * all events across memory.
   */
  sorted(keyCount: number): { order: Int32Array; keyStart: Int32Array; times: Float64Array; created: Float64Array } {
    const n = this.length;
    const keys = this.keys;
    const keyStart = new Int32Array(keyCount + 1);
    for (let i = 0; i < n; i++) keyStart[keys[i] + 1]++;
    let largest = 0;
    for (let k = 0; k < keyCount; k++) {
      largest = Math.max(largest, keyStart[k + 1]);
      keyStart[k + 1] += keyStart[k];
    }
    const next = keyStart.slice(0, keyCount);
    const order = new Int32Array(n);
    const times = new Float64Array(n);
    const created = new Float64Array(n);
    const allTimes = this.times;
    const allCreated = this.created;
    // Scattered as read: the reads stay sequential.
    for (let i = 0; i < n; i++) {
      const p = next[keys[i]]++;
      order[p] = i;
      times[p] = allTimes[i];
      created[p] = allCreated[i];
    }
    const scratch = { packed: new Float64Array(largest), order: new Int32Array(largest), times: new Float64Array(largest), created: new Float64Array(largest) };
    const all = { times: allTimes, created: allCreated };
    for (let k = 0; k < keyCount; k++) sortKey(order, times, created, keyStart[k], keyStart[k + 1], scratch, all);
    return { order, keyStart, times, created };
  }
}

/**
 * Sorts one key's events [from, to) by time, stably. Few: an insertion sort. More: each
 * time (relative to the key's first) times the count, plus the position, is one exact
 * double, and a numeric sort of those needs no comparator call. A span too long for
 * that: a radix sort.
 */
function sortKey(
  order: Int32Array,
  times: Float64Array,
  created: Float64Array,
  from: number,
  to: number,
  scratch: { packed: Float64Array; order: Int32Array; times: Float64Array; created: Float64Array },
  all: { times: Float64Array; created: Float64Array },
): void {
  const { times: allTimes, created: allCreated } = all;
  const m = to - from;
  if (m > 16) {
    let min = Infinity;
    let max = -Infinity;
    for (let p = from; p < to; p++) {
      if (times[p] < min) min = times[p];
      if (times[p] > max) max = times[p];
    }
    if ((max - min + 1) * m < 2 ** 53) {
      const packed = scratch.packed.subarray(0, m);
      for (let j = 0; j < m; j++) packed[j] = (times[from + j] - min) * m + j;
      packed.sort();
      const { order: rows, times: ts, created: cs } = scratch;
      rows.set(order.subarray(from, to));
      ts.set(times.subarray(from, to));
      cs.set(created.subarray(from, to));
      for (let j = 0; j < m; j++) {
        const was = packed[j] % m;
        order[from + j] = rows[was];
        times[from + j] = ts[was];
        created[from + j] = cs[was];
      }
    } else {
      order.set(radixSortByTime(order.subarray(from, to), allTimes), from);
      for (let p = from; p < to; p++) {
        times[p] = allTimes[order[p]];
        created[p] = allCreated[order[p]];
      }
    }
  }
  // Sorted by time already when there were more: this orders equal times by created time.
  sortRange(order, times, created, from, to);
}

/**
 * Insertion sort of [from, to) by (time, created), moving `order` along: stable, so
 * read order breaks ties. Already sorted by time (a radix-sorted key), it only orders
 * equal times by created time.
 */
function sortRange(order: Int32Array, times: Float64Array, created: Float64Array, from: number, to: number): void {
  for (let p = from + 1; p < to; p++) {
    const i = order[p];
    const t = times[p];
    const c = created[p];
    let q = p - 1;
    while (q >= from && (times[q] > t || (times[q] === t && created[q] > c))) {
      order[q + 1] = order[q];
      times[q + 1] = times[q];
      created[q + 1] = created[q];
      q--;
    }
    order[q + 1] = i;
    times[q + 1] = t;
    created[q + 1] = c;
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
    const batchIds = ids.subarray(0, batch.length);
    encoder.encode(batch.keys, batchIds, false);
    events.addBatch(batchIds, batch.times, batch.created, batch.features.map(numericValues), batch.length, start, max);
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
  const { order, keyStart: eventStart, times, created } = events.sorted(keyCount);
  const tile = spec.tileSeconds * MICROS_PER_SECOND;
  const columns = spec.columns.length;
  const state = emptyStates(columns);
  const { values } = events;
  const entityTimes = index.times;
  const entityStart = index.keyStart;
  for (const windowSeconds of windowsOf(spec)) {
    const here = outputs.map((o, j) => ({ ...o, j })).filter((o) => o.windowSeconds === windowSeconds);
    if (here.length === 0) continue;
    const used = [...new Set(here.map((o) => o.column))];
    const usedValues = used.map((c) => values[c]);
    const targets = here.map((o) => results[o.j]);
    const width = windowSeconds * MICROS_PER_SECOND;
    for (let k = 0; k + 1 < entityStart.length; k++) {
      let lo = eventStart[k];
      let hi = lo;
      const end = eventStart[k + 1];
      let previousLo = -1;
      let previousHi = -1;
      for (let p = entityStart[k]; p < entityStart[k + 1]; p++) {
        const t = entityTimes[p];
        while (hi < end && times[hi] <= t) hi++;
        const after = windowStartExclusive(t, width, tile);
        while (lo < hi && times[lo] <= after) lo++;
        // Entity rows of a key at the same window reuse its state (not when created times filter per row).
        if (lo !== previousLo || hi !== previousHi || filterByCreated) {
          for (let u = 0; u < used.length; u++) resetState(state, used[u]);
          for (let e = lo; e < hi; e++) {
            if (filterByCreated && created[e] > t) continue;
            const i = order[e];
            for (let u = 0; u < used.length; u++) addValue(state, used[u], usedValues[u][i], times[e], created[e]);
          }
          previousLo = lo;
          previousHi = hi;
        }
        for (let h = 0; h < here.length; h++) {
          const v = finish(state, here[h].column, here[h].fn);
          targets[h][p] = v === null ? NaN : v;
        }
      }
    }
  }
}
