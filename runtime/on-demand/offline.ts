/**
 * getHistoricalFeatures with on-demand views: the stored features are joined as asked
 * (and the stored inputs not asked for in a second join over the same entity rows),
 * then each transform runs over the training rows with the same inputs the online
 * path gives it. Request fields are columns of the entity rows and stay in the output.
 */
import type { Table } from 'apache-arrow';
import { ownArrowTable } from '../arrow/own-table';
import { FeatureStoreError } from '../errors';
import { outputName } from '../manifest/features';
import type { Manifest } from '../manifest/schema';
import type { HistoricalRequest } from '../offline';
import { dtypeAccepts } from '../offline/dtypes';
import { checkOutputNames, extendTable } from '../offline/output-table';
import { onDemandPlan, type OnDemandPlan } from './plan';
import { runTransform, type InputColumn } from './run';
import { loadTransform } from './transform-bundle';
import { arrowInputReader, outputColumn } from './values';

type Historical = (request: HistoricalRequest) => Promise<Table>;

function checkRequestColumns(plan: OnDemandPlan, entities: Table): void {
  for (const [field, { dtype, view }] of plan.requestFields) {
    const column = entities.schema.fields.find((f) => f.name === field);
    if (!column) {
      throw new FeatureStoreError(
        'ENTITY_ROWS_INVALID',
        `entity rows have no column "${field}" (request field of on-demand view "${view}")`,
        `add a "${field}" column to the entity rows: in training, request data is a column of the entity rows`,
      );
    }
    if (!dtypeAccepts(dtype, column.type)) {
      throw new FeatureStoreError(
        'ENTITY_ROWS_INVALID',
        `entity rows: column "${field}" is ${String(column.type)}, but request field "${field}" of on-demand view "${view}" is ${dtype}`,
        `give the column ${dtype} values`,
      );
    }
  }
}

/** `historical` (the stored join) with the request's on-demand views computed on top. */
export async function historicalWithOnDemand(manifest: Manifest, env: NodeJS.ProcessEnv, request: HistoricalRequest, historical: Historical): Promise<Table> {
  const full = request.fullFeatureNames ?? false;
  const plan = onDemandPlan(manifest, request, full);
  if (!plan) return historical(request);
  if (!request.entities) {
    throw new FeatureStoreError(
      'REQUEST_INVALID',
      `on-demand views (${plan.onDemand.map((p) => p.view.name).join(', ')}) need entity rows; a range retrieval has none to compute them from`,
      'pass entities: <Arrow table> with the request fields as columns, or leave the on-demand views out',
    );
  }
  const entities = ownArrowTable(request.entities, 'the entity rows');
  checkRequestColumns(plan, entities);
  const fns = await Promise.all(plan.onDemand.map((p) => loadTransform(manifest, p.view, env)));
  const stored = plan.storedSelection
    ? await historical({ ...request, features: plan.storedSelection.features, featureService: plan.storedSelection.featureService, entities })
    : undefined;
  const hidden =
    plan.hidden.length > 0
      ? await historical({ entities, features: plan.hiddenRefs, fullFeatureNames: true, filterByCreatedTimestamp: request.filterByCreatedTimestamp })
      : undefined;
  const entityColumns = entities.schema.fields.map((f) => f.name);
  const base: Table = stored ?? hidden?.select(entityColumns) ?? entities;

  const onDemandNames = plan.onDemand.flatMap((p) => p.outputNames);
  checkOutputNames(entityColumns, onDemandNames);
  const count = entities.numRows;
  const appended = plan.onDemand.flatMap((p, i) => {
    const inputs = p.inputs.map((input): InputColumn => {
      if (input.from.kind === 'request') return arrowInputReader(input.dtype, entities.getChild(input.from.field)!, false);
      const { projection, feature } = input.from;
      const column =
        projection < plan.stored.length
          ? base.getChild(outputName(plan.stored[projection], plan.stored[projection].features[feature].name, full))!
          : hidden!.getChild(`${plan.hidden[projection - plan.stored.length].view.name}__${plan.hidden[projection - plan.stored.length].features[feature].name}`)!;
      return arrowInputReader(input.dtype, column, true);
    });
    const columns = runTransform(p, fns[i], count, inputs);
    return p.outputs.map((f, o) => ({ name: p.outputNames[o], data: outputColumn(f.dtype, columns[o]) }));
  });

  const names = [...entityColumns];
  for (const item of plan.order) {
    if ('stored' in item) {
      const p = plan.stored[item.stored];
      for (const f of p.features) names.push(outputName(p, f.name, full));
    } else names.push(...plan.onDemand[item.onDemand].outputNames);
  }
  return extendTable(base, [], appended).select(names);
}
