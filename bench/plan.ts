/**
 * `featurestack plan` on a 1,000-view repository: 1,000 feature views of 10 features,
 * 100 services, 1,200 Terraform resources, with 50 views and 60 resources changed.
 * Prints the time to diff and render in memory, and from two cdktf.out folders on disk
 * (read, validate, diff, render) — the work the CLI does after start-up.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { canonicalJson, withHash } from '../runtime/manifest/canonical';
import type { FeatureViewSpec, Manifest } from '../runtime/manifest/schema';
import { parseManifest } from '../runtime/manifest/validate';
import { buildPlan, planRevisions, PLAN_FORMATS, renderPlan, resourcesOf } from '../runtime/plan';
import { diffFeatures } from '../runtime/plan/feature-diff';
import { diffInfrastructure } from '../runtime/plan/infra-diff';

const execFileAsync = promisify(execFile);
const VIEWS = 1000;
const FEATURES_PER_VIEW = 10;
const SOURCES = 200;
const SERVICES = 100;

const meta = { description: '', tags: { team: 'bench' }, owner: 'bench@example.com' };
const pad = (i: number) => String(i).padStart(4, '0');

function view(i: number, change: 'none' | 'dtype' | 'ttl' | 'feature'): FeatureViewSpec {
  const features = Array.from({ length: FEATURES_PER_VIEW }, (_, f) => ({ name: `f${f}`, dtype: f === 0 && change === 'dtype' ? 'Float64' : 'Float32', description: '', tags: {} }) as const);
  return withHash<FeatureViewSpec>({
    name: `view_${pad(i)}`,
    entities: [`entity_${i % 100}`],
    joinKeys: [{ name: `key_${i % 100}`, valueType: 'Int64' }],
    features: change === 'feature' ? [...features, { name: 'extra', dtype: 'Int64', description: '', tags: {} }] : features,
    ttlSeconds: change === 'ttl' ? 3600 : 86400,
    source: `source_${i % SOURCES}`,
    batchSource: `source_${i % SOURCES}`,
    online: true,
    offline: true,
    ...meta,
  });
}

function manifest(changed: boolean): Manifest {
  const changeOf = (i: number) => (!changed || i % 20 !== 0 ? 'none' : (['dtype', 'ttl', 'feature'] as const)[(i / 20) % 3]);
  return withHash<Manifest>({
    manifestVersion: 1,
    project: 'bench',
    stack: 'prod',
    onlineStore: withHash({ kind: 'redis', host: 'redis', port: 6380, tls: true, cluster: false, passwordEnv: null, layout: 'compact', keyTtlSeconds: null }),
    lakes: [withHash({ kind: 'hdfs', name: 'onprem', webhdfsUrl: 'http://namenode:9870/webhdfs/v1', user: 'feast' })],
    entities: Array.from({ length: 100 }, (_, i) => withHash({ name: `entity_${i}`, joinKeys: [{ name: `key_${i}`, valueType: 'Int64' }], ...meta })),
    dataSources: Array.from({ length: SOURCES }, (_, i) =>
      withHash({ kind: 'batch', name: `source_${i}`, declaredAs: 'hdfs', lake: 'onprem', filesystem: null, path: `/data/s${i}`, format: 'parquet', timestampField: 'ts', createdTimestampColumn: null, fieldMapping: {}, ...meta }),
    ),
    featureViews: Array.from({ length: VIEWS }, (_, i) => view(i, changeOf(i))),
    featureServices: Array.from({ length: SERVICES }, (_, s) =>
      withHash({
        name: `service_${s}`,
        projections: Array.from({ length: 10 }, (_, p) => ({ featureView: `view_${pad(s * 10 + p)}`, alias: null, features: ['f0', 'f1', 'f2', 'f3', 'f4'], joinKeyMap: {} })),
        ...meta,
      }),
    ),
  } as Omit<Manifest, 'hash'>);
}

function terraform(changed: boolean): object {
  const paths = Object.fromEntries(
    Array.from({ length: SOURCES }, (_, i) => [`s${i}`, { '//': { metadata: { path: `prod/s${i}` } }, path: `s${i}`, filesystem_name: 'features', storage_account_id: '${azurerm_storage_account.lake.id}', resource: 'directory' }]),
  );
  const jobs = Object.fromEntries(
    Array.from({ length: VIEWS }, (_, i) => [`v${i}`, { name: `materialize-${i}`, schedule: { quartz_cron_expression: changed && i % 20 === 0 ? '0 30 * * * ?' : '0 0 * * * ?', timezone_id: 'UTC' } }]),
  );
  const account = { name: 'lake', location: 'westeurope', resource_group_name: 'rg', account_tier: 'Standard', account_replication_type: changed ? 'ZRS' : 'LRS', is_hns_enabled: true };
  return { resource: { azurerm_storage_account: { lake: account }, azurerm_storage_data_lake_gen2_path: paths, databricks_job: jobs } };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface Timing {
  /** Median wall-clock time of one run. */
  wall: number;
  /** Median CPU time (user + system) of one run: steadier than wall time on a shared machine. */
  cpu: number;
}

async function time(runs: number, work: () => unknown): Promise<Timing> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    await work();
    const used = process.cpuUsage(startCpu);
    wall.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function writeStack(root: string, m: Manifest, tf: object): void {
  mkdirSync(join(root, 'stacks', 'prod', 'featurestack'), { recursive: true });
  writeFileSync(join(root, 'stacks', 'prod', 'featurestack', 'registry.json'), canonicalJson(m));
  writeFileSync(join(root, 'stacks', 'prod', 'cdk.tf.json'), canonicalJson(tf));
}

export async function run(): Promise<void> {
  const base = { label: 'base', manifest: manifest(false), resources: resourcesOf(terraform(false), 'base') };
  const head = { label: 'head', manifest: manifest(true), resources: resourcesOf(terraform(true), 'head') };
  const plan = buildPlan('prod', base, head);
  const diff = await time(20, () => buildPlan('prod', base, head));
  const featureDiff = await time(20, () => diffFeatures(base.manifest, head.manifest));
  const infraDiff = await time(20, () => diffInfrastructure(base.resources, head.resources));
  const baseJson = canonicalJson(base.manifest);
  const validate = await time(5, () => parseManifest(JSON.parse(baseJson), 'base'));
  const renders = Object.fromEntries(await Promise.all(PLAN_FORMATS.map(async (f) => [f, await time(20, () => renderPlan(plan, f))] as const)));

  const dir = mkdtempSync(join(tmpdir(), 'bench-plan-'));
  try {
    writeStack(join(dir, 'base'), base.manifest, terraform(false));
    writeStack(join(dir, 'head'), head.manifest, terraform(true));
    const fromDisk = await time(5, async () =>
      renderPlan(await planRevisions({ base: join(dir, 'base'), head: join(dir, 'head'), cwd: dir, log: () => undefined }), 'markdown'),
    );
    const ms = (t: Timing) => `${t.wall.toFixed(1)} ms (cpu ${t.cpu.toFixed(1)} ms)`;
    console.log(`plan: ${VIEWS} views × ${FEATURES_PER_VIEW} features, ${SERVICES} services, ${base.resources.size} resources`);
    console.log(`  changes found: ${plan.features.length} objects (${plan.summary.breaking} breaking), ${plan.infrastructure?.length} resources`);
    console.log(`  diff, in memory                       p50 ${ms(diff)}`);
    console.log(`    of which features                   p50 ${ms(featureDiff)}`);
    console.log(`    of which infrastructure             p50 ${ms(infraDiff)}`);
    console.log(`  parse + validate one registry         p50 ${ms(validate)}`);
    for (const format of PLAN_FORMATS) console.log(`  render ${format.padEnd(31)}p50 ${ms(renders[format])}`);
    console.log(`  whole plan from two cdktf.out folders p50 ${ms(fromDisk)}  (read, validate, diff, markdown)`);
    const cli = await time(1, () =>
      execFileAsync(process.execPath, [join(__dirname, '..', 'bin', 'featurestack.js'), 'plan', '--base', join(dir, 'base'), '--head', join(dir, 'head'), '--format', 'markdown'], { maxBuffer: 64 << 20 }),
    );
    console.log(`  the CLI, start-up included            ${cli.wall.toFixed(0)} ms wall  (node bin/featurestack.js: tsx compiles the CLI at start)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  run().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
