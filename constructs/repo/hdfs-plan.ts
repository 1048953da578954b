import type { HdfsPlan } from '@featurestack/runtime/manifest';
import type { IHdfsLake } from '../lakes/lake';
import type { HdfsSource } from '../sources/hdfs-source';

type PlannedDirectory = HdfsPlan['directories'][number];

/** The folder a source's data lives in: the path itself, or a file's parent. */
function sourceFolder(source: HdfsSource): string {
  const path = source.location.path;
  const folder = /\.parquet$/i.test(path) ? path.split('/').slice(0, -1).join('/') : path;
  return `/${folder}`;
}

function plannedDirectory(lake: IHdfsLake, source: HdfsSource): PlannedDirectory {
  return {
    path: sourceFolder(source),
    owner: source.access.owner ?? lake.folderDefaults.owner,
    group: source.access.group ?? lake.folderDefaults.group,
    permission: source.access.permission ?? lake.folderDefaults.permission,
    sources: [source.name],
  };
}

/** Folders that two sources share but give different owner, group or permission. */
export function conflictingHdfsFolders(lake: IHdfsLake, sources: readonly HdfsSource[]): [HdfsSource, HdfsSource][] {
  const first = new Map<string, [HdfsSource, PlannedDirectory]>();
  const conflicts: [HdfsSource, HdfsSource][] = [];
  for (const source of sources) {
    const dir = plannedDirectory(lake, source);
    const seen = first.get(dir.path);
    if (!seen) first.set(dir.path, [source, dir]);
    else if (seen[1].owner !== dir.owner || seen[1].group !== dir.group || seen[1].permission !== dir.permission) conflicts.push([seen[0], source]);
  }
  return conflicts;
}

/** `hdfs-plan.json`: one entry per folder, sorted by path, for `featurestack hdfs apply`. */
export function buildHdfsPlan(lake: IHdfsLake, sources: readonly HdfsSource[]): HdfsPlan {
  const byPath = new Map<string, PlannedDirectory>();
  for (const source of sources) {
    const dir = plannedDirectory(lake, source);
    const existing = byPath.get(dir.path);
    byPath.set(dir.path, existing ? { ...existing, sources: [...existing.sources, source.name].sort() } : dir);
  }
  const directories = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // The lake's connection settings go with the plan, so that `hdfs apply` reaches the cluster as the runtime does.
  const { rpcUrl: _rpcUrl, ...connection } = lake.connection ?? {};
  return { planVersion: 1, lake: lake.lakeName, webhdfsUrl: lake.webhdfsUrl, user: lake.user, ...connection, directories };
}
