import type { FastifyInstance } from 'fastify';
import type { FeatureStore } from '../../runtime/feature-store';
import { buildFeatureServer } from '../../runtime/server';
import { catalogCli } from '../catalog/run-cli';
import { client, listen } from '../server/http-client';
import { onDemandRepo, type OnDemandRepo } from './fixtures';

let repo: OnDemandRepo;
let store: FeatureStore;
let app: FastifyInstance;
let http: ReturnType<typeof client>;
const NOW = new Date('2024-01-02T00:00:00Z');

beforeAll(async () => {
  repo = await onDemandRepo();
  store = await repo.open();
  app = await buildFeatureServer(store, { maxEntities: 100, tokens: [], logLevel: 'error' });
  http = client(await listen(app));
});
afterAll(async () => {
  await app.close();
  await store.close();
  repo.remove();
});

const noWatermarks = async () => ({});

describe('the catalog shows on-demand views', () => {
  it('list on-demand-views names each view, its request fields, the views it reads and its transform', async () => {
    const run = await catalogCli(noWatermarks, NOW, 'list', 'on-demand-views', '--manifest', repo.registry, '--json');
    const records = JSON.parse(run.stdout);
    expect(records.find((r: { name: string }) => r.name === 'order_features')).toEqual({
      kind: 'onDemandFeatureView',
      name: 'order_features',
      features: 4,
      requestFields: ['amount', 'currency'],
      featureViews: ['driver_stats'],
      transform: expect.stringMatching(/test\/on-demand\/transforms\/order\.ts#orderFeatures$/),
      featureServices: ['order_scoring', 'order_scoring_aliased'],
      owner: '',
      tags: {},
      description: 'Order amount against the driver',
    });
  });

  it('describe shows the inputs, the transform with its bundle hash and the features', async () => {
    const run = await catalogCli(noWatermarks, NOW, 'describe', 'order_features', '--manifest', repo.registry);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('on-demand view order_features');
    expect(lines).toEqual(expect.arrayContaining([
      '  request fields  amount (Float64, from order), currency (String, from order)',
      '  reads           driver_stats: conv_rate, trips',
      '  used by         order_scoring, order_scoring_aliased',
    ]));
    expect(lines.find((l) => l.startsWith('  transform'))).toMatch(/^  transform +orderFeatures in .*order\.ts \(row-shaped\)$/);
    expect(lines.find((l) => l.startsWith('  bundle'))).toMatch(/^  bundle +transforms\/order_features\.js sha256 [0-9a-f]{64}$/);
    const service = await catalogCli(noWatermarks, NOW, 'describe', 'order_scoring', '--manifest', repo.registry);
    expect(service.stdout).toContain('order_features (unknown: computed at request time)');
  });

  it('its features are listed and described with the others, and searchable', async () => {
    const list = JSON.parse((await catalogCli(noWatermarks, NOW, 'list', 'features', '--manifest', repo.registry, '--json')).stdout);
    expect(list.find((r: { name: string }) => r.name === 'order_features:amount_per_trip')).toMatchObject({
      featureView: 'order_features',
      dtype: 'Float64',
      onDemand: true,
      featureServices: ['order_scoring'],
    });
    const run = await catalogCli(noWatermarks, NOW, 'describe', 'order_features:amount_per_trip', '--manifest', repo.registry);
    expect(run.stdout.split('\n')).toEqual(expect.arrayContaining(['feature order_features:amount_per_trip', '  freshness     unknown: computed at request time', '  join keys     driver_id (Int64)']));
    const page = await http.get('/catalog?q=amount_per_trip');
    expect(page.text).toContain('href="/catalog/on-demand-views/order_features#feature-amount_per_trip"');
  });

  it('the web catalog has a page per on-demand view, and service pages link to it', async () => {
    const page = await http.get('/catalog/on-demand-views/order_features');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<span class="kind">On-demand view</span>order_features');
    expect(page.text).toContain('<code>amount</code> (Float64)');
    const service = await http.get('/catalog/feature-services/order_scoring');
    expect(service.status).toBe(200);
    expect(service.text).toContain('href="/catalog/on-demand-views/order_features"');
    expect(service.text).toContain('href="/catalog/feature-views/driver_stats"');
    const index = await http.get('/catalog');
    expect(index.text).toContain('data-kind="onDemandFeatureView"');
  });
});
