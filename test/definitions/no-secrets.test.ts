import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { LocalStack } from '../../hybrid-stack/local-stack';
import { ProdStack } from '../../hybrid-stack/prod-stack';
import { RedisOnlineStore } from '../../constructs';
import { repoStack, validationErrors } from './helpers';

const FAKE_SECRETS = {
  FEATURESTACK_REDIS_PASSWORD: 'redis-Pa55word-7f3a9c',
  AZURE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=c2VjcmV0LWtleS05OTk=',
  ARM_CLIENT_SECRET: 'arm-client-secret-42b1',
  DATABRICKS_TOKEN: 'dapi-token-0c0ffee',
};

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

describe('secrets never reach synthesized files', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  it('a full app synth with secrets in the environment writes none of them anywhere', () => {
    Object.assign(process.env, FAKE_SECRETS);
    const outdir = mkdtempSync(join(tmpdir(), 'featurestack-synth-'));
    const app = new App({ outdir });
    new LocalStack(app);
    new ProdStack(app);
    app.synth();
    const files = allFiles(outdir);
    expect(files.map((f) => f.slice(outdir.length)).sort()).toEqual([
      '/manifest.json',
      '/stacks/local/cdk.tf.json',
      '/stacks/local/featurestack/registry.json',
      '/stacks/local/featurestack/transforms/fare_quote.js',
      '/stacks/prod/cdk.tf.json',
      '/stacks/prod/featurestack/hdfs-plan.json',
      '/stacks/prod/featurestack/registry.json',
      '/stacks/prod/featurestack/transforms/fare_quote.js',
    ]);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const secret of Object.values(FAKE_SECRETS)) expect({ file, leaked: text.includes(secret) }).toEqual({ file, leaked: false });
    }
  });

  it('the Redis access key appears in Terraform only as a reference: to the managed Redis, or into the Databricks secret scope', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'featurestack-synth-'));
    const app = new App({ outdir });
    new ProdStack(app);
    app.synth();
    const tf = readFileSync(join(outdir, 'stacks/prod/cdk.tf.json'), 'utf8');
    const mentions = tf.split('\n').filter((line) => /access_key|password/i.test(line));
    expect(mentions.map((l) => l.trim())).toEqual([
      '"chicago-featurestack/redis-password: password of the online store featurestack-prod-online.westeurope.redis.azure.net"',
      expect.stringMatching(/^"value": "\$\{azurerm_managed_redis\.online_[0-9A-F]+\.default_database\[0\]\.primary_access_key\}",?$/),
      '"access_keys_authentication_enabled": true,',
      '"FEATURESTACK_REDIS_PASSWORD": "{{secrets/chicago-featurestack/redis-password}}"',
    ]);
  });

  it('a password given where an environment variable name belongs fails synth', () => {
    const { stack } = repoStack();
    new RedisOnlineStore(stack, 'redis', { host: 'redis.internal', passwordEnv: 'hunter2!' });
    expect(validationErrors(stack)).toEqual([
      'test/redis: passwordEnv "hunter2!" is not an environment variable name; name the variable, e.g. "FEATURESTACK_REDIS_PASSWORD", never the password itself',
    ]);
  });
});
