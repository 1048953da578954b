/** The catalog names a view's vector index. */
import { join } from 'node:path';
import { featurestack, writeManifest } from '../catalog/run-cli';
import { tempDir, vectorManifest } from './vector-fixtures';

test('describe shows the vector index of a view: field, dimension, metric and algorithm', async () => {
  const dir = tempDir('fs-vector-catalog-');
  try {
    const manifest = writeManifest(vectorManifest({ embeddedPath: join(dir.path, 'online'), algorithm: { kind: 'flat' } }));
    const run = await featurestack('describe', 'doc_chunks', '--manifest', manifest);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toContain('  vector index   doc_chunks_embedding: embedding, 4 dimensions, COSINE, flat (exact)');
  } finally {
    dir.cleanup();
  }
});
