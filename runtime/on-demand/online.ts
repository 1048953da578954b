/**
 * getOnlineFeatures with on-demand views: the stored features are read as asked (and
 * the stored inputs not asked for beside them, in a second read), then each transform
 * runs over the rows. Request fields come as extra entity columns, as in Feast, and
 * are not echoed back. On-demand values are PRESENT (NULL_VALUE when null) at the epoch.
 */
import { FeatureStoreError } from '../errors';
import { outputName } from '../manifest/features';
import type { Manifest } from '../manifest/schema';
import type { ColumnGroup, GetOnlineFeaturesRequest, OnlineRows } from '../online';
import { NULL_VALUE, PRESENT, emptyGroup } from '../online/read/online-rows';
import { EPOCH } from '../online/read/proto-timestamp';
import { onDemandPlan, type OnDemandPlan, type OnDemandProjection } from './plan';
import { runTransform, type InputColumn } from './run';
import { loadTransform, type TransformFunction } from './transform-bundle';
import { inputFromJson, outputJsonConverter, requestInputFromJson } from './values';

type Entities = GetOnlineFeaturesRequest['entities'];
type Read = (request: GetOnlineFeaturesRequest) => Promise<OnlineRows>;

function keyColumns(projections: OnDemandPlan['stored']): Set<string> {
  return new Set(projections.flatMap((p) => p.joinKeys.map((k) => k.column)));
}

function only(entities: Entities, columns: ReadonlySet<string>): Entities {
  const out: Record<string, readonly unknown[]> = {};
  for (const name of Object.keys(entities)) if (columns.has(name)) out[name] = entities[name];
  return out;
}

function checkEntities(plan: OnDemandPlan, entities: Entities, keys: ReadonlySet<string>): number {
  if (entities === null || typeof entities !== 'object' || Array.isArray(entities)) {
    throw new FeatureStoreError('REQUEST_INVALID', 'entities must be an object of columns', 'pass entities as { "driver_id": [1001, 1002] }');
  }
  const names = Object.keys(entities);
  for (const name of names) {
    if (!keys.has(name) && !plan.requestFields.has(name)) {
      throw new FeatureStoreError(
        'REQUEST_INVALID',
        `entity column "${name}" is neither a join key of the requested features nor a request field of their on-demand views`,
        `join keys: ${[...keys].join(', ') || '(none)'}; request fields: ${[...plan.requestFields.keys()].join(', ')}`,
      );
    }
    if (!Array.isArray(entities[name])) throw new FeatureStoreError('REQUEST_INVALID', `entity column "${name}" is not a list`, `pass it as "${name}": [value, ...]`);
  }
  const count = names.length > 0 ? entities[names[0]].length : 1;
  for (const [field, { view }] of plan.requestFields) {
    if (!(field in entities)) {
      throw new FeatureStoreError(
        'REQUEST_INVALID',
        `request field "${field}" of on-demand view "${view}" is missing`,
        `send it with the entities, one value per entity row: "${field}": [...] (request data travels as extra entity columns, as in Feast)`,
      );
    }
    if (entities[field].length !== count) {
      throw new FeatureStoreError('REQUEST_INVALID', `request field "${field}" has ${entities[field].length} values for ${count} entity rows`, 'give one value per entity row');
    }
  }
  return count;
}

function transformGroup(p: OnDemandProjection, fn: TransformFunction, count: number, inputs: InputColumn[]): ColumnGroup {
  const outputs = runTransform(p, fn, count, inputs);
  const group = emptyGroup(p.outputs.length, count);
  for (let o = 0; o < group.width; o++) {
    const toJson = outputJsonConverter(p.outputs[o].dtype);
    for (let row = 0; row < count; row++) {
      const v = outputs[o][row];
      group.columns[o][row] = v === null ? null : toJson(v);
      group.statuses[o * count + row] = v === null ? NULL_VALUE : PRESENT;
    }
  }
  group.stamps.fill(EPOCH);
  return group;
}

/** `group`'s one row repeated `count` times. */
function repeated(group: ColumnGroup, count: number): ColumnGroup {
  const statuses = new Uint8Array(count * group.width);
  for (let c = 0; c < group.width; c++) statuses.fill(group.statuses[c * group.count], c * count, (c + 1) * count);
  return { width: group.width, count, columns: group.columns.map((column) => new Array(count).fill(column[0])), statuses, stamps: new Array(count).fill(group.stamps[0]) };
}

/**
 * The stored read's groups by projection (`[...stored, ...hidden]`), and its echoed
 * entity columns by name. A read of entity-less views only has one row (it was sent
 * no entity column): it is repeated for each of the request's rows.
 */
function groupsOf(rows: OnlineRows | undefined, echoed: number, count: number): { projections: readonly ColumnGroup[]; echo: Map<string, ColumnGroup> } {
  if (!rows) return { projections: [], echo: new Map() };
  const groups = rows.count === count ? rows.groups : rows.groups.map((g) => repeated(g, count));
  return {
    projections: groups.slice(echoed),
    echo: new Map(rows.featureNames.slice(0, echoed).map((name, i) => [name, groups[i]])),
  };
}

/** `read` (the stored lookup) with the request's on-demand views computed on top. */
export async function onlineRowsWithOnDemand(manifest: Manifest, env: NodeJS.ProcessEnv, request: GetOnlineFeaturesRequest, read: Read): Promise<OnlineRows> {
  const full = request.fullFeatureNames ?? false;
  const plan = onDemandPlan(manifest, request, full);
  if (!plan) return read(request);
  const storedKeys = keyColumns(plan.stored);
  const hiddenKeys = keyColumns(plan.hidden);
  const count = checkEntities(plan, request.entities, new Set([...storedKeys, ...hiddenKeys]));
  const storedEntities = only(request.entities, storedKeys);
  const hiddenEntities = only(request.entities, hiddenKeys);
  const [fns, storedRows, hiddenRows] = await Promise.all([
    Promise.all(plan.onDemand.map((p) => loadTransform(manifest, p.view, env))),
    plan.storedSelection ? read({ ...plan.storedSelection, entities: storedEntities, fullFeatureNames: full }) : undefined,
    plan.hidden.length > 0 ? read({ features: plan.hiddenRefs, entities: hiddenEntities, fullFeatureNames: true }) : undefined,
  ]);
  const stored = groupsOf(storedRows, Object.keys(storedEntities).length, count);
  const hidden = groupsOf(hiddenRows, Object.keys(hiddenEntities).length, count);
  const projectionGroups = [...stored.projections, ...hidden.projections];

  const featureNames: string[] = [];
  const groups: ColumnGroup[] = [];
  for (const name of Object.keys(request.entities)) {
    const group = stored.echo.get(name) ?? hidden.echo.get(name);
    if (!group) continue;
    featureNames.push(name);
    groups.push(group);
  }
  for (const item of plan.order) {
    if ('stored' in item) {
      const p = plan.stored[item.stored];
      for (const f of p.features) featureNames.push(outputName(p, f.name, full));
      groups.push(stored.projections[item.stored]);
      continue;
    }
    const p = plan.onDemand[item.onDemand];
    const inputs = p.inputs.map((input): InputColumn => {
      const what = (row: number) => `${input.from.kind === 'request' ? 'request field' : 'input'} "${input.name}" of on-demand view "${p.view.name}", row ${row + 1}`;
      if (input.from.kind === 'request') {
        const values = request.entities[input.from.field];
        return (row) => requestInputFromJson(input.dtype, values[row], () => what(row));
      }
      const group = projectionGroups[input.from.projection];
      const at = input.from.feature;
      return (row) => inputFromJson(input.dtype, group.columns[at][row], () => what(row));
    });
    featureNames.push(...p.outputNames);
    groups.push(transformGroup(p, fns[item.onDemand], count, inputs));
  }
  return { featureNames, count, groups };
}
