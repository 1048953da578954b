/**
 * The generated jobs on a real Spark Standalone cluster (pyspark's own master and
 * worker, Java 17, loopback), run the way an operator runs them
 * (`featurestack spark-submit … --run`), against a random lake in local files. What
 * Spark writes is read back with our Parquet reader and compared with the bundled
 * runtime (`getHistoricalFeatures`, `materialize`) on the same files.
 */
import { join } from 'node:path';
import { formatTimestamp } from '../../runtime/arrow/timestamps';
import { FeatureStore } from '../../runtime/feature-store';
import type { Manifest } from '../../runtime/manifest/schema';
import { featurestack, writeManifest } from '../catalog/run-cli';
import type { Plain } from './support/arrow-rows';
import { plainRows } from './support/arrow-rows';
import { readParquetTable } from './support/duckdb';
import { useRandomLake } from './support/lake-fixture';
import { T0 } from './support/random-lake';
import { snapshot } from './support/reference';
import { readSparkOutput, useSparkStandalone } from './support/spark-cluster';

jest.setTimeout(240_000);
const HOUR = 3_600_000_000;
const fx = useRandomLake(20240501);
const spark = useSparkStandalone();
let registry: string;
beforeAll(() => {
  registry = writeManifest(fx.lake.manifest);
});

/** `featurestack spark-submit <job> … --run` against the cluster; on failure, says what Spark printed. */
async function submit(job: 'training' | 'snapshot', ...args: string[]): Promise<void> {
  const r = await featurestack(
    'spark-submit', job, '--manifest', registry, '--master', spark.cluster.masterUrl, '--spark-submit', spark.cluster.sparkSubmit,
    '--sql-dir', join(fx.dir, 'sql'), '--run', ...args,
  );
  if (r.code !== 0 || r.stderr !== '') {
    throw new Error(`spark-submit ${job} failed (exit ${r.code}): ${r.stderr}\nspark-submit's output ends:\n${await spark.cluster.logTail()}`);
  }
}

interface TrainingCase {
  readonly features?: readonly string[];
  readonly featureService?: string;
  readonly fullFeatureNames?: boolean;
  readonly filterByCreatedTimestamp?: boolean;
}

function trainingArgs(c: TrainingCase): string[] {
  return [
    ...(c.features ? ['--features', ...c.features] : []),
    ...(c.featureService ? ['--feature-service', c.featureService] : []),
    ...(c.fullFeatureNames ? ['--full-feature-names'] : []),
    ...(c.filterByCreatedTimestamp ? ['--filter-by-created-timestamp'] : []),
  ];
}

describe('spark-submit training --run on Spark Standalone', () => {
  test.each<[string, TrainingCase]>([
    ['ttl windows, created-time ties, a composite key with mapped fields, an entity-less view', { features: ['driver_stats:conv_rate', 'driver_stats:trips', 'driver_customer:score', 'weather:temp'] }],
    ['a feature service with an alias, a join-key map and full feature names', { featureService: 'svc', fullFeatureNames: true }],
    ['filterByCreatedTimestamp', { features: ['driver_stats:conv_rate', 'weather:temp'], filterByCreatedTimestamp: true }],
  ])('%s: equals getHistoricalFeatures row for row, in input order', async (name, c) => {
    const output = join(fx.dir, 'training', name.replace(/\W+/g, '-'));
    await submit('training', '--entities', fx.lake.entityFile, '--output', output, ...trainingArgs(c));
    const fromSpark = await readSparkOutput(output);
    const fromRuntime = plainRows(await fx.store.getHistoricalFeatures({ ...c, entities: await readParquetTable(fx.lake.entityFile) }));
    expect(fromSpark).toHaveLength(fx.lake.entities.length);
    expect(Object.keys(fromSpark[0])).toEqual(Object.keys(fromRuntime[0]));
    expect(fromSpark).toEqual(fromRuntime);
    // Input order, duplicates included; matches and misses in every feature column.
    expect(fromSpark.map((r) => r.label)).toEqual(fx.lake.entities.map((e) => e.label));
    for (const column of Object.keys(fromSpark[0]).slice(5)) {
      expect(fromSpark.some((r) => r[column] === null)).toBe(true);
      expect(fromSpark.filter((r) => r[column] !== null).length).toBeGreaterThan(fx.lake.entities.length / 4);
    }
  });
});

describe('spark-submit snapshot --run, then materialize --from-snapshot', () => {
  const byKey = (a: Record<string, Plain>, b: Record<string, Plain>) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
  const stores: FeatureStore[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  /** A registry whose embedded online store is a folder of its own. */
  function onlineManifest(name: string): Manifest {
    return { ...fx.lake.manifest, onlineStore: { ...fx.lake.manifest.onlineStore, path: join(fx.dir, 'online', name) } } as Manifest;
  }

  test.each([
    ['driver_stats', T0 + 6 * HOUR, T0 + 18 * HOUR],
    ['driver_customer', T0, T0 + 20 * HOUR],
    ['weather', T0 + 2 * HOUR, T0 + 9 * HOUR],
  ])('%s: the latest row per key in [start, end]; loaded online it equals materialize from the lake', async (view, start, end) => {
    const output = join(fx.dir, 'snapshots', view);
    await submit('snapshot', '--view', view, '--start', formatTimestamp(start), '--end', formatTimestamp(end), '--output', output);
    const spec = fx.lake.manifest.featureViews.find((v) => v.name === view)!;
    const want = [...snapshot(fx.lake.rows[view], start, end).values()].map((row): Record<string, Plain> => ({
      ...Object.fromEntries(spec.joinKeys.map((k, i) => [k.name, row.keys[i]])),
      ...Object.fromEntries(spec.features.map((f) => [f.name, row.features[f.name]])),
      event_timestamp: row.ts,
    }));
    expect(want.length).toBeGreaterThan(0);
    expect((await readSparkOutput(output)).sort(byKey)).toEqual(want.sort(byKey));
    // Rows sit exactly on both ends of the window.
    expect(fx.lake.rows[view].some((r) => r.ts === start)).toBe(true);
    expect(fx.lake.rows[view].some((r) => r.ts === end)).toBe(true);

    // One online store loaded from Spark's snapshot through the CLI, one materialized from the lake.
    const fromSnapshotManifest = onlineManifest(`${view}-snapshot`);
    const loaded = await featurestack('materialize', '--from-snapshot', output, '--manifest', writeManifest(fromSnapshotManifest), '--json');
    expect({ code: loaded.code, stderr: loaded.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(loaded.stdout)).toEqual({ featureView: view, rows: want.length, written: want.length });
    const fromSnapshot = await FeatureStore.open({ manifest: fromSnapshotManifest, env: {} });
    stores.push(fromSnapshot);
    const fromLake = await FeatureStore.open({ manifest: onlineManifest(`${view}-lake`), env: {} });
    stores.push(fromLake);
    await fromLake.materialize({ start, end, views: [view] });

    const entities = Object.fromEntries(spec.joinKeys.map((k) => [k.name, want.map((w) => w[k.name])]));
    const request = { features: spec.features.map((f) => `${view}:${f.name}`), entities: spec.joinKeys.length > 0 ? entities : {} };
    // Read as of the window's end, so the view's TTL (max age) is measured from there.
    jest.useFakeTimers({ now: end / 1000, doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    let a, b;
    try {
      a = await fromSnapshot.getOnlineFeatures(request);
      b = await fromLake.getOnlineFeatures(request);
    } finally {
      jest.useRealTimers();
    }
    expect(a).toEqual(b);
    const maxAge = spec.ttlSeconds * 1_000_000;
    for (const [i, f] of spec.features.entries()) {
      const column = a.results[a.results.length - spec.features.length + i];
      const status = want.map((w) => (maxAge > 0 && (w.event_timestamp as number) < end - maxAge ? 'OUTSIDE_MAX_AGE' : w[f.name] === null ? 'NULL_VALUE' : 'PRESENT'));
      expect(column.statuses).toEqual(status);
      expect(column.values.filter((_, r) => status[r] === 'PRESENT')).toEqual(want.filter((_, r) => status[r] === 'PRESENT').map((w) => w[f.name]));
      expect(status.filter((s) => s === 'PRESENT').length).toBeGreaterThan(0);
    }
  });
});
