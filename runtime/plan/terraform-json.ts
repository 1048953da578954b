/** Reading the resources out of a synthesized `cdk.tf.json` (Terraform JSON syntax). */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeatureStoreError } from '../errors';
import { isPlainObject, JsonObject } from './values';

export interface TerraformResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** The resource's arguments, without cdktf's `//` metadata. */
  readonly body: JsonObject;
}

/** Drops cdktf's `//` comment keys (construct paths, unique ids) at every level. */
export function stripMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (!isPlainObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('//')) out[k] = stripMetadata(v);
  return out;
}

const FILEMD5 = /\$\{filemd5\("\$\{path\.module\}\/([^"]+)"\)\}/g;

/**
 * Evaluates `${filemd5("${path.module}/<file>")}` against the stack folder, so that a
 * changed registry or HDFS plan shows as the change Terraform will make (a re-upload, a
 * re-run), not as an unchanged expression.
 */
function resolveFileHashes(value: unknown, moduleDir: string): unknown {
  if (typeof value === 'string') {
    return value.replace(FILEMD5, (expr, file: string) => {
      const path = join(moduleDir, file);
      return existsSync(path) ? `filemd5(${file}) = ${createHash('md5').update(readFileSync(path)).digest('hex')}` : expr;
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolveFileHashes(v, moduleDir));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveFileHashes(v, moduleDir)]));
}

/**
 * `resource.<type>.<name>` of a Terraform JSON document, keyed by address. With
 * `moduleDir` (the stack folder), file hashes in it are evaluated.
 */
export function resourcesOf(document: unknown, origin: string, moduleDir?: string): Map<string, TerraformResource> {
  if (!isPlainObject(document)) {
    throw new FeatureStoreError('MANIFEST_INVALID', `${origin}: not a Terraform JSON object`, 'synthesize again with `npx featurestack synth`');
  }
  const out = new Map<string, TerraformResource>();
  const resource = document.resource ?? {};
  if (!isPlainObject(resource)) {
    throw new FeatureStoreError('MANIFEST_INVALID', `${origin}: "resource" must be an object of resource types`, 'synthesize again with `npx featurestack synth`');
  }
  for (const [type, byName] of Object.entries(resource)) {
    if (!isPlainObject(byName)) continue;
    for (const [name, body] of Object.entries(byName)) {
      if (!isPlainObject(body)) continue;
      const address = `${type}.${name}`;
      const stripped = stripMetadata(body);
      out.set(address, { address, type, name, body: (moduleDir ? resolveFileHashes(stripped, moduleDir) : stripped) as JsonObject });
    }
  }
  return out;
}
