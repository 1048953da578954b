/** Reading the resources out of a synthesized `cdk.tf.json` (Terraform JSON syntax). */
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

/** `resource.<type>.<name>` of a Terraform JSON document, keyed by address. */
export function resourcesOf(document: unknown, origin: string): Map<string, TerraformResource> {
  if (!isPlainObject(document)) {
    throw new FeatureStoreError('MANIFEST_INVALID', `${origin}: not a Terraform JSON object`, 'synthesize again with `npx cdktf synth`');
  }
  const out = new Map<string, TerraformResource>();
  const resource = document.resource ?? {};
  if (!isPlainObject(resource)) {
    throw new FeatureStoreError('MANIFEST_INVALID', `${origin}: "resource" must be an object of resource types`, 'synthesize again with `npx cdktf synth`');
  }
  for (const [type, byName] of Object.entries(resource)) {
    if (!isPlainObject(byName)) continue;
    for (const [name, body] of Object.entries(byName)) {
      if (!isPlainObject(body)) continue;
      const address = `${type}.${name}`;
      out.set(address, { address, type, name, body: stripMetadata(body) as JsonObject });
    }
  }
  return out;
}
