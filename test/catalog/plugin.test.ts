import fastify, { type FastifyInstance } from 'fastify';
import { catalogPlugin } from '../../runtime/catalog/plugin';
import { FeatureStore } from '../../runtime/feature-store';
import { withHash } from '../../runtime/manifest/canonical';
import type { Manifest } from '../../runtime/manifest/schema';
import { catalogManifest, NOW, WATERMARKS } from './catalog-manifest';

interface Mounted {
  app: FastifyInstance;
  store: FeatureStore;
  get(path: string): Promise<{ status: number; headers: Headers; body: string; json<T = unknown>(): T }>;
}

/** The plugin mounted on a fastify instance, as the feature server mounts it, over real HTTP. */
async function mount(manifest: Manifest): Promise<Mounted> {
  const store = await FeatureStore.open({ manifest });
  const app = fastify();
  await app.register(catalogPlugin, { store, watermarks: async () => WATERMARKS, now: () => NOW });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    store,
    get: async (path) => {
      const response = await fetch(base + path, { redirect: 'manual' });
      const body = await response.text();
      return { status: response.status, headers: response.headers, body, json: <T>() => JSON.parse(body) as T };
    },
  };
}

let server: Mounted;
const get = (path: string) => server.get(path);
beforeAll(async () => (server = await mount(catalogManifest())));
afterAll(async () => {
  await server.app.close();
  await server.store.close();
});

test('GET /catalog/api/<kind> lists with the same filters as the CLI, plus a search', async () => {
  const byTag = await get('/catalog/api/features?tag=domain=mobility&tag=unit=usd');
  expect(byTag.json<{ name: string }[]>().map((f) => f.name)).toEqual(['taxi_trips_hourly:avg_fare']);
  const bySearch = await get(`/catalog/api/feature-views?q=${encodeURIComponent('owner:weather hour')}`);
  expect(bySearch.json<{ name: string }[]>().map((v) => v.name)).toEqual(['station_reads_hourly']);
  const badKind = await get('/catalog/api/views');
  expect(badKind.status).toBe(400);
});

test('GET /catalog/api/describe/<name> answers with freshness, and 404 names what is missing', async () => {
  const view = await get('/catalog/api/describe/driver_hourly_stats');
  expect(view.json<{ freshness: unknown }>().freshness).toEqual({ state: 'materialized', materializedUpTo: '2024-04-29T15:00:00Z', ageSeconds: 172800, outsideTtl: true });
  const feature = await get('/catalog/api/describe/station_reads_hourly:wind_speed_kmh');
  expect(feature.json()).toMatchObject({ dtype: 'Float32', freshness: { state: 'never' }, featureServices: [] });
  const missing = await get('/catalog/api/describe/taxi_trips');
  expect(missing.status).toBe(404);
  expect(missing.json()).toEqual({
    error: { code: 'UNKNOWN_NAME', message: 'nothing named "taxi_trips" in the catalog', hint: 'search for it: GET /catalog/api/features?q=taxi_trips' },
  });
});

test('pages forbid inline and foreign scripts, and assets are cached for good under a content hash', async () => {
  const index = await get('/catalog');
  expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
  const script = /<script defer src="(\/catalog\/assets\/catalog\.[0-9a-f]{10}\.js)">/.exec(index.body)![1];
  const asset = await get(script);
  expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect(asset.body).toContain("getElementById('q')");
  expect((await get('/catalog/assets/catalog.0000000000.js')).status).toBe(404);
});

test('text from the manifest is escaped everywhere it appears', async () => {
  const base = catalogManifest();
  const hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';
  const [view, ...rest] = base.featureViews;
  const { hash: _h, ...body } = base;
  const manifest = withHash<Manifest>({
    ...body,
    featureViews: [withHash({ ...view, description: hostile, tags: { note: hostile } }), ...rest],
  });
  const mounted = await mount(manifest);
  try {
    for (const url of ['/catalog', '/catalog/feature-views/taxi_trips_hourly', '/catalog/entities/community_area']) {
      const page = (await mounted.get(url)).body;
      expect(page).not.toContain('<script>alert');
      expect(page).not.toContain('<img src=x');
    }
    const viewPage = (await mounted.get('/catalog/feature-views/taxi_trips_hourly')).body;
    expect(viewPage).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
  } finally {
    await mounted.app.close();
    await mounted.store.close();
  }
});
