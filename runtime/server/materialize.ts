import type { FastifyPluginAsync } from 'fastify';
import { FeatureStoreError } from '../errors';
import type { FeatureStore } from '../feature-store';
import type { MaterializeResult } from '../online';
import type { RunLock } from './run-lock';

/** Feast's MaterializeRequest. */
interface MaterializeBody {
  start_ts: string;
  end_ts: string;
  feature_views?: string[] | null;
}

/** Feast's MaterializeIncrementalRequest. */
interface MaterializeIncrementalBody {
  end_ts: string;
  feature_views?: string[] | null;
}

const featureViews = { type: ['array', 'null'], items: { type: 'string' } } as const;

const materializeSchema = {
  body: {
    type: 'object',
    required: ['start_ts', 'end_ts'],
    properties: { start_ts: { type: 'string' }, end_ts: { type: 'string' }, feature_views: featureViews },
  },
} as const;

const materializeIncrementalSchema = {
  body: {
    type: 'object',
    required: ['end_ts'],
    properties: { end_ts: { type: 'string' }, feature_views: featureViews },
  },
} as const;

export interface MaterializePluginOptions {
  readonly store: FeatureStore;
  readonly lock: RunLock;
}

/** POST /materialize and /materialize-incremental; a second run while one is going gets 409. */
export const materializePlugin: FastifyPluginAsync<MaterializePluginOptions> = async (app, { store, lock }) => {
  async function exclusively(run: () => Promise<MaterializeResult>): Promise<MaterializeResult> {
    if (!(await lock.tryAcquire())) {
      throw new FeatureStoreError('CONFLICT', 'a materialization is already running on this server', 'wait for it to finish, then try again');
    }
    try {
      return await run();
    } finally {
      lock.release();
    }
  }

  app.post<{ Body: MaterializeBody }>('/materialize', { schema: materializeSchema }, async (request) => {
    const { start_ts, end_ts, feature_views } = request.body;
    return exclusively(() => store.materialize({ start: start_ts, end: end_ts, views: feature_views ?? undefined }));
  });

  app.post<{ Body: MaterializeIncrementalBody }>('/materialize-incremental', { schema: materializeIncrementalSchema }, async (request) => {
    const { end_ts, feature_views } = request.body;
    return exclusively(() => store.materializeIncremental({ end: end_ts, views: feature_views ?? undefined }));
  });
};
