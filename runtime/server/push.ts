import type { FastifyPluginAsync } from 'fastify';
import type { FeatureStore } from '../feature-store';
import { PUSH_TARGETS, type DataFrameJson, type PushTarget } from '../push';
import { checkEntityRows } from './online';
import type { ServerOptions } from './options';

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
  app.post<{ Body: PushBody }>('/push', { schema: pushSchema }, async (request) => {
    const { push_source_name: name, df, to } = request.body;
    checkEntityRows(df, options.maxEntities, 'df');
    const result = await store.push({ pushSourceName: name, df, to });
    return {
      push_source_name: result.pushSourceName,
      rows: result.rows,
      online: result.online.map(({ featureView, ...written }) => ({ feature_view: featureView, ...written })),
      offline_file: result.offlineFile,
    };
  });

  app.post<{ Body: WriteToOnlineStoreBody }>('/write-to-online-store', { schema: writeToOnlineStoreSchema }, async (request) => {
    const { feature_view_name: name, df } = request.body;
    checkEntityRows(df, options.maxEntities, 'df');
    return { feature_view_name: name, ...(await store.writeFrame({ featureViewName: name, df })) };
  });
};
