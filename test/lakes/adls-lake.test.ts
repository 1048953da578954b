import { DataLakeServiceClient, StorageSharedKeyCredential } from '@azure/storage-file-datalake';
import { openLakeReader } from '../../runtime/lakes';
import type { AdlsLakeSpec } from '../../runtime/manifest/schema';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite } from '../support/azurite';
import { startDfsServer } from '../support/dfs-server';
import { describeLakeReader } from './reader-conformance';

export const adlsSpec: AdlsLakeSpec = {
  kind: 'adls',
  name: 'cloud',
  accountName: 'featurestackprod',
  dfsEndpoint: 'https://featurestackprod.dfs.core.windows.net',
  auth: { kind: 'accountKey', env: 'TEST_ADLS_KEY' },
  hash: 'x',
};

describeLakeReader(
  'ADLS Gen2',
  async (files) => {
    const azurite = await startAzurite();
    const dfs = await startDfsServer(azurite, { pageSize: 4 });
    const service = new DataLakeServiceClient(dfs.url, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
    const fileSystem = service.getFileSystemClient('features');
    await fileSystem.create();
    for (const [relative, bytes] of files) await fileSystem.getFileClient(`lake/${relative}`).upload(Buffer.from(bytes));
    return {
      reader: openLakeReader(adlsSpec, { FEATURESTACK_ADLS_URL: dfs.url, TEST_ADLS_KEY: AZURITE_KEY }),
      locate: (relativePath) => ({ filesystem: 'features', path: `lake/${relativePath}` }),
      bytesServed: () => dfs.bytesServed(),
      async stop() {
        await dfs.stop();
        await azurite.stop();
      },
    };
  },
  { remote: true },
);
