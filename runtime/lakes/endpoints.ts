import { statSync } from 'node:fs';
import * as path from 'node:path';
import type { LakeSpec, LocalLakeSpec } from '../manifest/schema';

/**
 * Environment overrides, so one manifest runs against test servers or another machine:
 * - FEATURESTACK_LAKE_ROOT replaces a local lake's root. When the manifest has several
 *   local lakes, each resolves to `<FEATURESTACK_LAKE_ROOT>/<lake name>` if that folder
 *   exists, else to the override itself (so one folder can stand in for all of them).
 * - FEATURESTACK_WEBHDFS_URL replaces every HDFS lake's WebHDFS URL.
 * - FEATURESTACK_ADLS_URL replaces every ADLS lake's DFS endpoint.
 */
export function localLakeRoot(spec: LocalLakeSpec, env: NodeJS.ProcessEnv, localLakeCount = 1): string {
  const override = env.FEATURESTACK_LAKE_ROOT;
  if (!override) return path.resolve(spec.root);
  if (localLakeCount > 1) {
    const perLake = path.resolve(override, spec.name);
    if (statSync(perLake, { throwIfNoEntry: false })?.isDirectory()) return perLake;
  }
  return path.resolve(override);
}

export function webhdfsUrl(configured: string, env: NodeJS.ProcessEnv): string {
  return (env.FEATURESTACK_WEBHDFS_URL || configured).replace(/\/+$/, '');
}

export function adlsEndpoint(configured: string, env: NodeJS.ProcessEnv): string {
  return (env.FEATURESTACK_ADLS_URL || configured).replace(/\/+$/, '');
}

/** How many local lakes a manifest declares (for the FEATURESTACK_LAKE_ROOT rule). */
export function countLocalLakes(lakes: readonly LakeSpec[]): number {
  return lakes.filter((l) => l.kind === 'local').length;
}
