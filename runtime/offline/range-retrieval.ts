/**
 * Retrieval without entity rows: every key that has a row with
 * `start <= event_timestamp <= end`, with the latest such row of each view (ties as
 * in the join). Output columns: the join key columns, `event_timestamp` (the latest
 * event time among the chosen rows of that key), then the features. One row per
 * key, in the order keys were first read. TTLs do not apply: the range bounds age.
 * Entity-less views join every row with their latest row in the range.
 */
import type { Data, Table } from 'apache-arrow';
import type { StoreContext } from '../context';
import { FeatureStoreError } from '../errors';
import { outputName, type ResolvedProjection } from '../manifest/features';
import { timestampData } from './dtypes';
import { EVENT_TIMESTAMP } from './entity-rows';
import type { JoinOptions } from './join-entity-rows';
import { KeyEncoder, type KeyColumn } from './key-encoder';
import { LatestPerKey } from './latest-per-key';
import { tableOf, type OutputColumn } from './output-table';
import { makeSlots, type ValueSlots } from './value-slots';
import { planViewSource, readViewSource } from './view-source';

/** The join key columns shared by every keyed view of the request. */
function sharedKeyColumns(projections: readonly ResolvedProjection[]): KeyColumn[] {
  const keyed = projections.filter((p) => p.joinKeys.length > 0);
  if (keyed.length === 0) return [];
  const describe = (p: ResolvedProjection) => p.joinKeys.map((k) => `${k.column} ${k.valueType}`).sort().join(', ');
  const first = keyed[0];
  for (const p of keyed) {
    if (describe(p) !== describe(first)) {
      throw new FeatureStoreError(
        'REQUEST_INVALID',
        `a range retrieval needs views with the same join keys: "${first.name}" has (${describe(first)}), "${p.name}" has (${describe(p)})`,
        'request those views in separate calls, or pass entity rows',
      );
    }
  }
  return first.joinKeys.map((k) => ({ column: k.column, valueType: k.valueType }));
}

interface ViewState {
  readonly projection: ResolvedProjection;
  readonly latest: LatestPerKey;
  readonly slots: ValueSlots[];
}

export async function retrieveRange(
  ctx: StoreContext,
  projections: readonly ResolvedProjection[],
  start: number,
  end: number,
  fullFeatureNames: boolean,
  options: JoinOptions,
): Promise<Table> {
  const aggregated = projections.find((p) => p.view.aggregation);
  if (aggregated) {
    throw new FeatureStoreError('REQUEST_INVALID', `aggregation view "${aggregated.view.name}" has no latest row to retrieve over a range`, 'give entity rows: each aggregate is computed as of an entity row\'s time');
  }
  const keyColumns = sharedKeyColumns(projections);
  const keyed = new KeyEncoder(keyColumns);
  const keySlots = keyColumns.map((k) => makeSlots(k.valueType, 0));
  const states: ViewState[] = [];
  // Views are read one after another so that keys are numbered in a stable order.
  for (const projection of projections) {
    const hasKeys = projection.joinKeys.length > 0;
    const encoder = hasKeys ? keyed : new KeyEncoder([]);
    const state: ViewState = { projection, latest: new LatestPerKey(), slots: projection.features.map((f) => makeSlots(f.dtype, 0)) };
    const order = keyColumns.map((k) => projection.joinKeys.findIndex((j) => j.column === k.column));
    const plan = planViewSource(ctx.manifest, projection);
    let rowsRead = 0;
    for await (const batch of readViewSource(ctx, plan, { start, end })) {
      const n = batch.length;
      const mask = new Uint8Array(n);
      for (let i = 0; i < n; i++) mask[i] = batch.times[i] >= start && batch.times[i] <= end ? 1 : 0;
      const ids = new Int32Array(n);
      const before = encoder.size;
      encoder.encode(hasKeys ? order.map((o) => batch.keys[o]) : [], ids, true, mask);
      if (hasKeys) copyNewKeys(ids, before, encoder.size, keySlots, order.map((o) => batch.keys[o]));
      const changes = state.latest.offer(ids, batch.times, batch.created, n);
      for (let f = 0; f < state.slots.length; f++) {
        state.slots[f].reserve(encoder.size);
        state.slots[f].copy(batch.features[f], changes.positions, changes.rows, changes.count);
      }
      rowsRead += n;
      options.onProgress?.({ view: projection.name, rowsRead });
    }
    states.push(state);
  }
  const rows = keyColumns.length > 0 ? keyed.size : states.some((s) => s.latest.size > 0) ? 1 : 0;
  return tableOf(outputColumns(states, keyColumns, keySlots, rows, fullFeatureNames), rows);
}

/** Copies the key values of rows that introduced new key ids (ids are numbered in row order). */
function copyNewKeys(ids: Int32Array, before: number, after: number, keySlots: ValueSlots[], chunks: Data[]): void {
  if (after === before) return;
  const slots = new Int32Array(after - before);
  const rows = new Int32Array(after - before);
  let next = before;
  for (let i = 0; i < ids.length && next < after; i++) {
    if (ids[i] === next) {
      slots[next - before] = next;
      rows[next - before] = i;
      next++;
    }
  }
  keySlots.forEach((s, c) => {
    s.reserve(after);
    s.copy(chunks[c], slots, rows, slots.length);
  });
}

function outputColumns(states: ViewState[], keyColumns: KeyColumn[], keySlots: ValueSlots[], rows: number, fullFeatureNames: boolean): OutputColumn[] {
  const all = new Int32Array(rows).map((_, k) => k);
  const times = new Float64Array(rows).fill(NaN);
  const features: OutputColumn[] = [];
  for (const { projection, latest, slots } of states) {
    const keyedView = projection.joinKeys.length > 0;
    const index = new Int32Array(rows);
    for (let k = 0; k < rows; k++) {
      const t = latest.timeOf(keyedView ? k : 0);
      index[k] = t === -Infinity ? -1 : keyedView ? k : 0;
      if (t !== -Infinity && (keyedView || keyColumns.length === 0) && !(t <= times[k])) times[k] = t;
    }
    projection.features.forEach((f, i) => features.push({ name: outputName(projection, f.name, fullFeatureNames), data: slots[i].gather(index) }));
  }
  return [
    ...keyColumns.map((k, c) => ({ name: k.column, data: keySlots[c].gather(all) })),
    { name: EVENT_TIMESTAMP, data: timestampData(times) },
    ...features,
  ];
}
