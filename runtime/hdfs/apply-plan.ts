import type { HdfsPlan } from '../manifest/schema';
import type { WebHdfsClient } from '../lakes/webhdfs-client';
import { directoryChanges, type DirectoryChange, type PlannedDirectory } from './directory-changes';

export interface ApplyResult {
  readonly changes: readonly DirectoryChange[];
  /** Planned directories that already matched. */
  readonly unchanged: readonly string[];
}

export interface ApplyOptions {
  /** Report what would change without changing anything. */
  readonly dryRun?: boolean;
  /** Called after each directory is done (for progress). */
  readonly onDirectory?: (path: string, done: number, total: number) => void;
}

/** Mode of a missing parent the plan does not name (planned parents are made first). */
const UNPLANNED_PARENT_PERMISSION = '755';

async function applyChange(client: WebHdfsClient, change: DirectoryChange): Promise<void> {
  switch (change.action) {
    case 'create':
      // HDFS would give a missing parent that is not in the plan this directory's mode.
      return client.mkdirs(change.path, change.permission, { parentPermission: UNPLANNED_PARENT_PERMISSION });
    case 'set-owner': {
      const [owner, group] = change.to.split(':');
      return client.setOwner(change.path, owner, group);
    }
    case 'set-permission':
      return client.setPermission(change.path, change.to);
  }
}

/**
 * Creates the directory if needed, then sets what still differs: MKDIRS applies the
 * namenode's umask and makes the caller the owner, so a new directory is checked again.
 */
async function applyDirectory(client: WebHdfsClient, directory: PlannedDirectory, dryRun: boolean): Promise<DirectoryChange[]> {
  const needed = directoryChanges(directory, await client.stat(directory.path));
  if (dryRun) return needed;
  for (const change of needed) await applyChange(client, change);
  if (needed[0]?.action !== 'create') return needed;
  for (const change of directoryChanges(directory, await client.stat(directory.path))) await applyChange(client, change);
  return needed;
}

/**
 * Brings every planned directory to its owner, group and permission, parents first.
 * Running it again changes nothing. A failure stops at that directory, with the
 * namenode's message; what was done before stays done, and a re-run resumes.
 */
export async function applyHdfsPlan(plan: HdfsPlan, client: WebHdfsClient, options: ApplyOptions = {}): Promise<ApplyResult> {
  const directories = [...plan.directories].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const changes: DirectoryChange[] = [];
  const unchanged: string[] = [];
  for (const [index, directory] of directories.entries()) {
    const done = await applyDirectory(client, directory, options.dryRun ?? false);
    if (done.length === 0) unchanged.push(directory.path);
    changes.push(...done);
    options.onDirectory?.(directory.path, index + 1, directories.length);
  }
  return { changes, unchanged };
}
