import { FeatureStoreError } from '../errors';
import type { HdfsPlan } from '../manifest/schema';
import type { HdfsFileStatus } from '../lakes/webhdfs-client';

export type PlannedDirectory = HdfsPlan['directories'][number];

/** One change `hdfs apply` makes to one directory. */
export type DirectoryChange =
  | { readonly path: string; readonly action: 'create'; readonly owner: string; readonly group: string; readonly permission: string }
  | { readonly path: string; readonly action: 'set-owner'; readonly from: string; readonly to: string }
  | { readonly path: string; readonly action: 'set-permission'; readonly from: string; readonly to: string };

/** "0750" and "750" are the same permission; WebHDFS reports the short form. */
export function normalizePermission(permission: string): string {
  return permission.replace(/^0+(?=[0-7]{3}$)/, '');
}

/**
 * What it takes to bring one directory to its planned owner, group and permission,
 * given what GETFILESTATUS reports (null: it does not exist). Nothing when it matches.
 */
export function directoryChanges(planned: PlannedDirectory, current: HdfsFileStatus | null): DirectoryChange[] {
  const permission = normalizePermission(planned.permission);
  if (current === null) {
    return [{ path: planned.path, action: 'create', owner: planned.owner, group: planned.group, permission }];
  }
  if (current.type !== 'DIRECTORY') {
    throw new FeatureStoreError('LAKE_ERROR', `${planned.path} exists in HDFS but is a ${current.type.toLowerCase()}, not a directory`, 'move that file away, or change the source path in the definitions');
  }
  const changes: DirectoryChange[] = [];
  const from = `${current.owner}:${current.group}`;
  const to = `${planned.owner}:${planned.group}`;
  if (from !== to) changes.push({ path: planned.path, action: 'set-owner', from, to });
  const currentPermission = normalizePermission(current.permission);
  if (currentPermission !== permission) changes.push({ path: planned.path, action: 'set-permission', from: currentPermission, to: permission });
  return changes;
}
