/**
 * Materialization rows/s, 10 features per row, one row per entity, in each layout,
 * against bare writes of the same records prepared in advance, measured in the same
 * run: pipelined HSETs of Feast's 11 fields per row (the feast layout's reference), and
 * MSETs of compact records, 1,000 keys a command (the compact layout's). Ours keeps
 * the never-older guarantee (a Lua compare-and-write per batch); the bare writes
 * compare nothing. "write" is the online write phase alone, "end to end" adds reading
 * the Parquet file and picking the latest row per entity.
 * Each side is measured right after an unmeasured run of its own (the bare writes in a
 * process of their own, ours in this one), so both are measured warm. Redis's CPU per
 * row is read from `INFO cpu` around each compact write and bare MSET.
 * Run: npx tsx bench/materialize.ts [rows] (BENCH_REPEAT=5: rounds, default 3;
 * BENCH_LAYOUTS=compact: one layout only)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { Float64, Int64, makeData, makeVector, Table, TimestampMicrosecond } from 'apache-arrow';
import type { OnlineLayout } from '../runtime/manifest/schema';
import { OnlineCodecs } from '../runtime/online/codecs';
import { compileEntityKey } from '../runtime/online/entity-key';
import { encodeFeastTimestamp, encodeFeastValue } from '../runtime/online/feast/value-proto';
import type { MaterializeProgress } from '../runtime/online';
import { onlineManifest, openStore } from '../test/online/online-fixtures';
import { TempLake, type ViewDef } from '../test/offline/fixtures';
import { startRedisServer, type RedisServer } from '../test/support/redis-server';
import { median } from './median';
import { redisCpuMicros } from './redis-cpu';

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
  /** Redis's CPU per row written, µs. */
  redisMicros: number;
}

const perSecond = (rows: number, ms: number) => Math.round(rows / (ms / 1000));

async function ours(layout: OnlineLayout, root: string, server: RedisServer, rows: number): Promise<Run> {
  const store = await openStore(onlineManifest({ layout, views: [VIEW] }), null, root, { FEATURESTACK_REDIS_URL: server.url });
  try {
    const redisBefore = await redisCpuMicros(server.port);
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
    const redisMicros = ((await redisCpuMicros(server.port)) - redisBefore) / rows;
    return { endToEnd: perSecond(rows, end - start), write: perSecond(rows, end - readDone), redisMicros };
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
async function bareMset(raw: Redis, records: readonly (readonly [Buffer, Buffer])[]): Promise<{ rate: number; redisMicros: number }> {
  const commands: Buffer[][] = [];
  for (let from = 0; from < records.length; from += PIPELINE_ROWS) commands.push(records.slice(from, from + PIPELINE_ROWS).flat());
  const port = raw.options.port!;
  const redisBefore = await redisCpuMicros(port);
  const start = performance.now();
  await Promise.all(commands.map((args) => raw.mset(...args)));
  const rate = perSecond(records.length, performance.now() - start);
  return { rate, redisMicros: ((await redisCpuMicros(port)) - redisBefore) / records.length };
}

/** The bare writes' rows/s, of records prepared in advance. */
interface BareRates {
  hsetRate: number;
  msetRate: number;
  /** Redis's CPU per row of the bare MSET, µs. */
  msetRedisMicros: number;
}

async function bareRates(raw: Redis, rows: number): Promise<BareRates> {
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
  // A first MSET run warms the client and collects what preparing the records left.
  await raw.flushall();
  await bareMset(raw, set);
  await raw.flushall();
  const mset = await bareMset(raw, set);
  return { hsetRate, msetRate: mset.rate, msetRedisMicros: mset.redisMicros };
}

const BARE_ROLE = 'FEATURESTACK_BENCH_BARE';

/**
 * The bare writes' rates, measured in a process of their own: the millions of small
 * buffers they prepare would otherwise be collected during our runs.
 */
async function bareRatesInChild(port: number, rows: number): Promise<BareRates> {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', __filename], { env: { ...process.env, [BARE_ROLE]: JSON.stringify({ port, rows }) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`the bare writes' process exited with ${code}`);
  return JSON.parse(out);
}

async function bareChild({ port, rows }: { port: number; rows: number }): Promise<void> {
  const raw = new Redis({ host: '127.0.0.1', port });
  try {
    process.stdout.write(JSON.stringify(await bareRates(raw, rows)));
  } finally {
    raw.disconnect();
  }
}

/** Rounds of every measurement (BENCH_REPEAT): the bare writes and ours alternate, so a slow moment of the machine spoils one round, not a ratio. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const LAYOUTS: OnlineLayout[] = (process.env.BENCH_LAYOUTS ?? 'compact,feast').split(',') as OnlineLayout[];

interface Round extends BareRates {
  /** Per layout: a run into an empty store and one over it (every key stored). */
  layouts: Record<OnlineLayout, { fresh: Run; again: Run }>;
}

export async function run(rows = 200_000): Promise<void> {
  const server = await startRedisServer();
  const raw = new Redis({ host: server.host, port: server.port });
  const lake = await TempLake.create();
  try {
    await lake.write('driver_stats/data.parquet', table(rows), 50_000);
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const bareRound = await bareRatesInChild(server.port, rows);
      const layouts = {} as Round['layouts'];
      for (const layout of LAYOUTS) {
        // As the bare writes, ours are measured right after a run of their own (unmeasured): measured
        // after the bare writes' process instead, ours ran about a fifth slower.
        await raw.flushall();
        await ours(layout, lake.root, server, rows);
        await raw.flushall();
        const fresh = await ours(layout, lake.root, server, rows);
        layouts[layout] = { fresh, again: await ours(layout, lake.root, server, rows) };
      }
      rounds.push({ ...bareRound, layouts });
    }
    const rounded = ROUNDS > 1 ? `, median of ${ROUNDS} rounds (ratio: the median of each round's)` : '';
    console.log(`materialize: ${rows.toLocaleString('en-US')} rows × ${FEATURES} features, one row per entity, rows/s (higher is better)${rounded}`);
    const line = (name: string, of: (r: Round) => number, reference: (r: Round) => number, referenceName: string, redisMicros?: (r: Round) => number) => {
      const ratios = rounds.map((r) => of(r) / reference(r));
      const byRound = ROUNDS > 1 ? `  (${ratios.map((x) => x.toFixed(2)).join(', ')})` : '';
      const redis = redisMicros ? `  Redis CPU ${median(rounds.map(redisMicros)).toFixed(2)} µs/row` : '';
      console.log(`  ${name.padEnd(60)} ${Math.round(median(rounds.map(of))).toLocaleString('en-US').padStart(9)}  ${median(ratios).toFixed(2)}× bare ${referenceName}${byRound}${redis}`);
    };
    line('bare pipelined HSET, 11 fields (Feast layout)', (r) => r.hsetRate, (r) => r.hsetRate, 'HSET');
    line('bare MSET of compact records, 1,000 keys a command', (r) => r.msetRate, (r) => r.msetRate, 'MSET', (r) => r.msetRedisMicros);
    for (const layout of LAYOUTS) {
      const [reference, name] = layout === 'compact' ? [(r: Round) => r.msetRate, 'MSET'] : [(r: Round) => r.hsetRate, 'HSET'];
      const redis = (run: 'fresh' | 'again') => (layout === 'compact' ? (r: Round) => r.layouts[layout][run].redisMicros : undefined);
      line(`${layout}: write, empty store`, (r) => r.layouts[layout].fresh.write, reference, name, redis('fresh'));
      line(`${layout}: write, every key already there (compare path)`, (r) => r.layouts[layout].again.write, reference, name, redis('again'));
      line(`${layout}: end to end (read Parquet, latest per entity, write)`, (r) => r.layouts[layout].fresh.endToEnd, reference, name);
    }
    console.log('  targets: compact write ≥ 0.8× bare MSET, end to end ≥ 0.5×, with the never-older guarantee');
  } finally {
    raw.disconnect();
    await Promise.all([server.close(), lake.remove()]);
  }
}

if (require.main === module) {
  const bareRole = process.env[BARE_ROLE];
  (bareRole ? bareChild(JSON.parse(bareRole)) : run(Number(process.argv[2]) || undefined)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
