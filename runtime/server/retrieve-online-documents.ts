import type { FastifyPluginAsync } from 'fastify';
import { FeatureStoreError } from '../errors';
import type { FeatureStore } from '../feature-store';
import { vectorIndexOfFeatures } from '../online/vector/vector-features';
import type { VectorFilter } from '../online/vector/vector-filter';

/** Feast's GetOnlineDocumentsRequest (feature_server.py), plus `feature` to name the searched embedding. */
interface RetrieveOnlineDocumentsBody {
  features?: string[];
  feature_service?: string | null;
  feature?: string;
  query?: number[] | null;
  query_string?: string | null;
  top_k?: number | null;
  distance_metric?: string | null;
  filters?: VectorFilter | null;
  api_version?: number | null;
  full_feature_names?: boolean;
  include_feature_view_version_metadata?: boolean;
}

const retrieveOnlineDocumentsSchema = {
  body: {
    type: 'object',
    properties: {
      features: { type: 'array', items: { type: 'string' } },
      feature_service: { type: ['string', 'null'] },
      feature: { type: 'string' },
      query: { type: ['array', 'null'], items: { type: 'number' } },
      query_string: { type: ['string', 'null'] },
      top_k: { type: ['integer', 'null'] },
      distance_metric: { type: ['string', 'null'] },
      filters: { type: ['object', 'null'] },
      api_version: { type: ['integer', 'null'] },
      full_feature_names: { type: 'boolean' },
      include_feature_view_version_metadata: { type: 'boolean' },
    },
  },
} as const;

function invalid(message: string, hint: string): FeatureStoreError {
  return new FeatureStoreError('REQUEST_INVALID', message, hint);
}

/**
 * POST /retrieve-online-documents (and Feast's newer name, POST /search): Feast's
 * request, answered as its `retrieve_online_documents_v2` (features, `distance`, join keys).
 */
export const retrieveOnlineDocumentsPlugin: FastifyPluginAsync<{ readonly store: FeatureStore }> = async (app, { store }) => {
  const handler = async (request: { body: RetrieveOnlineDocumentsBody }) => {
    const body = request.body;
    if (body.feature_service) throw invalid('feature_service is not supported by /retrieve-online-documents', 'list the view\'s features in "features"');
    if (body.query_string != null) throw invalid('query_string (text search) is not supported', 'send the query as an embedding in "query"');
    if (body.query == null) throw invalid('query is missing', 'send the query embedding as "query": [numbers]');
    if (body.top_k == null) throw invalid('top_k is missing', 'send "top_k": the number of documents to return');
    const features = body.features ?? [];
    const feature = body.feature ?? vectorIndexOfFeatures(store.manifest, features);
    return store.retrieveOnlineDocuments({
      feature,
      query: body.query,
      topK: body.top_k,
      filter: body.filters ?? undefined,
      features,
      fullFeatureNames: body.full_feature_names === true,
      distanceMetric: body.distance_metric ?? undefined,
    });
  };
  app.post<{ Body: RetrieveOnlineDocumentsBody }>('/retrieve-online-documents', { schema: retrieveOnlineDocumentsSchema }, handler);
  app.post<{ Body: RetrieveOnlineDocumentsBody }>('/search', { schema: retrieveOnlineDocumentsSchema }, handler);
};
