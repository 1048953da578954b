import { openLakeReader } from '../../runtime/lakes';
import { LocalLakeReader } from '../../runtime/lakes/local-lake';
import { WebHdfsClient } from '../../runtime/lakes/webhdfs-client';
import { startWebHdfsServer, type WebHdfsServer } from '../support/webhdfs-server';
import { collect, rowsOf, standardLake } from './lake-fixtures';
import { describeLakeReader } from './reader-conformance';

async function upload(server: WebHdfsServer, files: Map<string, Uint8Array>, base: string): Promise<void> {
  const client = new WebHdfsClient(server.url, 'etl');
  for (const [relative, bytes] of files) await client.create(`${base}/${relative}`, bytes, { overwrite: true });
}

describeLakeReader(
  'WebHDFS',
  async (files) => {
    const server = await startWebHdfsServer();
    await upload(server, files, '/lake');
    return {
      reader: openLakeReader({ kind: 'hdfs', name: 'onprem', webhdfsUrl: 'http://namenode.invalid:9870/webhdfs/v1', user: 'etl', hash: 'x' }, { FEATURESTACK_WEBHDFS_URL: server.url }),
      locate: (relativePath) => ({ filesystem: null, path: `lake/${relativePath}` }),
      bytesServed: () => server.bytesServed(),
      stop: () => server.stop(),
    };
  },
  { remote: true },
);
