import { Entity, FeatureView, FileSource, Float32, Float64, types, VectorAlgorithm, VectorIndex, embeddingField, type VectorMetric } from '../../constructs';
import { repoStack, validationErrors } from '../definitions/helpers';

function chunkView(schemaDimension?: number, options: { online?: boolean; dtype?: 'Float32' | 'Float64' | 'String' } = {}) {
  const { stack, repo, lake } = repoStack();
  const chunk = new Entity(repo, 'chunk', { joinKeys: [{ name: 'chunk_id', valueType: types.String }] });
  const source = new FileSource(repo, 'chunks_src', { lake, path: 'chunks', timestampField: 'event_timestamp' });
  const embedding =
    options.dtype === 'String'
      ? { name: 'embedding', dtype: types.String }
      : schemaDimension === undefined
        ? { name: 'embedding', dtype: types.Array(options.dtype === 'Float64' ? Float64 : Float32) }
        : embeddingField('embedding', schemaDimension, { element: options.dtype === 'Float64' ? Float64 : Float32 });
  const view = new FeatureView(repo, 'doc_chunks', { entities: [chunk], schema: [embedding, { name: 'title', dtype: types.String }], source, online: options.online });
  return { stack, repo, view };
}

describe('a vector index in the definitions', () => {
  test('goes into the registry with its dimension, metric and algorithm', () => {
    const { repo, view } = chunkView(384);
    new VectorIndex(repo, 'chunk_index', { featureView: view, field: 'embedding', metric: 'L2', algorithm: VectorAlgorithm.hnsw({ m: 8, efConstruction: 100, efRuntime: 20 }) });
    const manifest = repo.toManifest();
    expect(manifest.vectorIndexes).toEqual([
      { name: 'chunk_index', featureView: 'doc_chunks', field: 'embedding', dimension: 384, metric: 'L2', algorithm: { kind: 'hnsw', m: 8, efConstruction: 100, efRuntime: 20 }, hash: expect.stringMatching(/^[0-9a-f]{16}$/) },
    ]);
    expect(manifest.featureViews[0].features[0]).toEqual({ name: 'embedding', dtype: 'Array(Float32)', description: '', tags: {} });
  });

  test('defaults: COSINE, HNSW M 16, EF_CONSTRUCTION 200, EF_RUNTIME 64; a flat index has no parameters', () => {
    const { repo, view } = chunkView(8);
    new VectorIndex(repo, 'chunk_index', { featureView: view, field: view.schema[0] });
    expect(repo.toManifest().vectorIndexes![0]).toMatchObject({ metric: 'COSINE', algorithm: { kind: 'hnsw', m: 16, efConstruction: 200, efRuntime: 64 } });
    const other = chunkView(undefined);
    new VectorIndex(other.repo, 'flat', { featureView: other.view, field: 'embedding', dimension: 3, algorithm: VectorAlgorithm.flat() });
    expect(other.repo.toManifest().vectorIndexes![0]).toMatchObject({ dimension: 3, algorithm: { kind: 'flat' } });
  });

  test('a registry without one has no vectorIndexes key, so its bytes and hash stay as they were', () => {
    const { repo } = chunkView(8);
    expect('vectorIndexes' in repo.toManifest()).toBe(false);
  });

  test.each<[string, (c: ReturnType<typeof chunkView>) => void, string]>([
    ['no dimension', ({ repo, view }) => new VectorIndex(repo, 'ix', { featureView: view, field: 'embedding' }), 'test/repo/ix: no dimension for feature "embedding"; give dimension, or declare the field with embeddingField(name, dimension)'],
    ['dimension 0', ({ repo, view }) => new VectorIndex(repo, 'ix', { featureView: view, field: 'embedding', dimension: 0 }), 'test/repo/ix: dimension must be a whole number >= 1, got 0; give the length of the embeddings, e.g. 384'],
    ['a fractional dimension', ({ repo, view }) => new VectorIndex(repo, 'ix', { featureView: view, field: 'embedding', dimension: 1.5 }), 'test/repo/ix: dimension must be a whole number >= 1, got 1.5'],
    ['an unknown field', ({ repo, view }) => new VectorIndex(repo, 'ix', { featureView: view, field: 'vec', dimension: 4 }), 'test/repo/ix: feature view "doc_chunks" has no feature "vec"; name one of its features (embedding, title)'],
    ['a field that is no embedding', ({ repo, view }) => new VectorIndex(repo, 'ix', { featureView: view, field: 'title', dimension: 4 }), 'test/repo/ix: feature "title" is String, not an embedding; declare it as Array(Float32) or Array(Float64)'],
    ['an unknown metric', ({ repo, view }) => new VectorIndex(repo, 'ix', { featureView: view, field: 'embedding', dimension: 4, metric: 'HAMMING' as VectorMetric }), 'test/repo/ix: metric "HAMMING" is not one of COSINE, L2, IP'],
    ['a bad HNSW parameter', ({ repo, view }) => new VectorIndex(repo, 'ix', { featureView: view, field: 'embedding', dimension: 4, algorithm: VectorAlgorithm.hnsw({ m: 0 }) }), 'test/repo/ix: HNSW m must be a whole number >= 1, got 0'],
    [
      'two indexes on one view',
      ({ repo, view }) => {
        new VectorIndex(repo, 'ix', { featureView: view, field: 'embedding', dimension: 4 });
        new VectorIndex(repo, 'ix2', { featureView: view, field: 'embedding', dimension: 4 });
      },
      'test/repo/ix2: feature view "doc_chunks" already has the vector index test/repo/ix; declare one vector index per feature view',
    ],
  ])('%s fails at synth with the construct path', (_name, declare, message) => {
    const c = chunkView(undefined);
    declare(c);
    expect(validationErrors(c.stack).join('\n')).toContain(message);
  });

  test('a dimension that differs from the field\'s fails at synth', () => {
    const c = chunkView(384);
    new VectorIndex(c.repo, 'ix', { featureView: c.view, field: 'embedding', dimension: 768 });
    expect(validationErrors(c.stack)).toContain('test/repo/ix: dimension 768 differs from the 384 feature "embedding" declares; use one dimension: 384, or change the field');
  });

  test('an Array(String) field and an offline-only view are refused; Array(Float64) is accepted', () => {
    const offline = chunkView(4, { online: false });
    new VectorIndex(offline.repo, 'ix', { featureView: offline.view, field: 'embedding' });
    expect(validationErrors(offline.stack).join('\n')).toContain('test/repo/ix: feature view "doc_chunks" is not online; set online: true on it');
    const f64 = chunkView(4, { dtype: 'Float64' });
    new VectorIndex(f64.repo, 'ix', { featureView: f64.view, field: 'embedding' });
    expect(validationErrors(f64.stack)).toEqual([]);
    const str = chunkView(undefined, { dtype: 'String' });
    new VectorIndex(str.repo, 'ix', { featureView: str.view, field: 'embedding', dimension: 4 });
    expect(validationErrors(str.stack).join('\n')).toContain('feature "embedding" is String, not an embedding');
  });
});
