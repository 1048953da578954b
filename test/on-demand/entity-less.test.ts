import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Float64, makeVector, Table, vectorFromArray } from 'apache-arrow';
import { App, TerraformStack } from 'cdktf';
import { EmbeddedOnlineStore, FeatureRepo, FeatureView, FileSource, LocalLake, OnDemandFeatureView, PushSource, RequestSource, types } from '../../constructs';
import { FeatureStore } from '../../runtime/feature-store';
import { timestampData } from '../../runtime/offline/dtypes';

let dir: string;
let store: FeatureStore;
const AT = Date.UTC(2024, 4, 1, 12) * 1000;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fs-on-demand-entityless-'));
  const app = new App({ outdir: join(dir, 'cdktf.out') });
  const stack = new TerraformStack(app, 'test');
  const lake = new LocalLake(stack, 'lake', { root: join(dir, 'lake') });
  const repo = new FeatureRepo(stack, 'repo', { project: 'weather', onlineStore: new EmbeddedOnlineStore(stack, 'online', { path: join(dir, 'online') }) });
  const push = new PushSource(repo, 'weather_push', { batchSource: new FileSource(repo, 'weather_source', { lake, path: 'weather', timestampField: 'event_timestamp' }) });
  const weather = new FeatureView(repo, 'weather', { source: push, schema: [{ name: 'temp', dtype: types.Float64 }] });
  const request = new RequestSource(repo, 'wind', { schema: [{ name: 'wind_chill', dtype: types.Float64 }] });
  new OnDemandFeatureView(repo, 'feels', {
    sources: [weather, request],
    schema: [{ name: 'feels_like', dtype: types.Float64 }],
    transform: { module: join(__dirname, 'transforms', 'feels.ts'), export: 'feelsLike' },
  });
  app.synth();
  store = await FeatureStore.open({ manifest: join(dir, 'cdktf.out/stacks/test/featurestack/registry.json'), env: {} });
  await store.push({ pushSourceName: 'weather_push', to: 'online_and_offline', df: { event_timestamp: ['2024-05-01T10:00:00Z'], temp: [12.5] } });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('an entity-less input is read once and given to the transform on every request row, online as in training', async () => {
  const online = await store.getOnlineFeatures({ features: ['weather:temp', 'feels:feels_like'], entities: { wind_chill: [1, 2.5, null] } });
  expect(online.metadata.feature_names).toEqual(['temp', 'feels_like']);
  expect(online.results.map((r) => r.values)).toEqual([
    [12.5, 12.5, 12.5],
    [11.5, 10, null],
  ]);
  const training = await store.getHistoricalFeatures({
    features: ['weather:temp', 'feels:feels_like'],
    entities: new Table({ event_timestamp: makeVector(timestampData(Float64Array.from([AT, AT, AT]))), wind_chill: vectorFromArray([1, 2.5, null], new Float64()) }),
  });
  expect([...training.getChild('feels_like')!]).toEqual([11.5, 10, null]);
  expect([...training.getChild('temp')!]).toEqual([12.5, 12.5, 12.5]);
});
