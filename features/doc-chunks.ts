import { Construct } from 'constructs';
import { embeddingField, Entity, FeatureView, FileSource, ILocalLake, types, VectorAlgorithm, VectorIndex } from '../constructs';

/** Elements per chunk embedding (the demo's hashed bag of words; a real model gives 384 or more). */
export const DOC_CHUNK_DIMENSION = 32;

/**
 * Chunks of the operations handbook, each with its embedding, for retrieval-augmented
 * answers: `retrieveOnlineDocuments` finds the chunks nearest a question's embedding.
 * Local file `docs/doc_chunks.parquet` in the `files` lake: chunk_id string,
 * event_timestamp timestamp, embedding list<float>, doc_title string, chunk_text string, lang string.
 */
export function declareDocChunks(scope: Construct, lake: ILocalLake): { docChunks: FeatureView; index: VectorIndex } {
  const chunk = new Entity(scope, 'doc_chunk', { joinKeys: [{ name: 'chunk_id', valueType: types.String }], description: 'A chunk of a handbook page' });
  const source = new FileSource(scope, 'doc_chunks_source', { lake, path: 'docs/doc_chunks.parquet', timestampField: 'event_timestamp' });
  const embedding = embeddingField('embedding', DOC_CHUNK_DIMENSION, { description: 'Hashed bag-of-words embedding of chunk_text' });
  const docChunks = new FeatureView(scope, 'doc_chunks', {
    entities: [chunk],
    schema: [embedding, { name: 'doc_title', dtype: types.String }, { name: 'chunk_text', dtype: types.String }, { name: 'lang', dtype: types.String }],
    source,
    description: 'Handbook chunks and their embeddings, for retrieval',
    tags: { domain: 'docs' },
    owner: 'mobility-data@example.com',
  });
  const index = new VectorIndex(scope, 'doc_chunks_embedding', { featureView: docChunks, field: embedding, metric: 'COSINE', algorithm: VectorAlgorithm.hnsw({ m: 16, efConstruction: 200, efRuntime: 64 }) });
  return { docChunks, index };
}
