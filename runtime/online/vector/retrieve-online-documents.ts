/**
 * retrieveOnlineDocuments: the `topK` entities whose embedding is nearest a query,
 * with their distances and the features asked for, in Feast's column-oriented
 * response (`retrieve_online_documents_v2`): the features in request order, then
 * `distance`, then the join keys; rows nearest first.
 */
import { FeatureStoreError } from '../../errors';
import type { VectorMetric } from '../../manifest/schema';
import type { OnlineStore } from '../online-store';
import { readOnlineRows } from '../read/get-online-features';
import { onlineResponse } from '../read/online-rows';
import { EPOCH, protoTimestamp } from '../read/proto-timestamp';
import type { OnlineFeatureColumn, OnlineFeaturesResponse } from '../types';
import { valueToJson } from '../values';
import { entityKeyValues } from './entity-key-values';
import { checkFilter, type VectorFilter } from './vector-filter';
import { vectorPlans, type VectorIndexPlan } from './vector-plan';

/** Most documents one retrieval returns. */
export const MAX_TOP_K = 1000;

export interface RetrieveOnlineDocumentsRequest {
  /** The vector-indexed embedding feature, `view:feature`. */
  readonly feature: string;
  /** The query embedding, of the index's dimension. */
  readonly query: readonly number[] | Float32Array | Float64Array;
  /** How many documents, nearest first (1 to 1000). */
  readonly topK: number;
  /** Feast's filter on join keys and scalar features: `{ type: 'eq', key: 'lang', value: 'en' }`. */
  readonly filter?: VectorFilter;
  /** Features of the same view to return (`view:feature` or the bare name). @default none */
  readonly features?: readonly string[];
  /** Name output columns `view__feature`. @default false */
  readonly fullFeatureNames?: boolean;
  /** Feast's `distance_metric`: when given, it must be the index's. */
  readonly distanceMetric?: string;
}

function invalid(message: string, hint: string): FeatureStoreError {
  return new FeatureStoreError('REQUEST_INVALID', message, hint);
}

function checkQuery(plan: VectorIndexPlan, query: unknown): Float32Array {
  const list = query as ArrayLike<unknown> | null;
  if (list === null || typeof list !== 'object' || typeof list.length !== 'number') {
    throw invalid('query is not a list of numbers', `give an embedding of ${plan.dimension} numbers`);
  }
  if (list.length !== plan.dimension) {
    throw invalid(
      `query has dimension ${list.length}, but the vector index "${plan.spec.name}" on "${plan.spec.featureView}:${plan.spec.field}" has dimension ${plan.dimension}`,
      `embed the query with the model that made the documents' embeddings (${plan.dimension} numbers)`,
    );
  }
  const out = new Float32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`query[${i}] is ${JSON.stringify(v)}, not a finite number`, 'give finite numbers');
    out[i] = v;
  }
  return out;
}

function featureRefs(plan: VectorIndexPlan, features: readonly string[]): string[] {
  const view = plan.spec.featureView;
  return features.map((f) => {
    const [viewName, name] = f.includes(':') ? f.split(':', 2) : [view, f];
    if (viewName !== view) {
      throw invalid(`feature "${f}" is not of the searched view "${view}"`, `ask only for features of "${view}" in one retrieval`);
    }
    return `${view}:${name}`;
  });
}

export async function retrieveOnlineDocumentsFromStore(store: OnlineStore, request: RetrieveOnlineDocumentsRequest): Promise<OnlineFeaturesResponse> {
  const plan = vectorPlans(store.codecs).forFeature(request.feature);
  const vectors = store.vectors;
  if (!vectors) throw new FeatureStoreError('NOT_IMPLEMENTED', 'this online store has no vector search', 'use the embedded store or Redis with its query engine');
  const query = checkQuery(plan, request.query);
  if (!Number.isInteger(request.topK) || request.topK < 1 || request.topK > MAX_TOP_K) {
    throw invalid(`topK is ${JSON.stringify(request.topK)}`, `give a whole number from 1 to ${MAX_TOP_K}`);
  }
  const metric = request.distanceMetric?.toUpperCase();
  if (metric !== undefined && metric !== plan.spec.metric) {
    throw invalid(`distance metric "${request.distanceMetric}" is not the ${plan.spec.metric} the vector index "${plan.spec.name}" was built with`, `leave it out, or ask for ${plan.spec.metric as VectorMetric}`);
  }
  const refs = featureRefs(plan, request.features ?? []);
  const filter = request.filter === undefined || request.filter === null ? undefined : checkFilter(plan, request.filter);
  const minEvent = plan.ttlMicros === 0 ? -Infinity : Date.now() * 1000 - plan.ttlMicros;
  const hits = await vectors.search({ plan, query, topK: request.topK, filter, minEvent });

  const codec = plan.codec;
  const declared = codec.view.joinKeys;
  const keyColumns: unknown[][] = declared.map(() => []);
  for (const hit of hits) {
    const values = entityKeyValues(codec.entityKey, hit.entityKey);
    values.forEach((v, i) => {
      const at = codec.entityKey.declaredIndex[i];
      keyColumns[at].push(valueToJson(declared[at].valueType, v));
    });
  }

  const featureNames: string[] = [];
  const results: OnlineFeatureColumn[] = [];
  if (refs.length > 0 && hits.length === 0) {
    for (const ref of refs) {
      const name = ref.split(':')[1];
      featureNames.push(request.fullFeatureNames ? `${plan.spec.featureView}__${name}` : name);
      results.push({ values: [], statuses: [], event_timestamps: [] });
    }
  } else if (refs.length > 0) {
    const entities = Object.fromEntries(declared.map((k, i) => [k.name, keyColumns[i]]));
    const rows = await readOnlineRows(store, { entities, features: refs, fullFeatureNames: request.fullFeatureNames ?? false });
    const response = onlineResponse(rows);
    const skip = declared.length;
    featureNames.push(...response.metadata.feature_names.slice(skip));
    results.push(...response.results.slice(skip));
  }
  featureNames.push('distance');
  results.push({ values: hits.map((h) => h.distance), statuses: hits.map(() => 'PRESENT'), event_timestamps: hits.map((h) => protoTimestamp(h.event)) });
  declared.forEach((k, i) => {
    featureNames.push(k.name);
    results.push({ values: keyColumns[i], statuses: hits.map(() => 'PRESENT'), event_timestamps: hits.map(() => EPOCH) });
  });
  return { metadata: { feature_names: featureNames }, results };
}
