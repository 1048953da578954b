/**
 * The entity rows of a request (`{ column: values[] }`), checked against the plan and
 * turned into serialized entity keys, shared by projections keyed the same way.
 */
import { FeatureStoreError } from '../../errors';
import type { JoinKeyType } from '../../manifest/schema';
import { joinValueFromJson, type JoinValue } from '../entity-key';
import { valueToJson } from '../values';
import type { ProjectionPlan, ReadPlan } from './read-plan';

export interface EntityRows {
  readonly count: number;
  /** Entity columns in request order, with their values as returned in the response. */
  readonly echo: readonly { readonly name: string; readonly values: unknown[] }[];
  /** Serialized entity key of each row for a projection. */
  entityKeys(p: ProjectionPlan): Buffer[];
}

export function readEntityRows(plan: ReadPlan, entities: Readonly<Record<string, readonly unknown[]>>): EntityRows {
  if (entities === null || typeof entities !== 'object' || Array.isArray(entities)) {
    throw new FeatureStoreError('REQUEST_INVALID', 'entities must be an object of columns', 'pass entities as { "driver_id": [1001, 1002] }');
  }
  const needed = [...plan.keyColumns.keys()];
  const given = Object.keys(entities);
  for (const name of given) {
    if (!plan.keyColumns.has(name)) {
      throw new FeatureStoreError('REQUEST_INVALID', `entity column "${name}" is not a join key of the requested features`, `the requested features are keyed by: ${needed.join(', ') || '(nothing: entity-less views)'}`);
    }
    if (!Array.isArray(entities[name])) {
      throw new FeatureStoreError('REQUEST_INVALID', `entity column "${name}" is not a list`, `pass it as "${name}": [value, ...]`);
    }
  }
  for (const name of needed) {
    if (!(name in entities)) {
      throw new FeatureStoreError('REQUEST_INVALID', `entity column "${name}" is missing`, `the requested features are keyed by: ${needed.join(', ')}`);
    }
  }
  const count = given.length > 0 ? entities[given[0]].length : 1;
  for (const name of given) {
    if (entities[name].length !== count) {
      throw new FeatureStoreError('REQUEST_INVALID', `entity columns have different lengths (${given[0]}: ${count}, ${name}: ${entities[name].length})`, 'give every entity column one value per entity row');
    }
  }

  const parsed = new Map<string, JoinValue[]>();
  const column = (name: string, type: JoinKeyType): JoinValue[] => {
    let values = parsed.get(name);
    if (!values) {
      values = entities[name].map((v, i) => joinValueFromJson(type, v, `entity column "${name}", row ${i + 1}`));
      parsed.set(name, values);
    }
    return values;
  };
  const echo = given.map((name) => {
    const type = plan.keyColumns.get(name)!;
    return { name, values: column(name, type).map((v) => valueToJson(type, v)) };
  });

  const shared = new Map<string, Buffer[]>();
  return {
    count,
    echo,
    entityKeys(p) {
      let keys = shared.get(p.keySignature);
      if (!keys) {
        const columns = p.keyColumns.map((k) => column(k.column, k.type));
        const row: JoinValue[] = new Array(p.codec.entityKey.sortedKeys.length).fill('');
        keys = new Array(count);
        for (let r = 0; r < count; r++) {
          for (let k = 0; k < columns.length; k++) row[k] = columns[k][r];
          keys[r] = p.codec.entityKey.encode(row);
        }
        shared.set(p.keySignature, keys);
      }
      return keys;
    },
  };
}
