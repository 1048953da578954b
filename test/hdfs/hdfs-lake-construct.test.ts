/**
 * HdfsLake's security, HA, TLS and gateway settings: what reaches the registry and the
 * layout plan (names and paths, never secrets), and what fails synth with the construct
 * path and the fix.
 */
import { Testing } from 'cdktf';
import { HdfsFile, HdfsLake, HdfsSource, HdfsValue } from '../../constructs';
import { ProdStack, prodSettingsFrom } from '../../hybrid-stack/prod-stack';
import { parseHdfsPlan, parseManifest } from '../../runtime/manifest/validate';
import { repoStack, synthFiles, validationErrors } from '../definitions/helpers';

function synthesized(build: (stack: ReturnType<typeof repoStack>) => void) {
  const parts = repoStack();
  build(parts);
  const files = synthFiles(parts.stack);
  return {
    manifest: parseManifest(JSON.parse(files.get('featurestack/registry.json')!), 'test'),
    plan: parseHdfsPlan(JSON.parse(files.get('featurestack/hdfs-plan.json')!), 'test'),
    text: [...files.values()].join('\n'),
  };
}

test('a kerberized HA lake carries its namenodes, principal, keytab path and token variable into the registry and the plan', () => {
  const { manifest, plan } = synthesized(({ stack, repo }) => {
    const lake = new HdfsLake(stack, 'onprem', {
      namenodes: ['swebhdfs://nn1.corp.example.com:9871', 'swebhdfs://nn2.corp.example.com:9871'],
      rpcUrl: 'hdfs://prod-ns',
      user: 'featurestack',
      kerberos: { principal: 'featurestack@CORP.EXAMPLE.COM', keytab: HdfsFile.fromEnv('FEATURESTACK_KEYTAB'), krb5Config: HdfsFile.path('/etc/krb5.conf') },
      delegationTokenEnv: 'HDFS_DELEGATION_TOKEN',
      caBundle: HdfsFile.path('/etc/pki/corp-ca.pem'),
    });
    new HdfsSource(repo, 'trips', { lake, path: '/data/trips', timestampField: 'ts' });
  });
  const connection = {
    webhdfsUrl: 'https://nn1.corp.example.com:9871/webhdfs/v1',
    user: 'featurestack',
    namenodes: ['https://nn1.corp.example.com:9871/webhdfs/v1', 'https://nn2.corp.example.com:9871/webhdfs/v1'],
    auth: {
      kind: 'kerberos',
      principal: { value: 'featurestack@CORP.EXAMPLE.COM' },
      keytab: { env: 'FEATURESTACK_KEYTAB' },
      krb5Config: { path: '/etc/krb5.conf' },
      delegationTokenEnv: 'HDFS_DELEGATION_TOKEN',
    },
    tls: { caBundle: { path: '/etc/pki/corp-ca.pem' } },
  };
  expect(manifest.lakes.find((l) => l.name === 'onprem')).toEqual({ kind: 'hdfs', name: 'onprem', ...connection, rpcUrl: 'hdfs://prod-ns', hash: expect.any(String) });
  expect(plan).toMatchObject({ lake: 'onprem', ...connection });
});

test('a lake without the new settings keeps its registry entry as before', () => {
  const { manifest } = synthesized(({ stack, repo }) => {
    const lake = new HdfsLake(stack, 'hdfs', { webhdfsUrl: 'http://nn:9870/webhdfs/v1' });
    new HdfsSource(repo, 'trips', { lake, path: '/data/trips', timestampField: 'ts' });
  });
  expect(Object.keys(manifest.lakes.find((l) => l.name === 'hdfs')!).sort()).toEqual(['hash', 'kind', 'name', 'user', 'webhdfsUrl']);
});

test('a gateway with a token-only lake names the password variable, never a password', () => {
  const { manifest, text } = synthesized(({ stack, repo }) => {
    const lake = new HdfsLake(stack, 'knox', {
      webhdfsUrl: 'https://knox.corp.example.com:8443/gateway/default/webhdfs/v1',
      gateway: { user: HdfsValue.fromEnv('KNOX_USER'), passwordEnv: 'KNOX_PASSWORD' },
    });
    new HdfsSource(repo, 'trips', { lake, path: '/data/trips', timestampField: 'ts' });
  });
  expect(manifest.lakes.find((l) => l.name === 'knox')).toMatchObject({ gateway: { user: { env: 'KNOX_USER' }, passwordEnv: 'KNOX_PASSWORD' } });
  expect(text).not.toMatch(/"password"/);
});

test('bad settings fail synth with the construct path and the fix', () => {
  const { stack } = repoStack();
  new HdfsLake(stack, 'a', { namenodes: ['http://nn1:9870/webhdfs/v1', 'https://nn2:9871/webhdfs/v1'], rpcUrl: 'hdfs://ns' });
  new HdfsLake(stack, 'b', { webhdfsUrl: 'http://nn:9870/webhdfs/v1', kerberos: { principal: 'featurestack', keytab: HdfsFile.path('featurestack.keytab') } });
  new HdfsLake(stack, 'c', { webhdfsUrl: 'http://knox:8443/gateway/webhdfs/v1', gateway: { user: 'etl', passwordEnv: 'knox-password' }, caBundle: HdfsFile.path('/etc/ca.pem') });
  new HdfsLake(stack, 'd', { namenodes: ['http://nn1:9870/webhdfs/v1', 'http://nn2:9870/webhdfs/v1'], delegationTokenEnv: 'token' });
  new HdfsLake(stack, 'e', {});
  expect(validationErrors(stack).sort()).toEqual([
    'test/a: some namenodes are https and some http; serve WebHDFS the same way on every namenode (dfs.http.policy)',
    'test/b: kerberos principal "featurestack" is not user@REALM; give the full principal, e.g. "featurestack@CORP.EXAMPLE.COM" or "featurestack/host.example.com@CORP.EXAMPLE.COM"',
    'test/b: kerberos.keytab "featurestack.keytab" is not an absolute path; give an absolute path, or HdfsFile.fromEnv("VAR") for a path known only at run time',
    'test/c: caBundle is given but no namenode is https; use https:// or swebhdfs:// namenode URLs, or drop caBundle',
    'test/c: gateway basic auth over plain http would send the password in clear; use the gateway\'s https URL',
    'test/c: gateway.passwordEnv "knox-password" is not an environment variable name; use A-Z, 0-9 and _, e.g. "HDFS_DELEGATION_TOKEN"',
    'test/d: HA namenodes but no rpcUrl for Spark; give rpcUrl: "hdfs://<nameservice>" as in the cluster\'s dfs.nameservices',
    'test/d: delegationTokenEnv "token" is not an environment variable name; use A-Z, 0-9 and _, e.g. "HDFS_DELEGATION_TOKEN"',
    'test/e: no WebHDFS endpoint; give webhdfsUrl, e.g. "http://namenode:9870/webhdfs/v1", or namenodes for an HA pair',
  ]);
});

test('the prod stack points at a kerberized HA cluster from its FEATURESTACK_PROD_* settings', () => {
  const settings = prodSettingsFrom({
    FEATURESTACK_PROD_WEBHDFS_URL: 'https://nn1.hadoop.internal:9871/webhdfs/v1,https://nn2.hadoop.internal:9871/webhdfs/v1',
    FEATURESTACK_PROD_HDFS_RPC_URL: 'hdfs://prod-ns',
    FEATURESTACK_PROD_HDFS_PRINCIPAL: 'featurestack@HADOOP.INTERNAL',
    FEATURESTACK_PROD_HDFS_KEYTAB: '/etc/security/keytabs/featurestack.keytab',
    FEATURESTACK_PROD_HDFS_CA_BUNDLE: '/etc/pki/hadoop-ca.pem',
  });
  const stack = new ProdStack(Testing.app(), 'prod', { ...settings, storageAccount: 'chicagolake01' });
  expect(validationErrors(stack)).toEqual([]);
  const files = synthFiles(stack);
  const manifest = parseManifest(JSON.parse(files.get('featurestack/registry.json')!), 'prod');
  expect(manifest.lakes.find((l) => l.kind === 'hdfs')).toEqual({
    kind: 'hdfs',
    name: 'hdfs',
    webhdfsUrl: 'https://nn1.hadoop.internal:9871/webhdfs/v1',
    namenodes: ['https://nn1.hadoop.internal:9871/webhdfs/v1', 'https://nn2.hadoop.internal:9871/webhdfs/v1'],
    rpcUrl: 'hdfs://prod-ns',
    user: 'featurestack',
    auth: { kind: 'kerberos', principal: { value: 'featurestack@HADOOP.INTERNAL' }, keytab: { path: '/etc/security/keytabs/featurestack.keytab' }, delegationTokenEnv: 'HDFS_DELEGATION_TOKEN' },
    tls: { caBundle: { path: '/etc/pki/hadoop-ca.pem' } },
    hash: expect.any(String),
  });
  expect(parseHdfsPlan(JSON.parse(files.get('featurestack/hdfs-plan.json')!), 'prod')).toMatchObject({ namenodes: manifest.lakes.find((l) => l.kind === 'hdfs')!.namenodes, auth: { kind: 'kerberos' } });
});
