import type { LakeSpec, Manifest, OnlineStoreSpec } from '@featurestack/runtime/manifest';
import { MANIFEST_VERSION } from '@featurestack/runtime/manifest';
import { withHash } from '@featurestack/runtime/manifest';
import { WORKING_DIRECTORY_LAKE } from '../sources/batch-source';
import type { RepoContents } from './contents';

function byName<T extends { name: string }>(items: T[]): T[] {
  return items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The registry. Collections are sorted by name so that moving a declaration does not
 * change the bytes; a view's features and a service's projections keep their order,
 * which is meaningful.
 */
export function buildManifest(project: string, stack: string, onlineStore: OnlineStoreSpec, contents: RepoContents): Manifest {
  const lakes: LakeSpec[] = contents.lakes.map((l) => l.toLakeSpec());
  if (contents.usesWorkingDirectory) lakes.push(withHash<LakeSpec>({ kind: 'local', name: WORKING_DIRECTORY_LAKE, root: '.' }));
  return withHash<Manifest>({
    manifestVersion: MANIFEST_VERSION,
    project,
    stack,
    onlineStore,
    lakes: byName(lakes),
    entities: byName(contents.entities.map((e) => e.toSpec())),
    dataSources: byName(contents.sources.map((s) => s.toSourceSpec())),
    featureViews: byName(contents.views.map((v) => v.toSpec())),
    featureServices: byName(contents.services.map((s) => s.toSpec())),
    ...(contents.onDemandViews.length > 0 ? { onDemandFeatureViews: byName(contents.onDemandViews.map((v) => v.toSpec())) } : {}),
    ...(contents.vectorIndexes.length > 0 ? { vectorIndexes: byName(contents.vectorIndexes.map((v) => v.toSpec())) } : {}),
  });
}
