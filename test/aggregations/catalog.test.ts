import { Catalog } from '../../runtime/catalog';
import { featureViewPage } from '../../runtime/catalog/html/detail-pages';
import { catalogCli, writeManifest } from '../catalog/run-cli';
import { aggregationManifest } from './fixtures';

const manifest = aggregationManifest();
const file = writeManifest(manifest);
const NOW = new Date('2024-03-02T00:00:00Z');
const noWatermarks = async () => ({});

describe('the catalog and describe show an aggregation view', () => {
  test('describe prints what is aggregated, over which windows, in which tiles, and each derived feature', async () => {
    const run = await catalogCli(noWatermarks, NOW, 'describe', 'rider_trips', '--manifest', file);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/aggregates +count\/sum\/mean\/min\/max\/last of fare over 1h, 6h; sum\/last of tip over 1h in 15m tiles/);
    expect(run.stdout).toMatch(/fare_mean_6h +Float64 +mean of fare over 6h/);
    expect(run.stdout).toMatch(/ttl +6 h/);
  });

  test('describe --json carries the aggregation spec', async () => {
    const run = await catalogCli(noWatermarks, NOW, 'describe', 'rider_trips', '--json', '--manifest', file);
    const d = JSON.parse(run.stdout);
    expect(d.aggregation.tileSeconds).toBe(900);
    expect(d.aggregation.outputs).toContainEqual({ feature: 'tip_last_1h', column: 'tip', function: 'last', windowSeconds: 3600 });
  });

  test('the feature view page lists the aggregates', async () => {
    const catalog = new Catalog(manifest, { watermarks: noWatermarks, now: () => NOW });
    const snapshot = await catalog.snapshot();
    const d = await catalog.describe('rider_trips');
    if (d.kind !== 'featureView') throw new Error(d.kind);
    const page = featureViewPage(catalog, d, snapshot);
    expect(page).toContain('<dt>Aggregates</dt><dd>count/sum/mean/min/max/last of fare over 1h, 6h; sum/last of tip over 1h in 15m tiles</dd>');
  });
});
