import type { FastifyPluginAsync } from 'fastify';
import { FeatureStoreError } from '../errors';
import type { FeatureStore } from '../feature-store';
import { planPush, planWriteToOnline } from './frame-columns';
import { frameToTable, type DataFrameJson } from './frame-table';
import { appendToOfflineStore, checkAppendable } from './offline-append';
import { checkEntityRows } from './online';
import { writeToOnlineStore } from '../online';
import { viewTable } from './online-write';
import type { ServerOptions } from './options';

const PUSH_TARGETS = ['online', 'offline', 'online_and_offline'] as const;
type PushTarget = (typeof PUSH_TARGETS)[number];

/** What both Feast write requests carry: the rows, and flags accepted for compatibility (the registry is always in memory here). */
interface FeastWriteBody {
  df: DataFrameJson;
  allow_registry_cache?: boolean;
  transform_on_write?: boolean;
}

/** Feast's PushFeaturesRequest. */
interface PushBody extends FeastWriteBody {
  push_source_name: string;
  to?: PushTarget;
}

/** Feast's WriteToFeatureStoreRequest. */
interface WriteToOnlineStoreBody extends FeastWriteBody {
  feature_view_name: string;
}

const feastWriteProperties = {
  df: { type: 'object', minProperties: 1, additionalProperties: { type: 'array' } },
  allow_registry_cache: { type: 'boolean' },
  transform_on_write: { type: 'boolean' },
} as const;

const pushSchema = {
  body: {
    type: 'object',
    required: ['push_source_name', 'df'],
    properties: {
      push_source_name: { type: 'string', minLength: 1 },
      to: { type: 'string', enum: PUSH_TARGETS },
      ...feastWriteProperties,
    },
  },
} as const;

const writeToOnlineStoreSchema = {
  body: {
    type: 'object',
    required: ['feature_view_name', 'df'],
    properties: {
      feature_view_name: { type: 'string', minLength: 1 },
      ...feastWriteProperties,
    },
  },
} as const;

export interface PushPluginOptions {
  readonly store: FeatureStore;
  readonly options: ServerOptions;
}

/** POST /push and POST /write-to-online-store: rows sent by producers, validated whole before anything is written. */
export const pushPlugin: FastifyPluginAsync<PushPluginOptions> = async (app, { store, options }) => {
  const ctx = store.context;

  app.post<{ Body: PushBody }>('/push', { schema: pushSchema }, async (request) => {
    const { push_source_name: name, df, to = 'online' } = request.body;
    checkEntityRows(df, options.maxEntities, 'df');
    const plan = planPush(store.manifest, name);
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
      online.push({ feature_view: view.name, ...result });
    }
    return { push_source_name: name, rows: table.numRows, online, offline_file: offlineFile };
  });

  app.post<{ Body: WriteToOnlineStoreBody }>('/write-to-online-store', { schema: writeToOnlineStoreSchema }, async (request) => {
    const { feature_view_name: name, df } = request.body;
    checkEntityRows(df, options.maxEntities, 'df');
    const plan = planWriteToOnline(store.manifest, name);
    const table = frameToTable(df, plan.columns);
    const view = plan.views[0];
    const result = await writeToOnlineStore(ctx, { featureView: view.name, rows: viewTable(table, plan.batchSource, view) });
    return { feature_view_name: name, ...result };
  });
};
