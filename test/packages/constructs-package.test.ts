/**
 * The construct library as a feature repository gets it: the packed package (with the
 * runtime package it imports the manifest contract from) installed into a scratch
 * project with cdktf, type-checked, and synthesized into a registry the runtime accepts.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest } from '../../runtime/manifest/validate';
import { run, scratchProject, TYPESCRIPT } from './scratch';

const REPO = join(__dirname, 'feature-repo');

describe('the @featurestack/constructs package', () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await scratchProject(
      'featurestack-feature-repo-',
      [join(REPO, 'main.ts'), join(REPO, 'transform.js'), join(REPO, 'tsconfig.json')],
      ['@featurestack/runtime', '@featurestack/constructs'],
      ['cdktf@0.21', 'constructs@10', ...TYPESCRIPT],
    );
  }, 300_000);

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('type-checks and synthesizes a feature repository into a valid registry', async () => {
    await run(join(scratch, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: scratch });
    await run(process.execPath, ['out/main.js'], { cwd: scratch, env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    const file = join(scratch, 'cdktf.out/stacks/local/featurestack/registry.json');
    expect(existsSync(file)).toBe(true);
    const manifest = parseManifest(JSON.parse(readFileSync(file, 'utf8')), file);
    expect(manifest.project).toBe('scratch');
    expect(manifest.featureViews.map((v) => [v.name, v.features.map((f) => [f.name, f.dtype])])).toEqual([['driver_stats', [['conv_rate', 'Float32']]]]);
    expect(manifest.featureServices.map((s) => s.name)).toEqual(['driver_service']);
    // The on-demand view is bundled by the package's own esbuild, beside the registry, with its hash recorded.
    const view = manifest.onDemandFeatureViews![0];
    expect(view).toMatchObject({ name: 'scaled', transform: { export: 'scaledRate', bundle: 'transforms/scaled.js' } });
    const bundle = readFileSync(join(scratch, 'cdktf.out/stacks/local/featurestack', view.transform.bundle));
    expect(createHash('sha256').update(bundle).digest('hex')).toBe(view.transform.bundleSha256);
  }, 120_000);
});
