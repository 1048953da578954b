/** Vector search over embedding features (retrieveOnlineDocuments), on Redis's query engine and the embedded store. */
export { retrieveOnlineDocumentsFromStore, MAX_TOP_K, type RetrieveOnlineDocumentsRequest } from './retrieve-online-documents';
export type { VectorFilter, ComparisonFilter, CompoundFilter } from './vector-filter';
export type { VectorStore } from './vector-store';
export { vectorPlans } from './vector-plan';
