/**
 * Rows sent by producers, as Feast's push and write-to-online-store take them: columns
 * of JSON values (Feast's `df`), validated whole before anything is written.
 */
import type { StoreContext } from '../context';
import { FeatureStoreError } from '../errors';
import { writeToOnlineStore } from '../online';
import type { WriteResult } from '../online/types';
import { planPush, planWriteToOnline } from './frame-columns';
import { frameToTable, type DataFrameJson } from './frame-table';
import { appendToOfflineStore, checkAppendable } from './offline-append';
import { viewTable } from './view-table';

export type { DataFrameJson } from './frame-table';

export const PUSH_TARGETS = ['online', 'offline', 'online_and_offline'] as const;
export type PushTarget = (typeof PUSH_TARGETS)[number];

export interface PushRequest {
  readonly pushSourceName: string;
  /** The push source's batch source columns (as stored in the lake), each an array of JSON values. */
  readonly df: DataFrameJson;
  /** @default 'online' */
  readonly to?: PushTarget;
}

export interface PushResult {
  readonly pushSourceName: string;
  readonly rows: number;
  /** One entry per online view fed by the push source. */
  readonly online: readonly ({ readonly featureView: string } & WriteResult)[];
  /** The part file appended to the batch source, when pushed offline. */
  readonly offlineFile: string | null;
}

export interface WriteFrameRequest {
  readonly featureViewName: string;
  /** The view's batch source columns (as stored in the lake), each an array of JSON values. */
  readonly df: DataFrameJson;
}

/** Pushes rows to the views that read the push source: offline (a new part file) and/or online. */
export async function push(ctx: StoreContext, request: PushRequest): Promise<PushResult> {
  const { pushSourceName: name, df, to = 'online' } = request;
  const plan = planPush(ctx.manifest, name);
  const table = frameToTable(df, plan.columns);
  const toOnline = to !== 'offline';
  const toOffline = to !== 'online';
  const onlineViews = toOnline ? plan.views.filter((v) => v.online) : [];
  if (toOnline && onlineViews.length === 0 && !toOffline) {
    throw new FeatureStoreError('REQUEST_INVALID', `no online feature view reads push source "${name}"`, 'push with to: "offline", or set online: true on a view of this source');
  }
  if (toOffline) checkAppendable(plan.batchSource);
  // Offline first: if the online write then fails, the next materialization still
  // brings the rows online; the other order could serve values training never sees.
  const offlineFile = toOffline ? await appendToOfflineStore(ctx, plan.batchSource, table) : null;
  const online = [];
  for (const view of onlineViews) {
    const result = await writeToOnlineStore(ctx, { featureView: view.name, rows: viewTable(table, plan.batchSource, view) });
    online.push({ featureView: view.name, ...result });
  }
  return { pushSourceName: name, rows: table.numRows, online, offlineFile };
}

/** Writes Feast-style columns to one online view, read as its batch source stores them. */
export async function writeFrame(ctx: StoreContext, request: WriteFrameRequest): Promise<WriteResult> {
  const plan = planWriteToOnline(ctx.manifest, request.featureViewName);
  const table = frameToTable(request.df, plan.columns);
  const view = plan.views[0];
  return writeToOnlineStore(ctx, { featureView: view.name, rows: viewTable(table, plan.batchSource, view) });
}
