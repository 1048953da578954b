/** A small repository with on-demand views, synthesized for real, on a local lake and an embedded store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table } from 'apache-arrow';
import { App, TerraformStack } from 'cdktf';
import {
  EmbeddedOnlineStore,
  Entity,
  FeatureRepo,
  FeatureService,
  FeatureView,
  FileSource,
  type IOnlineStore,
  LocalLake,
  OnDemandFeatureView,
  RequestSource,
  types,
} from '../../constructs';
import { FeatureStore } from '../../runtime/feature-store';
import { tableToParquet } from '../../runtime/io/parquet';
import { float64s, HOUR, int64s, strings, T0, timestamps } from '../offline/fixtures';
import { mkdir, writeFile } from 'node:fs/promises';

export const TRANSFORMS = join(__dirname, 'transforms', 'order.ts');
export { HOUR, T0 };

/** Declares the test repository; `extra` adds more definitions under the repo. */
export function declareRepo(
  app: App,
  lakeRoot: string,
  onlinePath: string,
  extra?: (repo: FeatureRepo, views: { stats: FeatureView; order: RequestSource }) => void,
  onlineStore: (stack: TerraformStack) => IOnlineStore = (stack) => new EmbeddedOnlineStore(stack, 'online', { path: onlinePath }),
): TerraformStack {
  const stack = new TerraformStack(app, 'test');
  const lake = new LocalLake(stack, 'lake', { root: lakeRoot });
  const repo = new FeatureRepo(stack, 'repo', { project: 'ondemand', onlineStore: onlineStore(stack) });
  const driver = new Entity(repo, 'driver', { joinKeys: ['driver_id'], valueType: types.Int64 });
  const stats = new FeatureView(repo, 'driver_stats', {
    entities: [driver],
    schema: [
      { name: 'conv_rate', dtype: types.Float64 },
      { name: 'trips', dtype: types.Int64 },
      { name: 'acc_rate', dtype: types.Float64 },
    ],
    source: new FileSource(repo, 'driver_stats_source', { lake, path: 'driver_stats', timestampField: 'event_timestamp', createdTimestampColumn: 'created' }),
  });
  const order = new RequestSource(repo, 'order', {
    schema: [
      { name: 'amount', dtype: types.Float64 },
      { name: 'currency', dtype: types.String },
    ],
  });
  const orderFeatures = new OnDemandFeatureView(repo, 'order_features', {
    sources: [order, stats.select(['conv_rate', 'trips'])],
    schema: [
      { name: 'amount_per_trip', dtype: types.Float64 },
      { name: 'big_order', dtype: types.Bool },
      { name: 'currency_label', dtype: types.String },
      { name: 'trips_plus_one', dtype: types.Int64 },
    ],
    transform: { module: TRANSFORMS, export: 'orderFeatures' },
    description: 'Order amount against the driver',
  });
  const amountRequest = new RequestSource(repo, 'amount_only', { schema: [{ name: 'amount', dtype: types.Float64 }] });
  new OnDemandFeatureView(repo, 'amount_cents', {
    sources: [amountRequest],
    schema: [{ name: 'amount_cents', dtype: types.Int64 }],
    transform: { module: TRANSFORMS, export: 'amountCents' },
  });
  new OnDemandFeatureView(repo, 'refuse_negative', {
    sources: [amountRequest],
    schema: [{ name: 'checked_amount', dtype: types.Float64 }],
    transform: { module: TRANSFORMS, export: 'refuseNegative' },
  });
  new OnDemandFeatureView(repo, 'wrong_type', {
    sources: [amountRequest],
    schema: [{ name: 'amount_text', dtype: types.Float64 }],
    transform: { module: TRANSFORMS, export: 'wrongType' },
  });
  new FeatureService(repo, 'order_scoring', { features: [stats.select(['acc_rate']), orderFeatures.select(['amount_per_trip', 'currency_label'])] });
  new FeatureService(repo, 'order_scoring_aliased', { features: [stats.withName('stats').select(['conv_rate']), orderFeatures.withName('od').select(['big_order'])] });
  extra?.(repo, { stats, order });
  return stack;
}

/** Driver statistics on the lake: drivers 1 (two hours), 2 (a null rate) and 3 (no trips). */
export function driverStatsTable(): Table {
  return new Table({
    driver_id: int64s([1, 1, 2, 3]),
    event_timestamp: timestamps([T0, T0 + HOUR, T0, T0]),
    created: timestamps([T0, T0 + HOUR, T0, T0]),
    conv_rate: float64s([0.25, 0.75, null, 0.5]),
    trips: int64s([10, 20, 4, 0]),
    acc_rate: float64s([0.9, 0.95, 0.8, 0.7]),
  });
}

export interface OnDemandRepo {
  readonly dir: string;
  readonly registry: string;
  readonly transforms: string;
  open(): Promise<FeatureStore>;
  remove(): void;
}

/** Synthesizes the repository into a temp folder, writes its lake and materializes it (into the embedded store unless told). */
export async function onDemandRepo(onlineStore?: (stack: TerraformStack) => IOnlineStore): Promise<OnDemandRepo> {
  const dir = mkdtempSync(join(tmpdir(), 'fs-on-demand-'));
  const lakeRoot = join(dir, 'lake');
  const app = new App({ outdir: join(dir, 'cdktf.out') });
  declareRepo(app, lakeRoot, join(dir, 'online'), undefined, onlineStore);
  app.synth();
  await mkdir(join(lakeRoot, 'driver_stats'), { recursive: true });
  await writeFile(join(lakeRoot, 'driver_stats', 'part-0.parquet'), await tableToParquet(driverStatsTable(), { rowGroupSize: 1024, compression: 'snappy' }));
  const registry = join(dir, 'cdktf.out', 'stacks', 'test', 'featurestack', 'registry.json');
  const repo: OnDemandRepo = {
    dir,
    registry,
    transforms: join(dir, 'cdktf.out', 'stacks', 'test', 'featurestack', 'transforms'),
    open: () => FeatureStore.open({ manifest: registry, env: {} }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  const store = await repo.open();
  try {
    await store.materialize({ start: T0 - HOUR, end: T0 + 2 * HOUR });
  } finally {
    await store.close();
  }
  return repo;
}

/** Entity rows for training, with the request fields as columns. */
export function entityRows(at: number, rows: { driver_id: number[]; amount: (number | null)[]; currency: (string | null)[] }): Table {
  return new Table({
    driver_id: int64s(rows.driver_id),
    event_timestamp: timestamps(rows.driver_id.map(() => at)),
    amount: float64s(rows.amount),
    currency: strings(rows.currency),
  });
}
