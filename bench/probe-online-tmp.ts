// scratch probe (to delete): feast 1x50 ours vs bare, latency and CPU per op
import { Redis } from 'ioredis';
import type { OnlineLayout } from '../runtime/manifest/schema';
import { writeToOnlineStore } from '../runtime/online';
import { getOnlineFeaturesFromStore } from '../runtime/online/read/get-online-features';
import { OnlineCodecs } from '../runtime/online/codecs';
import { readEntityRows } from '../runtime/online/read/entity-rows';
import { readPlan } from '../runtime/online/read/read-plan';
import { onlineManifest, openStore } from '../test/online/online-fixtures';
import { startRedisServer } from '../test/support/redis-server';

const F = 50;
const view = { name: 'wide', joinKeys: [{ name: 'driver_id', valueType: 'Int64' as const }], features: Array.from({ length: F }, (_, i) => [`f${i}`, i % 5 === 4 ? 'Int64' : 'Float64'] as const), ttlSeconds: 0, path: 'wide' };

async function main() {
  const layout = (process.argv[2] ?? 'feast') as OnlineLayout;
  const server = await startRedisServer();
  const rawDefault = new Redis({ host: server.host, port: server.port });
  const rawOurs = new Redis({ host: server.host, port: server.port, enableOfflineQueue: false, commandTimeout: 15000, maxRetriesPerRequest: 1, lazyConnect: true });
  await rawOurs.connect();
  const store = await openStore(onlineManifest({ layout, views: [view as any] }), server);
  const ids = Array.from({ length: 1000 }, (_, i) => i);
  const cols: Record<string, unknown[]> = { driver_id: ids, event_timestamp: ids.map(() => '2024-01-01T00:00:00Z') };
  view.features.forEach(([n, d], f) => (cols[n] = ids.map((i) => (d === 'Int64' ? i * 7 + f : i / 3 + f))));
  await writeToOnlineStore(store.context, { featureView: 'wide', rows: cols });
  const os = await store.context.onlineStore();
  const request = { features: view.features.map(([f]) => `wide:${f}`), entities: { driver_id: [37] } };
  const codecs = new OnlineCodecs(store.manifest);
  const plan = readPlan(codecs, request, false);
  const rows = readEntityRows(plan, request.entities);
  const p = plan.projections[0];
  const key = p.codec.storeKey(rows.entityKeys(p)[0]);
  const fields = p.fields as Buffer[];
  const fns: Record<string, () => Promise<unknown>> = {
    ours: () => store.getOnlineFeatures(request),
    oursDirect: () => getOnlineFeaturesFromStore(os, request),
    bareDefault: layout === 'feast' ? () => rawDefault.hmgetBuffer(key, ...fields) : () => rawDefault.mgetBuffer([key]),
    bareOurOpts: layout === 'feast' ? () => rawOurs.hmgetBuffer(key, ...fields) : () => rawOurs.mgetBuffer([key]),
  };
  const names = (process.argv[3] ?? Object.keys(fns).join(',')).split(',');
  const lat: Record<string, number[]> = {};
  const cpu: Record<string, number> = {};
  const wall: Record<string, number> = {};
  for (const n of names) { lat[n] = []; cpu[n] = 0; wall[n] = 0; for (let i = 0; i < 2000; i++) await fns[n](); }
  for (let round = 0; round < Number(process.env.ROUNDS ?? 40); round++) {
    for (const n of names) {
      const c0 = process.cpuUsage(); const w0 = performance.now();
      for (let i = 0; i < 100; i++) { const t = performance.now(); await fns[n](); lat[n].push(performance.now() - t); }
      wall[n] += performance.now() - w0; const c = process.cpuUsage(c0); cpu[n] += c.user + c.system;
    }
  }
  for (const n of names) {
    const xs = lat[n].sort((a, b) => a - b);
    const ops = xs.length;
    console.log(`${n.padEnd(12)} p50 ${(xs[ops >> 1] * 1000).toFixed(1)}µs p90 ${(xs[Math.floor(ops * 0.9)] * 1000).toFixed(1)} p99 ${(xs[Math.floor(ops * 0.99)] * 1000).toFixed(1)}  cpu/op ${(cpu[n] / ops).toFixed(1)}µs wall/op ${(wall[n] * 1000 / ops).toFixed(1)}µs`);
  }
  await store.close(); rawDefault.disconnect(); rawOurs.disconnect(); await server.close();
}
main();
