/**
 * The generated jobs on a real Spark Standalone cluster (pyspark's own master and
 * worker, Java 17, loopback), run the way an operator runs them
 * (`featurestack spark-submit … --run`), against a random lake in local files. What
 * Spark writes is read back with our Parquet reader and compared with the bundled
 * runtime (`getHistoricalFeatures`, `materialize`) on the same files.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import type { Table } from 'apache-arrow';
import { userInfo } from 'node:os';
import { join, relative } from 'node:path';
import { formatTimestamp } from '../../runtime/arrow/timestamps';
import { FeatureStore } from '../../runtime/feature-store';
import { WebHdfsClient } from '../../runtime/lakes/webhdfs-client';
import { withHash } from '../../runtime/manifest/canonical';
import type { LakeSpec, Manifest } from '../../runtime/manifest/schema';
import { startMiniDfs, type MiniDfs } from '../support/minidfs';
import { featurestack, writeManifest } from '../catalog/run-cli';
import type { Plain } from './support/arrow-rows';
import { plainRows } from './support/arrow-rows';
import { readParquetTable, writeParquet as writeDuckParquet } from './support/duckdb';
import { useRandomLake } from './support/lake-fixture';
import { T0 } from './support/random-lake';
import { snapshot } from './support/reference';
import { columnTypes, partFiles, readSparkOutput, sparkOutputTypes, readSparkOutputFromHdfs, useSparkStandalone } from './support/spark-cluster';

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
  await submitWith(registry, job, ...args);
}

async function submitWith(manifestFile: string, job: 'training' | 'snapshot', ...args: string[]): Promise<void> {
  const r = await featurestack(
    'spark-submit', job, '--manifest', manifestFile, '--master', spark.cluster.masterUrl, '--spark-submit', spark.cluster.sparkSubmit,
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
  /** Spark settings for this job (`--conf`). */
  readonly conf?: readonly string[];
  /** The entity rows as a folder of part files with zone-less times, instead of one file of UTC times. */
  readonly naiveEntityFolder?: boolean;
}

/**
 * The same entity rows as three part files of unequal size, `event_timestamp` a
 * zone-less TIMESTAMP (as pandas writes naive datetimes): Spark reads it as
 * TIMESTAMP_NTZ, and orders the rows by file, then position.
 */
async function naiveEntityFolder(): Promise<{ folder: string; table: Table }> {
  const folder = join(fx.dir, 'entities naive 100%'); // a space and a percent sign in the path
  await mkdir(folder, { recursive: true });
  const columns = [
    { name: 'driver_id', type: 'BIGINT' },
    { name: 'customer_id', type: 'VARCHAR' },
    { name: 'other_driver', type: 'BIGINT' },
    { name: 'event_timestamp', type: 'TIMESTAMP' },
    { name: 'label', type: 'BIGINT' },
  ];
  const rows = fx.lake.entities.map((e) => [e.driver_id, e.customer_id, e.other_driver, formatTimestamp(e.event_timestamp), e.label]);
  const cuts = [0, 100, 450, rows.length];
  const tables: Table[] = [];
  for (let i = 0; i < 3; i++) {
    const file = join(folder, `part-0000${i}.parquet`);
    await writeDuckParquet(fx.duck, file, columns, rows.slice(cuts[i], cuts[i + 1]), 128);
    tables.push(await readParquetTable(file));
  }
  await writeFile(join(folder, '_SUCCESS'), '');
  return { folder, table: tables[0].concat(...tables.slice(1)) };
}

function trainingArgs(c: TrainingCase): string[] {
  return [
    ...(c.features ? ['--features', ...c.features] : []),
    ...(c.featureService ? ['--feature-service', c.featureService] : []),
    ...(c.fullFeatureNames ? ['--full-feature-names'] : []),
    ...(c.filterByCreatedTimestamp ? ['--filter-by-created-timestamp'] : []),
    ...(c.conf ?? []).flatMap((kv) => ['--conf', kv]),
  ];
}

describe('spark-submit training --run on Spark Standalone', () => {
  test.each<[string, TrainingCase]>([
    // Uncoalesced shuffle partitions: the output is several part files, in order one after another.
    [
      'ttl windows, created-time ties, a composite key with mapped fields, an entity-less view, output in several part files',
      { features: ['driver_stats:conv_rate', 'driver_stats:trips', 'driver_customer:score', 'weather:temp'], conf: ['spark.sql.adaptive.coalescePartitions.enabled=false'] },
    ],
    ['a feature service with an alias, a join-key map and full feature names', { featureService: 'svc', fullFeatureNames: true }],
    [
      'filterByCreatedTimestamp, entity rows in a folder of part files with zone-less times',
      { features: ['driver_stats:conv_rate', 'weather:temp'], filterByCreatedTimestamp: true, naiveEntityFolder: true },
    ],
  ])('%s: equals getHistoricalFeatures row for row, in input order', async (name, c) => {
    // A space, a quote and a percent sign in the output path: Spark gets it as a file:// URL in a string literal.
    const output = join(fx.dir, 'training', `${name.replace(/\W+/g, '-').slice(0, 40)} it's 100%`);
    const entities = c.naiveEntityFolder ? await naiveEntityFolder() : { folder: fx.lake.entityFile, table: await readParquetTable(fx.lake.entityFile) };
    await submit('training', '--entities', entities.folder, '--output', output, ...trainingArgs(c));
    const fromSpark = await readSparkOutput(output);
    const runtimeTable = await fx.store.getHistoricalFeatures({ ...c, entities: entities.table });
    const fromRuntime = plainRows(runtimeTable);
    expect(await sparkOutputTypes(output)).toEqual(columnTypes(runtimeTable));
    expect(fromSpark).toHaveLength(fx.lake.entities.length);
    if (c.conf) expect((await partFiles(output)).length).toBeGreaterThan(1);
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

  test('a scheduled run with nothing new (--param end=now, the data is from 2024) writes an empty snapshot that loads as 0 rows', async () => {
    const output = join(fx.dir, 'snapshots', 'empty', 'weather');
    await submit('snapshot', '--view', 'weather', '--output', output);
    expect(await readSparkOutput(output)).toEqual([]);
    const loaded = await featurestack('materialize', '--from-snapshot', output, '--manifest', writeManifest(onlineManifest('empty')), '--json');
    expect({ code: loaded.code, stderr: loaded.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(loaded.stdout)).toEqual({ featureView: 'weather', rows: 0, written: 0 });
  });

  /** A registry whose embedded online store is a folder of its own. */
  function onlineManifest(name: string): Manifest {
    return { ...fx.lake.manifest, onlineStore: { ...fx.lake.manifest.onlineStore, path: join(fx.dir, 'online', name) } } as Manifest;
  }

  // driver_stats: the scheduled form, the window [end - TTL, end] filled in by the driver from --param end.
  test.each([
    ['driver_stats', T0 + 12 * HOUR, T0 + 18 * HOUR, ['--param', 'end=2024-05-01T20:00:00+02:00']],
    ['driver_customer', T0, T0 + 20 * HOUR, []],
    ['weather', T0 + 2 * HOUR, T0 + 9 * HOUR, []],
  ])('%s: the latest row per key in [start, end]; loaded online it equals materialize from the lake', async (view, start, end, param) => {
    const output = join(fx.dir, 'snapshots', view);
    const window = param.length > 0 ? param : ['--start', formatTimestamp(start), '--end', formatTimestamp(end)];
    await submit('snapshot', '--view', view, ...window, '--output', output);
    const spec = fx.lake.manifest.featureViews.find((v) => v.name === view)!;
    const want = [...snapshot(fx.lake.rows[view], start, end).values()].map((row): Record<string, Plain> => ({
      ...Object.fromEntries(spec.joinKeys.map((k, i) => [k.name, row.keys[i]])),
      ...Object.fromEntries(spec.features.map((f) => [f.name, row.features[f.name]])),
      event_timestamp: row.ts,
    }));
    expect(want.length).toBeGreaterThan(0);
    expect((await readSparkOutput(output)).sort(byKey)).toEqual(want.sort(byKey));
    expect((await sparkOutputTypes(output)).at(-1)).toEqual(['event_timestamp', 'Timestamp<MICROSECOND, UTC>']);
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

describe('on a real HDFS (MiniDFSCluster): hdfs:// sources, entities and outputs', () => {
  const user = userInfo().username; // Spark's HDFS user, and the lake's WebHDFS user
  let dfs: MiniDfs;
  let client: WebHdfsClient;
  let manifest: Manifest;
  let manifestFile: string;
  let store: FeatureStore;
  const stores: FeatureStore[] = [];
  let rpcPort: string;

  beforeAll(async () => {
    dfs = await startMiniDfs();
    rpcPort = new URL(dfs.rpcUrl).port;
    await dfs.setOwner('/', user, user);
    client = new WebHdfsClient(dfs.webhdfsUrl, user);
    // The random lake's files, at the same paths from the HDFS root.
    const upload = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const file = join(dir, entry.name);
        if (entry.isDirectory()) await upload(file);
        else if (/\.parquet$|^_SUCCESS$/.test(entry.name) && !relative(fx.dir, file).startsWith('training') && !relative(fx.dir, file).startsWith('snapshots')) {
          await client.create(`/${relative(fx.dir, file)}`, await readFile(file), { overwrite: true });
        }
      }
    };
    await upload(fx.dir);
    const lake = withHash<LakeSpec>({ kind: 'hdfs', name: 'lake', webhdfsUrl: dfs.webhdfsUrl, user });
    manifest = { ...fx.lake.manifest, lakes: [lake], onlineStore: { ...fx.lake.manifest.onlineStore, path: join(fx.dir, 'online', 'hdfs-lake') } } as Manifest;
    manifestFile = writeManifest(manifest);
    store = await FeatureStore.open({ manifest, env: {} });
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    for (const s of stores) await s.close();
    await dfs?.stop();
  }, 60_000);

  test('training: entities and output on HDFS; equals getHistoricalFeatures reading the same lake over WebHDFS', async () => {
    expect((await client.stat('/driver_stats/part-1.parquet'))?.type).toBe('FILE');
    const c: TrainingCase = { featureService: 'svc', fullFeatureNames: true };
    await submitWith(manifestFile, 'training', '--namenode-port', rpcPort, '--entities', `${dfs.rpcUrl}/entities.parquet`, '--output', `${dfs.rpcUrl}/ml/training/svc`, ...trainingArgs(c));
    const fromSpark = await readSparkOutputFromHdfs(client, '/ml/training/svc');
    const fromRuntime = plainRows(await store.getHistoricalFeatures({ ...c, entities: await readParquetTable(fx.lake.entityFile) }));
    expect(fromSpark).toHaveLength(fx.lake.entities.length);
    expect(fromSpark).toEqual(fromRuntime);
    expect(fromSpark.map((r) => r.label)).toEqual(fx.lake.entities.map((e) => e.label));
    expect(fromSpark.filter((r) => r.other__trips !== null).length).toBeGreaterThan(fx.lake.entities.length / 4);
  });

  test("snapshot: to its default place in the view's lake, then materialize --from-snapshot hdfs://… equals materialize from HDFS", async () => {
    const view = 'driver_customer';
    const [start, end] = [T0, T0 + 20 * HOUR];
    await submitWith(manifestFile, 'snapshot', '--namenode-port', rpcPort, '--view', view, '--start', formatTimestamp(start), '--end', formatTimestamp(end));
    const folder = `/featurestack/snapshots/${view}`;
    const want = [...snapshot(fx.lake.rows[view], start, end).values()].map((row) => ({ driver_id: row.keys[0], customer_id: row.keys[1], score: row.features.score, event_timestamp: row.ts }));
    const byKey = (a: Record<string, Plain>, b: Record<string, Plain>) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
    expect((await readSparkOutputFromHdfs(client, folder)).sort(byKey)).toEqual(want.sort(byKey));

    const fromSnapshotManifest = { ...manifest, onlineStore: { ...manifest.onlineStore, path: join(fx.dir, 'online', 'hdfs-snapshot') } } as Manifest;
    const loaded = await featurestack('materialize', '--from-snapshot', `${dfs.rpcUrl}${folder}`, '--manifest', writeManifest(fromSnapshotManifest), '--json');
    expect({ code: loaded.code, stderr: loaded.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(loaded.stdout)).toEqual({ featureView: view, rows: want.length, written: want.length });
    const fromSnapshot = await FeatureStore.open({ manifest: fromSnapshotManifest, env: {} });
    stores.push(fromSnapshot);
    await store.materialize({ start, end, views: [view] });
    const request = { features: [`${view}:score`], entities: { driver_id: want.map((w) => w.driver_id), customer_id: want.map((w) => w.customer_id) } };
    const a = await fromSnapshot.getOnlineFeatures(request);
    expect(a).toEqual(await store.getOnlineFeatures(request));
    const score = a.results[a.metadata.feature_names.indexOf('score')];
    expect(score.values).toEqual(want.map((w) => w.score));
    expect(score.statuses.filter((s) => s === 'PRESENT').length).toBeGreaterThan(want.length / 2);
  });
});
