/**
 * The WebHDFS lake against Hadoop's own namenode and datanode (a MiniDFSCluster),
 * the same cases as webhdfs-lake.test.ts runs against the in-repo server.
 */
import { openLakeReader, readRemoteFile } from '../../runtime/lakes';
import { WebHdfsClient } from '../../runtime/lakes/webhdfs-client';
import { hadoopVersion, startMiniDfs, type MiniDfs } from '../support/minidfs';
import { BEHAVIOUR_GROUPS, describeWebHdfsBehaviour } from '../hdfs/webhdfs-behaviour';
import { collect, standardLake } from './lake-fixtures';
import { describeLakeReader } from './reader-conformance';

let dfs: MiniDfs;
beforeAll(async () => {
  dfs = await startMiniDfs({ groups: BEHAVIOUR_GROUPS });
  process.stderr.write(`MiniDFSCluster (Hadoop ${hadoopVersion()}) started in ${dfs.startupMillis} ms\n`);
  await dfs.mkdirs('/lake');
  await dfs.setOwner('/lake', 'etl', 'etl');
}, 180_000);
afterAll(() => dfs?.stop());

const spec = { kind: 'hdfs' as const, name: 'onprem', webhdfsUrl: 'http://namenode.invalid:9870/webhdfs/v1', user: 'etl', hash: 'x' };

async function upload(files: Map<string, Uint8Array>, base: string): Promise<void> {
  const client = new WebHdfsClient(dfs.webhdfsUrl, 'etl');
  for (const [relative, bytes] of files) await client.create(`${base}/${relative}`, bytes, { overwrite: true });
}

describeLakeReader(
  `Hadoop ${hadoopVersion()} WebHDFS`,
  async (files) => {
    await upload(files, '/lake/conformance');
    return {
      reader: openLakeReader(spec, { FEATURESTACK_WEBHDFS_URL: dfs.webhdfsUrl }),
      locate: (relativePath) => ({ filesystem: null, path: `lake/conformance/${relativePath}` }),
      bytesServed: () => dfs.bytesRead(),
      stop: async () => undefined,
    };
  },
  { remote: true },
);

describe(`Hadoop ${hadoopVersion()} WebHDFS specifics`, () => {
  beforeAll(() => upload(new Map([...standardLake()].filter(([p]) => p.startsWith('parts/'))), '/lake/specifics'));

  test('a missing file is reported with the path and the namenode message', async () => {
    const client = new WebHdfsClient(dfs.webhdfsUrl, 'etl');
    await expect(client.read('/lake/specifics/missing.parquet', 0, 10)).rejects.toMatchObject({ code: 'LAKE_ERROR', message: expect.stringContaining('WebHDFS OPEN /lake/specifics/missing.parquet failed: File /lake/specifics/missing.parquet not found') });
    await expect(client.read('/lake/specifics/parts', 0, 10)).rejects.toMatchObject({ message: 'WebHDFS OPEN /lake/specifics/parts failed: Path is not a file: /lake/specifics/parts' });
    await expect(client.list('/lake/specifics/missing')).rejects.toMatchObject({ code: 'LAKE_ERROR', message: expect.stringContaining('/lake/specifics/missing') });
  });

  test('a missing path is "nothing there" for stat, not an error', async () => {
    const client = new WebHdfsClient(dfs.webhdfsUrl, 'etl');
    expect(await client.stat('/lake/nothing/here')).toBeNull();
    expect(await client.stat('/lake/specifics/parts')).toMatchObject({ type: 'DIRECTORY', owner: 'etl' });
  });

  test('ranged reads return exactly the bytes asked for, and a length past the end stops at the end', async () => {
    const client = new WebHdfsClient(dfs.webhdfsUrl, 'etl');
    const expected = standardLake().get('parts/part-00001.parquet')!;
    const path = '/lake/specifics/parts/part-00001.parquet';
    expect(Buffer.from(await client.read(path, 0, 4)).toString()).toBe('PAR1');
    expect(Buffer.from(await client.read(path, 100, 333)).equals(Buffer.from(expected.subarray(100, 433)))).toBe(true);
    expect(Buffer.from(await client.read(path, expected.length - 8, 100)).equals(Buffer.from(expected.subarray(expected.length - 8)))).toBe(true);
  });

  test('a non-superuser reading a 0700 folder of another user is refused, naming the path and the fix', async () => {
    await dfs.mkdirs('/private', { permission: '700' });
    await dfs.putFile('/private/secret.parquet', standardLake().get('parts/part-00002.parquet')!);
    const client = new WebHdfsClient(dfs.webhdfsUrl, 'etl');
    const refused = { code: 'LAKE_ERROR', message: expect.stringMatching(/Permission denied: user=etl, access=(READ_)?EXECUTE, inode="\/private/), hint: expect.stringContaining('run as a user allowed') };
    await expect(client.list('/private')).rejects.toMatchObject(refused);
    await expect(client.read('/private/secret.parquet', 0, 4)).rejects.toMatchObject(refused);
    await expect(client.stat('/private/secret.parquet')).rejects.toMatchObject(refused);
    const reader = openLakeReader(spec, { FEATURESTACK_WEBHDFS_URL: dfs.webhdfsUrl });
    await expect(collect(reader.read({ filesystem: null, path: 'private/secret.parquet' }, { columns: ['name'] }))).rejects.toMatchObject({ message: expect.stringContaining('Permission denied') });
  });

  test('a folder of more than 1,000 entries is listed whole', async () => {
    const names = Array.from({ length: 1234 }, (_, i) => `entry-${String(i).padStart(5, '0')}`);
    const client = new WebHdfsClient(dfs.webhdfsUrl, 'etl');
    for (let i = 0; i < names.length; i += 32) await Promise.all(names.slice(i, i + 32).map((name) => client.mkdirs(`/lake/wide/${name}`, '755')));
    const listed = await client.list('/lake/wide');
    expect(listed.map((s) => s.pathSuffix)).toEqual(names);
  }, 120_000);

  test('readRemoteFile reads hdfs:// through FEATURESTACK_WEBHDFS_URL and webhdfs:// directly', async () => {
    const expected = standardLake().get('parts/part-00002.parquet')!;
    const viaHdfs = await readRemoteFile(`${dfs.rpcUrl}/lake/specifics/parts/part-00002.parquet`, { FEATURESTACK_WEBHDFS_URL: dfs.webhdfsUrl, HADOOP_USER_NAME: 'etl' });
    const viaWebhdfs = await readRemoteFile(`webhdfs://127.0.0.1:${dfs.namenodeHttpPort}/lake/specifics/parts/part-00002.parquet`, { HADOOP_USER_NAME: 'etl' });
    expect(Buffer.from(viaHdfs).equals(Buffer.from(expected))).toBe(true);
    expect(Buffer.from(viaWebhdfs).equals(Buffer.from(expected))).toBe(true);
  });
});

// The differences the real namenode showed from the in-repo server, each a case
// (test/hdfs/webhdfs-server.test.ts runs the same against the in-repo server).
describeWebHdfsBehaviour(`Hadoop ${hadoopVersion()} WebHDFS`, () => ({ url: dfs.webhdfsUrl, superuser: dfs.superuser, attributes: (p) => dfs.attributes(p) }));
