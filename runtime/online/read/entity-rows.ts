/**
 * The entity rows of a request (`{ column: values[] }`), checked against the plan and
 * turned into serialized entity keys, shared by projections keyed the same way.
 */
import { FeatureStoreError } from '../../errors';
import type { JoinKeyType } from '../../manifest/schema';
import { joinValueFromJson, type JoinValue } from '../entity-key';
import { valueToJson } from '../values';
import { bulkSize, writeBulkEnd, writeBulkHead, type Bulks } from '../resp';
import type { ProjectionPlan, ReadPlan } from './read-plan';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** A request's join key value → its in-memory form; the common exact shapes without building a message. */
function joinValue(type: JoinKeyType, value: unknown, column: string, row: number): JoinValue {
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    if (type === 'Int64' || (type === 'Int32' && value >= INT32_MIN && value <= INT32_MAX)) return value;
  } else if (typeof value === 'string' && type === 'String') {
    return value;
  }
  return joinValueFromJson(type, value, `entity column "${column}", row ${row + 1}`);
}

const keyColumnNames = (plan: ReadPlan) => [...plan.keyColumns.keys()].join(', ');

function checkColumns(plan: ReadPlan, entities: Readonly<Record<string, readonly unknown[]>>): string[] {
  if (entities === null || typeof entities !== 'object' || Array.isArray(entities)) {
    throw new FeatureStoreError('REQUEST_INVALID', 'entities must be an object of columns', 'pass entities as { "driver_id": [1001, 1002] }');
  }
  const given = Object.keys(entities);
  for (const name of given) {
    if (!plan.keyColumns.has(name)) {
      throw new FeatureStoreError('REQUEST_INVALID', `entity column "${name}" is not a join key of the requested features`, `the requested features are keyed by: ${keyColumnNames(plan) || '(nothing: entity-less views)'}`);
    }
    if (!Array.isArray(entities[name])) {
      throw new FeatureStoreError('REQUEST_INVALID', `entity column "${name}" is not a list`, `pass it as "${name}": [value, ...]`);
    }
  }
  for (const name of plan.keyColumns.keys()) {
    if (!(name in entities)) {
      throw new FeatureStoreError('REQUEST_INVALID', `entity column "${name}" is missing`, `the requested features are keyed by: ${keyColumnNames(plan)}`);
    }
  }
  const count = given.length > 0 ? entities[given[0]].length : 1;
  for (const name of given) {
    if (entities[name].length !== count) {
      throw new FeatureStoreError('REQUEST_INVALID', `entity columns have different lengths (${given[0]}: ${count}, ${name}: ${entities[name].length})`, 'give every entity column one value per entity row');
    }
  }
  return given;
}

export class EntityRows {
  readonly count: number;
  /** Entity columns in request order, with their values as returned in the response. */
  readonly echo: readonly { readonly name: string; readonly values: unknown[] }[];
  private readonly parsed = new Map<string, JoinValue[]>();
  private readonly shared = new Map<string, Buffer[]>();

  constructor(
    plan: ReadPlan,
    private readonly entities: Readonly<Record<string, readonly unknown[]>>,
  ) {
    const given = checkColumns(plan, entities);
    this.count = given.length > 0 ? entities[given[0]].length : 1;
    this.echo = given.map((name) => {
      const type = plan.keyColumns.get(name)!;
      return { name, values: this.column(name, type).map((v) => valueToJson(type, v)) };
    });
  }

  private column(name: string, type: JoinKeyType): JoinValue[] {
    let values = this.parsed.get(name);
    if (!values) {
      const given = this.entities[name];
      values = new Array(given.length);
      for (let i = 0; i < given.length; i++) values[i] = joinValue(type, given[i], name, i);
      this.parsed.set(name, values);
    }
    return values;
  }

  /** Serialized entity key of each row for a projection. */
  entityKeys(p: ProjectionPlan): Buffer[] {
    let keys = this.shared.get(p.keySignature);
    if (!keys) this.shared.set(p.keySignature, (keys = this.encodeRows(p, (row) => p.codec.entityKey.encode(row))));
    return keys;
  }

  /**
   * The store key of each row for each projection in turn (its view's key prefix and
   * suffix around the entity key), written as RESP bulk strings into one buffer: an
   * object per key was a sixth of a 100-row lookup's garbage.
   */
  packedStoreKeys(plans: readonly ProjectionPlan[]): Bulks {
    let size = 0;
    for (const p of plans) this.forEachRow(p, (row) => (size += bulkSize(p.codec.storeKeyLength(row))));
    const bytes = Buffer.allocUnsafe(size);
    let at = 0;
    for (const p of plans) {
      this.forEachRow(p, (row) => {
        at = writeBulkHead(bytes, at, p.codec.storeKeyLength(row));
        at = writeBulkEnd(bytes, p.codec.writeStoreKey(bytes, at, row));
      });
    }
    return { bytes, count: plans.length * this.count };
  }

  private encodeRows(p: ProjectionPlan, encode: (row: readonly JoinValue[]) => Buffer): Buffer[] {
    const keys: Buffer[] = new Array(this.count);
    this.forEachRow(p, (row, r) => (keys[r] = encode(row)));
    return keys;
  }

  /** Calls `fn` with each row's join key values for `p` (sorted-key order; the array is reused). */
  private forEachRow(p: ProjectionPlan, fn: (row: readonly JoinValue[], r: number) => void): void {
    const columns = p.keyColumns.map((k) => this.column(k.column, k.type));
    const row: JoinValue[] = new Array(p.codec.entityKey.sortedKeys.length).fill('');
    for (let r = 0; r < this.count; r++) {
      for (let k = 0; k < columns.length; k++) row[k] = columns[k][r];
      fn(row, r);
    }
  }
}

export function readEntityRows(plan: ReadPlan, entities: Readonly<Record<string, readonly unknown[]>>): EntityRows {
  return new EntityRows(plan, entities);
}
