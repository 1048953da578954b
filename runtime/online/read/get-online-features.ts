/**
 * getOnlineFeatures: one round trip to the store whatever the number of views and
 * entity rows, then a column-oriented response as Feast's feature server returns.
 * Values are decoded straight into the response columns.
 */
import { FeatureStoreError } from '../../errors';
import { recordEventMicros } from '../compact/record';
import { decodeFeastTimestamp, decodeFeastValue } from '../feast/value-proto';
import type { HashRead, OnlineStore } from '../online-store';
import type { FeatureStatus, GetOnlineFeaturesRequest, OnlineFeatureColumn, OnlineFeaturesResponse } from '../types';
import type { FeatureValue } from '../values';
import { readEntityRows, type EntityRows } from './entity-rows';
import { EPOCH, protoTimestamp } from './proto-timestamp';
import { readPlan, type ProjectionPlan, type ReadPlan } from './read-plan';

/** The output columns of one projection, filled row by row. */
class ProjectionColumns {
  readonly columns: OnlineFeatureColumn[];
  /** Scratch space the decoders write the asked features into. */
  readonly decoded: FeatureValue[];

  constructor(
    readonly plan: ProjectionPlan,
    count: number,
    private readonly nowMicros: number,
  ) {
    this.columns = plan.outputNames.map(() => ({ values: new Array(count), statuses: new Array(count), event_timestamps: new Array(count) }));
    this.decoded = new Array(plan.outputNames.length);
  }

  notFound(row: number): void {
    for (const c of this.columns) {
      c.values[row] = null;
      c.statuses[row] = 'NOT_FOUND';
      c.event_timestamps[row] = EPOCH;
    }
  }

  /** True when a value at `eventMicros` is past the view's TTL: the row is then filled as OUTSIDE_MAX_AGE. */
  expired(row: number, eventMicros: number): boolean {
    if (this.plan.ttlMicros === 0 || eventMicros >= this.nowMicros - this.plan.ttlMicros) return false;
    const stamp = protoTimestamp(eventMicros);
    for (const c of this.columns) {
      c.values[row] = null;
      c.statuses[row] = 'OUTSIDE_MAX_AGE';
      c.event_timestamps[row] = stamp;
    }
    return true;
  }

  /** `compact`: fills a row from `decoded`. */
  found(row: number, eventMicros: number): void {
    const stamp = protoTimestamp(eventMicros);
    for (let f = 0; f < this.columns.length; f++) {
      const c = this.columns[f];
      const value = this.decoded[f];
      c.event_timestamps[row] = stamp;
      c.values[row] = value === null ? null : this.plan.toJson[f](value);
      c.statuses[row] = value === null ? 'NULL_VALUE' : 'PRESENT';
    }
  }

  /** `feast`: fills a row from a hash reply holding the asked features' fields from `offset`, then `_ts:<view>`. */
  fromHash(row: number, reply: readonly (Buffer | null)[], offset: number): void {
    const asked = this.columns.length;
    const ts = reply[offset + asked];
    if (!ts) return this.notFound(row);
    const event = decodeFeastTimestamp(ts);
    if (this.expired(row, event)) return;
    const stamp = protoTimestamp(event);
    for (let f = 0; f < asked; f++) {
      const c = this.columns[f];
      const bytes = reply[offset + f];
      const value = bytes === null ? null : decodeFeastValue(bytes);
      c.event_timestamps[row] = stamp;
      c.values[row] = value === null ? null : this.plan.toJson[f](value);
      c.statuses[row] = bytes === null ? 'NOT_FOUND' : value === null ? 'NULL_VALUE' : 'PRESENT';
    }
  }
}

async function readCompact(store: OnlineStore, outputs: readonly ProjectionColumns[], rows: EntityRows): Promise<void> {
  const keys: Buffer[] = [];
  for (const o of outputs) for (const ek of rows.entityKeys(o.plan)) keys.push(o.plan.codec.storeKey(ek));
  const records = await store.getValues(keys);
  let at = 0;
  for (const o of outputs) {
    const { codec, slots } = o.plan;
    for (let row = 0; row < rows.count; row++) {
      const record = records[at++];
      if (!record) {
        o.notFound(row);
        continue;
      }
      if (!codec.record.matches(record)) {
        throw new FeatureStoreError(
          'SCHEMA_MISMATCH',
          `online record of feature view "${codec.view.name}" was written with another schema than the manifest's`,
          `materialize "${codec.view.name}" again (featurestack materialize <start> <end> --views ${codec.view.name})`,
        );
      }
      const event = recordEventMicros(record);
      if (o.expired(row, event)) continue;
      codec.record.decodeInto(record, slots, o.decoded);
      o.found(row, event);
    }
  }
}

async function readFeast(store: OnlineStore, plan: ReadPlan, outputs: readonly ProjectionColumns[], rows: EntityRows): Promise<void> {
  const reads: HashRead[] = [];
  for (const group of plan.hashGroups) {
    const codec = group.keyedBy.codec;
    const keys = rows.entityKeys(group.keyedBy);
    // Entity-less views have one key for every row: read it once.
    const distinct = group.keyedBy.keyColumns.length === 0 ? Math.min(1, keys.length) : keys.length;
    for (let k = 0; k < distinct; k++) reads.push({ key: codec.storeKey(keys[k]), fields: group.fields });
  }
  const replies = await store.getHashFields(reads);
  let at = 0;
  for (const group of plan.hashGroups) {
    const shared = group.keyedBy.keyColumns.length === 0;
    for (let row = 0; row < rows.count; row++) {
      const reply = replies[shared ? at : at + row];
      for (const m of group.members) outputs[m.projection].fromHash(row, reply, m.offset);
    }
    at += shared ? Math.min(1, rows.count) : rows.count;
  }
}

export async function getOnlineFeaturesFromStore(store: OnlineStore, request: GetOnlineFeaturesRequest): Promise<OnlineFeaturesResponse> {
  const plan = readPlan(store.codecs, request, request.fullFeatureNames ?? false);
  const rows = readEntityRows(plan, request.entities);
  const now = Date.now() * 1000;
  const outputs = plan.projections.map((p) => new ProjectionColumns(p, rows.count, now));
  await (store.codecs.layout === 'feast' ? readFeast(store, plan, outputs, rows) : readCompact(store, outputs, rows));

  const featureNames = rows.echo.map((c) => c.name);
  const results: OnlineFeatureColumn[] = rows.echo.map((c) => ({
    values: c.values,
    statuses: c.values.map((): FeatureStatus => 'PRESENT'),
    event_timestamps: c.values.map(() => EPOCH),
  }));
  for (const o of outputs) {
    featureNames.push(...o.plan.outputNames);
    results.push(...o.columns);
  }
  return { metadata: { feature_names: featureNames }, results };
}
