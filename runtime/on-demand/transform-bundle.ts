/**
 * Loads an on-demand view's transform from the bundle synth wrote beside registry.json
 * (`transforms/<view>.js`, self-contained CommonJS), only when its bytes have the
 * SHA-256 the registry records: the code that runs is the code that was reviewed and
 * synthesized with the registry. The bytes hashed are the bytes evaluated.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { FeatureStoreError } from '../errors';
import { registryFolderOf } from '../manifest/registry-folder';
import type { Manifest, OnDemandFeatureViewSpec } from '../manifest/schema';
import type { TransformValue } from './values';

/** A row-shaped transform: one object of inputs in, one object of outputs out. */
export type TransformFunction = (row: Record<string, TransformValue>) => Record<string, unknown>;

const REMOTE = /^(hdfs|abfss?|webhdfs):\/\//;
const RESYNTH = 'synthesize again (`npx featurestack synth`) and deploy registry.json together with the transforms/ folder beside it';

/** Where the bundle of `view` is: beside the registry it was loaded from (or the working directory). */
export function bundleLocation(manifest: Manifest, view: OnDemandFeatureViewSpec): string {
  const folder = registryFolderOf(manifest) ?? process.cwd();
  if (REMOTE.test(folder)) return `${folder}/${view.transform.bundle}`;
  return isAbsolute(view.transform.bundle) ? view.transform.bundle : resolve(folder, view.transform.bundle);
}

async function readBundle(location: string, view: OnDemandFeatureViewSpec, env: NodeJS.ProcessEnv): Promise<Buffer> {
  try {
    if (REMOTE.test(location)) {
      const { readRemoteFile } = require('../lakes') as typeof import('../lakes');
      return Buffer.from(await readRemoteFile(location, env));
    }
    return await readFile(location);
  } catch (e) {
    throw new FeatureStoreError('TRANSFORM_INVALID', `on-demand view "${view.name}": its transform bundle is not at ${location}`, RESYNTH, { cause: e });
  }
}

/** Checks the bytes against the registry's hash, then evaluates them as a CommonJS module. */
export function evaluateBundle(view: OnDemandFeatureViewSpec, bytes: Buffer, location: string): TransformFunction {
  const actual = createHash('sha256').update(bytes).digest('hex');
  const expected = view.transform.bundleSha256;
  if (actual !== expected) {
    throw new FeatureStoreError(
      'TRANSFORM_MISMATCH',
      `on-demand view "${view.name}": the transform bundle at ${location} has SHA-256 ${actual}, but the registry expects ${expected}; refusing to run code the registry does not record`,
      RESYNTH,
    );
  }
  const filename = REMOTE.test(location) ? join(process.cwd(), `${view.name}.transform.js`) : location;
  const module = { exports: {} as Record<string, unknown> };
  // The Function constructor of this realm, so that the transform's Date, Array and Error are the caller's own.
  const wrapper = new Function('exports', 'require', 'module', '__filename', '__dirname', `${bytes.toString('utf8')}\n//# sourceURL=${filename}`);
  wrapper(module.exports, createRequire(filename), module, filename, dirname(filename));
  const fn = module.exports[view.transform.export];
  if (typeof fn !== 'function') {
    throw new FeatureStoreError(
      'TRANSFORM_INVALID',
      `on-demand view "${view.name}": the bundle of ${view.transform.module} exports no function "${view.transform.export}"`,
      RESYNTH,
    );
  }
  return fn as TransformFunction;
}

const loaded = new WeakMap<Manifest, Map<string, Promise<TransformFunction>>>();

/** The view's transform, loaded and checked once per manifest; a failed load is tried again next time. */
export function loadTransform(manifest: Manifest, view: OnDemandFeatureViewSpec, env: NodeJS.ProcessEnv): Promise<TransformFunction> {
  let byView = loaded.get(manifest);
  if (!byView) loaded.set(manifest, (byView = new Map()));
  let fn = byView.get(view.name);
  if (!fn) {
    const location = bundleLocation(manifest, view);
    fn = readBundle(location, view, env).then((bytes) => evaluateBundle(view, bytes, location));
    byView.set(view.name, fn);
    fn.catch(() => byView!.delete(view.name));
  }
  return fn;
}
