/**
 * Materialization rows/s, 10 features per row, one row per entity, in each layout,
 * against bare writes of the same records prepared in advance, measured in the same
 * run: pipelined HSETs of Feast's 11 fields per row (the feast layout's reference), and
 * MSETs of compact records, 1,000 keys a command (the compact layout's). Ours keeps
 * the never-older guarantee (a Lua compare-and-write per batch); the bare writes
 * compare nothing. "write" is the online write phase alone, "end to end" adds reading
 * the Parquet file and picking the latest row per entity.
 * Run: npx tsx bench/materialize.ts [rows]
 */
import { Redis } from 'ioredis';
import { Float64, Int64, makeData, makeVector, Table, TimestampMicrosecond } from 'apache-arrow';
import type { OnlineLayout } from '../runtime/manifest/schema';
import { OnlineCodecs } from '../runtime/online/codecs';
import { compileEntityKey } from '../runtime/online/entity-key';
import { encodeFeastTimestamp, encodeFeastValue } from '../runtime/online/feast/value-proto';
import type { MaterializeProgress } from '../runtime/online';
import { onlineManifest, openStore } from '../test/online/online-fixtures';
import { TempLake, type ViewDef } from '../test/offline/fixtures';
import { startRedisServer } from '../test/support/redis-server';

const FEATURES = 10;
const T0 = Date.UTC(2024, 0, 1) * 1000;
const PIPELINE_ROWS = 1000;

const VIEW: ViewDef = {
  name: 'driver_stats',
  joinKeys: [{ name: 'driver_id', valueType: 'Int64' }],
  features: Array.from({ length: FEATURES }, (_, i) => [`f${i}`, 'Float64'] as const),
  ttlSeconds: 0,
  path: 'driver_stats',
};

function table(rows: number): Table {
  const ids = new BigInt64Array(rows);
  const times = new BigInt64Array(rows);
  for (let i = 0; i < rows; i++) {
    ids[i] = BigInt(i);
    times[i] = BigInt(T0 + i);
  }
  const columns: Record<string, ReturnType<typeof makeVector>> = {
    driver_id: makeVector(makeData({ type: new Int64(), length: rows, data: ids })),
    event_timestamp: makeVector(makeData({ type: new TimestampMicrosecond('UTC'), length: rows, data: times })),
  };
  for (let f = 0; f < FEATURES; f++) {
    columns[`f${f}`] = makeVector(makeData({ type: new Float64(), length: rows, data: Float64Array.from({ length: rows }, (_, i) => i / (f + 1)) }));
  }
  return new Table(columns);
}

interface Run {
  endToEnd: number;
  write: number;
}

const perSecond = (rows: number, ms: number) => Math.round(rows / (ms / 1000));

async function ours(layout: OnlineLayout, root: string, serverUrl: string, rows: number): Promise<Run> {
  const store = await openStore(onlineManifest({ layout, views: [VIEW] }), null, root, { FEATURESTACK_REDIS_URL: serverUrl });
  try {
    const start = performance.now();
    let readDone = start;
    await store.materialize({
      start: T0,
      end: T0 + rows,
      onProgress: (p: MaterializeProgress) => {
        if (p.phase === 'reading') readDone = performance.now();
      },
    });
    const end = performance.now();
    return { endToEnd: perSecond(rows, end - start), write: perSecond(rows, end - readDone) };
  } finally {
    await store.close();
  }
}

/** Pipelined writes of precomputed commands, PIPELINE_ROWS rows per pipeline, all in flight. */
async function bare(raw: Redis, rows: number, add: (pipeline: ReturnType<Redis['pipeline']>, row: number) => void): Promise<number> {
  const start = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let from = 0; from < rows; from += PIPELINE_ROWS) {
    const pipeline = raw.pipeline();
    for (let r = from; r < Math.min(rows, from + PIPELINE_ROWS); r++) add(pipeline, r);
    pending.push(pipeline.exec());
  }
  await Promise.all(pending);
  return perSecond(rows, performance.now() - start);
}

/** MSETs of precomputed records, PIPELINE_ROWS keys a command, all in flight. */
async function bareMset(raw: Redis, records: readonly (readonly [Buffer, Buffer])[]): Promise<number> {
  const commands: Buffer[][] = [];
  for (let from = 0; from < records.length; from += PIPELINE_ROWS) commands.push(records.slice(from, from + PIPELINE_ROWS).flat());
  const start = performance.now();
  await Promise.all(commands.map((args) => raw.mset(...args)));
  return perSecond(records.length, performance.now() - start);
}

/** The bare writes' rows/s, of records prepared in advance. */
async function bareRates(raw: Redis, rows: number): Promise<{ hsetRate: number; msetRate: number }> {
  const codecs = {
    feast: new OnlineCodecs(onlineManifest({ layout: 'feast', views: [VIEW] })).view(VIEW.name),
    compact: new OnlineCodecs(onlineManifest({ layout: 'compact', views: [VIEW] })).view(VIEW.name),
  };
  const entityKey = compileEntityKey(VIEW.joinKeys);
  const values = (r: number) => Array.from({ length: FEATURES }, (_, f) => r / (f + 1));
  const hset = Array.from({ length: rows }, (_, r) => {
    const args: Buffer[] = [codecs.feast.timestampField, encodeFeastTimestamp(T0 + r)];
    values(r).forEach((v, f) => args.push(codecs.feast.featureFields[f], encodeFeastValue('Float64', v)));
    return [codecs.feast.storeKey(entityKey.encode([r])), args] as const;
  });
  const set = Array.from({ length: rows }, (_, r) => [codecs.compact.storeKey(entityKey.encode([r])), codecs.compact.record.encode(T0 + r, 0, values(r))] as const);
  await raw.flushall();
  const hsetRate = await bare(raw, rows, (p, r) => p.hset(hset[r][0], ...hset[r][1]));
  await raw.flushall();
  const msetRate = await bareMset(raw, set);
  return { hsetRate, msetRate };
}

export async function run(rows = 200_000): Promise<void> {
  const server = await startRedisServer();
  const raw = new Redis({ host: server.host, port: server.port });
  const lake = await TempLake.create();
  try {
    await lake.write('driver_stats/data.parquet', table(rows), 50_000);
    console.log(`materialize: ${rows.toLocaleString('en-US')} rows × ${FEATURES} features, one row per entity, rows/s (higher is better)`);
    const line = (name: string, value: number, reference: number, referenceName: string) =>
      console.log(`  ${name.padEnd(60)} ${value.toLocaleString('en-US').padStart(9)}  ${(value / reference).toFixed(2)}× bare ${referenceName}`);
    // The prepared records are dropped before our runs: millions of small buffers left in the heap would slow their garbage collection.
    const { hsetRate, msetRate } = await bareRates(raw, rows);
    line('bare pipelined HSET, 11 fields (Feast layout)', hsetRate, hsetRate, 'HSET');
    line('bare MSET of compact records, 1,000 keys a command', msetRate, msetRate, 'MSET');
    for (const layout of ['compact', 'feast'] as OnlineLayout[]) {
      const [reference, name] = layout === 'compact' ? [msetRate, 'MSET'] : [hsetRate, 'HSET'];
      // A warm-up run, so the first measured one is not the one that compiles our code.
      await raw.flushall();
      await ours(layout, lake.root, server.url, rows);
      await raw.flushall();
      const fresh = await ours(layout, lake.root, server.url, rows);
      const again = await ours(layout, lake.root, server.url, rows);
      line(`${layout}: write, empty store`, fresh.write, reference, name);
      line(`${layout}: write, every key already there (compare path)`, again.write, reference, name);
      line(`${layout}: end to end (read Parquet, latest per entity, write)`, fresh.endToEnd, reference, name);
    }
    console.log('  targets: compact write ≥ 0.8× bare MSET, end to end ≥ 0.5×, with the never-older guarantee');
  } finally {
    raw.disconnect();
    await Promise.all([server.close(), lake.remove()]);
  }
}

if (require.main === module) {
  run(Number(process.argv[2]) || undefined).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
