/**
 * getOnlineFeatures: one round trip to the store whatever the number of views and
 * entity rows, then a column-oriented response as Feast's feature server returns.
 * Values are decoded straight into the response columns.
 */
import { FeatureStoreError } from '../../errors';
import { recordEventMicros } from '../compact/record';
import { decodeFeastTimestamp, decodeFeastValue } from '../feast/value-proto';
import type { OnlineStore } from '../online-store';
import type { FeatureStatus, GetOnlineFeaturesRequest, OnlineFeatureColumn, OnlineFeaturesResponse } from '../types';
import type { FeatureValue } from '../values';
import { readEntityRows } from './entity-rows';
import { EPOCH, protoTimestamp } from './proto-timestamp';
import { readPlan, type ProjectionPlan } from './read-plan';

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

  /** Fills a row from `decoded`; `missing[f]` marks a feature the store had no field for. */
  found(row: number, eventMicros: number, missing?: readonly boolean[]): void {
    const stamp = protoTimestamp(eventMicros);
    for (let f = 0; f < this.columns.length; f++) {
      const c = this.columns[f];
      const value = this.decoded[f];
      c.event_timestamps[row] = stamp;
      if (missing?.[f]) {
        c.values[row] = null;
        c.statuses[row] = 'NOT_FOUND';
      } else {
        c.values[row] = this.plan.toJson[f](value);
        c.statuses[row] = value === null ? 'NULL_VALUE' : 'PRESENT';
      }
    }
  }
}

async function readCompact(store: OnlineStore, outputs: readonly ProjectionColumns[], keysOf: (p: ProjectionPlan) => Buffer[]): Promise<void> {
  const keys: Buffer[] = [];
  for (const o of outputs) for (const ek of keysOf(o.plan)) keys.push(o.plan.codec.storeKey(ek));
  const records = await store.getValues(keys);
  let at = 0;
  for (const o of outputs) {
    const { codec, slots } = o.plan;
    const count = keysOf(o.plan).length;
    for (let row = 0; row < count; row++) {
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

async function readFeast(store: OnlineStore, outputs: readonly ProjectionColumns[], keysOf: (p: ProjectionPlan) => Buffer[]): Promise<void> {
  // Views keyed alike share one hash per entity: read it once with all their fields.
  const reads: { key: Buffer; fields: Buffer[] }[] = [];
  const byKey = new Map<string, number>();
  const where = outputs.map((o) =>
    keysOf(o.plan).map((ek) => {
      const key = o.plan.codec.storeKey(ek);
      const id = key.toString('latin1');
      let index = byKey.get(id);
      if (index === undefined) {
        index = reads.push({ key, fields: [] }) - 1;
        byKey.set(id, index);
      }
      const offset = reads[index].fields.length;
      reads[index].fields.push(...o.plan.fields);
      return { index, offset };
    }),
  );
  const replies = await store.getHashFields(reads);
  outputs.forEach((o, oi) => {
    const asked = o.plan.featureIndex.length;
    const missing: boolean[] = new Array(asked);
    where[oi].forEach(({ index, offset }, row) => {
      const reply = replies[index];
      const ts = reply[offset + asked];
      if (!ts) return o.notFound(row);
      const event = decodeFeastTimestamp(ts);
      if (o.expired(row, event)) return;
      for (let f = 0; f < asked; f++) {
        const bytes = reply[offset + f];
        missing[f] = bytes === null;
        o.decoded[f] = bytes === null ? null : decodeFeastValue(bytes);
      }
      o.found(row, event, missing);
    });
  });
}

export async function getOnlineFeaturesFromStore(store: OnlineStore, request: GetOnlineFeaturesRequest): Promise<OnlineFeaturesResponse> {
  const plan = readPlan(store.codecs, request, request.fullFeatureNames ?? false);
  const rows = readEntityRows(plan, request.entities);
  const keysOf = (p: ProjectionPlan) => rows.entityKeys(p);
  const outputs = plan.projections.map((p) => new ProjectionColumns(p, rows.count, Date.now() * 1000));
  await (store.codecs.layout === 'feast' ? readFeast(store, outputs, keysOf) : readCompact(store, outputs, keysOf));

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
