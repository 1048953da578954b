/**
 * @jest-environment ./test/support/process-env-environment.js
 *
 * Kerberos and HA together, as most production clusters run: a kerberized HA pair
 * (MiniKdc, MiniDFSNNTopology). One client logs in once, takes one delegation token and
 * keeps using it across a failover in the middle of a Parquet read: every row once and
 * in order, the same token before and after, cancelled at close.
 * (The environment is the process's own: libkrb5 reads the variables the client sets.)
 */
import { ParquetLakeReader } from '../../runtime/lakes/parquet-lake-reader';
import { WebHdfsClient } from '../../runtime/lakes/webhdfs-client';
import { WebHdfsFileSystem } from '../../runtime/lakes/webhdfs-lake';
import { ObservedClient } from './observed-client';
import { collect, parquetBytes, rowsOf, tripsTable } from '../lakes/lake-fixtures';
import { startSecureMiniDfs, type SecureMiniDfs } from '../support/minidfs-secure';

jest.setTimeout(180_000);

const ALICE = 'alice@EXAMPLE.COM';
const ROWS = 4000;
let dfs: SecureMiniDfs;
let nn0: string;
let nn1: string;

/** `work`, or an error naming `what` when it takes longer than `ms`. */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no end within ${ms / 1000} s`)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** A kerberized HA cluster with /user/alice made and owned by alice. */
async function kerberizedHaCluster(): Promise<SecureMiniDfs> {
  const started = await within(150_000, 'starting the kerberized HA MiniDFSCluster', startSecureMiniDfs({ kerberos: true, ha: true }));
  try {
    const [first, second] = started.webhdfsUrls;
    const { serviceKeytab, krb5Config } = started.kerberos!;
    const admin = new WebHdfsClient(first, 'hdfs', { namenodes: [second], auth: { kind: 'kerberos', principal: 'hdfs/localhost@EXAMPLE.COM', keytab: serviceKeytab, krb5Config } });
    await within(60_000, 'making /user/alice as hdfs', admin.mkdirs('/user/alice', '755'));
    await within(30_000, 'giving /user/alice to alice', admin.setOwner('/user/alice', 'alice', 'alice'));
    await within(30_000, "cancelling hdfs's delegation token", admin.close());
    return started;
  } catch (e) {
    await started.stop();
    throw e;
  }
}

beforeAll(async () => {
  dfs = await kerberizedHaCluster();
  [nn0, nn1] = dfs.webhdfsUrls;
}, 300_000);

afterAll(() => dfs?.stop());

test('one delegation token carries a kerberized read across a failover: every row once, in order', async () => {
  const { aliceKeytab, krb5Config } = dfs.kerberos!;
  const alice = new ObservedClient(nn0, 'ignored', { namenodes: [nn1], auth: { kind: 'kerberos', principal: ALICE, keytab: aliceKeytab, krb5Config } });
  await alice.create('/user/alice/trips/part-0.parquet', parquetBytes(tripsTable(0, ROWS / 2), 250), { overwrite: false });
  await alice.create('/user/alice/trips/part-1.parquet', parquetBytes(tripsTable(ROWS / 2, ROWS / 2), 250), { overwrite: false });
  const before = await alice.delegationToken();
  expect(before).toMatchObject({ own: true });

  let failedOverAt = 0;
  alice.onRead = async (n) => {
    if (n === 6) {
      await dfs.command('failover 0 1');
      failedOverAt = n;
    }
  };
  const reader = new ParquetLakeReader(new WebHdfsFileSystem(alice, 'onprem'));
  const rows = rowsOf(await collect(reader.read({ filesystem: null, path: 'user/alice/trips' }, { columns: ['name'] })));
  expect(failedOverAt).toBe(6);
  expect(alice.activeNamenode).toBe(nn1);
  expect(rows.map((r) => r.name)).toEqual(Array.from({ length: ROWS }, (_, i) => `trip-${i}`));
  // The token taken before the failover is the one still in use after it.
  expect((await alice.delegationToken())?.token).toBe(before?.token);
  expect(await alice.stat('/user/alice/trips/part-1.parquet')).toMatchObject({ type: 'FILE', owner: 'alice' });
  await alice.close();
});
