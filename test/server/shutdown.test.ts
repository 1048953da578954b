import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeatureStore } from '../../runtime/feature-store';
import { buildFeatureServer, drainAndClose } from '../../runtime/server';
import { call, listen } from './http-client';
import { serverManifest } from './server-manifest';

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, refuses new connections, then closes', async () => {
    const lakeRoot = mkdtempSync(join(tmpdir(), 'fs-server-drain-'));
    const store = await FeatureStore.open({ manifest: serverManifest({ lakeRoot, redisPort: 1 }), env: {} });
    const app = await buildFeatureServer(store, { logLevel: 'error' });
    let entered!: () => void;
    let release!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    const released = new Promise<void>((r) => (release = r));
    app.get('/slow', async () => {
      entered();
      await released;
      return { finished: true };
    });
    const base = await listen(app);

    const slow = call(base, 'GET', '/slow');
    await inHandler;
    const drained = drainAndClose(app, store, 10_000);
    await expect(call(base, 'GET', '/health')).rejects.toThrow('fetch failed');
    release();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ finished: true });
    await expect(drained).resolves.toBe(true);
    rmSync(lakeRoot, { recursive: true, force: true });
  });
});
