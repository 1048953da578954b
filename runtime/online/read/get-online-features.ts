/**
 * getOnlineFeatures: one round trip to the store whatever the number of views and
 * entity rows. Values are decoded straight into the response's columns (`OnlineRows`),
 * which the feature server writes as JSON and `onlineResponse` hands to the caller.
 */
import { FeatureStoreError } from '../../errors';
import { recordEventMicros } from '../compact/record';
import { decodeFeastTimestamp, decodeFeastValue } from '../feast/value-proto';
import type { HashRead, OnlineStore } from '../online-store';
import type { GetOnlineFeaturesRequest, OnlineFeaturesResponse } from '../types';
import { readEntityRows, type EntityRows } from './entity-rows';
import { NOT_FOUND, NULL_VALUE, OUTSIDE_MAX_AGE, PRESENT, emptyGroup, zeroStatuses, onlineResponse, type ColumnGroup, type OnlineRows } from './online-rows';
import { EPOCH, protoTimestamp } from './proto-timestamp';
import { readPlan, type ProjectionPlan, type ReadPlan } from './read-plan';
import { readTileGroups } from '../../aggregations/online-read';

/** The output columns of one projection, filled row by row. */
class ProjectionRows implements ColumnGroup {
  readonly width: number;
  readonly columns: unknown[][];
  readonly statuses: Uint8Array;
  readonly stamps: string[];

  constructor(
    readonly plan: ProjectionPlan,
    readonly count: number,
    private readonly nowMicros: number,
  ) {
    const group = emptyGroup(plan.outputNames.length, count, plan.numbers);
    this.width = group.width;
    this.columns = group.columns as unknown[][];
    this.statuses = group.statuses;
    this.stamps = group.stamps;
  }

  /** Fills a row with nulls of one status. */
  private fill(row: number, status: number, stamp: string): void {
    for (let f = 0; f < this.width; f++) {
      this.columns[f][row] = null;
      this.statuses[f * this.count + row] = status;
    }
    this.stamps[row] = stamp;
  }

  notFound(row: number): void {
    this.fill(row, NOT_FOUND, EPOCH);
  }

  /** True when a value at `eventMicros` is past the view's TTL: the row is then filled as OUTSIDE_MAX_AGE. */
  expired(row: number, eventMicros: number): boolean {
    if (this.plan.ttlMicros === 0 || eventMicros >= this.nowMicros - this.plan.ttlMicros) return false;
    this.fill(row, OUTSIDE_MAX_AGE, protoTimestamp(eventMicros));
    return true;
  }

  /** `compact`: fills a row from a record of the view's schema (statuses start PRESENT). */
  found(row: number, eventMicros: number, record: Buffer): void {
    this.stamps[row] = protoTimestamp(eventMicros);
    this.plan.codec.record.decodeRow(record, this.plan.slots, this.plan.toJson, this.columns, this.statuses, row, this.count, NULL_VALUE);
  }

  /** `feast`: fills a row from a hash reply holding the asked features' fields from `offset`, then `_ts:<view>`. */
  fromHash(row: number, reply: readonly (Buffer | null)[], offset: number): void {
    const ts = reply[offset + this.width];
    if (!ts) return this.notFound(row);
    const event = decodeFeastTimestamp(ts);
    if (this.expired(row, event)) return;
    this.stamps[row] = protoTimestamp(event);
    for (let f = 0; f < this.width; f++) {
      const bytes = reply[offset + f];
      const value = bytes === null ? null : decodeFeastValue(bytes);
      const convert = this.plan.toJson[f];
      this.columns[f][row] = value === null || convert === null ? value : convert(value);
      this.statuses[f * this.count + row] = bytes === null ? NOT_FOUND : value === null ? NULL_VALUE : PRESENT;
    }
  }
}

/** An entity column as echoed in the response: present, at the epoch. */
function echoGroup(values: unknown[]): ColumnGroup {
  return { width: 1, count: values.length, columns: [values], statuses: zeroStatuses(values.length), stamps: new Array(values.length).fill(EPOCH) };
}

async function readCompact(store: OnlineStore, outputs: readonly ProjectionRows[], rows: EntityRows): Promise<void> {
  const records = await store.getPackedValues(rows.packedStoreKeys(outputs.map((o) => o.plan)));
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
      o.found(row, event, record);
    }
  }
}

async function readFeast(store: OnlineStore, plan: ReadPlan, outputs: readonly ProjectionRows[], rows: EntityRows): Promise<void> {
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

/**
 * Reads the request's rows as output columns (what the feature server writes from). `now`
 * (epoch µs) decides TTL expiry and the windows of aggregation views.
 */
export async function readOnlineRows(store: OnlineStore, request: GetOnlineFeaturesRequest, now = Date.now() * 1000): Promise<OnlineRows> {
  const plan = readPlan(store.codecs, request, request.fullFeatureNames ?? false);
  const rows = readEntityRows(plan, request.entities);
  const outputs = plan.projections.map((p) => new ProjectionRows(p, rows.count, now));
  // Aggregation views are read as tiles, beside the others (read-plan.ts leaves them out of hash groups).
  const aggregated = outputs.filter((o) => o.plan.codec.view.aggregation);
  const plain = aggregated.length === 0 ? outputs : outputs.filter((o) => !o.plan.codec.view.aggregation);
  const stored = store.codecs.layout === 'feast' ? readFeast(store, plan, outputs, rows) : readCompact(store, plain, rows);
  await (aggregated.length === 0 ? stored : Promise.all([stored, readTileGroups(store, aggregated, rows, now)]));

  // Sized up front: grown by push, the arrays of a 50-feature answer left as much garbage again.
  let width = rows.echo.length;
  for (const o of outputs) width += o.width;
  const featureNames: string[] = new Array(width);
  const groups: ColumnGroup[] = new Array(rows.echo.length + outputs.length);
  let at = 0;
  rows.echo.forEach((c, i) => {
    featureNames[at++] = c.name;
    groups[i] = echoGroup(c.values);
  });
  outputs.forEach((o, i) => {
    for (const name of o.plan.outputNames) featureNames[at++] = name;
    groups[rows.echo.length + i] = o;
  });
  return { featureNames, count: rows.count, groups };
}

export async function getOnlineFeaturesFromStore(store: OnlineStore, request: GetOnlineFeaturesRequest): Promise<OnlineFeaturesResponse> {
  return onlineResponse(await readOnlineRows(store, request), 0, undefined, true);
}
