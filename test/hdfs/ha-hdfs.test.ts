/**
 * The WebHDFS client against Hadoop's own HA pair: a MiniDFSCluster with two namenodes
 * (MiniDFSNNTopology), the first active. The client finds the active one whatever the
 * order the lake lists them in, follows a failover in the middle of reading a Parquet
 * source without losing or repeating a row, moves on when a namenode refuses
 * connections, and names every namenode when none is active.
 */
import { ParquetLakeReader } from '../../runtime/lakes/parquet-lake-reader';
import { WebHdfsClient } from '../../runtime/lakes/webhdfs-client';
import { WebHdfsFileSystem } from '../../runtime/lakes/webhdfs-lake';
import { ObservedClient } from './observed-client';
import { startSecureMiniDfs, type SecureMiniDfs } from '../support/minidfs-secure';
import { collect, parquetBytes, rowsOf, tripsTable } from '../lakes/lake-fixtures';

jest.setTimeout(120_000);

let dfs: SecureMiniDfs;
let nn0: string;
let nn1: string;
const ROWS = 5000;

beforeAll(async () => {
  dfs = await startSecureMiniDfs({ ha: true });
  [nn0, nn1] = dfs.webhdfsUrls;
  const admin = new WebHdfsClient(nn0, 'hdfs');
  await admin.mkdirs('/lake/trips', '755');
  await admin.setOwner('/lake/trips', 'etl', 'etl');
  const etl = new WebHdfsClient(nn0, 'etl');
  // 10 row groups in each of two files: a read makes a few dozen ranged reads.
  await etl.create('/lake/trips/part-0.parquet', parquetBytes(tripsTable(0, ROWS / 2), 250), { overwrite: false });
  await etl.create('/lake/trips/part-1.parquet', parquetBytes(tripsTable(ROWS / 2, ROWS / 2), 250), { overwrite: false });
}, 240_000);

afterAll(() => dfs?.stop());

test('the active namenode is found when the standby is listed first', async () => {
  const client = new WebHdfsClient(nn1, 'etl', { namenodes: [nn0] });
  expect(await client.stat('/lake/trips/part-0.parquet')).toMatchObject({ type: 'FILE', owner: 'etl' });
  expect(client.activeNamenode).toBe(nn0);
  // From then on the active one is asked first.
  expect((await client.list('/lake/trips')).map((s) => s.pathSuffix)).toEqual(['part-0.parquet', 'part-1.parquet']);
  expect(client.activeNamenode).toBe(nn0);
});

test('a failover in the middle of a read loses and repeats no row', async () => {
  const client = new ObservedClient(nn0, 'etl', { namenodes: [nn1] });
  let failedOverAt = 0;
  client.onRead = async (n) => {
    if (n === 6) {
      await dfs.command('failover 0 1');
      failedOverAt = n;
    }
  };
  const reader = new ParquetLakeReader(new WebHdfsFileSystem(client, 'onprem'));
  const rows = rowsOf(await collect(reader.read({ filesystem: null, path: 'lake/trips' }, { columns: ['name', 'conv_rate'] })));
  expect(failedOverAt).toBe(6);
  expect(client.reads).toBeGreaterThan(10);
  expect(client.activeNamenode).toBe(nn1);
  expect(rows).toHaveLength(ROWS);
  expect(rows.map((r) => r.name)).toEqual(Array.from({ length: ROWS }, (_, i) => `trip-${i}`));
  expect(rows[4321]).toEqual({ name: 'trip-4321', conv_rate: 4321 / 2 });
});

test('with every namenode standby, the error names them all and the fix', async () => {
  await dfs.command('standby 1');
  try {
    const client = new WebHdfsClient(nn0, 'etl', { namenodes: [nn1], failoverRounds: 2, failoverDelayMs: 10 });
    await expect(client.stat('/lake')).rejects.toMatchObject({
      code: 'LAKE_UNREACHABLE',
      message: `WebHDFS GETFILESTATUS /lake: no active namenode among ${nn0}, ${nn1} (all answered standby after 2 rounds)`,
      hint: 'make one namenode active (hdfs haadmin -failover / -transitionToActive) or check that the ZKFCs run, then run again',
    });
  } finally {
    await dfs.command('active 1');
  }
});

test('a lake that lists only the standby says so and how to fix it', async () => {
  // nn1 is active since the failover above; nn0 is the standby.
  await expect(new WebHdfsClient(nn0, 'etl').stat('/lake')).rejects.toMatchObject({
    message: expect.stringMatching(/^WebHDFS GETFILESTATUS \/lake failed: Operation category READ is not supported in state standby/),
    hint: "this namenode is a standby: list every namenode of the HA pair in the lake's namenodes, or make this one active",
  });
});

test('a namenode that refuses connections is passed over, mid-run too', async () => {
  const client = new WebHdfsClient(nn1, 'etl', { namenodes: [nn0] });
  expect(await client.stat('/lake/trips')).toMatchObject({ type: 'DIRECTORY' });
  await dfs.command('failover 1 0');
  await dfs.command('stop 1');
  // nn1 (asked first) now refuses connections; nn0 is active.
  expect(await client.stat('/lake/trips/part-1.parquet')).toMatchObject({ type: 'FILE' });
  expect(client.activeNamenode).toBe(nn0);
  const copy = new WebHdfsClient(nn1, 'etl', { namenodes: [nn0] });
  await copy.create('/lake/trips/_SUCCESS', new Uint8Array(0), { overwrite: false });
  expect(await client.stat('/lake/trips/_SUCCESS')).toMatchObject({ type: 'FILE', length: 0 });
});
