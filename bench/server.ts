/**
 * HTTP feature server throughput: requests/s and p99 for 1×50 and 100×50
 * (entities × features) against a trivial fastify JSON route (parses a small JSON
 * body, returns 1 KB), all measured in the same run with autocannon.
 * Each server runs in its own process; autocannon runs in this one. Each run reports
 * the CPU a request costs the server, Redis (`INFO cpu`) and autocannon: on a machine
 * where all three share the cores, their sum bounds the requests/s.
 * Run: npx tsx bench/server.ts [seconds per run]
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server process there
 * (open the .cpuprofile in Chrome DevTools or speedscope); BENCH_SERVER_OPTIONS='{"maxReadsInFlight":2}'
 * passes server options (JSON) to the feature server; BENCH_SIZES=1 runs only the
 * 1×50 feature run (with the trivial route), e.g. to profile it alone; BENCH_REPEAT=5
 * measures every run 5 times, alternating with the trivial route (a busy moment of
 * the machine then spoils one round, not the ratio), and reports medians and the
 * ratio of each round. Then 100×50 is timed one request at a time (over HTTP, against
 * the trivial route, and in this process), and the server's RSS (with its V8 heap and
 * external memory) is read after 10k and after BENCH_LOOKUPS (default 1M) 1×50
 * lookups. A third route parses the 1×50 body and
 * sends its answer prepared in advance: the ceiling of any 1×50 server on fastify.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { connect } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { FeatureStore } from '../runtime/feature-store';
import { writeToOnlineStore, type GetOnlineFeaturesRequest } from '../runtime/online';
import { buildFeatureServer } from '../runtime/server';
import { startRedisServer } from '../test/support/redis-server';
import { serverManifest } from '../test/server/server-manifest';
import { median } from './median';
import { redisCpuMicros } from './redis-cpu';

/** The part of autocannon's programmatic API used here (the package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon: (options: object) => Promise<AutocannonResult> = require('autocannon');

const ROLE_ENV = 'FEATURESTACK_BENCH_SERVER_ROLE';
const FEATURES = 50;
const DRIVERS = 1000;
const CONNECTIONS = 10;
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? '1'));

const PREPARED = 'prepared:';

/**
 * What a child process serves: the trivial route; a route that parses its JSON body
 * and sends an answer read from a file at start (`prepared:<file>`: what any server
 * of that answer costs at least, without its store read); or the feature server for
 * a registry.
 */
async function serveChild(role: string): Promise<void> {
  let app: FastifyInstance;
  if (role === 'trivial') {
    app = Fastify({ logger: false });
    const kilobyte = { data: 'x'.repeat(1000) };
    app.post('/echo', async (request) => ({ ...kilobyte, id: (request.body as { id?: unknown }).id }));
  } else if (role.startsWith(PREPARED)) {
    app = Fastify({ logger: false });
    const answer = readFileSync(role.slice(PREPARED.length));
    app.post('/get-online-features', async (_request, reply) => reply.type('application/json').send(answer));
  } else {
    app = await buildFeatureServer(await FeatureStore.open({ manifest: role }), JSON.parse(process.env.BENCH_SERVER_OPTIONS ?? '{}'));
  }
  // CPU time is what the server spends per request, whatever else runs on the machine.
  app.get('/__bench/cpu', async () => process.cpuUsage());
  app.get('/__bench/memory', async () => process.memoryUsage());
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.once('SIGTERM', () => process.exit(0));
  process.stdout.write(`READY ${address}\n`);
}

function startChild(role: string): Promise<{ child: ChildProcess; url: string }> {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const child = spawn(process.execPath, [...profile, '-r', 'tsx/cjs', __filename], { env: { ...process.env, [ROLE_ENV]: role }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server (${role}) exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^READY (\S+)$/.exec(line);
      if (m) resolve({ child, url: m[1] });
    });
  });
}

interface Measured {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Server CPU (user + system) per request, microseconds. */
  cpuMicros: number;
  /** CPU per request of autocannon (this process) and of Redis, microseconds: with the server's, what the run costs the machine. */
  loadCpuMicros: number;
  redisCpuMicros: number;
  non2xx: number;
}

async function cpuMicros(base: string): Promise<number> {
  const usage = (await (await fetch(`${base}/__bench/cpu`)).json()) as NodeJS.CpuUsage;
  return usage.user + usage.system;
}

interface Target {
  readonly name: string;
  readonly base: string;
  readonly path: string;
  readonly body: object;
}

async function measure({ name, base, path, body }: Target, seconds: number, warmUp: boolean, redisPort: number): Promise<Measured> {
  const options = { url: base + path, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), connections: CONNECTIONS };
  if (warmUp) await autocannon({ ...options, duration: Math.max(1, Math.round(seconds / 3)) });
  const [cpuBefore, redisBefore] = [await cpuMicros(base), await redisCpuMicros(redisPort)];
  const loadBefore = process.cpuUsage();
  const r = await autocannon({ ...options, duration: seconds });
  const load = process.cpuUsage(loadBefore);
  const [cpu, redis] = [(await cpuMicros(base)) - cpuBefore, (await redisCpuMicros(redisPort)) - redisBefore];
  const perRequest = (micros: number) => micros / r.requests.total;
  return {
    name,
    requestsPerSecond: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    cpuMicros: perRequest(cpu),
    loadCpuMicros: perRequest(load.user + load.system),
    redisCpuMicros: perRequest(redis),
    non2xx: r.non2xx + r.errors,
  };
}

/** Medians over rounds of one target's runs. */
function medianOf(runs: readonly Measured[]): Measured {
  const of = (pick: (m: Measured) => number) => median(runs.map(pick));
  return {
    name: runs[0].name,
    requestsPerSecond: of((m) => m.requestsPerSecond),
    p50: of((m) => m.p50),
    p99: of((m) => m.p99),
    cpuMicros: of((m) => m.cpuMicros),
    loadCpuMicros: of((m) => m.loadCpuMicros),
    redisCpuMicros: of((m) => m.redisCpuMicros),
    non2xx: runs.reduce((n, m) => n + m.non2xx, 0),
  };
}

/** Requests served per online read so far, from the server's /metrics. */
async function requestsPerRead(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const counter = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return counter('featurestack_online_read_requests_batched_total') / counter('featurestack_online_read_batches_total');
}

/** Entity rows per request of each feature-server run: BENCH_SIZES (comma-separated), else 1 and 100. */
function entityCounts(): number[] {
  const sizes = process.env.BENCH_SIZES;
  return sizes ? sizes.split(',').map(Number) : [1, 100];
}

async function populate(manifest: ReturnType<typeof serverManifest>): Promise<void> {
  const store = await FeatureStore.open({ manifest });
  const rows: Record<string, unknown[]> = {
    driver_id: Array.from({ length: DRIVERS }, (_, i) => 1000 + i),
    event_timestamp: new Array(DRIVERS).fill('2024-05-01T00:00:00Z'),
  };
  for (let f = 0; f < FEATURES; f++) rows[`f${f}`] = Array.from({ length: DRIVERS }, (_, i) => i + f / 100);
  await writeToOnlineStore(store.context, { featureView: 'wide_stats', rows });
  await store.close();
}

/**
 * p50 and p99 (ms) of `samples` requests sent one after another over one keep-alive
 * connection: latency without queueing. The client is a bare socket reading every
 * answer into one buffer: Node's HTTP client allocates a buffer per read, and that
 * external memory started collections in this process that made up most of the p99.
 */
async function sequentialLatency(base: string, path: string, body: object, samples: number): Promise<{ p50: number; p99: number }> {
  const url = new URL(path, base);
  const payload = Buffer.from(JSON.stringify(body));
  const request = Buffer.concat([Buffer.from(`POST ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\ncontent-length: ${payload.length}\r\n\r\n`), payload]);
  const readBuffer = Buffer.alloc(256 * 1024);
  let answered: ((error?: Error) => void) | undefined;
  let expected = -1;
  let received = 0;
  const onRead = (bytes: number): boolean => {
    if (expected < 0) {
      // An answer's head comes in its first read: ours are small and the client waits for each.
      const end = readBuffer.indexOf('\r\n\r\n');
      const head = readBuffer.toString('latin1', 0, end < 0 ? bytes : end);
      const length = /content-length: *(\d+)/i.exec(head)?.[1];
      if (end < 0 || end >= bytes || !head.startsWith('HTTP/1.1 200') || length === undefined) {
        answered?.(new Error(`${path} answered ${head.split('\r\n')[0]}`));
        return false;
      }
      expected = end + 4 + Number(length);
    }
    received += bytes;
    if (received >= expected) {
      expected = -1;
      received = 0;
      answered?.();
    }
    return true;
  };
  const socket = connect({ port: Number(url.port), host: url.hostname, noDelay: true, onread: { buffer: readBuffer, callback: onRead } });
  await once(socket, 'connect');
  const oneRequest = () =>
    new Promise<void>((resolve, reject) => {
      answered = (error) => (error ? reject(error) : resolve());
      socket.write(request);
    });
  const times: number[] = [];
  try {
    for (let i = 0; i < samples / 5; i++) await oneRequest();
    for (let i = 0; i < samples; i++) {
      const t = performance.now();
      await oneRequest();
      times.push(performance.now() - t);
    }
  } finally {
    socket.destroy();
  }
  return percentiles(times);
}

function percentiles(times: number[]): { p50: number; p99: number } {
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)], p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] };
}

/** getOnlineFeatures in this process, one call after another: p50 and p99 (ms). */
async function inProcessLatency(manifest: ReturnType<typeof serverManifest>, request: GetOnlineFeaturesRequest, samples: number): Promise<{ p50: number; p99: number }> {
  const store = await FeatureStore.open({ manifest });
  try {
    for (let i = 0; i < samples / 5; i++) await store.getOnlineFeatures(request);
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t = performance.now();
      await store.getOnlineFeatures(request);
      times.push(performance.now() - t);
    }
    return percentiles(times);
  } finally {
    await store.close();
  }
}

/** The server's memory after 10k lookups and after `lookups` (1×50 requests, 10 connections). */
async function memoryAfterLookups(target: Target, lookups: number): Promise<{ early: NodeJS.MemoryUsage; late: NodeJS.MemoryUsage }> {
  const memory = async () => (await (await fetch(`${target.base}/__bench/memory`)).json()) as NodeJS.MemoryUsage;
  const options = { url: target.base + target.path, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: JSON.stringify(target.body), connections: CONNECTIONS };
  await autocannon({ ...options, amount: 10_000 });
  const early = await memory();
  await autocannon({ ...options, amount: lookups - 10_000 });
  return { early, late: await memory() };
}

const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 1_000_000);
const LATENCY_SAMPLES = 2000;

export async function run(): Promise<void> {
  const seconds = Number(process.argv[2] ?? process.env.BENCH_SECONDS ?? 10);
  const redis = await startRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'fs-bench-server-'));
  const children: ChildProcess[] = [];
  try {
    const manifest = serverManifest({ lakeRoot: join(dir, 'lake'), redisPort: redis.port, wideFeatures: FEATURES });
    const manifestPath = join(dir, 'registry.json');
    writeFileSync(manifestPath, JSON.stringify(manifest));
    await populate(manifest);

    const trivial = await startChild('trivial');
    const server = await startChild(manifestPath);
    children.push(trivial.child, server.child);
    const features = Array.from({ length: FEATURES }, (_, f) => `wide_stats:f${f}`);
    const ids = (n: number) => Array.from({ length: n }, (_, i) => 1000 + ((i * 7) % DRIVERS));

    const targets: Target[] = [
      { name: 'trivial fastify route (1 KB)', base: trivial.url, path: '/echo', body: { id: 1 } },
      ...entityCounts().map((entities) => ({ name: `get-online-features ${entities}×${FEATURES}`, base: server.url, path: '/get-online-features', body: { features, entities: { driver_id: ids(entities) } } })),
    ];
    // The ceiling of any 1×50 server on fastify: parse the same body, send the same answer, read no store.
    const single = targets.find((t) => t.name === `get-online-features 1×${FEATURES}`);
    if (single) {
      const answerPath = join(dir, 'answer-1.json');
      const answer = await fetch(single.base + single.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(single.body) });
      writeFileSync(answerPath, Buffer.from(await answer.arrayBuffer()));
      const prepared = await startChild(PREPARED + answerPath);
      children.push(prepared.child);
      targets.push({ ...single, name: `prepared 1×${FEATURES} answer`, base: prepared.url });
    }
    // Rounds alternate the order of the targets, so a drift of the machine's speed favours none.
    const runs: Measured[][] = targets.map(() => []);
    for (let round = 0; round < REPEAT; round++) {
      const order = round % 2 === 0 ? targets.map((_, i) => i) : targets.map((_, i) => targets.length - 1 - i);
      for (const i of order) runs[i].push(await measure(targets[i], seconds, round === 0, redis.port));
    }
    const results = runs.map(medianOf);
    const repeat = REPEAT > 1 ? `, median of ${REPEAT} rounds` : '';
    process.stdout.write(`\nHTTP feature server, ${CONNECTIONS} connections, ${seconds} s per run${repeat} (Redis compact layout)\n`);
    process.stdout.write(`${''.padEnd(75)}CPU µs per request\n`);
    process.stdout.write(`${'run'.padEnd(30)}${'req/s'.padStart(9)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'vs trivial'.padStart(12)}${'errors'.padStart(8)}${'server'.padStart(8)}${'Redis'.padStart(7)}${'load'.padStart(6)}${'all'.padStart(6)}\n`);
    results.forEach((r, i) => {
      // The ratio is the median of each round's ratio to that round's trivial run.
      const ratio = median(runs[i].map((m, round) => m.requestsPerSecond / runs[0][round].requestsPerSecond));
      process.stdout.write(
        `${r.name.padEnd(30)}${r.requestsPerSecond.toFixed(0).padStart(9)}${r.p50.toFixed(2).padStart(8)}${r.p99.toFixed(2).padStart(8)}${ratio.toFixed(2).padStart(11)}×${String(r.non2xx).padStart(8)}` +
          `${r.cpuMicros.toFixed(0).padStart(8)}${r.redisCpuMicros.toFixed(0).padStart(7)}${r.loadCpuMicros.toFixed(0).padStart(6)}${(r.cpuMicros + r.redisCpuMicros + r.loadCpuMicros).toFixed(0).padStart(6)}\n`,
      );
    });
    if (REPEAT > 1) {
      for (let i = 1; i < targets.length; i++) {
        const ratios = runs[i].map((m, round) => (m.requestsPerSecond / runs[0][round].requestsPerSecond).toFixed(2));
        process.stdout.write(`${targets[i].name}: ratio to trivial by round ${ratios.join(', ')}\n`);
      }
    }
    process.stdout.write(`requests per online read (micro-batching): ${(await requestsPerRead(server.url)).toFixed(1)} on average over all its runs\n`);
    process.stdout.write(`target: 1×50 at ≥ 0.90× the trivial route's req/s. The load (autocannon, in this process), the server and Redis share the machine's ${availableParallelism()} cores: "all" is what a request costs them\n`);
    if (single) {
      const ceiling = runs[targets.length - 1];
      const ours = runs[targets.indexOf(single)];
      const ratio = median(ours.map((m, round) => m.requestsPerSecond / ceiling[round].requestsPerSecond));
      process.stdout.write(`1×50 runs at ${ratio.toFixed(2)}× the prepared answer (same body parsed, same answer sent, no store read)\n`);
    }

    // Latency without queueing: one request at a time, over HTTP and in this process.
    const wide = { features, entities: { driver_id: ids(100) } };
    const http = await sequentialLatency(server.url, '/get-online-features', wide, LATENCY_SAMPLES);
    const trivialLatency = await sequentialLatency(trivial.url, '/echo', { id: 1 }, LATENCY_SAMPLES);
    const local = await inProcessLatency(manifest, { features, entities: { driver_id: ids(100) } }, LATENCY_SAMPLES);
    const budget = local.p99 + trivialLatency.p99;
    process.stdout.write(`\n100×${FEATURES}, one request at a time, ${LATENCY_SAMPLES} samples, ms: over HTTP p50 ${http.p50.toFixed(3)} p99 ${http.p99.toFixed(3)}; in process p50 ${local.p50.toFixed(3)} p99 ${local.p99.toFixed(3)}; trivial route p99 ${trivialLatency.p99.toFixed(3)}\n`);
    process.stdout.write(`  HTTP p99 / (in-process p99 + trivial p99) = ${(http.p99 / budget).toFixed(2)}× (target ≤ 1.5×)\n`);

    if (LOOKUPS > 10_000) {
      const { early, late } = await memoryAfterLookups(targets[1], LOOKUPS);
      const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
      const parts = (m: NodeJS.MemoryUsage) => `V8 heap ${mb(m.heapTotal)}, external ${mb(m.external)}`;
      process.stdout.write(`memory: the feature server's RSS after 10k lookups ${mb(early.rss)} MB, after ${LOOKUPS.toLocaleString('en-US')} ${mb(late.rss)} MB: ${(late.rss / early.rss).toFixed(2)}× (target ≤ 1.2×; BENCH_LOOKUPS=0 skips)\n`);
      process.stdout.write(`  of which (MB) after 10k: ${parts(early)}; after ${LOOKUPS.toLocaleString('en-US')}: ${parts(late)}\n`);
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const role = process.env[ROLE_ENV];
  (role ? serveChild(role) : run()).catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
