import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startCatalogServer, type RunningCatalog } from '../../runtime/cli/commands/catalog';
import { FeatureStore } from '../../runtime/feature-store';
import { launchChromium, type Browser } from './browser';
import { catalogManifest, NOW, WATERMARKS } from './catalog-manifest';

const OUT = join(__dirname, '..', 'out');

let store: FeatureStore;
let server: RunningCatalog;
let browser: Browser;
let page: Page;
/** Console errors and page errors (a CSP violation shows up here). */
let problems: string[];

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  store = await FeatureStore.open({ manifest: catalogManifest() });
  server = await startCatalogServer({ store, host: '127.0.0.1', port: 0, watermarks: async () => WATERMARKS, now: () => NOW });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
});

beforeEach(async () => {
  page = await browser.context.newPage();
  problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
});

afterEach(async () => {
  await page.close();
  expect(problems).toEqual([]);
});

const visibleResults = (p: Page) => p.locator('.result:visible a.result-name').allTextContents();
const screenshot = (p: Page, name: string) => p.screenshot({ path: join(OUT, `catalog-${name}.png`), fullPage: true });

test('typing in the search narrows the list as you type', async () => {
  await page.goto(server.url);
  expect(await visibleResults(page)).toHaveLength(16);
  await expect(page.locator('#status').textContent()).resolves.toBe('Showing all 16');
  await screenshot(page, 'index');

  await page.locator('#q').pressSequentially('weather');
  expect(await visibleResults(page)).toEqual([
    'station_reads_hourly',
    'taxi_weather',
    'station_reads_hourly:temperature_c',
    'station_reads_hourly:precipitation_mm',
    'station_reads_hourly:wind_speed_kmh',
  ]);
  await expect(page.locator('#status').textContent()).resolves.toBe('Showing 5 of 16');
  expect(await page.locator('section:visible h2').allTextContents()).toEqual(['Feature views (1)', 'Feature services (1)', 'Features (3)']);
  expect(new URL(page.url()).searchParams.get('q')).toBe('weather');

  await page.locator('#q').fill('owner:ml-platform Float32');
  expect(await visibleResults(page)).toEqual(['driver_hourly_stats:conv_rate', 'driver_hourly_stats:acc_rate']);
  await screenshot(page, 'index-search');

  await page.locator('#q').fill('tag:unit=usd');
  expect(await visibleResults(page)).toEqual(['taxi_trips_hourly:avg_fare']);

  await page.locator('#q').fill('no such thing');
  expect(await visibleResults(page)).toEqual([]);
  await expect(page.locator('#no-results').isVisible()).resolves.toBe(true);

  await page.locator('#q').press('Escape');
  expect(await visibleResults(page)).toHaveLength(16);
});

test('the kind filter and a search combine, and the server applies ?q= before any script runs', async () => {
  await page.goto(`${server.url}?q=mobility&kind=featureService`);
  expect(await visibleResults(page)).toEqual(['taxi_weather']);
  await page.getByRole('radio', { name: 'Feature views' }).check();
  expect(await visibleResults(page)).toEqual(['taxi_trips_hourly']);

  const noScript = await browser.context.request.get(`${server.url}?q=owner:weather`);
  const html = await noScript.text();
  expect(html.match(/<li class="result"[^>]*>/g)!.filter((li) => !li.includes(' hidden')).length).toBe(4);
});

test('"/" focuses the search, Enter opens the first match, Tab reaches the lineage links', async () => {
  await page.goto(server.url);
  await page.keyboard.press('/');
  expect(await page.evaluate('document.activeElement.id')).toBe('q');
  await page.keyboard.type('taxi_trips');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/catalog\/feature-views\/taxi_trips_hourly$/);

  const reached: string[] = [];
  for (let i = 0; i < 40 && reached.length < 2; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate("document.activeElement.closest('svg') ? document.activeElement.getAttribute('aria-label') : null");
    if (typeof label === 'string') reached.push(label);
  }
  expect(reached).toEqual(['taxi_trips_hourly, feature view · 3 h ago', 'taxi_weather, feature service']);
  await screenshot(page, 'keyboard-focus');
});

test("a view's page shows its freshness, its lineage from the lake to the services, and every feature's type", async () => {
  await page.goto(`${server.url}/feature-views/taxi_trips_hourly`);
  await expect(page.locator('h1').textContent()).resolves.toBe('Feature viewtaxi_trips_hourly');
  await expect(page.locator('main > p .freshness').textContent()).resolves.toBe('materialized up to 2024-05-01T12:00:00Z (3 h ago)');

  const svg = page.locator('svg.lineage');
  await expect(svg.isVisible()).resolves.toBe(true);
  expect(await svg.locator('.lineage-node .lineage-name').allTextContents()).toEqual(['onprem', 'taxi_trips_source', 'taxi_trips_hourly', 'taxi_weather']);
  expect(await svg.locator('.lineage-node .lineage-detail').allTextContents()).toEqual(['HDFS lake', 'source', 'feature view · 3 h ago', 'feature service']);
  expect(await svg.locator('.lineage-edge').count()).toBe(3);
  expect(await svg.locator('.lineage-current .lineage-name').textContent()).toBe('taxi_trips_hourly');
  // Nodes sit in columns left to right, in the order the data flows.
  const xs = await svg.locator('.lineage-node rect').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('x'))));
  expect([...xs].sort((a, b) => a - b)).toEqual(xs);

  const rows = await page.locator('#features ~ table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th, td')].slice(0, 3).map((c) => c.textContent)),
  );
  expect(rows).toEqual([
    ['trip_count', 'Int64', 'Trips that started in the area during the hour'],
    ['avg_fare', 'Float64', 'Mean fare in USD, tips excluded'],
    ['avg_trip_miles', 'Float32', 'Mean trip length in miles'],
  ]);
  await expect(page.getByText('hdfs://namenode.corp.example/data/chicago/taxi_trips_hourly').isVisible()).resolves.toBe(true);
  await screenshot(page, 'feature-view');
});

test('a view never materialized, or past its ttl, says so', async () => {
  await page.goto(`${server.url}/feature-views/station_reads_hourly`);
  await expect(page.locator('main > p .freshness').textContent()).resolves.toBe('never materialized');
  await page.goto(`${server.url}/feature-views/driver_hourly_stats`);
  const badge = page.locator('main > p .freshness');
  await expect(badge.getAttribute('data-freshness')).resolves.toBe('stale');
  await expect(badge.textContent()).resolves.toBe('materialized up to 2024-04-29T15:00:00Z (2 d ago), older than its ttl');
});

test("an entity's page lists its views with their freshness and draws their lineage", async () => {
  await page.goto(`${server.url}/entities/community_area`);
  await expect(page.locator('h1').textContent()).resolves.toBe('Entitycommunity_area');
  expect(await page.locator('svg.lineage .lineage-name').allTextContents()).toEqual(['onprem', 'taxi_trips_source', 'taxi_trips_hourly', 'taxi_weather']);
  expect(await page.locator('table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent))).toEqual([
    'taxi_trips_hourly31 dmaterialized up to 2024-05-01T12:00:00Z (3 h ago)mobility@city.example',
  ]);
  await screenshot(page, 'entity');
});

test("a service's page draws both lakes feeding it and lists each projection's features", async () => {
  await page.goto(`${server.url}/feature-services/taxi_weather`);
  expect(await page.locator('svg.lineage .lineage-name').allTextContents()).toEqual([
    'onprem',
    'azure',
    'taxi_trips_source',
    'station_reads_source',
    'taxi_trips_hourly',
    'station_reads_hourly',
    'taxi_weather',
  ]);
  expect(await page.locator('main h2').allTextContents()).toEqual(['Lineage', 'taxi_trips_hourly', 'station_reads_hourly as weather']);
  await page.getByRole('link', { name: 'temperature_c' }).click();
  await page.waitForURL(/\/feature-views\/station_reads_hourly#feature-temperature_c$/);
  await page.goBack();
  await screenshot(page, 'feature-service');
});

test('an unknown name gets a 404 page that offers a search', async () => {
  const response = await page.goto(`${server.url}/feature-views/taxi`);
  expect(response!.status()).toBe(404);
  expect(problems.splice(0)).toEqual(['Failed to load resource: the server responded with a status of 404 (Not Found)']);
  await expect(page.locator('h1').textContent()).resolves.toBe('No feature view called “taxi”');
  await page.getByRole('link', { name: 'Search the catalog for “taxi”' }).click();
  expect(await visibleResults(page)).toEqual(['driver', 'taxi_trips_hourly', 'taxi_weather', 'taxi_trips_hourly:trip_count', 'taxi_trips_hourly:avg_fare', 'taxi_trips_hourly:avg_trip_miles']);
});
