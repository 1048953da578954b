/**
 * The folder (or remote prefix) a loaded registry came from, kept beside the parsed
 * manifest: files written with it (the transform bundles under `transforms/`) are
 * found there. A manifest passed as an object has none; its files resolve against
 * the working directory.
 */
import type { Manifest } from './schema';

const folders = new WeakMap<Manifest, string>();

export function rememberRegistryFolder(manifest: Manifest, folder: string): Manifest {
  folders.set(manifest, folder);
  return manifest;
}

export function registryFolderOf(manifest: Manifest): string | undefined {
  return folders.get(manifest);
}
