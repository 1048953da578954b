import { join } from 'node:path';
import { App, Testing } from 'cdktf';
import { FeatureService, OnDemandFeatureView, RequestSource, types } from '../../constructs';
import { parseManifest } from '../../runtime/manifest';
import { synthFiles, validationErrors } from '../definitions/helpers';
import { declareRepo, TRANSFORMS } from './fixtures';

const root = (extra?: Parameters<typeof declareRepo>[3]) => declareRepo(Testing.app(), '/lake', '/online', extra);

describe('OnDemandFeatureView at synth', () => {
  it('writes the bundle beside registry.json and records module, export, bundle and its SHA-256', () => {
    const files = synthFiles(root());
    const manifest = parseManifest(JSON.parse(files.get('featurestack/registry.json')!), 'registry');
    const view = manifest.onDemandFeatureViews!.find((v) => v.name === 'order_features')!;
    expect(view.sources).toEqual([
      { kind: 'request', source: 'order', fields: ['amount', 'currency'] },
      { kind: 'featureView', featureView: 'driver_stats', features: ['conv_rate', 'trips'] },
    ]);
    expect(view.transform).toMatchObject({ export: 'orderFeatures', mode: 'row', bundle: 'transforms/order_features.js' });
    expect(view.transform.module).toMatch(/test\/on-demand\/transforms\/order\.ts$/);
    const bundle = files.get('featurestack/transforms/order_features.js')!;
    expect(require('node:crypto').createHash('sha256').update(bundle).digest('hex')).toBe(view.transform.bundleSha256);
    // Self-contained CommonJS: no TypeScript, no import of the module it came from.
    expect(bundle).toContain('function orderFeatures(row)');
    expect(bundle).not.toMatch(/require\(["'][.\/]/);
    expect(manifest.featureServices.find((s) => s.name === 'order_scoring')!.projections[1]).toEqual({ featureView: 'order_features', alias: null, features: ['amount_per_trip', 'currency_label'], joinKeyMap: {} });
  });

  it('is deterministic: the same definitions give the same bundle and registry bytes', () => {
    const a = synthFiles(root());
    const b = synthFiles(root());
    expect(b.get('featurestack/registry.json')).toBe(a.get('featurestack/registry.json'));
    expect(b.get('featurestack/transforms/order_features.js')).toBe(a.get('featurestack/transforms/order_features.js'));
  });

  it('a repository without on-demand views has no onDemandFeatureViews key and no transforms folder', () => {
    const app = Testing.app();
    const stack = declareRepo(app, '/lake', '/online');
    for (const c of stack.node.findAll()) if (c instanceof OnDemandFeatureView || c instanceof FeatureService) stack.node.tryRemoveChild(c.node.id);
    const repo = stack.node.findChild('repo');
    for (const c of [...repo.node.children]) if (c instanceof OnDemandFeatureView || c instanceof FeatureService) repo.node.tryRemoveChild(c.node.id);
    const files = synthFiles(stack);
    expect(JSON.parse(files.get('featurestack/registry.json')!)).not.toHaveProperty('onDemandFeatureViews');
    expect([...files.keys()].filter((f) => f.includes('transforms/'))).toEqual([]);
  });

  function errorsWith(declare: Parameters<typeof declareRepo>[3]): string[] {
    return validationErrors(root(declare)).filter((e) => e.includes('/bad'));
  }

  it('a module that does not exist fails with the construct path and the fix', () => {
    const errors = errorsWith((repo, { order }) => {
      new OnDemandFeatureView(repo, 'bad', { sources: [order], schema: [{ name: 'x', dtype: types.Float64 }], transform: { module: '/nowhere/transform.ts', export: 'f' } });
    });
    expect(errors).toEqual(['test/repo/bad: transform module /nowhere/transform.ts does not exist (looked at /nowhere/transform.ts); give transform.module as an absolute path, e.g. require.resolve("./fare-per-mile")']);
  });

  it('an export that is missing or not a function fails naming it', () => {
    const missing = errorsWith((repo, { order }) => {
      new OnDemandFeatureView(repo, 'bad', { sources: [order], schema: [{ name: 'x', dtype: types.Float64 }], transform: { module: TRANSFORMS, export: 'nothing' } });
    });
    expect(missing).toEqual([`test/repo/bad: transform module ${TRANSFORMS} exports no "nothing"; export the transform function as nothing`]);
    const notFunction = errorsWith((repo, { order }) => {
      new OnDemandFeatureView(repo, 'bad', { sources: [order], schema: [{ name: 'x', dtype: types.Float64 }], transform: { module: TRANSFORMS, export: 'notAFunction' } });
    });
    expect(notFunction).toEqual([`test/repo/bad: transform module ${TRANSFORMS} exports "notAFunction" as a number, not a function; export the transform function as notAFunction`]);
  });

  it('a module that does not bundle fails with esbuild\'s first error', () => {
    const errors = errorsWith((repo, { order }) => {
      new OnDemandFeatureView(repo, 'bad', { sources: [order], schema: [{ name: 'x', dtype: types.Float64 }], transform: { module: join(__dirname, 'transforms', 'broken.js'), export: 'f' } });
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^test\/repo\/bad: transform module .*broken\.js does not bundle: /);
  });

  it('outputs that clash with each other, an input or a join key fail naming them', () => {
    const errors = errorsWith((repo, { order, stats }) => {
      new OnDemandFeatureView(repo, 'bad', {
        sources: [order, stats.select(['conv_rate'])],
        schema: [
          { name: 'score', dtype: types.Float64 },
          { name: 'score', dtype: types.Float64 },
          { name: 'amount', dtype: types.Float64 },
          { name: 'driver_id', dtype: types.Int64 },
        ],
        transform: { module: TRANSFORMS, export: 'amountCents' },
      });
    });
    expect(errors).toEqual([
      'test/repo/bad: feature "score" is declared twice; declare each feature once in schema',
      'test/repo/bad: feature "amount" has the name of one of its inputs; give the output another name, e.g. "amount_od"',
      'test/repo/bad: feature "driver_id" has the name of a join key of its sources; rename the feature',
    ]);
  });

  it('inputs that do not exist, or come twice, fail naming them', () => {
    const errors = errorsWith((repo, { order, stats }) => {
      const again = new RequestSource(repo, 'again', { schema: [{ name: 'amount', dtype: types.Float64 }] });
      new OnDemandFeatureView(repo, 'bad', {
        sources: [order, again, stats.select(['conv_rate', 'nope'])],
        schema: [{ name: 'score', dtype: types.Float64 }],
        transform: { module: TRANSFORMS, export: 'amountCents' },
      });
    });
    expect(errors).toEqual([
      'test/repo/bad: input "amount" comes from both request source "order" and request source "again"; read each name from one source (select other features of a view with view.select([...]))',
      'test/repo/bad: view "driver_stats" has no feature "nope"; select from: conv_rate, trips, acc_rate',
    ]);
  });

  it('shares its name space with feature views', () => {
    const errors = validationErrors(root((repo, { order }) => {
      new OnDemandFeatureView(repo, 'bad', { name: 'driver_stats', sources: [order], schema: [{ name: 'x', dtype: types.Float64 }], transform: { module: TRANSFORMS, export: 'amountCents' } });
    }));
    expect(errors).toContain('test/repo/bad: feature view name "driver_stats" is already used by test/repo/driver_stats; give one of them another name');
  });

  it('full synth fails at once on a bad transform, naming the construct', () => {
    const app = new App({ outdir: require('node:fs').mkdtempSync(join(require('node:os').tmpdir(), 'fs-od-synth-')) });
    declareRepo(app, '/lake', '/online', (repo, { order }) => {
      new OnDemandFeatureView(repo, 'bad', { sources: [order], schema: [{ name: 'x', dtype: types.Float64 }], transform: { module: '/nowhere.ts', export: 'f' } });
    });
    expect(() => app.synth()).toThrow(/test\/repo\/bad: transform module \/nowhere\.ts does not exist/);
  });
});

