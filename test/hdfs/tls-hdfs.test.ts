/**
 * The WebHDFS client against Hadoop's own HDFS served over HTTPS only (swebhdfs): a
 * MiniDFSCluster with dfs.http.policy HTTPS_ONLY and a certificate from a private CA.
 * With the CA bundle named, reads and writes go through the namenode and the datanode;
 * without it, or with another CA, the error names the namenode and the fix. A Knox-style
 * gateway in front (basic auth, its own base path) is reached with the lake's gateway
 * settings, the password from an environment variable.
 */
import { readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openLakeReader } from '../../runtime/lakes';
import { WebHdfsClient } from '../../runtime/lakes/webhdfs-client';
import type { HdfsLakeSpec } from '../../runtime/manifest/schema';
import { collect, parquetBytes, rowsOf, tripsTable } from '../lakes/lake-fixtures';
import { startSecureMiniDfs, type SecureMiniDfs } from '../support/minidfs-secure';
import { makeTestCertificates, type TestCertificates } from '../support/tls-certificates';
import { startWebHdfsGateway, type WebHdfsGateway } from '../support/webhdfs-gateway';

jest.setTimeout(120_000);

let dir: string;
let certs: TestCertificates;
let dfs: SecureMiniDfs;
let url: string;
let gateway: WebHdfsGateway;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'featurestack-tls-'));
  certs = await makeTestCertificates(path.join(dir, 'certs'));
  dfs = await startSecureMiniDfs({ https: { keystore: certs.keystore, truststore: certs.truststore, password: certs.password } });
  url = dfs.webhdfsUrls[0];
  const admin = new WebHdfsClient(url, 'hdfs', { caBundle: certs.caBundle });
  await admin.mkdirs('/lake/trips', '755');
  await admin.setOwner('/lake/trips', 'etl', 'etl');
  gateway = await startWebHdfsGateway({ namenodeUrl: url, users: { etl: 'gateway-secret' }, pfx: await readFile(certs.keystore), passphrase: certs.password, ca: certs.caBundle });
}, 240_000);

afterAll(async () => {
  await gateway?.stop();
  await dfs?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('with the CA bundle, writes and ranged reads go over https to the namenode and the datanode', async () => {
  expect(url).toMatch(/^https:\/\/localhost:\d+\/webhdfs\/v1$/);
  const etl = new WebHdfsClient(url, 'etl', { caBundle: certs.caBundle });
  await etl.create('/lake/trips/part-0.parquet', parquetBytes(tripsTable(0, 300), 100), { overwrite: false });
  expect(await etl.stat('/lake/trips/part-0.parquet')).toMatchObject({ type: 'FILE', owner: 'etl' });
  await etl.close();
});

test('a lake whose tls.caBundle names the file reads its Parquet rows', async () => {
  const spec: HdfsLakeSpec = { kind: 'hdfs', name: 'onprem', webhdfsUrl: url, user: 'etl', tls: { caBundle: { env: 'TEST_CA_BUNDLE' } }, hash: 'x' };
  const reader = openLakeReader(spec, { TEST_CA_BUNDLE: path.join(dir, 'certs', 'featurestack-test-ca.pem') });
  const rows = rowsOf(await collect(reader.read({ filesystem: null, path: 'lake/trips' }, { columns: ['name'] })));
  expect(rows.map((r) => r.name)).toEqual(Array.from({ length: 300 }, (_, i) => `trip-${i}`));
  await reader.close();
});

test('without the CA bundle, the error names the namenode and the fix', async () => {
  await expect(new WebHdfsClient(url, 'etl').stat('/lake')).rejects.toMatchObject({
    code: 'LAKE_ERROR',
    message: expect.stringMatching(new RegExp(`^TLS to ${url} failed during GETFILESTATUS /lake: (SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY) .*trusted: the system's CAs and no CA bundle$`)),
    hint: "name the CA bundle (PEM) that signed the namenode's and datanodes' certificates in the lake's tls.caBundle",
  });
});

test('a bundle of another CA is named in the error', async () => {
  const client = new WebHdfsClient(url, 'etl', { caBundle: certs.otherCaBundle, caBundleSource: '/etc/pki/other-ca.pem' });
  await expect(client.stat('/lake')).rejects.toMatchObject({ message: expect.stringMatching(/trusted: the system's CAs and the CA bundle \/etc\/pki\/other-ca\.pem$/) });
});

describe('through a Knox-style gateway', () => {
  const lake = (passwordEnv: string): HdfsLakeSpec => ({
    kind: 'hdfs',
    name: 'knox',
    webhdfsUrl: gateway.url,
    user: 'etl',
    tls: { caBundle: { path: path.join(dir, 'certs', 'featurestack-test-ca.pem') } },
    gateway: { user: { value: 'etl' }, passwordEnv },
    hash: 'x',
  });

  test('basic auth and the gateway base path reach the namenode and, redirected, the datanode', async () => {
    const reader = openLakeReader(lake('KNOX_PASSWORD'), { KNOX_PASSWORD: 'gateway-secret' });
    const rows = rowsOf(await collect(reader.read({ filesystem: null, path: 'lake/trips' }, { columns: ['name'] })));
    expect(rows).toHaveLength(300);
    expect(rows[299]).toEqual({ name: 'trip-299' });
    const client = new WebHdfsClient(gateway.url, 'ignored', { caBundle: certs.caBundle, gateway: { user: 'etl', password: 'gateway-secret' } });
    await client.create('/lake/trips/_SUCCESS', new Uint8Array(0), { overwrite: true });
    expect(await client.stat('/lake/trips/_SUCCESS')).toMatchObject({ owner: 'etl', length: 0 });
    await reader.close();
  });

  test('a wrong password is the gateway\'s 401, named as such', async () => {
    const reader = openLakeReader(lake('KNOX_PASSWORD'), { KNOX_PASSWORD: 'wrong' });
    await expect(collect(reader.read({ filesystem: null, path: 'lake/trips' }, { columns: ['name'] }))).rejects.toMatchObject({
      message: `gateway ${gateway.url} refused the basic auth of user etl (HTTP 401) during GETFILESTATUS /lake/trips`,
      hint: "check the gateway user and the password in the lake's gateway.passwordEnv variable",
    });
  });

  test('an unset password variable fails before any call, naming the lake and the variable', () => {
    expect(() => openLakeReader(lake('KNOX_PASSWORD'), {})).toThrow('hdfs lake "knox": gateway reads its password from KNOX_PASSWORD, which is not set');
  });
});
