/**
 * The generated training-set SQL of an aggregation view on a real Spark Standalone
 * cluster (`featurestack spark-submit training --run`), against getHistoricalFeatures
 * on the same files. One job, to keep Spark's start-up the only cost.
 */
import { join } from 'node:path';
import { FeatureStore } from '../../runtime/feature-store';
import { withHash } from '../../runtime/manifest/canonical';
import type { LakeSpec, Manifest } from '../../runtime/manifest/schema';
import { featurestack, writeManifest } from '../catalog/run-cli';
import { plainRows } from '../offline/fixtures';
import { readParquetTable } from '../spark/support/duckdb';
import { columnTypes, readSparkOutput, sparkOutputTypes, useSparkStandalone } from '../spark/support/spark-cluster';
import { AggregationLake, aggregationManifest, generateEntityRows, generateTrips, HOUR } from './fixtures';

jest.setTimeout(240_000);
const spark = useSparkStandalone();
let lake: AggregationLake;
let manifest: Manifest;
let entityFile: string;

beforeAll(async () => {
  lake = await AggregationLake.create();
  const trips = generateTrips(41, 20, 1500, 24);
  const late = generateTrips(42, 20, 200, 8).map((e) => ({ ...e, created: e.created + 30 * HOUR }));
  await lake.writeTrips([trips.slice(0, 800), trips.slice(800), late]);
  entityFile = await lake.writeEntities(generateEntityRows(43, 20, 400, 24));
  const { hash: _h, ...base } = aggregationManifest();
  // The lake's root as an absolute path: Spark reads file:// URLs of it.
  const lakes = base.lakes.map((l) => withHash<LakeSpec>({ kind: 'local', name: l.name, root: join(lake.root, 'lake') }));
  manifest = withHash<Manifest>({ ...base, lakes });
});

afterAll(async () => {
  await lake?.remove();
});

test('every aggregate over both windows, with ties, late rows and empty windows, equals getHistoricalFeatures row for row', async () => {
  const output = join(lake.root, 'training-out');
  const features = manifest.featureViews.find((v) => v.name === 'rider_trips')!.features.map((f) => `rider_trips:${f.name}`);
  const r = await featurestack(
    'spark-submit', 'training', '--manifest', writeManifest(manifest), '--master', spark.cluster.masterUrl, '--spark-submit', spark.cluster.sparkSubmit,
    '--sql-dir', join(lake.root, 'sql'), '--run', '--entities', entityFile, '--output', output, '--features', ...features,
  );
  if (r.code !== 0 || r.stderr !== '') throw new Error(`spark-submit failed (exit ${r.code}): ${r.stderr}\n${await spark.cluster.logTail()}`);
  const store = await FeatureStore.open({ manifest, env: {} });
  try {
    const runtimeTable = await store.getHistoricalFeatures({ features, entities: await readParquetTable(entityFile) });
    expect(await sparkOutputTypes(output)).toEqual(columnTypes(runtimeTable));
    const fromSpark = await readSparkOutput(output);
    expect(fromSpark).toHaveLength(400);
    expect(fromSpark).toEqual(plainRows(runtimeTable));
  } finally {
    await store.close();
  }
});
