import { readFile } from 'node:fs/promises';
import { FeatureStoreError } from '../errors';
import type { Manifest } from './schema';
import { parseManifest } from './validate';

/** Loads and validates a registry from a local path, an `hdfs://` path or an `abfss://` URL. */
export async function loadManifest(location: string, env: NodeJS.ProcessEnv = process.env): Promise<Manifest> {
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
        'run `npx cdktf synth` first, or pass --manifest <path to registry.json>',
        { cause: e },
      );
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw new FeatureStoreError('MANIFEST_INVALID', `${location}: not valid JSON (${(e as Error).message})`, 'synthesize the registry again with `npx cdktf synth`');
  }
  return parseManifest(json, location);
}
