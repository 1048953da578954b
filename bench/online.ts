/**
 * getOnlineFeatures latency in-process, p50/p99, for 1×50 and 100×50 (entities ×
 * features, also spread over 5 views of 10), in each layout, against a bare ioredis
 * client doing that layout's reads (one MGET, or pipelined HMGETs returning buffers)
 * on the same data in the same run. The bare client is opened by the store's own
 * connection code (same options: no offline queue, command timeout), so only the work
 * around the reads differs. After a warm-up of both, blocks of ours and of the bare
 * reads alternate, so both see the same machine load; CPU µs per request is reported
 * beside the latencies because the 2 cores are shared. "bare+answer" adds to the bare
 * reads the answer's columns, as any reader handing back Feast's response builds them:
 * measured in a pass of its own, it shows what their garbage costs at p99.
 * Run: npx tsx bench/online.ts [samples] (BENCH_LAYOUTS=compact: one layout only)
 */
import type { Cluster, Redis } from 'ioredis';
import { loadavg } from 'node:os';
import type { FeatureStore } from '../runtime/feature-store';
import type { OnlineLayout } from '../runtime/manifest/schema';
import { writeToOnlineStore, type GetOnlineFeaturesRequest } from '../runtime/online';
import { OnlineCodecs } from '../runtime/online/codecs';
import { readEntityRows } from '../runtime/online/read/entity-rows';
import { readPlan } from '../runtime/online/read/read-plan';
import { connectRedis, redisEndpoint } from '../runtime/online/stores/redis-connection';
import { onlineManifest, openStore } from '../test/online/online-fixtures';
import type { ViewDef } from '../test/offline/fixtures';
import { startRedisServer } from '../test/support/redis-server';

/** Entities written per view (BENCH_DRIVERS), as the issue measured; lookups pick up to 100 of them, spread out. */
const DRIVERS = Number(process.env.BENCH_DRIVERS ?? 100_000);
const FEATURES = 50;

function view(name: string, features: number): ViewDef {
  return {
    name,
    joinKeys: [{ name: 'driver_id', valueType: 'Int64' }],
    features: Array.from({ length: features }, (_, i) => [`f${i}`, i % 5 === 4 ? 'Int64' : 'Float64'] as const),
    ttlSeconds: 0,
    path: name,
  };
}

const VIEWS = [view('wide', FEATURES), ...[0, 1, 2, 3, 4].map((i) => view(`narrow${i}`, FEATURES / 5))];

/** Rows `[from, to)` of a view: written in chunks, so the heap stays small for the measurements (a large one slows its collections). */
function rows(v: ViewDef, from: number, to: number): Record<string, unknown[]> {
  const ids = Array.from({ length: to - from }, (_, i) => from + i);
  const columns: Record<string, unknown[]> = { driver_id: ids, event_timestamp: ids.map(() => '2024-01-01T00:00:00Z') };
  v.features.forEach(([name, dtype], f) => (columns[name] = ids.map((i) => (dtype === 'Int64' ? i * 7 + f : i / 3 + f))));
  return columns;
}

interface Scenario {
  name: string;
  request: GetOnlineFeaturesRequest;
}

function scenarios(): Scenario[] {
  const entities = (n: number) => ({ driver_id: Array.from({ length: n }, (_, i) => (i * 997) % DRIVERS) });
  const wide = VIEWS[0].features.map(([f]) => `wide:${f}`);
  const spread = VIEWS.slice(1).flatMap((v) => v.features.map(([f]) => `${v.name}:${f}`));
  return [
    { name: '1×50', request: { features: wide, entities: entities(1) } },
    { name: '100×50', request: { features: wide, entities: entities(100) } },
    { name: '100×50 over 5 views', request: { features: spread, entities: entities(100), fullFeatureNames: true } },
  ];
}

/** The bare reads of a layout for a request: the same keys and fields our store reads. */
function bareRead(raw: Redis | Cluster, codecs: OnlineCodecs, request: GetOnlineFeaturesRequest): () => Promise<unknown> {
  const plan = readPlan(codecs, request, request.fullFeatureNames ?? false);
  const rowsOf = readEntityRows(plan, request.entities);
  if (codecs.layout === 'compact') {
    const keys = plan.projections.flatMap((p) => rowsOf.entityKeys(p).map((ek) => p.codec.storeKey(ek)));
    return () => raw.mgetBuffer(keys);
  }
  const byKey = new Map<string, { key: Buffer; fields: Buffer[] }>();
  for (const p of plan.projections) {
    for (const ek of rowsOf.entityKeys(p)) {
      const key = p.codec.storeKey(ek);
      const read = byKey.get(key.toString('latin1')) ?? { key, fields: [] };
      read.fields.push(...p.fields);
      byKey.set(key.toString('latin1'), read);
    }
  }
  const reads = [...byKey.values()];
  if (reads.length === 1) return () => raw.hmgetBuffer(reads[0].key, ...reads[0].fields);
  return () => {
    const pipeline = raw.pipeline();
    for (const r of reads) pipeline.hmgetBuffer(r.key, ...r.fields);
    return pipeline.exec();
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

interface Latency {
  p50: number;
  p99: number;
  /** CPU time of this process per request, µs (includes ioredis and GC). */
  cpu: number;
}

const WARM_UP = 500;
const TARGET = 1.3;
/** BENCH_LAYOUTS=compact measures one layout only. */
const LAYOUTS = (process.env.BENCH_LAYOUTS ?? 'feast,compact').split(',') as OnlineLayout[];

/**
 * The bare reads, then the answer's columns built as Feast's response holds them (an
 * array of doubles per column): the least garbage any reader handing back those
 * columns leaves, and so the collections it pays for.
 */
function withAnswerColumns(bare: () => Promise<unknown>, request: GetOnlineFeaturesRequest): () => Promise<unknown> {
  const rows = Object.values(request.entities)[0].length;
  const columns = (request.features?.length ?? 0) + 1;
  const doubles: number[] = new Array(rows).fill(0.5);
  return () =>
    bare().then((reply) => {
      const answer: number[][] = [];
      for (let c = 0; c < columns; c++) answer.push(doubles.slice());
      return [reply, answer];
    });
}

/** Alternates blocks of ours and bare, so both see the same machine load without disturbing each other's samples. */
async function measure(samples: number, ours: () => Promise<unknown>, bare: () => Promise<unknown>): Promise<{ ours: Latency; bare: Latency }> {
  const block = 25;
  const cpu = { ours: 0, bare: 0 };
  const timed = async (fn: () => Promise<unknown>, into: number[], side: 'ours' | 'bare') => {
    const start = process.cpuUsage();
    for (let i = 0; i < block; i++) {
      const t = performance.now();
      await fn();
      into.push(performance.now() - t);
    }
    const used = process.cpuUsage(start);
    cpu[side] += used.user + used.system;
  };
  for (let i = 0; i < WARM_UP; i++) await ours();
  for (let i = 0; i < WARM_UP; i++) await bare();
  const a: number[] = [];
  const b: number[] = [];
  while (a.length < samples) {
    await timed(ours, a, 'ours');
    await timed(bare, b, 'bare');
  }
  const stats = (xs: number[], side: 'ours' | 'bare') => {
    const n = xs.length;
    xs.sort((x, y) => x - y);
    return { p50: percentile(xs, 0.5), p99: percentile(xs, 0.99), cpu: cpu[side] / n };
  };
  return { ours: stats(a, 'ours'), bare: stats(b, 'bare') };
}

const ms = (x: number) => x.toFixed(3).padStart(7);

export async function run(samples = 2000): Promise<void> {
  const server = await startRedisServer();
  const layoutOf = (layout: OnlineLayout) => onlineManifest({ layout, views: VIEWS });
  const spec = layoutOf('feast').onlineStore;
  if (spec.kind !== 'redis') throw new Error('the bench manifest must use Redis');
  const raw = await connectRedis(redisEndpoint(spec, { FEATURESTACK_REDIS_URL: server.url }));
  const stores: FeatureStore[] = [];
  try {
    const load = loadavg().map((x) => x.toFixed(2)).join(' ');
    console.log(`online: getOnlineFeatures in-process vs a bare ioredis client (1 connection, the store's options), ${samples} samples, ms (load average ${load})`);
    console.log(
      `  ${'layout'.padEnd(8)} ${'request'.padEnd(22)} ${'ours p50'.padStart(9)} ${'p99'.padStart(7)}  ${'bare p50'.padStart(9)} ${'p99'.padStart(7)}  ours/bare p50 p99    cpu µs/req ours bare         bare+answer p50 p99`,
    );
    const results = new Map<string, { ours: Latency; bare: Latency }>();
    for (const layout of LAYOUTS) {
      const store = await openStore(layoutOf(layout), server);
      stores.push(store);
      for (const v of VIEWS) for (let from = 0; from < DRIVERS; from += 10_000) await writeToOnlineStore(store.context, { featureView: v.name, rows: rows(v, from, from + 10_000) });
      const codecs = new OnlineCodecs(store.manifest);
      for (const s of scenarios()) {
        const n = s.name.startsWith('1×') ? samples * 3 : samples;
        const bare = bareRead(raw, codecs, s.request);
        const r = await measure(n, () => store.getOnlineFeatures(s.request), bare);
        // Measured apart: its garbage would start collections during the bare reads' samples above.
        const floor = (await measure(n, withAnswerColumns(bare, s.request), bare)).ours;
        results.set(`${layout} ${s.name}`, r);
        const within = r.ours.p50 / r.bare.p50 <= TARGET && r.ours.p99 / r.bare.p99 <= TARGET ? 'meets' : 'misses';
        console.log(
          `  ${layout.padEnd(8)} ${s.name.padEnd(22)} ${ms(r.ours.p50)}   ${ms(r.ours.p99)}  ${ms(r.bare.p50)}   ${ms(r.bare.p99)}  ${(r.ours.p50 / r.bare.p50).toFixed(2)}× ${(r.ours.p99 / r.bare.p99).toFixed(2)}×   ${r.ours.cpu.toFixed(0).padStart(8)} ${r.bare.cpu.toFixed(0).padStart(6)}  ${within.padEnd(6)}  ${ms(floor.p50)} ${ms(floor.p99)}`,
        );
      }
    }
    for (const s of LAYOUTS.length === 2 ? ['100×50', '100×50 over 5 views'] : []) {
      const compact = results.get(`compact ${s}`)!.ours;
      const feastBare = results.get(`feast ${s}`)!.bare;
      console.log(`  compact ${s}: ${(feastBare.p50 / compact.p50).toFixed(1)}× faster than feast's bare pipeline at p50, ${(feastBare.p99 / compact.p99).toFixed(1)}× at p99 (target ≥ 5×)`);
    }
    console.log(`  target: ours/bare ≤ ${TARGET}× at p50 and p99, each layout and request`);
    console.log(`  bare+answer (measured apart): the bare reads, then an array of doubles per answer column, as Feast's response holds them`);
  } finally {
    await Promise.all(stores.map((s) => s.close()));
    raw.disconnect();
    await server.close();
  }
}

if (require.main === module) {
  run(Number(process.argv[2]) || undefined).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
