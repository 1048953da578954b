import { FeatureStoreError } from '../errors';
import type { FeatureViewSpec, FieldSpec, JoinKeySpec, Manifest } from './schema';

/** What a caller asks for: `view:feature` references or a feature service name. */
export interface FeatureSelection {
  /** `view:feature` (or `alias:feature` inside a service). */
  readonly features?: readonly string[];
  readonly featureService?: string;
}

/** One view's part of a request, after projections are applied. */
export interface ResolvedProjection {
  readonly view: FeatureViewSpec;
  /** The name used in output columns: the alias or the view name. */
  readonly name: string;
  readonly features: readonly FieldSpec[];
  /** The view's join keys, each with the entity-row column it is read from. */
  readonly joinKeys: readonly (JoinKeySpec & { column: string })[];
}

/** Output column name for a feature, as Feast names it. */
export function outputName(p: ResolvedProjection, feature: string, fullFeatureNames: boolean): string {
  return fullFeatureNames ? `${p.name}__${feature}` : feature;
}

/**
 * Resolves a selection into projections (one per view or alias, in request order),
 * and checks that output names do not collide.
 */
export function resolveFeatures(
  manifest: Manifest,
  selection: FeatureSelection,
  fullFeatureNames: boolean,
): ResolvedProjection[] {
  const hasFeatures = selection.features !== undefined && selection.features.length > 0;
  if (hasFeatures === (selection.featureService !== undefined)) {
    throw new FeatureStoreError(
      'REQUEST_INVALID',
      'give either features or a feature service, not both or neither',
      'pass features as ["view:feature", ...] or featureService: "<name>"',
    );
  }
  const projections = hasFeatures
    ? fromReferences(manifest, selection.features!)
    : fromService(manifest, selection.featureService!);
  checkCollisions(projections, fullFeatureNames);
  return projections;
}

/** The named view, or UNKNOWN_FEATURE_VIEW listing the known ones. */
export function findFeatureView(manifest: Manifest, name: string): FeatureViewSpec {
  const view = manifest.featureViews.find((v) => v.name === name);
  if (!view) {
    const known = manifest.featureViews.map((v) => v.name).join(', ');
    throw new FeatureStoreError('UNKNOWN_FEATURE_VIEW', `unknown feature view "${name}"`, `known views: ${known || '(none)'}`);
  }
  return view;
}

function findField(view: FeatureViewSpec, feature: string): FieldSpec {
  const field = view.features.find((f) => f.name === feature);
  if (!field) {
    throw new FeatureStoreError(
      'UNKNOWN_FEATURE',
      `feature view "${view.name}" has no feature "${feature}"`,
      `its features are: ${view.features.map((f) => f.name).join(', ')}`,
    );
  }
  return field;
}

/** Whether `name` is an on-demand view: resolveFeatures leaves those to runtime/on-demand, which computes them. */
export function isOnDemandView(manifest: Manifest, name: string): boolean {
  return manifest.onDemandFeatureViews?.some((v) => v.name === name) ?? false;
}

function fromReferences(manifest: Manifest, refs: readonly string[]): ResolvedProjection[] {
  const byView = new Map<string, FieldSpec[]>();
  for (const ref of refs) {
    const m = /^([^:]+):([^:]+)$/.exec(ref);
    if (!m) {
      throw new FeatureStoreError('UNKNOWN_FEATURE', `feature reference "${ref}" is not of the form view:feature`, 'write it as "driver_hourly_stats:conv_rate"');
    }
    if (isOnDemandView(manifest, m[1])) continue;
    const view = findFeatureView(manifest, m[1]);
    const field = findField(view, m[2]);
    const list = byView.get(view.name) ?? [];
    if (!list.includes(field)) list.push(field);
    byView.set(view.name, list);
  }
  return [...byView].map(([viewName, features]) => {
    const view = findFeatureView(manifest, viewName);
    return { view, name: view.name, features, joinKeys: view.joinKeys.map((k) => ({ ...k, column: k.name })) };
  });
}

function fromService(manifest: Manifest, serviceName: string): ResolvedProjection[] {
  const service = manifest.featureServices.find((s) => s.name === serviceName);
  if (!service) {
    const known = manifest.featureServices.map((s) => s.name).join(', ');
    throw new FeatureStoreError('UNKNOWN_FEATURE_SERVICE', `unknown feature service "${serviceName}"`, `known services: ${known || '(none)'}`);
  }
  return service.projections.filter((p) => !isOnDemandView(manifest, p.featureView)).map((p) => {
    const view = findFeatureView(manifest, p.featureView);
    return {
      view,
      name: p.alias ?? view.name,
      features: p.features.map((f) => findField(view, f)),
      joinKeys: view.joinKeys.map((k) => ({ ...k, column: p.joinKeyMap[k.name] ?? k.name })),
    };
  });
}

function checkCollisions(projections: readonly ResolvedProjection[], fullFeatureNames: boolean): void {
  const seen = new Map<string, string>();
  for (const p of projections) {
    for (const f of p.features) {
      const out = outputName(p, f.name, fullFeatureNames);
      const previous = seen.get(out);
      if (previous !== undefined) {
        throw new FeatureStoreError(
          'FEATURE_NAME_COLLISION',
          `feature name "${out}" is returned by both "${previous}" and "${p.name}"`,
          fullFeatureNames ? 'give one of the projections another name with withName()' : 'set fullFeatureNames to get view__feature column names',
        );
      }
      seen.set(out, p.name);
    }
  }
}
