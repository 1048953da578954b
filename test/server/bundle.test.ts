import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeatureStore } from '../../runtime/feature-store';
import { writeToOnlineStore } from '../../runtime/online';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { serverManifest } from './server-manifest';

const ROOT = join(__dirname, '../..');

let redis: RedisServer;
let service: string;

beforeAll(async () => {
  redis = await startRedisServer();
  service = mkdtempSync(join(tmpdir(), 'fs-bundle-service-'));
});

afterAll(async () => {
  await redis.close();
  rmSync(service, { recursive: true, force: true });
});

describe('npm run bundle', () => {
  it('builds one file a Node service requires to read online features', async () => {
    const manifest = serverManifest({ lakeRoot: join(service, 'lake'), redisPort: redis.port });
    const store = await FeatureStore.open({ manifest, env: {} });
    await writeToOnlineStore(store.context, {
      featureView: 'driver_hourly_stats',
      rows: { driver_id: [1001], event_timestamp: ['2024-05-01T12:00:00Z'], conv_rate: [0.5], acc_rate: [0.25], avg_daily_trips: [9] },
    });
    await store.close();

    const out = join(service, 'vendor');
    execFileSync(process.execPath, ['-r', 'tsx/cjs', join(ROOT, 'scripts/bundle.ts'), out], { cwd: ROOT, stdio: 'pipe' });
    const bundle = readFileSync(join(out, 'featurestack-runtime.js'), 'utf8');
    expect(bundle).not.toMatch(/TerraformStack|@cdktf\/provider|new Construct\(/);

    // A service folder: its own code, the bundle, and node_modules for the native externals.
    symlinkSync(join(ROOT, 'node_modules'), join(service, 'node_modules'));
    writeFileSync(join(service, 'registry.json'), JSON.stringify(manifest));
    writeFileSync(
      join(service, 'service.js'),
      `const { FeatureStore } = require('./vendor/featurestack-runtime.js');
(async () => {
  const store = await FeatureStore.open({ manifest: './registry.json' });
  const response = await store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:avg_daily_trips'], entities: { driver_id: [1001, 7] } });
  await store.close();
  console.log(JSON.stringify(response));
})();`,
    );
    const printed = execFileSync(process.execPath, ['service.js'], { cwd: service, env: { PATH: process.env.PATH }, encoding: 'utf8' });
    const response = JSON.parse(printed);
    expect(response.metadata.feature_names).toEqual(['driver_id', 'conv_rate', 'avg_daily_trips']);
    expect(response.results.map((r: { values: unknown[] }) => r.values)).toEqual([[1001, 7], [0.5, null], [9, null]]);
  });
});
