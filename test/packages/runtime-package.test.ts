/**
 * The runtime as a Node service gets it: `npm pack` of the workspace package, installed
 * into a scratch project outside the repository with nothing else from it, type-checked
 * by tsc against the shipped declarations, then a training set and an online lookup
 * through the public API on the demo's registry, and the linked `featurestack` bin.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, run, scratchProject, TYPESCRIPT } from './scratch';

const SERVICE = join(__dirname, 'service');

describe('the @featurestack/runtime package', () => {
  let scratch: string;
  let demo: string;

  beforeAll(async () => {
    expect(existsSync(join(ROOT, 'runtime/dist/index.js'))).toBe(true); // built by npm ci (prepare)
    scratch = await scratchProject('featurestack-service-', [join(SERVICE, 'service.ts'), join(SERVICE, 'tsconfig.json')], ['@featurestack/runtime'], TYPESCRIPT);
    demo = mkdtempSync(join(tmpdir(), 'featurestack-service-demo-'));
    await run('npx', ['tsx', 'hybrid-stack/demo.ts', '--dir', demo, '--json'], { cwd: ROOT, maxBuffer: 1 << 24 });
  }, 300_000);

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(demo, { recursive: true, force: true });
  });

  it('installs without cdktf, the providers or a TypeScript loader', () => {
    for (const pkg of ['cdktf', 'constructs', '@cdktf/provider-azurerm', 'tsx', 'ts-node', 'esbuild']) {
      expect([pkg, existsSync(join(scratch, 'node_modules', pkg))]).toEqual([pkg, false]);
    }
  });

  it('type-checks a service against the shipped declarations', async () => {
    await run(join(scratch, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: scratch }); // throws with tsc's report
  }, 120_000);

  it('builds a training set and looks features up online through the public API', async () => {
    const registry = join(demo, 'cdktf.out/stacks/local/featurestack/registry.json');
    const { stdout } = await run(process.execPath, [join(scratch, 'out/service.js'), registry], { cwd: demo });
    const out = JSON.parse(stdout);
    expect(out.featureNames).toEqual(['taxi_id', 'trip_count', 'avg_fare', 'avg_trip_miles', 'total_tips', 'avg_temp', 'total_rain', 'precipitation_type']);
    // taxi_0001 has taxi and weather values; taxi_9999 has no taxi row, and weather is entity-less.
    expect(out.statuses).toEqual([
      ['PRESENT', 'PRESENT'],
      ...Array(4).fill(['PRESENT', 'NOT_FOUND']),
      ...Array(3).fill(['PRESENT', 'PRESENT']),
    ]);
    expect(out.trainingRows).toBe(2);
    expect(out.trainingColumns).toEqual(['taxi_id', 'event_timestamp', ...out.featureNames.slice(1)]);
    // The on-demand view's bundle (checked by its hash) runs in the service, without esbuild or tsx: 18.5 / 4.2 miles.
    expect(out.quotedFarePerMile).toEqual({ online: 18.5 / 4.2, training: 18.5 / 4.2 });
  }, 120_000);

  it('links the featurestack bin, which runs without a build step', async () => {
    const { stdout } = await run(join(scratch, 'node_modules/.bin/featurestack'), ['--help'], { cwd: scratch });
    expect(stdout).toContain('get-historical');
    expect(stdout).toContain('serve');
  });
});
