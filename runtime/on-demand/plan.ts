/**
 * What a feature selection needs when it names on-demand views: the stored part as the
 * caller asked for it, the stored inputs it does not already read (read beside it), and
 * per on-demand view where each input comes from. Compiled once per distinct selection.
 */
import { FeatureStoreError } from '../errors';
import { outputName, resolveFeatures, type FeatureSelection, type ResolvedProjection } from '../manifest/features';
import type { FeatureDtype, FieldSpec, Manifest, OnDemandFeatureViewSpec, RequestSourceSpec } from '../manifest/schema';
import { sameList } from '../same-list';

/** One input of a transform: a request field, or a column of the stored read. */
export type InputSource =
  | { readonly kind: 'request'; readonly field: string }
  /** Column `feature` of projection `projection` in `[...stored, ...hidden]`. */
  | { readonly kind: 'stored'; readonly projection: number; readonly feature: number };

export interface TransformInput {
  /** The name the transform sees it under. */
  readonly name: string;
  readonly dtype: FeatureDtype;
  readonly from: InputSource;
}

export interface OnDemandProjection {
  readonly view: OnDemandFeatureViewSpec;
  /** The alias or the view name, as in output column names. */
  readonly name: string;
  /** The asked outputs, in order, and their column names. */
  readonly outputs: readonly FieldSpec[];
  readonly outputNames: readonly string[];
  readonly inputs: readonly TransformInput[];
}

export interface OnDemandPlan {
  /** The stored projections as asked for (resolveFeatures' answer, on-demand views left out). */
  readonly stored: readonly ResolvedProjection[];
  /** The selection that reads `stored`; undefined when nothing stored is asked for. */
  readonly storedSelection: FeatureSelection | undefined;
  /** Stored inputs that `stored` does not read, one projection per view, under their view names. */
  readonly hidden: readonly ResolvedProjection[];
  /** `hidden` as `view:feature` references (read with full feature names). */
  readonly hiddenRefs: readonly string[];
  readonly onDemand: readonly OnDemandProjection[];
  /** Output order: stored projection `i` or on-demand projection `i`, as the selection lists them. */
  readonly order: readonly ({ readonly stored: number } | { readonly onDemand: number })[];
  /** Request fields the transforms read, with their types and the first view that reads each. */
  readonly requestFields: ReadonlyMap<string, { readonly dtype: FeatureDtype; readonly view: string }>;
}

function onDemandViews(manifest: Manifest): readonly OnDemandFeatureViewSpec[] {
  return manifest.onDemandFeatureViews ?? [];
}

/** An on-demand view's asked part: by references or from a service's projection. */
interface Asked {
  readonly view: OnDemandFeatureViewSpec;
  readonly name: string;
  readonly features: readonly FieldSpec[];
}

/** The view's output called `feature`, or UNKNOWN_FEATURE listing its features. */
function outputOf(view: OnDemandFeatureViewSpec, feature: string): FieldSpec {
  const field = view.features.find((f) => f.name === feature);
  if (field) return field;
  throw new FeatureStoreError(
    'UNKNOWN_FEATURE',
    `on-demand view "${view.name}" has no feature "${feature}"`,
    `its features are: ${view.features.map((f) => f.name).join(', ')}`,
  );
}

/** The selection's items in order: stored view names and on-demand asks. */
function askedItems(manifest: Manifest, selection: FeatureSelection): { items: (string | Asked)[]; any: boolean } {
  const byName = new Map(onDemandViews(manifest).map((v) => [v.name, v]));
  const items: (string | Asked)[] = [];
  let any = false;
  if (selection.features && selection.features.length > 0) {
    const asked = new Map<string, FieldSpec[]>();
    for (const ref of selection.features) {
      const [viewName, feature] = ref.split(':');
      const view = byName.get(viewName);
      if (!view) {
        if (!items.includes(viewName)) items.push(viewName);
        continue;
      }
      any = true;
      const field = outputOf(view, feature);
      let list = asked.get(view.name);
      if (!list) {
        asked.set(view.name, (list = []));
        items.push({ view, name: view.name, features: list });
      }
      if (!list.includes(field)) list.push(field);
    }
  } else if (selection.featureService !== undefined) {
    const service = manifest.featureServices.find((s) => s.name === selection.featureService);
    for (const p of service?.projections ?? []) {
      const view = byName.get(p.featureView);
      if (!view) {
        items.push(p.alias ?? p.featureView);
        continue;
      }
      any = true;
      items.push({ view, name: p.alias ?? view.name, features: p.features.map((f) => outputOf(view, f)) });
    }
  }
  return { items, any };
}

function sameKeysAsView(p: ResolvedProjection): boolean {
  return p.joinKeys.every((k) => k.column === k.name);
}

/**
 * The plan of a selection, or undefined when it names no on-demand view (then the
 * stored path runs alone, untouched).
 */
export function compileOnDemandPlan(manifest: Manifest, selection: FeatureSelection, fullFeatureNames: boolean): OnDemandPlan | undefined {
  if (onDemandViews(manifest).length === 0) return undefined;
  const { items, any } = askedItems(manifest, selection);
  if (!any) return undefined;
  const stored = resolveFeatures(manifest, selection, fullFeatureNames);
  const hidden: { p: ResolvedProjection; features: FieldSpec[] }[] = [];
  const requestFields = new Map<string, { dtype: FeatureDtype; view: string }>();
  const asks = items.filter((i): i is Asked => typeof i !== 'string');

  const onDemand = asks.map((ask): OnDemandProjection => {
    const inputs: TransformInput[] = [];
    for (const source of ask.view.sources) {
      if (source.kind === 'request') {
        const spec = manifest.dataSources.find((s) => s.name === source.source);
        for (const field of source.fields) {
          // parseManifest checked that the source is a request source declaring the field.
          const dtype = (spec as RequestSourceSpec).schema.find((f) => f.name === field)!.dtype;
          if (!requestFields.has(field)) requestFields.set(field, { dtype, view: ask.view.name });
          inputs.push({ name: field, dtype, from: { kind: 'request', field } });
        }
        continue;
      }
      const view = manifest.featureViews.find((v) => v.name === source.featureView)!;
      for (const feature of source.features) {
        const field = view.features.find((f) => f.name === feature)!;
        inputs.push({ name: feature, dtype: field.dtype, from: storedInput(view.name, field) });
      }
    }
    return {
      view: ask.view,
      name: ask.name,
      outputs: ask.features,
      outputNames: ask.features.map((f) => (fullFeatureNames ? `${ask.name}__${f.name}` : f.name)),
      inputs,
    };
  });

  function storedInput(viewName: string, field: FieldSpec): InputSource {
    const at = stored.findIndex((p) => p.view.name === viewName && sameKeysAsView(p) && p.features.includes(field));
    if (at >= 0) return { kind: 'stored', projection: at, feature: stored[at].features.indexOf(field) };
    let h = hidden.findIndex((x) => x.p.view.name === viewName);
    if (h < 0) {
      const view = manifest.featureViews.find((v) => v.name === viewName)!;
      const features: FieldSpec[] = [];
      hidden.push({ p: { view, name: view.name, features, joinKeys: view.joinKeys.map((k) => ({ ...k, column: k.name })) }, features });
      h = hidden.length - 1;
    }
    const features = hidden[h].features;
    if (!features.includes(field)) features.push(field);
    return { kind: 'stored', projection: stored.length + h, feature: features.indexOf(field) };
  }

  checkOutputCollisions(stored, onDemand, fullFeatureNames);
  let storedAt = 0;
  let onDemandAt = 0;
  const storedNames = new Set(stored.map((p) => p.name));
  type Item = { stored: number } | { onDemand: number };
  const order = items.flatMap((i): Item[] => (typeof i !== 'string' ? [{ onDemand: onDemandAt++ }] : storedNames.has(i) ? [{ stored: storedAt++ }] : []));
  const hiddenProjections = hidden.map((h) => h.p);
  const storedSelection =
    stored.length === 0
      ? undefined
      : selection.featureService !== undefined
        ? { featureService: selection.featureService }
        : { features: selection.features!.filter((ref) => !asks.some((a) => ref.startsWith(`${a.view.name}:`))) };
  return {
    stored,
    storedSelection,
    hidden: hiddenProjections,
    hiddenRefs: hiddenProjections.flatMap((p) => p.features.map((f) => `${p.view.name}:${f.name}`)),
    onDemand,
    order,
    requestFields,
  };
}

function checkOutputCollisions(stored: readonly ResolvedProjection[], onDemand: readonly OnDemandProjection[], fullFeatureNames: boolean): void {
  const seen = new Map<string, string>();
  for (const p of stored) for (const f of p.features) seen.set(outputName(p, f.name, fullFeatureNames), p.name);
  for (const p of onDemand) {
    for (const name of p.outputNames) {
      const previous = seen.get(name);
      if (previous !== undefined) {
        throw new FeatureStoreError(
          'FEATURE_NAME_COLLISION',
          `feature name "${name}" is returned by both "${previous}" and "${p.name}"`,
          fullFeatureNames ? 'give one of the projections another name with withName()' : 'set fullFeatureNames to get view__feature column names',
        );
      }
      seen.set(name, p.name);
    }
  }
}

const MAX_CACHED_PLANS = 256;
const cache = new WeakMap<Manifest, Map<string, OnDemandPlan | undefined>>();

/** Callers that reuse their feature list (the server's parser does) skip building the cache key; the copy guards against later edits. */
const byList = new WeakMap<readonly string[], { manifest: Manifest; fullFeatureNames: boolean; copy: readonly string[]; plan: OnDemandPlan | undefined }>();

/** `compileOnDemandPlan`, cached per manifest and selection. */
export function onDemandPlan(manifest: Manifest, selection: FeatureSelection, fullFeatureNames: boolean): OnDemandPlan | undefined {
  if (onDemandViews(manifest).length === 0) return undefined;
  const list = selection.features;
  const known = list && selection.featureService === undefined ? byList.get(list) : undefined;
  if (known && known.manifest === manifest && known.fullFeatureNames === fullFeatureNames && sameList(list!, known.copy)) return known.plan;
  const plan = cachedPlan(manifest, selection, fullFeatureNames);
  if (list && Array.isArray(list) && selection.featureService === undefined) byList.set(list, { manifest, fullFeatureNames, copy: [...list], plan });
  return plan;
}

function cachedPlan(manifest: Manifest, selection: FeatureSelection, fullFeatureNames: boolean): OnDemandPlan | undefined {
  let plans = cache.get(manifest);
  if (!plans) cache.set(manifest, (plans = new Map()));
  const key = JSON.stringify([selection.features ?? null, selection.featureService ?? null, fullFeatureNames]);
  if (plans.has(key)) return plans.get(key);
  const plan = compileOnDemandPlan(manifest, selection, fullFeatureNames);
  if (plans.size >= MAX_CACHED_PLANS) plans.delete(plans.keys().next().value!);
  plans.set(key, plan);
  return plan;
}
