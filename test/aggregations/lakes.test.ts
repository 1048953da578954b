/** Aggregation views read their raw events from HDFS (WebHDFS server) and ADLS (DFS server over Azurite) as from a local lake. */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DataLakeServiceClient, StorageSharedKeyCredential } from '@azure/storage-file-datalake';
import type { DuckDBConnection } from '@duckdb/node-api';
import { FeatureStore } from '../../runtime/feature-store';
import { withHash, type WithoutHash } from '../../runtime/manifest/canonical';
import type { BatchSourceSpec, LakeSpec, Manifest } from '../../runtime/manifest/schema';
import { WebHdfsClient } from '../../runtime/lakes/webhdfs-client';
import { openDuckDb } from '../offline/duckdb-reference';
import { plainRows } from '../offline/fixtures';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type Azurite } from '../support/azurite';
import { startDfsServer, type DfsServer } from '../support/dfs-server';
import { startWebHdfsServer, type WebHdfsServer } from '../support/webhdfs-server';
import { referenceAggregates } from './duckdb-reference';
import { AggregationLake, aggregationManifest, entityTable, generateEntityRows, generateTrips, HOUR } from './fixtures';

const base = aggregationManifest();
const spec = base.featureViews.find((v) => v.name === 'rider_trips')!.aggregation!;
const FEATURES = base.featureViews.find((v) => v.name === 'rider_trips')!.features.map((f) => f.name);

/** The same registry with the raw trips in another lake. */
function onLake(lake: WithoutHash<LakeSpec>, filesystem: string | null, path: string): Manifest {
  const { hash: _h, ...rest } = base;
  const dataSources = rest.dataSources.map((s) => {
    if (s.kind !== 'batch') return s;
    const { hash: _s, ...source } = s;
    return withHash<BatchSourceSpec>({ ...source, lake: lake.name, filesystem, path });
  });
  return withHash<Manifest>({ ...rest, lakes: [withHash<LakeSpec>(lake)], dataSources });
}

let local: AggregationLake;
let hdfs: WebHdfsServer;
let azurite: Azurite;
let dfs: DfsServer;
let duck: DuckDBConnection;
const rows = generateEntityRows(51, 25, 600, 20);
let expected: Record<string, number | null>[];

beforeAll(async () => {
  [local, hdfs, azurite] = await Promise.all([AggregationLake.create(), startWebHdfsServer(), startAzurite()]);
  dfs = await startDfsServer(azurite);
  const trips = generateTrips(52, 25, 1500, 20);
  await local.writeTrips([trips.slice(0, 700), trips.slice(700), generateTrips(53, 25, 200, 6).map((e) => ({ ...e, created: e.created + 30 * HOUR }))]);
  const entityFile = await local.writeEntities(rows);
  duck = await openDuckDb();
  expected = await referenceAggregates(duck, spec, entityFile, local.tripsGlob, FEATURES);

  const folder = join(local.root, 'lake', 'trips');
  const files = (await readdir(folder)).sort();
  const hdfsClient = new WebHdfsClient(hdfs.url, 'etl');
  const adls = new DataLakeServiceClient(dfs.url, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY)).getFileSystemClient('events');
  await adls.create();
  for (const name of files) {
    const bytes = await readFile(join(folder, name));
    await hdfsClient.create(`/raw/trips/${name}`, bytes, { overwrite: true });
    await adls.getFileClient(`raw/trips/${name}`).upload(bytes);
  }
});

afterAll(async () => {
  duck?.closeSync();
  await Promise.all([hdfs?.stop(), dfs?.stop().then(() => azurite?.stop()), local?.remove()]);
});

async function aggregatesFrom(manifest: Manifest, env: NodeJS.ProcessEnv): Promise<Record<string, unknown>[]> {
  const store = await FeatureStore.open({ manifest, env });
  try {
    const table = await store.getHistoricalFeatures({ entities: entityTable(rows), features: FEATURES.map((f) => `rider_trips:${f}`) });
    return plainRows(table).map((r) => Object.fromEntries(FEATURES.map((f) => [f, r[f]])));
  } finally {
    await store.close();
  }
}

test('raw events on HDFS: every aggregate equals the DuckDB reference on the same files', async () => {
  const manifest = onLake({ kind: 'hdfs', name: 'lake', webhdfsUrl: 'http://namenode.invalid:9870/webhdfs/v1', user: 'etl' }, null, '/raw/trips');
  const before = hdfs.bytesServed();
  expect(await aggregatesFrom(manifest, { FEATURESTACK_WEBHDFS_URL: hdfs.url })).toEqual(expected);
  expect(hdfs.bytesServed()).toBeGreaterThan(before);
});

test('raw events on ADLS: every aggregate equals the DuckDB reference on the same files', async () => {
  const manifest = onLake(
    { kind: 'adls', name: 'lake', accountName: 'featurestackprod', dfsEndpoint: 'https://featurestackprod.dfs.core.windows.net', auth: { kind: 'accountKey', env: 'TEST_ADLS_KEY' } },
    'events',
    'raw/trips',
  );
  const before = dfs.bytesServed();
  expect(await aggregatesFrom(manifest, { FEATURESTACK_ADLS_URL: dfs.url, TEST_ADLS_KEY: AZURITE_KEY })).toEqual(expected);
  expect(dfs.bytesServed()).toBeGreaterThan(before);
});
