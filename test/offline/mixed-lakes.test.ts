/** One training set from three lakes: HDFS (WebHDFS server), ADLS (DFS server over Azurite), local. */
import { DataLakeServiceClient, StorageSharedKeyCredential } from '@azure/storage-file-datalake';
import { Table } from 'apache-arrow';
import type { FeatureStore } from '../../runtime/feature-store';
import { tableToParquet } from '../../runtime/io/parquet';
import { WebHdfsClient } from '../../runtime/lakes/webhdfs-client';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type Azurite } from '../support/azurite';
import { startDfsServer, type DfsServer } from '../support/dfs-server';
import { startWebHdfsServer, type WebHdfsServer } from '../support/webhdfs-server';
import { float64s, HOUR, int64s, manifestOf, plainRows, T0, TempLake, timestamps, type ViewDef } from './fixtures';

const key = [{ name: 'driver_id', valueType: 'Int64' as const }];
const trips: ViewDef = { name: 'trips', joinKeys: key, features: [['trips_today', 'Int64']], ttlSeconds: 86400, path: 'lake/trips', lake: 'onprem' };
const weather: ViewDef = { name: 'weather', joinKeys: [], features: [['temp', 'Float64']], ttlSeconds: 0, path: 'lake/weather', lake: 'cloud', filesystem: 'features' };
const ratings: ViewDef = { name: 'ratings', joinKeys: key, features: [['rating', 'Float64']], ttlSeconds: 0, path: 'ratings' };

const manifest = manifestOf(
  [trips, weather, ratings],
  [],
  [
    { kind: 'local', name: 'lake', root: '.featurestack/lake' },
    { kind: 'hdfs', name: 'onprem', webhdfsUrl: 'http://namenode.invalid:9870/webhdfs/v1', user: 'etl' },
    { kind: 'adls', name: 'cloud', accountName: 'featurestackprod', dfsEndpoint: 'https://featurestackprod.dfs.core.windows.net', auth: { kind: 'accountKey', env: 'TEST_ADLS_KEY' } },
  ],
);

let hdfs: WebHdfsServer;
let azurite: Azurite;
let dfs: DfsServer;
let local: TempLake;
let store: FeatureStore;

beforeAll(async () => {
  [hdfs, azurite, local] = await Promise.all([startWebHdfsServer(), startAzurite(), TempLake.create()]);
  dfs = await startDfsServer(azurite);

  const hdfsClient = new WebHdfsClient(hdfs.url, 'etl');
  const tripsPart = (ids: number[], hours: number[], counts: number[]) =>
    tableToParquet(new Table({ driver_id: int64s(ids), event_timestamp: timestamps(hours.map((h) => T0 + h * HOUR)), trips_today: int64s(counts) }), { rowGroupSize: 2 });
  await hdfsClient.create('/lake/trips/part-0.parquet', await tripsPart([1, 2, 1, 2], [0, 0, 2, 30], [10, 20, 12, 99]), { overwrite: true });
  await hdfsClient.create('/lake/trips/part-1.parquet', await tripsPart([1], [2], [13]), { overwrite: true });

  const adls = new DataLakeServiceClient(dfs.url, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY)).getFileSystemClient('features');
  await adls.create();
  const weatherFile = await tableToParquet(new Table({ event_timestamp: timestamps([T0, T0 + 3 * HOUR]), temp: float64s([4.5, 6]) }));
  await adls.getFileClient('lake/weather/part-0.parquet').upload(Buffer.from(weatherFile));

  await local.write('ratings/data.parquet', new Table({ driver_id: int64s([2, 1]), event_timestamp: timestamps([T0, T0]), rating: float64s([4.9, 4.1]) }));

  store = await local.store(manifest, { FEATURESTACK_WEBHDFS_URL: hdfs.url, FEATURESTACK_ADLS_URL: dfs.url, TEST_ADLS_KEY: AZURITE_KEY });
});

afterAll(async () => {
  await store?.close();
  await Promise.all([hdfs?.stop(), dfs?.stop().then(() => azurite?.stop()), local?.remove()]);
});

test('one call joins views from HDFS, ADLS and a local lake', async () => {
  const entities = new Table({ driver_id: int64s([1, 2, 1, 3]), event_timestamp: timestamps([T0 + HOUR, T0 + 3 * HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]) });
  const hdfsBefore = hdfs.bytesServed();
  const adlsBefore = dfs.bytesServed();
  const rows = plainRows(await store.getHistoricalFeatures({ entities, features: ['trips:trips_today', 'weather:temp', 'ratings:rating'] }));
  expect(rows).toEqual([
    { driver_id: 1, event_timestamp: T0 + HOUR, trips_today: 10, temp: 4.5, rating: 4.1 },
    { driver_id: 2, event_timestamp: T0 + 3 * HOUR, trips_today: 20, temp: 6, rating: 4.9 },
    // equal event times across the two HDFS part files: the later file wins
    { driver_id: 1, event_timestamp: T0 + 2 * HOUR, trips_today: 13, temp: 4.5, rating: 4.1 },
    { driver_id: 3, event_timestamp: T0 + 3 * HOUR, trips_today: null, temp: 6, rating: null },
  ]);
  expect(hdfs.bytesServed()).toBeGreaterThan(hdfsBefore);
  expect(dfs.bytesServed()).toBeGreaterThan(adlsBefore);
});
