/**
 * @jest-environment ./test/support/process-env-environment.js
 *
 * The WebHDFS client against Hadoop's own kerberized HDFS: a MiniKdc and a MiniDFSCluster
 * with SPNEGO on WebHDFS and delegation tokens (SecureMiniDfsLauncher). Credentials from a
 * keytab and from a kinit ticket cache; one delegation token per client, renewed when due
 * and cancelled at close; a token handed in from outside; `featurestack hdfs apply` with
 * the plan's Kerberos settings; and the errors a user meets: no ticket, an expired ticket,
 * a principal the keytab lacks, clock skew, a host the KDC has no principal for.
 * (The environment is the process's own: libkrb5 reads the variables the client sets.)
 */
import { execFile } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { featurestack } from '../catalog/run-cli';
import { FeatureStoreError } from '../../runtime/errors';
import { readRemoteFile } from '../../runtime/lakes/remote-file';
import { WebHdfsClient, type WebHdfsAuth } from '../../runtime/lakes/webhdfs-client';
import type { HdfsLakeSpec, HdfsPlan, Manifest } from '../../runtime/manifest/schema';
import { sparkHdfsSecurity } from '../../runtime/spark/hdfs-security';
import { parquetBytes, tripsTable } from '../lakes/lake-fixtures';
import { kinit, shiftTicketCacheClock, startSecureMiniDfs, type SecureMiniDfs } from '../support/minidfs-secure';
import { venvPython } from '../support/python-env';

jest.setTimeout(120_000);

let dfs: SecureMiniDfs;
let url: string;
let krb5Config: string;
let admin: WebHdfsClient;
const ALICE = 'alice@EXAMPLE.COM';
const BOB = 'bob@EXAMPLE.COM';

const aliceKeytab = () => ({ kind: 'kerberos' as const, principal: ALICE, keytab: dfs.kerberos!.aliceKeytab, krb5Config });

async function failure(run: Promise<unknown>): Promise<FeatureStoreError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof FeatureStoreError)) throw new Error(`expected a FeatureStoreError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  dfs = await startSecureMiniDfs({ kerberos: true });
  url = dfs.webhdfsUrls[0];
  krb5Config = dfs.kerberos!.krb5Config;
  admin = new WebHdfsClient(url, 'hdfs', { auth: { kind: 'kerberos', principal: 'hdfs/localhost@EXAMPLE.COM', keytab: dfs.kerberos!.serviceKeytab, krb5Config } });
  for (const user of ['alice', 'bob']) {
    await admin.mkdirs(`/user/${user}`, '755');
    await admin.setOwner(`/user/${user}`, user, user);
  }
}, 240_000);

afterAll(async () => {
  await admin?.close();
  await dfs?.stop();
});

test('a keytab principal writes and reads through SPNEGO; the files are its own', async () => {
  const alice = new WebHdfsClient(url, 'ignored', { auth: aliceKeytab() });
  await alice.create('/user/alice/trips/part-0.bin', Buffer.from('0123456789'), { overwrite: false });
  expect(Buffer.from(await alice.read('/user/alice/trips/part-0.bin', 3, 4)).toString()).toBe('3456');
  expect(await alice.stat('/user/alice/trips/part-0.bin')).toMatchObject({ type: 'FILE', length: 10, owner: 'alice' });
  expect((await alice.list('/user/alice/trips')).map((s) => s.pathSuffix)).toEqual(['part-0.bin']);
  expect(await alice.delegationToken()).toMatchObject({ own: true, renewals: 0 });
  await alice.close();
});

test('the ticket cache that kinit filled is used when no keytab is named', async () => {
  const cache = `FILE:${path.join(dfs.scratch, 'bob.cc')}`;
  await kinit(krb5Config, dfs.kerberos!.bobKeytab, BOB, cache);
  const bob = new WebHdfsClient(url, 'ignored', { auth: { kind: 'kerberos', principal: BOB, ticketCache: cache, krb5Config } });
  await bob.mkdirs('/user/bob/features', '750');
  expect(await bob.stat('/user/bob/features')).toMatchObject({ type: 'DIRECTORY', owner: 'bob', permission: '750' });
  await bob.close();
});

test('one delegation token serves the run: renewed once due, cancelled at close', async () => {
  let now = 1_000_000;
  const alice = new WebHdfsClient(url, 'ignored', { auth: aliceKeytab(), clock: () => now, renewAfterMs: 60_000 });
  await alice.stat('/user/alice');
  const { token } = (await alice.delegationToken())!;
  await alice.stat('/user');
  expect(await alice.delegationToken()).toEqual({ token, own: true, renewals: 0 });
  now += 61_000;
  await alice.stat('/user');
  expect(await alice.delegationToken()).toEqual({ token, own: true, renewals: 1 });

  // Until close, the token works on its own, without Kerberos.
  const handedIn = new WebHdfsClient(url, 'ignored', { auth: { kind: 'delegationToken', token } });
  expect(await handedIn.stat('/user/alice')).toMatchObject({ owner: 'alice' });
  await alice.close();
  const refused = await failure(handedIn.stat('/user/alice'));
  expect(refused.message).toMatch(new RegExp(`^WebHDFS GETFILESTATUS /user/alice failed: .*can't be found in cache`));
  expect(refused.hint).toBe('the delegation token is no longer valid (expired or cancelled): hand in a fresh one, or use Kerberos');
});

test('a token handed in from outside is used as is: never renewed, not cancelled at close', async () => {
  const owner = new WebHdfsClient(url, 'ignored', { auth: aliceKeytab() });
  await owner.create('/user/alice/handed-in.txt', Buffer.from('rows'), { overwrite: true });
  const { token } = (await owner.delegationToken())!;
  const scheduled = new WebHdfsClient(url, 'ignored', { auth: { kind: 'delegationToken', token }, clock: () => Number.MAX_SAFE_INTEGER });
  expect(Buffer.from(await scheduled.read('/user/alice/handed-in.txt', 0, 4)).toString()).toBe('rows');
  await scheduled.close();
  expect(await owner.stat('/user/alice/handed-in.txt')).toMatchObject({ length: 4 });
  expect(await owner.delegationToken()).toMatchObject({ renewals: 0 });
  await owner.close();
});

test('with delegation tokens off every call is SPNEGO, then the hadoop.auth cookie', async () => {
  const alice = new WebHdfsClient(url, 'ignored', { auth: { ...aliceKeytab(), delegationTokens: false } });
  expect(await alice.stat('/user/alice')).toMatchObject({ owner: 'alice' });
  await alice.create('/user/alice/spnego-only.txt', Buffer.from('each call'), { overwrite: true });
  // The namenode puts a token of its own into the datanode redirect.
  expect(Buffer.from(await alice.read('/user/alice/spnego-only.txt', 5, 4)).toString()).toBe('call');
  expect(await alice.delegationToken()).toBeUndefined();
  await alice.close();
});

test('featurestack hdfs apply uses the plan\'s Kerberos settings', async () => {
  const plan: HdfsPlan = {
    planVersion: 1,
    lake: 'onprem',
    webhdfsUrl: url,
    user: 'hdfs',
    auth: { kind: 'kerberos', principal: { value: 'hdfs/localhost@EXAMPLE.COM' }, keytab: { env: 'TEST_HDFS_KEYTAB' }, krb5Config: { path: krb5Config } },
    directories: [{ path: '/secure/features/trips', owner: 'alice', group: 'mobility', permission: '750', sources: ['trips'] }],
  };
  const file = path.join(dfs.scratch, 'hdfs-plan.json');
  await writeFile(file, JSON.stringify(plan));
  process.env.TEST_HDFS_KEYTAB = dfs.kerberos!.serviceKeytab;
  try {
    const result = await featurestack('hdfs', 'apply', '--plan', file);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('created /secure/features/trips (alice:mobility 750)');
  } finally {
    delete process.env.TEST_HDFS_KEYTAB;
  }
  expect(await admin.stat('/secure/features/trips')).toMatchObject({ owner: 'alice', group: 'mobility', permission: '750' });
});

test('a registry on the kerberized HDFS is read with FEATURESTACK_HDFS_PRINCIPAL and FEATURESTACK_HDFS_KEYTAB', async () => {
  const alice = new WebHdfsClient(url, 'ignored', { auth: aliceKeytab() });
  await alice.create('/user/alice/registry.json', Buffer.from('{"manifestVersion":1}'), { overwrite: true });
  await alice.close();
  const env = { FEATURESTACK_HDFS_PRINCIPAL: ALICE, FEATURESTACK_HDFS_KEYTAB: dfs.kerberos!.aliceKeytab, KRB5_CONFIG: krb5Config };
  const bytes = await readRemoteFile(`webhdfs://${new URL(url).host}/user/alice/registry.json`, env);
  expect(Buffer.from(bytes).toString()).toBe('{"manifestVersion":1}');
});

describe('errors name the namenode and the fix', () => {
  test('simple authentication against a kerberized cluster', async () => {
    const error = await failure(new WebHdfsClient(url, 'alice').stat('/'));
    expect(error.message).toBe(`namenode ${url} asks for Kerberos (HTTP 401) during GETFILESTATUS /, but the lake uses simple authentication`);
    expect(error.hint).toBe('the cluster is kerberized: give the lake kerberos settings (principal and keytab, or a kinit ticket) or a delegation token');
  });

  test('a principal the keytab does not hold', async () => {
    const error = await failure(new WebHdfsClient(url, 'x', { auth: { kind: 'kerberos', principal: BOB, keytab: dfs.kerberos!.aliceKeytab, krb5Config } }).stat('/'));
    expect(error.message).toContain(`Kerberos to namenode ${url} failed: keytab ${dfs.kerberos!.aliceKeytab} holds no credentials for ${BOB}`);
    expect(error.hint).toBe(`name the principal the keytab holds (klist -kt ${dfs.kerberos!.aliceKeytab}), or the keytab of ${BOB}`);
  });

  test('no ticket in the cache', async () => {
    const cache = `FILE:${path.join(dfs.scratch, 'empty.cc')}`;
    const error = await failure(new WebHdfsClient(url, 'x', { auth: { kind: 'kerberos', principal: ALICE, ticketCache: cache, krb5Config } }).stat('/'));
    expect(error.message).toContain(`Kerberos to namenode ${url} failed: no ticket for ${ALICE} in the ticket cache ${cache}`);
    expect(error.hint).toBe(`run: kinit ${ALICE}, or name a keytab in the lake's kerberos settings`);
  });

  test('a host the KDC has no SPNEGO principal for', async () => {
    const byAddress = url.replace('localhost', '127.0.0.1');
    const error = await failure(new WebHdfsClient(byAddress, 'x', { auth: aliceKeytab() }).stat('/'));
    expect(error.message).toContain(`Kerberos to namenode ${byAddress} failed: the KDC has no principal HTTP/127.0.0.1`);
    expect(error.hint).toMatch(/^use the namenode's fully qualified host name, as in its SPNEGO principal/);
  });

  test('an expired ticket', async () => {
    const file = path.join(dfs.scratch, 'alice-expired.cc');
    await kinit(krb5Config, dfs.kerberos!.aliceKeytab, ALICE, `FILE:${file}`, ['-l', '1h']);
    await shiftTicketCacheClock(file, 2 * 3600);
    const client = new WebHdfsClient(url, 'x', { auth: { kind: 'kerberos', principal: ALICE, ticketCache: `FILE:${file}`, krb5Config } });
    const error = await failure(client.stat('/'));
    expect(error.message).toContain(`Kerberos to namenode ${url} failed: the ticket of ${ALICE} has expired`);
    expect(error.hint).toBe(`run: kinit ${ALICE}, or name a keytab in the lake's kerberos settings`);
  });

  test('clock skew', async () => {
    const file = path.join(dfs.scratch, 'alice-skewed.cc');
    await kinit(krb5Config, dfs.kerberos!.aliceKeytab, ALICE, `FILE:${file}`);
    await shiftTicketCacheClock(file, 3600);
    const client = new WebHdfsClient(url, 'x', { auth: { kind: 'kerberos', principal: ALICE, ticketCache: `FILE:${file}`, krb5Config } });
    const error = await failure(client.stat('/'));
    expect(error.message).toContain(`Kerberos to namenode ${url} failed: clock skew between this machine, the KDC and the namenode`);
    expect(error.hint).toBe('synchronise the clocks (NTP / chrony): Kerberos allows 5 minutes of difference');
  });
});

describe('Spark jobs get the same credentials', () => {
  const manifestWith = (auth: HdfsLakeSpec['auth']) =>
    ({ lakes: [{ kind: 'hdfs', name: 'onprem', webhdfsUrl: url, user: 'etl', auth, rpcUrl: `hdfs://localhost:${dfs.rpcPorts[0]}`, hash: 'x' }] }) as unknown as Manifest;

  test('a handed-in token becomes a credentials file that Hadoop\'s own RPC client lists HDFS with', async () => {
    const owner = new WebHdfsClient(url, 'ignored', { auth: aliceKeytab() });
    await owner.create('/user/alice/spark/part-0.parquet', Buffer.from('x'), { overwrite: true });
    const { token } = (await owner.delegationToken())!;
    const security = await sparkHdfsSecurity(manifestWith({ kind: 'delegationToken', env: 'TEST_HDFS_TOKEN' }), { TEST_HDFS_TOKEN: token }, dfs.scratch);
    expect(security).toEqual({ options: [], conf: {}, env: { HADOOP_TOKEN_FILE_LOCATION: path.join(dfs.scratch, 'onprem.token') } });
    expect((await stat(security.env.HADOOP_TOKEN_FILE_LOCATION)).mode & 0o777).toBe(0o600);
    // The launcher lists as a user holding nothing but the file's tokens, over HDFS RPC.
    expect(await dfs.command(`ls-with-tokens ${security.env.HADOOP_TOKEN_FILE_LOCATION} /user/alice/spark`)).toBe('part-0.parquet:alice');
    await owner.close();
  });

  test('a Spark job (pyspark, local) reads the kerberized HDFS over RPC holding nothing but the handed-in token', async () => {
    const owner = new WebHdfsClient(url, 'ignored', { auth: aliceKeytab() });
    await owner.create('/user/alice/spark-rows/part-0.parquet', parquetBytes(tripsTable(0, 123), 50), { overwrite: true });
    const { token } = (await owner.delegationToken())!;
    const rpc = `hdfs://localhost:${dfs.rpcPorts[0]}`;
    const security = await sparkHdfsSecurity(manifestWith({ kind: 'delegationToken', env: 'TEST_HDFS_TOKEN' }), { TEST_HDFS_TOKEN: token }, dfs.scratch);
    // What a Spark machine's core-site.xml and hdfs-site.xml say about the cluster.
    const program = `
from pyspark.sql import SparkSession
spark = (SparkSession.builder.master('local[1]').config('spark.ui.enabled', 'false')
  .config('spark.hadoop.hadoop.security.authentication', 'kerberos')
  .config('spark.hadoop.dfs.namenode.kerberos.principal', 'hdfs/localhost@EXAMPLE.COM').getOrCreate())
print('rows', spark.read.parquet('${rpc}/user/alice/spark-rows').count())
`;
    const env = { ...process.env, ...security.env, SPARK_SUBMIT_OPTS: `-Djava.security.krb5.conf=${krb5Config}`, KRB5CCNAME: `FILE:${path.join(dfs.scratch, 'no-ticket.cc')}` };
    const { stdout } = await promisify(execFile)(venvPython('spark')!, ['-c', program], { env, maxBuffer: 1 << 24 });
    expect(stdout.split('\n')).toContain('rows 123');
    await owner.close();
  }, 300_000);

  test('a keytab becomes --principal and --keytab, krb5.conf the JVMs\' java.security.krb5.conf', async () => {
    const auth = { kind: 'kerberos' as const, principal: { value: ALICE }, keytab: { path: dfs.kerberos!.aliceKeytab }, krb5Config: { path: krb5Config } };
    const security = await sparkHdfsSecurity(manifestWith(auth), {});
    const javaOption = `-Djava.security.krb5.conf=${krb5Config}`;
    expect(security).toEqual({
      options: ['--principal', ALICE, '--keytab', dfs.kerberos!.aliceKeytab],
      conf: { 'spark.kerberos.access.hadoopFileSystems': `hdfs://localhost:${dfs.rpcPorts[0]}`, 'spark.driver.extraJavaOptions': javaOption, 'spark.executor.extraJavaOptions': javaOption },
      env: { KRB5_CONFIG: krb5Config, SPARK_SUBMIT_OPTS: javaOption },
    });
  });
});
