import { withHash } from '../../runtime/manifest/canonical';
import type { Manifest, OnDemandFeatureViewSpec } from '../../runtime/manifest/schema';
import { parseManifest } from '../../runtime/manifest/validate';
import { buildPlan, renderPlan } from '../../runtime/plan';
import { feature, manifestWith, type ManifestDraft } from '../plan/fixtures';

type OnDemandDraft = Omit<OnDemandFeatureViewSpec, 'hash'>;

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

function quote(change: (v: OnDemandDraft) => void = () => undefined): OnDemandDraft {
  const v: OnDemandDraft = {
    name: 'trip_quote',
    sources: [
      { kind: 'request', source: 'quote_request', fields: ['quoted_fare'] },
      { kind: 'featureView', featureView: 'driver_hourly_stats', features: ['conv_rate'] },
    ],
    features: [feature('fare_per_rate', 'Float64'), feature('is_high', 'Bool')],
    transform: { module: 'features/quote.ts', export: 'quote', mode: 'row', bundle: 'transforms/trip_quote.js', bundleSha256: SHA_A },
    description: '',
    tags: {},
    owner: '',
  };
  change(v);
  return v;
}

/** The plan fixture's manifest with a request source, the on-demand view and a service using it. */
function manifest(view: OnDemandDraft | null, change: (d: ManifestDraft) => void = () => undefined): Manifest {
  const m = manifestWith((d) => {
    d.dataSources.push({ kind: 'request', name: 'quote_request', schema: [feature('quoted_fare', 'Float64')], description: '', tags: {}, owner: '' });
    d.featureServices.push({ name: 'pricing', projections: [{ featureView: 'trip_quote', alias: null, features: ['fare_per_rate'], joinKeyMap: {} }], description: '', tags: {}, owner: '' });
    if (!view) d.featureServices.pop();
    change(d);
  });
  const { hash: _, ...body } = m;
  return parseManifest(withHash<Manifest>({ ...body, ...(view ? { onDemandFeatureViews: [withHash<OnDemandFeatureViewSpec>(view)] } : {}) }), 'test');
}

const side = (m: Manifest, label: string) => ({ label, manifest: m, resources: null });
const plan = (base: Manifest, head: Manifest) => buildPlan('prod', side(base, 'base'), side(head, 'head'));
const reasons = (p: ReturnType<typeof plan>) => p.breaking.map((b) => `${b.kind} ${b.name}: ${b.reason} [${b.consumers.join(', ')}]`);

describe('plan with on-demand views', () => {
  it('a changed transform (its bundle hash) is breaking for the services using the view', () => {
    const p = plan(manifest(quote()), manifest(quote((v) => (v.transform.bundleSha256 = SHA_B))));
    expect(reasons(p)).toEqual([
      'onDemandFeatureView trip_quote: transform code changed (bundle sha256 aaaaaaaaaaaa → bbbbbbbbbbbb): its features may take other values; models trained on them need new training sets [pricing]',
    ]);
    expect(renderPlan(p, 'text')).toContain('! on-demand view trip_quote: transform code changed');
  });

  it('a changed output dtype is breaking for the services projecting that feature; a new output is not', () => {
    const dtype = plan(manifest(quote()), manifest(quote((v) => (v.features[0].dtype = 'Float32'))));
    expect(reasons(dtype)).toEqual(['onDemandFeatureView trip_quote: dtype of feature fare_per_rate changed Float64 → Float32 [pricing]']);
    const added = plan(manifest(quote()), manifest(quote((v) => v.features.push(feature('extra', 'Int64')))));
    expect(added.breaking).toEqual([]);
    expect(added.features.map((f) => `${f.kind} ${f.name} ${f.action}`)).toEqual(['onDemandFeatureView trip_quote update']);
  });

  it('removing a used output, the view, or changing its inputs is breaking; moving the module alone is not', () => {
    const useIsHigh = (d: ManifestDraft) => (d.featureServices.find((s) => s.name === 'pricing')!.projections[0].features = ['is_high']);
    expect(reasons(plan(manifest(quote()), manifest(quote((v) => v.features.splice(0, 1)), useIsHigh)))).toEqual([
      'onDemandFeatureView trip_quote: feature fare_per_rate removed while feature services use it [pricing]',
      'featureService pricing: no longer returns trip_quote:fare_per_rate [pricing]',
    ]);
    const inputs = reasons(plan(manifest(quote()), manifest(quote((v) => (v.sources = v.sources.slice(1))))));
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toMatch(/^onDemandFeatureView trip_quote: inputs changed .*callers may have to send other request fields \[pricing\]$/);
    expect(plan(manifest(quote()), manifest(quote((v) => (v.transform.module = 'features/pricing/quote.ts')))).breaking).toEqual([]);
    const removed = plan(manifest(quote()), manifest(null, (d) => (d.featureServices = d.featureServices.filter((s) => s.name !== 'pricing'))));
    expect(reasons(removed)).toContain('featureService pricing: feature service removed: clients requesting it fail [pricing]');
  });

  it('a change to a stored feature an on-demand view reads names the services of that view', () => {
    const p = plan(manifest(quote()), manifest(quote(), (d) => (d.featureViews[0].features[0].dtype = 'Float64')));
    expect(reasons(p)).toEqual(['featureView driver_hourly_stats: dtype of feature conv_rate changed Float32 → Float64 [driver_activity, pricing]']);
  });

  it('a created on-demand view is listed with its transform and inputs', () => {
    const p = plan(manifest(null), manifest(quote()));
    const created = p.features.find((f) => f.kind === 'onDemandFeatureView')!;
    expect(created).toMatchObject({ name: 'trip_quote', action: 'create', summary: '2 features computed by quote (features/quote.ts, bundle sha256 aaaaaaaaaaaa) from request quote_request, driver_hourly_stats' });
    expect(renderPlan(p, 'markdown')).toContain('on-demand view **`trip_quote`**');
  });
});

describe('the Spark training job', () => {
  it('refuses on-demand views rather than leaving their columns out', () => {
    const { trainingSql } = require('../../runtime/spark/training-sql') as typeof import('../../runtime/spark/training-sql');
    const { SPARK } = require('../../runtime/spark/dialect') as typeof import('../../runtime/spark/dialect');
    expect(() => trainingSql(manifest(quote()), { featureService: 'pricing', entityUrl: 'e.parquet', outputUrl: 'o.parquet' } as never, SPARK)).toThrow(
      'the Spark training job cannot compute on-demand views (trip_quote): their transforms are TypeScript',
    );
  });
});
