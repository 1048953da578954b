/**
 * The vector indexes of a manifest, compiled once per open store: for each indexed
 * view its embedding feature, dimension, metric and the features a filter may name.
 */
import { FeatureStoreError } from '../../errors';
import type { FeatureDtype, JoinKeySpec, PrimitiveType, VectorIndexSpec } from '../../manifest/schema';
import type { OnlineCodecs, ViewCodec } from '../codecs';
import { elementType } from '../values';

/** How a filter compares a field: text-like values by equality, numbers by order too. */
export type FilterKind = 'tag' | 'numeric';

export interface FilterableField {
  readonly name: string;
  readonly kind: FilterKind;
  readonly dtype: PrimitiveType;
  /** Where the value comes from: a feature (its index in the schema) or a join key (its index in serialization order). */
  readonly source: { readonly feature: number } | { readonly joinKey: number };
}

export interface VectorIndexPlan {
  readonly spec: VectorIndexSpec;
  readonly codec: ViewCodec;
  /** Position of the embedding in the view's schema. */
  readonly featureIndex: number;
  readonly element: 'Float32' | 'Float64';
  readonly dimension: number;
  readonly ttlMicros: number;
  /** Scalar features and join keys a filter may name, by name. */
  readonly filterable: ReadonlyMap<string, FilterableField>;
}

const FILTER_KINDS: Partial<Record<PrimitiveType, FilterKind>> = {
  String: 'tag',
  Bool: 'tag',
  Int32: 'numeric',
  Int64: 'numeric',
  Float32: 'numeric',
  Float64: 'numeric',
  UnixTimestamp: 'numeric',
};

function filterableFields(codec: ViewCodec): Map<string, FilterableField> {
  const out = new Map<string, FilterableField>();
  const keys: readonly JoinKeySpec[] = codec.view.joinKeys.length === 0 ? [] : codec.entityKey.sortedKeys;
  keys.forEach((k, i) => {
    const kind = FILTER_KINDS[k.valueType];
    if (kind) out.set(k.name, { name: k.name, kind, dtype: k.valueType, source: { joinKey: i } });
  });
  codec.view.features.forEach((f, i) => {
    const kind = FILTER_KINDS[f.dtype as PrimitiveType];
    if (kind) out.set(f.name, { name: f.name, kind, dtype: f.dtype as PrimitiveType, source: { feature: i } });
  });
  return out;
}

function compile(codecs: OnlineCodecs, spec: VectorIndexSpec): VectorIndexPlan {
  const invalid = (what: string) =>
    new FeatureStoreError('MANIFEST_INVALID', `vector index "${spec.name}": ${what}`, 'synthesize the registry again (`featurestack synth`)');
  const view = codecs.manifest.featureViews.find((v) => v.name === spec.featureView);
  if (!view) throw invalid(`unknown feature view "${spec.featureView}"`);
  if (!view.online) throw invalid(`feature view "${view.name}" is not online`);
  const featureIndex = view.features.findIndex((f) => f.name === spec.field);
  if (featureIndex < 0) throw invalid(`feature view "${view.name}" has no feature "${spec.field}"`);
  const element = elementType(view.features[featureIndex].dtype as FeatureDtype);
  if (element !== 'Float32' && element !== 'Float64') throw invalid(`feature "${spec.field}" is ${view.features[featureIndex].dtype}, not Array(Float32) or Array(Float64)`);
  const codec = codecs.view(view.name);
  return { spec, codec, featureIndex, element, dimension: spec.dimension, ttlMicros: view.ttlSeconds * 1_000_000, filterable: filterableFields(codec) };
}

export class VectorPlans {
  private readonly byView = new Map<string, VectorIndexPlan>();

  constructor(readonly codecs: OnlineCodecs) {
    for (const spec of codecs.manifest.vectorIndexes ?? []) this.byView.set(spec.featureView, compile(codecs, spec));
  }

  /** The index of a view, or undefined when it has none. */
  ofView(view: string): VectorIndexPlan | undefined {
    return this.byView.get(view);
  }

  all(): VectorIndexPlan[] {
    return [...this.byView.values()];
  }

  get size(): number {
    return this.byView.size;
  }

  /** The index over `view:feature`; anything else is an error naming the indexed features. */
  forFeature(reference: string): VectorIndexPlan {
    const [viewName, feature, ...rest] = reference.split(':');
    const indexed = this.all().map((p) => `${p.spec.featureView}:${p.spec.field}`);
    const hint = indexed.length > 0 ? `vector-indexed features: ${indexed.join(', ')}` : 'declare a VectorIndex on an embedding feature of an online view and synthesize again';
    if (!viewName || !feature || rest.length > 0) {
      throw new FeatureStoreError('REQUEST_INVALID', `feature "${reference}" is not a "view:feature" reference`, hint);
    }
    const plan = this.byView.get(viewName);
    if (!plan || plan.spec.field !== feature) {
      throwIfUnknownFeature(this.codecs, viewName, feature);
      throw new FeatureStoreError('REQUEST_INVALID', `feature "${reference}" has no vector index`, hint);
    }
    return plan;
  }
}

/** Unknown views and features are the lookup's usual 404s. */
function throwIfUnknownFeature(codecs: OnlineCodecs, viewName: string, feature: string): void {
  const view = codecs.view(viewName).view;
  if (!view.features.some((f) => f.name === feature)) {
    throw new FeatureStoreError('UNKNOWN_FEATURE', `feature view "${viewName}" has no feature "${feature}"`, `its features: ${view.features.map((f) => f.name).join(', ')}`);
  }
}

const compiled = new WeakMap<OnlineCodecs, VectorPlans>();

/** The vector plans of a store's manifest, compiled on first use. */
export function vectorPlans(codecs: OnlineCodecs): VectorPlans {
  let plans = compiled.get(codecs);
  if (!plans) compiled.set(codecs, (plans = new VectorPlans(codecs)));
  return plans;
}
