import { openLakeReader, readRemoteFile } from '../../runtime/lakes';
import { WebHdfsClient } from '../../runtime/lakes/webhdfs-client';
import { startWebHdfsServer, type WebHdfsServer } from '../support/webhdfs-server';
import { collect, standardLake } from './lake-fixtures';
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

describe('WebHDFS specifics', () => {
  let server: WebHdfsServer;
  beforeAll(async () => {
    server = await startWebHdfsServer();
    await upload(server, new Map([...standardLake()].filter(([p]) => p.startsWith('parts/'))), '/lake');
  });
  afterAll(() => server.stop());

  const spec = { kind: 'hdfs' as const, name: 'onprem', webhdfsUrl: 'http://namenode.invalid:9870/webhdfs/v1', user: 'etl', hash: 'x' };

  test('a RemoteException from the namenode is reported with the path and its message', async () => {
    const client = new WebHdfsClient(server.url, 'etl');
    await expect(client.read('/lake/missing.parquet', 0, 10)).rejects.toMatchObject({ code: 'LAKE_ERROR', message: 'WebHDFS OPEN /lake/missing.parquet failed: File /lake/missing.parquet not found.' });
    await expect(client.read('/lake/parts', 0, 10)).rejects.toMatchObject({ message: 'WebHDFS OPEN /lake/parts failed: Path is not a file: /lake/parts' });
  });

  test('a missing path is "nothing there" for stat, not an error', async () => {
    const client = new WebHdfsClient(server.url, 'etl');
    expect(await client.stat('/lake/nothing/here')).toBeNull();
    expect(await client.stat('/lake/parts')).toMatchObject({ type: 'DIRECTORY', owner: 'etl' });
  });

  test('an unreachable namenode is LAKE_UNREACHABLE naming the URL', async () => {
    const reader = openLakeReader(spec, { FEATURESTACK_WEBHDFS_URL: 'http://127.0.0.1:1/webhdfs/v1' });
    await expect(collect(reader.read({ filesystem: null, path: 'lake/parts' }, { columns: ['name'] }))).rejects.toMatchObject({
      code: 'LAKE_UNREACHABLE',
      message: expect.stringContaining('WebHDFS at http://127.0.0.1:1/webhdfs/v1 is unreachable (ECONNREFUSED)'),
    });
  });

  test('OPEN goes to the namenode, which redirects to the datanode with offset and length', async () => {
    const before = server.operations.length;
    const reader = openLakeReader(spec, { FEATURESTACK_WEBHDFS_URL: server.url });
    await collect(reader.read({ filesystem: null, path: 'lake/parts/part-00000.parquet' }, { columns: ['name'] }));
    expect(server.operations.slice(before).filter((op) => op === 'OPEN /lake/parts/part-00000.parquet').length).toBeGreaterThanOrEqual(3);
  });

  test('readRemoteFile reads hdfs:// through FEATURESTACK_WEBHDFS_URL and webhdfs:// directly', async () => {
    const expected = standardLake().get('parts/part-00002.parquet')!;
    const viaHdfs = await readRemoteFile('hdfs://namenode.invalid:8020/lake/parts/part-00002.parquet', { FEATURESTACK_WEBHDFS_URL: server.url, HADOOP_USER_NAME: 'etl' });
    const viaWebhdfs = await readRemoteFile(`webhdfs://127.0.0.1:${server.namenodePort}/lake/parts/part-00002.parquet`, { HADOOP_USER_NAME: 'etl' });
    expect(Buffer.from(viaHdfs).equals(Buffer.from(expected))).toBe(true);
    expect(Buffer.from(viaWebhdfs).equals(Buffer.from(expected))).toBe(true);
  });

  test('readRemoteFile of a missing registry names it', async () => {
    await expect(readRemoteFile('hdfs://namenode.invalid/featurestack/registry.json', { FEATURESTACK_WEBHDFS_URL: server.url })).rejects.toMatchObject({
      message: expect.stringContaining('/featurestack/registry.json is not a file in hdfs lake'),
    });
  });
});
