import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeatureStore } from '../../runtime/feature-store';
import { WebHdfsClient } from '../../runtime/lakes/webhdfs-client';
import { startWebHdfsServer, type WebHdfsServer } from '../support/webhdfs-server';
import { onDemandRepo, type OnDemandRepo } from './fixtures';

let repo: OnDemandRepo;
let server: WebHdfsServer;
const REGISTRY = 'hdfs://namenode.invalid:8020/published/registry.json';

beforeAll(async () => {
  repo = await onDemandRepo();
  server = await startWebHdfsServer();
  // What a deploy publishes: registry.json with its transforms/ folder beside it.
  const client = new WebHdfsClient(server.url, 'etl');
  await client.create('/published/registry.json', readFileSync(repo.registry), { overwrite: true });
  for (const file of readdirSync(repo.transforms)) await client.create(`/published/transforms/${file}`, readFileSync(join(repo.transforms, file)), { overwrite: true });
});
afterAll(async () => {
  await server.stop();
  repo.remove();
});

const env = () => ({ FEATURESTACK_WEBHDFS_URL: server.url, HADOOP_USER_NAME: 'etl' });

describe('a registry read from HDFS', () => {
  it('loads each transform bundle from beside it, checked by its hash', async () => {
    const store = await FeatureStore.open({ manifest: REGISTRY, env: env() });
    try {
      const res = await store.getOnlineFeatures({ features: ['order_features:amount_per_trip'], entities: { driver_id: [1], amount: [50], currency: ['EUR'] } });
      expect(res.results[1].values).toEqual([2.5]);
      expect(server.operations).toContain('OPEN /published/transforms/order_features.js');
    } finally {
      await store.close();
    }
  });

  it('refuses a bundle there that is not the one the registry records', async () => {
    const client = new WebHdfsClient(server.url, 'etl');
    await client.create('/published/transforms/amount_cents.js', Buffer.from('exports.amountCents = () => ({ amount_cents: 0 });\n'), { overwrite: true });
    const store = await FeatureStore.open({ manifest: REGISTRY, env: env() });
    try {
      await expect(store.getOnlineFeatures({ features: ['amount_cents:amount_cents'], entities: { amount: [1] } })).rejects.toMatchObject({
        code: 'TRANSFORM_MISMATCH',
        message: expect.stringContaining('on-demand view "amount_cents": the transform bundle at hdfs://namenode.invalid:8020/published/transforms/amount_cents.js has SHA-256 '),
      });
    } finally {
      await store.close();
    }
  });
});
