// scratch: CPU of our 1x50 path with a fake store returning canned replies
import { Redis } from 'ioredis';
import type { OnlineLayout } from '../runtime/manifest/schema';
import { writeToOnlineStore } from '../runtime/online';
import { getOnlineFeaturesFromStore } from '../runtime/online/read/get-online-features';
import { onlineManifest, openStore } from '../test/online/online-fixtures';
import { startRedisServer } from '../test/support/redis-server';
const F = 50;
const view = { name: 'wide', joinKeys: [{ name: 'driver_id', valueType: 'Int64' as const }], features: Array.from({ length: F }, (_, i) => [`f${i}`, i % 5 === 4 ? 'Int64' : 'Float64'] as const), ttlSeconds: 0, path: 'wide' };
async function main() {
  const layout = (process.argv[2] ?? 'feast') as OnlineLayout;
  const n = Number(process.argv[3] ?? 1);
  const server = await startRedisServer();
  const store = await openStore(onlineManifest({ layout, views: [view as any] }), server);
  const ids = Array.from({ length: 1000 }, (_, i) => i);
  const cols: Record<string, unknown[]> = { driver_id: ids, event_timestamp: ids.map(() => '2024-01-01T00:00:00Z') };
  view.features.forEach(([nm, d], f) => (cols[nm] = ids.map((i) => (d === 'Int64' ? i * 7 + f : i / 3 + f))));
  await writeToOnlineStore(store.context, { featureView: 'wide', rows: cols });
  const os = await store.context.onlineStore();
  const request = { features: view.features.map(([f]) => `wide:${f}`), entities: { driver_id: ids.slice(0, n).map((i) => (i * 37) % 1000) } };
  let canned: any;
  const fake: any = { codecs: os.codecs,
    getValues: async (k: any) => (canned ??= await os.getValues(k)),
    getHashFields: async (r: any) => (canned ??= await os.getHashFields(r)) };
  await getOnlineFeaturesFromStore(fake, request);
  for (let i = 0; i < 20000; i++) await getOnlineFeaturesFromStore(fake, request);
  const N = n === 1 ? 200000 : 5000;
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) await getOnlineFeaturesFromStore(fake, request);
  const c = process.cpuUsage(c0);
  console.log(`${layout} ${n}x50 pure cpu/op ${((c.user + c.system) / N).toFixed(2)}µs`);
  await store.close(); await server.close();
}
main();
