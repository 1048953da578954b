import { startMiniDfs, hadoopVersion, type MiniDfs } from '../support/minidfs';

describe(`Hadoop ${hadoopVersion()} MiniDFSCluster`, () => {
  let dfs: MiniDfs;
  beforeAll(async () => {
    dfs = await startMiniDfs();
    process.stderr.write(`MiniDFSCluster (Hadoop ${hadoopVersion()}) started in ${dfs.startupMillis} ms\n`);
  }, 180_000);
  afterAll(() => dfs?.stop());

  test('serves WebHDFS on loopback with the superuser it was started as', async () => {
    expect(dfs.webhdfsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhdfs\/v1$/);
    expect(dfs.rpcUrl).toMatch(/^hdfs:\/\/127\.0\.0\.1:\d+$/);
    expect(await dfs.attributes('/')).toEqual({ owner: 'hdfs', group: 'supergroup', permission: '755' });
  });

  test('CREATE and OPEN redirect to a datanode on 127.0.0.1', async () => {
    await dfs.putFile('/probe.txt', new TextEncoder().encode('hello'));
    const open = await fetch(`${dfs.webhdfsUrl}/probe.txt?op=OPEN&user.name=hdfs`, { redirect: 'manual' });
    expect(open.status).toBe(307);
    const location = new URL(open.headers.get('location')!);
    expect(location.hostname).toBe('127.0.0.1');
    expect(dfs.datanodeHttpPorts).toContain(Number(location.port));
    expect(await (await fetch(location)).text()).toBe('hello');
  });

  test('permissions are enforced: another user cannot write into the superuser\'s root', async () => {
    await expect(dfs.mkdirs('/not-mine', { user: 'etl' })).rejects.toThrow(/Permission denied: user=etl, access=WRITE/);
  });
});
