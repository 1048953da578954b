import type { FastifyPluginAsync } from 'fastify';
import { FeatureStoreError } from '../errors';
import type { FeatureStore } from '../feature-store';
import { onlineResponse, type GetOnlineFeaturesRequest, type OnlineRows } from '../online';
import { featureListReusingParser, type JsonBodyParser } from './feature-list-parser';
import type { MetricsRegistry } from './metrics-registry';
import { OnlineBatcher } from './online-batcher';
import { allRows, onlineResponseJson, type ResponseRows } from './online-json';
import type { ServerOptions } from './options';
import { exactIntegerParser, installBodyParsers } from './request-body';

/** Feast's GetOnlineFeaturesRequest. */
interface GetOnlineFeaturesBody {
  entities: Record<string, unknown[]>;
  features?: string[] | null;
  feature_service?: string | null;
  full_feature_names?: boolean;
}

const getOnlineFeaturesSchema = {
  body: {
    type: 'object',
    required: ['entities'],
    properties: {
      entities: { type: 'object', minProperties: 1, additionalProperties: { type: 'array' } },
      features: { type: ['array', 'null'], items: { type: 'string' } },
      feature_service: { type: ['string', 'null'] },
      full_feature_names: { type: 'boolean' },
    },
  },
} as const;

export interface OnlinePluginOptions {
  readonly store: FeatureStore;
  readonly options: ServerOptions;
  readonly metrics: MetricsRegistry;
}

/** Checks the entity rows against the server's limit; returns how many there are. */
export function checkEntityRows(entities: Record<string, unknown[]>, maxEntities: number, what: string): number {
  let rows = 0;
  for (const name in entities) rows = Math.max(rows, entities[name].length);
  if (rows > maxEntities) {
    throw new FeatureStoreError(
      'REQUEST_INVALID',
      `${what} has ${rows} rows, more than this server's limit of ${maxEntities}`,
      'split the request into smaller ones, or start the server with a larger --max-entities',
    );
  }
  return rows;
}

/** POST /get-online-features, Feast's request and column-oriented response. */
export const onlinePlugin: FastifyPluginAsync<OnlinePluginOptions> = async (app, { store, options, metrics }) => {
  const read = (request: GetOnlineFeaturesRequest): Promise<OnlineRows> => store.getOnlineRows(request);
  const batcher = options.batchOnlineReads && options.fastPaths
    ? new OnlineBatcher(read, { maxBatchRows: options.maxBatchEntities, maxReadsInFlight: options.maxReadsInFlight, onBatch: (n) => metrics.observeBatch(n) })
    : undefined;
  const rowsOf = (request: GetOnlineFeaturesRequest): Promise<ResponseRows> => {
    if (batcher) return batcher.getRows(request);
    metrics.observeBatch(1);
    return read(request).then(allRows);
  };

  // This plugin's own JSON parser (encapsulated: other routes keep the server's), with fastify's
  // poisoning checks and exact integers; the same content types as every route.
  const parse = exactIntegerParser(app.getDefaultJsonParser('error', 'error') as JsonBodyParser);
  installBodyParsers(app, options.fastPaths ? featureListReusingParser(parse) : parse);
  const answer = options.fastPaths ? onlineResponseJson : (rows: ResponseRows) => Buffer.from(JSON.stringify(onlineResponse(rows.read, rows.offset, rows.rows)));

  // Not an async handler: the reply is sent from the read's own promise, one promise fewer per request.
  app.post<{ Body: GetOnlineFeaturesBody }>('/get-online-features', { schema: getOnlineFeaturesSchema }, (request, reply) => {
    const body = request.body;
    checkEntityRows(body.entities, options.maxEntities, 'entities');
    const featureRequest: GetOnlineFeaturesRequest = {
      entities: body.entities,
      features: body.features ?? undefined,
      featureService: body.feature_service ?? undefined,
      fullFeatureNames: body.full_feature_names === true,
    };
    reply.header('content-type', 'application/json; charset=utf-8');
    rowsOf(featureRequest).then(
      (rows) => {
        // As bytes: fastify would measure a string's UTF-8 length and then encode it again, and for a
        // 100×50 answer (a quarter of a megabyte) that was most of the request's time.
        let body: Buffer;
        try {
          body = answer(rows);
        } catch (e) {
          reply.send(e);
          return;
        }
        reply.send(body);
      },
      (e) => reply.send(e),
    );
  });
};
