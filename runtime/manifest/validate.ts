import { FeatureStoreError } from '../errors';
import { canonicalJson } from './canonical';
import { HdfsPlan, hdfsPlanSchema, Manifest, manifestSchema, MANIFEST_VERSION } from './schema';

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** Checks shape and cross-references; throws MANIFEST_INVALID naming the bad field. */
export function parseManifest(value: unknown, origin: string): Manifest {
  const version = (value as { manifestVersion?: unknown } | null)?.manifestVersion;
  if (version !== undefined && version !== MANIFEST_VERSION) {
    throw new FeatureStoreError(
      'MANIFEST_INVALID',
      `${origin}: manifestVersion ${JSON.stringify(version)} is not supported (this runtime reads version ${MANIFEST_VERSION})`,
      'synthesize the registry again with the same featurestack version as the runtime',
    );
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    throw new FeatureStoreError(
      'MANIFEST_INVALID',
      `${origin}: ${describeIssues(parsed.error.issues)}`,
      'the registry is written by `cdktf synth`; synthesize it again rather than editing it by hand',
    );
  }
  checkReferences(parsed.data, origin);
  return parsed.data;
}

function checkReferences(m: Manifest, origin: string): void {
  const fail = (path: string, msg: string): never => {
    throw new FeatureStoreError('MANIFEST_INVALID', `${origin}: ${path}: ${msg}`, 'synthesize the registry again');
  };
  const lakes = new Set(m.lakes.map((l) => l.name));
  const entities = new Set(m.entities.map((e) => e.name));
  const sources = new Map(m.dataSources.map((s) => [s.name, s]));
  const views = new Map(m.featureViews.map((v) => [v.name, v]));
  m.dataSources.forEach((s, i) => {
    if (s.kind === 'batch' && !lakes.has(s.lake)) fail(`dataSources[${i}].lake`, `unknown lake "${s.lake}"`);
    if (s.kind === 'push' && sources.get(s.batchSource)?.kind !== 'batch')
      fail(`dataSources[${i}].batchSource`, `"${s.batchSource}" is not a batch source`);
  });
  m.featureViews.forEach((v, i) => {
    v.entities.forEach((e) => entities.has(e) || fail(`featureViews[${i}].entities`, `unknown entity "${e}"`));
    if (!sources.has(v.source)) fail(`featureViews[${i}].source`, `unknown source "${v.source}"`);
    if (sources.get(v.batchSource)?.kind !== 'batch')
      fail(`featureViews[${i}].batchSource`, `"${v.batchSource}" is not a batch source`);
  });
  const onDemand = new Map((m.onDemandFeatureViews ?? []).map((v) => [v.name, v]));
  (m.onDemandFeatureViews ?? []).forEach((v, i) => {
    if (views.has(v.name)) fail(`onDemandFeatureViews[${i}].name`, `"${v.name}" is also the name of a feature view`);
    v.sources.forEach((s, j) => {
      const at = `onDemandFeatureViews[${i}].sources[${j}]`;
      const declared =
        s.kind === 'request'
          ? (() => {
              const source = sources.get(s.source);
              return source?.kind === 'request' ? source.schema : fail(at, `"${s.source}" is not a request source`);
            })()
          : (views.get(s.featureView) ?? fail(at, `unknown feature view "${s.featureView}"`)).features;
      const names = new Set(declared.map((f) => f.name));
      (s.kind === 'request' ? s.fields : s.features).forEach((f) => names.has(f) || fail(at, `"${s.kind === 'request' ? s.source : s.featureView}" has no field "${f}"`));
    });
  });
  m.featureServices.forEach((s, i) =>
    s.projections.forEach((p, j) => {
      const view = views.get(p.featureView) ?? onDemand.get(p.featureView);
      if (!view) return fail(`featureServices[${i}].projections[${j}]`, `unknown feature view "${p.featureView}"`);
      const names = new Set(view.features.map((f) => f.name));
      p.features.forEach((f) => names.has(f) || fail(`featureServices[${i}].projections[${j}]`, `view "${view.name}" has no feature "${f}"`));
    }),
  );
}

export function parseHdfsPlan(value: unknown, origin: string): HdfsPlan {
  const parsed = hdfsPlanSchema.safeParse(value);
  if (!parsed.success) {
    throw new FeatureStoreError('MANIFEST_INVALID', `${origin}: ${describeIssues(parsed.error.issues)}`, 'synthesize the plan again with `cdktf synth`');
  }
  return parsed.data;
}

/** The bytes `FeatureRepo` writes: canonical JSON. */
export function serializeManifest(m: Manifest): string {
  return canonicalJson(m);
}
