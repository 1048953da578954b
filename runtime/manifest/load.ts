import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { FeatureStoreError } from '../errors';
import type { Manifest } from './schema';
import { rememberRegistryFolder } from './registry-folder';
import { parseManifest } from './validate';

/**
 * The folder a local registry's relative paths (local lake roots, the embedded online
 * store's path) resolve against: the project folder for
 * `<project>/cdktf.out/stacks/<stack>/featurestack/registry.json` (the folder holding
 * cdktf.out), otherwise the folder holding the registry file. Never the working directory.
 */
export function registryBase(location: string): string {
  const file = resolve(location);
  const featurestack = dirname(file);
  const stack = dirname(featurestack);
  const stacks = dirname(stack);
  const out = dirname(stacks);
  if (basename(featurestack) === 'featurestack' && basename(stacks) === 'stacks' && basename(out) === 'cdktf.out') return dirname(out);
  return featurestack;
}

/** The manifest with relative local lake roots and embedded-store paths made absolute against `base`. */
export function resolveLocalPaths(manifest: Manifest, base: string): Manifest {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const lakes = manifest.lakes.map((l) => (l.kind === 'local' ? { ...l, root: abs(l.root) } : l));
  const onlineStore = manifest.onlineStore.kind === 'embedded' ? { ...manifest.onlineStore, path: abs(manifest.onlineStore.path) } : manifest.onlineStore;
  return { ...manifest, lakes, onlineStore } as Manifest;
}

export interface LoadManifestOptions {
  /** Resolve relative local paths against the registry's project folder (default true); plan compares them as written. */
  resolvePaths?: boolean;
}

/**
 * Loads and validates a registry from a local path, an `hdfs://` path or an `abfss://` URL.
 * A local registry's relative paths resolve against {@link registryBase}.
 */
export async function loadManifest(location: string, env: NodeJS.ProcessEnv = process.env, options: LoadManifestOptions = {}): Promise<Manifest> {
  let bytes: Uint8Array;
  if (/^(hdfs|abfss?|webhdfs):\/\//.test(location)) {
    // Loaded on first use: the lake clients are heavy and most registries are local files.
    const { readRemoteFile } = require('../lakes') as typeof import('../lakes');
    bytes = await readRemoteFile(location, env);
  } else {
    try {
      bytes = await readFile(location);
    } catch (e) {
      throw new FeatureStoreError(
        'MANIFEST_NOT_FOUND',
        `registry not found at ${location}`,
        'run `npx featurestack synth` first, or pass --manifest <path to registry.json>',
        { cause: e },
      );
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw new FeatureStoreError('MANIFEST_INVALID', `${location}: not valid JSON (${(e as Error).message})`, 'synthesize the registry again with `npx featurestack synth`');
  }
  const manifest = parseManifest(json, location);
  const remote = /^(hdfs|abfss?|webhdfs):\/\//.test(location);
  const loaded = remote || options.resolvePaths === false ? manifest : resolveLocalPaths(manifest, registryBase(location));
  return rememberRegistryFolder(loaded, remote ? location.slice(0, location.lastIndexOf('/')) : dirname(resolve(location)));
}
