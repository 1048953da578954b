/**
 * Everything the online path derives from the manifest, compiled once when the store
 * opens: per online view its entity key serializer, Redis key shapes, Feast field
 * names and the compact record codec.
 */
import { FeatureStoreError } from '../errors';
import type { FeatureViewSpec, Manifest, OnlineLayout } from '../manifest/schema';
import { CompactRecordCodec } from './compact/record';
import { compileEntityKey, type EntityKeyCodec, type JoinValue } from './entity-key';
import { feastFieldName } from './feast/murmur3';

export interface ViewCodec {
  readonly view: FeatureViewSpec;
  readonly entityKey: EntityKeyCodec;
  /** The key holding this view's data for an entity key (a record or a Feast hash): `keyPrefix`, entity key, `keySuffix`. */
  storeKey(entityKey: Buffer): Buffer;
  /** Bytes the store key of `values` takes. */
  storeKeyLength(values: readonly JoinValue[]): number;
  /** Writes the store key of `values` at `at` (`storeKeyLength(values)` bytes must be free); returns where it ends. */
  writeStoreKey(out: Buffer, at: number, values: readonly JoinValue[]): number;
  /** `compact`: `<project>:<view>:`; `feast`: empty. */
  readonly keyPrefix: Buffer;
  /** `feast`: the project's name; `compact`: empty. */
  readonly keySuffix: Buffer;
  /** `compact`: the record codec. */
  readonly record: CompactRecordCodec;
  /** `feast`: the hash field of each feature, in schema order. */
  readonly featureFields: readonly Buffer[];
  /** `feast`: the `_ts:<view>` hash field. */
  readonly timestampField: Buffer;
}

const EMPTY = Buffer.alloc(0);

/** `Buffer.concat` of two, without its checks: one call per entity row read or written. */
function joined(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function compileView(view: FeatureViewSpec, project: string, layout: OnlineLayout): ViewCodec {
  const projectBytes = Buffer.from(project, 'utf8');
  const prefix = Buffer.from(`${project}:${view.name}:`, 'utf8');
  const entityKey = compileEntityKey(view.joinKeys);
  const keyPrefix = layout === 'feast' ? EMPTY : prefix;
  const keySuffix = layout === 'feast' ? projectBytes : EMPTY;
  const storeKeyLength = (values: readonly JoinValue[]) => keyPrefix.length + entityKey.encodedLength(values) + keySuffix.length;
  const writeStoreKey = (out: Buffer, at: number, values: readonly JoinValue[]) => {
    out.set(keyPrefix, at);
    at = entityKey.encodeInto(out, at + keyPrefix.length, values);
    out.set(keySuffix, at);
    return at + keySuffix.length;
  };
  return {
    view,
    entityKey,
    storeKey: layout === 'feast' ? (key) => joined(key, projectBytes) : (key) => joined(prefix, key),
    storeKeyLength,
    writeStoreKey,
    keyPrefix,
    keySuffix,
    record: new CompactRecordCodec(view.features),
    featureFields: view.features.map((f) => feastFieldName(view.name, f.name)),
    timestampField: Buffer.from(`_ts:${view.name}`, 'utf8'),
  };
}

export class OnlineCodecs {
  readonly layout: OnlineLayout;
  readonly project: string;
  /** Where watermarks live: one entry per view, so it never grows past the views. */
  readonly watermarkKey: string;
  private readonly views = new Map<string, ViewCodec>();

  constructor(readonly manifest: Manifest) {
    this.layout = manifest.onlineStore.layout;
    this.project = manifest.project;
    this.watermarkKey = `featurestack:${manifest.project}:${this.layout}:watermarks`;
    for (const view of manifest.featureViews) {
      if (view.online) this.views.set(view.name, compileView(view, manifest.project, this.layout));
    }
  }

  /** The codec of an online view; an offline-only or unknown view is an error. */
  view(name: string): ViewCodec {
    const codec = this.views.get(name);
    if (codec) return codec;
    const known = [...this.views.keys()].join(', ') || '(none)';
    if (this.manifest.featureViews.some((v) => v.name === name)) {
      throw new FeatureStoreError('REQUEST_INVALID', `feature view "${name}" is not online`, `set online: true on it, or use one of the online views: ${known}`);
    }
    throw new FeatureStoreError('UNKNOWN_FEATURE_VIEW', `unknown feature view "${name}"`, `online views: ${known}`);
  }

  onlineViews(): ViewCodec[] {
    return [...this.views.values()];
  }
}
