import { DataLakeServiceClient, StorageSharedKeyCredential } from '@azure/storage-file-datalake';
import { openLakeReader, readRemoteFile } from '../../runtime/lakes';
import type { AdlsLakeSpec } from '../../runtime/manifest/schema';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type Azurite } from '../support/azurite';
import { startDfsServer, type DfsServer } from '../support/dfs-server';
import { collect, rowsOf, standardLake } from './lake-fixtures';
import { describeLakeReader } from './reader-conformance';

const spec: AdlsLakeSpec = {
  kind: 'adls',
  name: 'cloud',
  accountName: 'featurestackprod',
  dfsEndpoint: 'https://featurestackprod.dfs.core.windows.net',
  auth: { kind: 'accountKey', env: 'TEST_ADLS_KEY' },
  hash: 'x',
};

let azurite: Azurite;
let dfs: DfsServer;
let service: DataLakeServiceClient;

beforeAll(async () => {
  azurite = await startAzurite();
  // Four paths per List Paths page, so listing a source folder follows x-ms-continuation.
  dfs = await startDfsServer(azurite, { pageSize: 4 });
  service = new DataLakeServiceClient(dfs.url, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
});
afterAll(async () => {
  await dfs?.stop();
  await azurite?.stop();
});

describeLakeReader(
  'ADLS Gen2',
  async (files) => {
    const fileSystem = service.getFileSystemClient('features');
    await fileSystem.create();
    for (const [relative, bytes] of files) await fileSystem.getFileClient(`lake/${relative}`).upload(Buffer.from(bytes));
    return {
      reader: openLakeReader(spec, { FEATURESTACK_ADLS_URL: dfs.url, TEST_ADLS_KEY: AZURITE_KEY }),
      locate: (relativePath) => ({ filesystem: 'features', path: `lake/${relativePath}` }),
      bytesServed: () => dfs.bytesServed(),
      stop: async () => undefined,
    };
  },
  { remote: true },
);

describe('ADLS lake specifics', () => {
  const env = () => ({ FEATURESTACK_ADLS_URL: dfs.url, TEST_ADLS_KEY: AZURITE_KEY });
  const hive = { filesystem: 'features', path: 'lake/hive' };

  test('a folder listing follows x-ms-continuation across pages', async () => {
    const before = dfs.calls.filter((c) => c === 'DFS list features').length;
    const rows = rowsOf(await collect(openLakeReader(spec, env()).read(hive, { columns: ['region'] })));
    expect(rows).toHaveLength(65);
    // 4 directories, 4 files and their parent markers under lake/hive: more than one page of 4.
    expect(dfs.calls.filter((c) => c === 'DFS list features').length - before).toBeGreaterThan(2);
  });

  test('file data is read from the Blob endpoint (Azurite) with ranges', async () => {
    const before = dfs.calls.length;
    await collect(openLakeReader(spec, env()).read({ filesystem: 'features', path: 'lake/parts/part-00001.parquet' }, { columns: ['name'] }));
    const reads = dfs.calls.slice(before).filter((c) => c.startsWith('BLOB GET /features/lake/parts/part-00001.parquet'));
    expect(reads.length).toBeGreaterThanOrEqual(3);
  });

  test('a connection string from the environment authenticates', async () => {
    const reader = openLakeReader({ ...spec, auth: { kind: 'connectionString', env: 'TEST_ADLS_CONN' } }, { FEATURESTACK_ADLS_URL: dfs.url, TEST_ADLS_CONN: azurite.connectionString });
    expect(rowsOf(await collect(reader.read({ filesystem: 'features', path: 'lake/parts/part-00002.parquet' }, { columns: ['name'] }))).map((r) => r.name)).toEqual(
      Array.from({ length: 50 }, (_, i) => `trip-${500 + i}`),
    );
  });

  test('a missing credential variable is named', async () => {
    expect(() => openLakeReader(spec, { FEATURESTACK_ADLS_URL: dfs.url })).toThrow('ADLS lake "cloud": environment variable TEST_ADLS_KEY (the account key) is not set');
  });

  test('a wrong account key is refused by the Blob endpoint and reported as such', async () => {
    const wrongKey = Buffer.from('not the key of this account at all, sixty-four bytes long.......').toString('base64');
    const reader = openLakeReader(spec, { FEATURESTACK_ADLS_URL: dfs.url, TEST_ADLS_KEY: wrongKey });
    await expect(collect(reader.read({ filesystem: 'features', path: 'lake/single/trips.parquet' }, { columns: ['name'] }))).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'ADLS get properties features/lake/single/trips.parquet in lake "cloud" was refused: AuthorizationFailure',
    });
  });

  test('a source without a filesystem is a clear error', async () => {
    await expect(collect(openLakeReader(spec, env()).read({ filesystem: null, path: 'lake/parts' }, { columns: ['name'] }))).rejects.toMatchObject({
      code: 'SOURCE_INVALID',
      hint: expect.stringContaining('filesystem'),
    });
  });

  test('readRemoteFile reads an abfss:// URL', async () => {
    const bytes = await readRemoteFile('abfss://features@featurestackprod.dfs.core.windows.net/lake/parts/part-00002.parquet', {
      FEATURESTACK_ADLS_URL: dfs.url,
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    });
    expect(Buffer.from(bytes).equals(Buffer.from(standardLake().get('parts/part-00002.parquet')!))).toBe(true);
  });
});
