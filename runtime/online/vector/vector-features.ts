/** Which vector index a Feast request means: the one on the view its features belong to. */
import { FeatureStoreError } from '../../errors';
import type { Manifest } from '../../manifest/schema';

/** `view:embedding` of the one view `features` name; an error when they name none or several. */
export function vectorIndexOfFeatures(manifest: Manifest, features: readonly string[]): string {
  const indexes = manifest.vectorIndexes ?? [];
  const indexed = indexes.map((v) => `${v.featureView}:${v.field}`).join(', ') || '(none)';
  const views = [...new Set(features.map((f) => f.split(':')[0]))];
  if (views.length !== 1) {
    throw new FeatureStoreError(
      'REQUEST_INVALID',
      views.length === 0 ? 'features is empty: it names no view to search' : `features name ${views.length} views (${views.join(', ')}); a retrieval searches one`,
      `list features of one vector-indexed view, e.g. "${indexes[0] ? `${indexes[0].featureView}:${indexes[0].field}` : 'view:embedding'}" (indexed: ${indexed})`,
    );
  }
  const index = indexes.find((v) => v.featureView === views[0]);
  if (!index) throw new FeatureStoreError('REQUEST_INVALID', `feature view "${views[0]}" has no vector index`, `vector-indexed features: ${indexed}`);
  return `${index.featureView}:${index.field}`;
}
