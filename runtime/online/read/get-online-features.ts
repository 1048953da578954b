/**
 * getOnlineFeatures: one round trip to the store whatever the number of views and
 * entity rows, then a column-oriented response as Feast's feature server returns.
 */
import { FeatureStoreError } from '../../errors';
import type { OnlineStore } from '../online-store';
import { recordEventMicros } from '../compact/record';
import { decodeFeastTimestamp, decodeFeastValue } from '../feast/value-proto';
import type { FeatureStatus, GetOnlineFeaturesRequest, OnlineFeatureColumn, OnlineFeaturesResponse } from '../types';
import { valueToJson, type FeatureValue } from '../values';
import { readEntityRows } from './entity-rows';
import { readPlan, type ProjectionPlan } from './read-plan';
import { protoTimestamp, EPOCH } from './proto-timestamp';

/** What the store held for one (projection, entity row). */
interface Found {
  /** Event time, epoch µs; NaN when not found. */
  readonly event: number;
  /** Values of the asked features, in request order (null where absent). */
  readonly values: readonly FeatureValue[];
  /** Per asked feature: was the field there at all (Feast hashes can lack one). */
  readonly present: readonly boolean[];
}

const NOT_FOUND: Found = { event: NaN, values: [], present: [] };

function newColumn(count: number): OnlineFeatureColumn {
  return { values: new Array(count), statuses: new Array(count), event_timestamps: new Array(count) };
}

async function readCompact(store: OnlineStore, projections: readonly ProjectionPlan[], keysOf: (p: ProjectionPlan) => Buffer[]): Promise<Found[][]> {
  const keys: Buffer[] = [];
  for (const p of projections) for (const ek of keysOf(p)) keys.push(p.codec.storeKey(ek));
  const records = await store.getValues(keys);
  let at = 0;
  return projections.map((p) => {
    const count = keysOf(p).length;
    const found: Found[] = new Array(count);
    const all = p.featureIndex.map(() => true);
    for (let r = 0; r < count; r++) {
      const record = records[at++];
      if (!record) {
        found[r] = NOT_FOUND;
        continue;
      }
      if (!p.codec.record.matches(record)) {
        throw new FeatureStoreError(
          'SCHEMA_MISMATCH',
          `online record of feature view "${p.codec.view.name}" was written with another schema than the manifest's`,
          `materialize "${p.codec.view.name}" again (featurestack materialize <start> <end> --views ${p.codec.view.name})`,
        );
      }
      const decoded = p.codec.record.decode(record, p.wanted);
      found[r] = { event: recordEventMicros(record), values: p.featureIndex.map((i) => decoded[i]), present: all };
    }
    return found;
  });
}

async function readFeast(store: OnlineStore, projections: readonly ProjectionPlan[], keysOf: (p: ProjectionPlan) => Buffer[]): Promise<Found[][]> {
  // Views keyed alike share one hash per entity: read it once with all their fields.
  const reads: { key: Buffer; fields: Buffer[] }[] = [];
  const byKey = new Map<string, number>();
  const where = projections.map((p) =>
    keysOf(p).map((ek) => {
      const key = p.codec.storeKey(ek);
      const id = key.toString('latin1');
      let index = byKey.get(id);
      if (index === undefined) {
        index = reads.push({ key, fields: [] }) - 1;
        byKey.set(id, index);
      }
      const offset = reads[index].fields.length;
      reads[index].fields.push(...p.fields);
      return { index, offset };
    }),
  );
  const replies = await store.getHashFields(reads);
  return projections.map((p, pi) =>
    where[pi].map(({ index, offset }): Found => {
      const reply = replies[index];
      const ts = reply[offset + p.featureIndex.length];
      if (!ts) return NOT_FOUND;
      const values: FeatureValue[] = [];
      const present: boolean[] = [];
      for (let f = 0; f < p.featureIndex.length; f++) {
        const bytes = reply[offset + f];
        present.push(bytes !== null);
        values.push(bytes === null ? null : decodeFeastValue(bytes));
      }
      return { event: decodeFeastTimestamp(ts), values, present };
    }),
  );
}

export async function getOnlineFeaturesFromStore(store: OnlineStore, request: GetOnlineFeaturesRequest): Promise<OnlineFeaturesResponse> {
  const plan = readPlan(store.codecs, request, request.fullFeatureNames ?? false);
  const rows = readEntityRows(plan, request.entities);
  const keysOf = (p: ProjectionPlan) => rows.entityKeys(p);
  const found =
    store.codecs.layout === 'feast' ? await readFeast(store, plan.projections, keysOf) : await readCompact(store, plan.projections, keysOf);
  const now = Date.now() * 1000;

  const featureNames = rows.echo.map((c) => c.name);
  const results: OnlineFeatureColumn[] = rows.echo.map((c) => ({
    values: c.values,
    statuses: c.values.map((): FeatureStatus => 'PRESENT'),
    event_timestamps: c.values.map(() => EPOCH),
  }));
  plan.projections.forEach((p, pi) => {
    const columns = p.outputNames.map(() => newColumn(rows.count));
    for (let r = 0; r < rows.count; r++) {
      const hit = found[pi][r];
      const notFound = Number.isNaN(hit.event);
      const expired = !notFound && p.ttlMicros > 0 && hit.event < now - p.ttlMicros;
      const stamp = notFound ? EPOCH : protoTimestamp(hit.event);
      for (let f = 0; f < columns.length; f++) {
        const column = columns[f];
        column.event_timestamps[r] = stamp;
        if (notFound || !hit.present[f]) {
          column.values[r] = null;
          column.statuses[r] = 'NOT_FOUND';
        } else if (expired) {
          column.values[r] = null;
          column.statuses[r] = 'OUTSIDE_MAX_AGE';
        } else {
          const value = hit.values[f];
          column.values[r] = valueToJson(p.dtypes[f], value);
          column.statuses[r] = value === null ? 'NULL_VALUE' : 'PRESENT';
        }
      }
    }
    featureNames.push(...p.outputNames);
    results.push(...columns);
  });
  return { metadata: { feature_names: featureNames }, results };
}
