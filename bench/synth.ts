/**
 * Synth time for a generated repository of 1,000 feature views (10 features each,
 * 100 entities, 50 services), in two shapes: on a local lake (registry only) and on a
 * new ADLS lake with a folder, a Databricks job and its snapshot SQL per view
 * (registry + Terraform).
 * Wall and CPU time are printed: on a shared machine the CPU figure is the stable one.
 * Run: npx tsx bench/synth.ts [views]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import {
  AdlsLake,
  AdlsSource,
  AzureProvider,
  DatabricksMaterializationJobs,
  DatabricksWorkspace,
  EmbeddedOnlineStore,
  Entity,
  FeatureRepo,
  FeatureService,
  FeatureView,
  FileSource,
  Float64,
  IAdlsLake,
  Int64,
  LocalLake,
  ResourceGroup,
} from '../constructs';

type Shape = 'local' | 'azure';

function declare(stack: TerraformStack, shape: Shape, views: number): FeatureRepo {
  const repo = new FeatureRepo(stack, 'repo', { project: 'bench', onlineStore: new EmbeddedOnlineStore(stack, 'online', { path: 'online' }) });
  const local = new LocalLake(stack, 'lake', { root: 'lake' });
  let adls: IAdlsLake | undefined;
  if (shape === 'azure') {
    new AzureProvider(stack, 'azure');
    adls = new AdlsLake(stack, 'adls', { accountName: 'benchlake', resourceGroup: ResourceGroup.fromExisting('bench-rg', 'westeurope') });
  }
  const entities = Array.from({ length: 100 }, (_, i) => new Entity(repo, `entity_${i}`, { valueType: Int64 }));
  const all: FeatureView[] = [];
  for (let v = 0; v < views; v++) {
    const common = { timestampField: 'event_timestamp', createdTimestampColumn: 'created' };
    const source = adls
      ? new AdlsSource(repo, `source_${v}`, { ...common, lake: adls, filesystem: `fs${v % 10}`, path: `view_${v}` })
      : new FileSource(repo, `source_${v}`, { ...common, lake: local, path: `view_${v}` });
    const schema = Array.from({ length: 10 }, (_, f) => ({ name: `feature_${f}`, dtype: f % 2 ? Float64 : Int64 }));
    all.push(new FeatureView(repo, `view_${v}`, { entities: [entities[v % entities.length]], schema, source }));
  }
  for (let s = 0; s < 50; s++) {
    new FeatureService(repo, `service_${s}`, { features: [0, 1, 2, 3, 4].map((k) => all[(s * 20 + k) % all.length].select(['feature_0', 'feature_3']).withName(`alias_${s}_${k}`)) });
  }
  if (shape === 'azure') {
    const workspace = DatabricksWorkspace.fromExisting(stack, 'databricks', 'https://adb-1.1.azuredatabricks.net');
    const registryUrl = 'abfss://registry@benchlake.dfs.core.windows.net/registry.json';
    new DatabricksMaterializationJobs(stack, 'materialize', { manifest: repo.toManifest(), registryUrl, workspace });
  }
  return repo;
}

function measure(shape: Shape, views: number): void {
  const outdir = mkdtempSync(join(tmpdir(), 'featurestack-bench-'));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const app = new App({ outdir });
  const stack = new TerraformStack(app, shape);
  declare(stack, shape, views);
  const t1 = performance.now();
  const cpu1 = process.cpuUsage();
  app.synth();
  const t2 = performance.now();
  const cpu2 = process.cpuUsage();
  const cpuMs = (from: NodeJS.CpuUsage, to: NodeJS.CpuUsage) => ((to.user + to.system - from.user - from.system) / 1000).toFixed(0);
  const size = (file: string) => (statSync(join(outdir, 'stacks', shape, file)).size / 1024).toFixed(0);
  console.log(
    `${shape.padEnd(5)} ${views} views: declare ${(t1 - t0).toFixed(0)} ms (cpu ${cpuMs(cpu0, cpu1)}), ` +
      `synth ${(t2 - t1).toFixed(0)} ms (cpu ${cpuMs(cpu1, cpu2)}) ` +
      `(registry.json ${size('featurestack/registry.json')} KiB, cdk.tf.json ${size('cdk.tf.json')} KiB)`,
  );
  rmSync(outdir, { recursive: true, force: true });
}

const views = Number(process.argv[2] ?? 1000);
measure('local', 50); // warm-up: module loading and JIT
for (const shape of ['local', 'azure'] as const) measure(shape, views);
