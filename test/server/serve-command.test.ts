import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { featureServerOptions, register, type ServeOptions } from '../../runtime/cli/commands/serve';
import { freePort } from '../support/free-port';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { call } from './http-client';
import { serverManifest } from './server-manifest';

const CLI = join(__dirname, '../../bin/featurestack.js');

let redis: RedisServer;
let dir: string;
let manifestPath: string;

beforeAll(async () => {
  redis = await startRedisServer();
  dir = mkdtempSync(join(tmpdir(), 'fs-serve-cli-'));
  manifestPath = join(dir, 'registry.json');
  writeFileSync(manifestPath, JSON.stringify(serverManifest({ lakeRoot: join(dir, 'lake'), redisPort: redis.port })));
});

afterAll(async () => {
  await redis.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Served {
  child: ChildProcess;
  base: string;
  /** Everything written to stderr so far. */
  log(): string;
  exit: Promise<number | null>;
}

/** Starts `featurestack serve` and waits until `listens` of its processes say they listen. */
async function serve(args: string[], listens = 1): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'serve', '--manifest', manifestPath, '--port', String(port), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      if ((stderr.match(/listening on /g) ?? []).length >= listens) resolve();
    });
    void exit.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { child, base: `http://127.0.0.1:${port}`, log: () => stderr, exit };
}

/** Runs `featurestack serve` with flags it refuses: its exit code and what it wrote to stderr. */
async function refused(args: string[]): Promise<{ code: unknown; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  return { code, stderr };
}

describe('featurestack serve', () => {
  it('serves until SIGTERM, then drains and exits 0', async () => {
    const served = await serve(['--max-entities', '2']);
    expect((await call(served.base, 'GET', '/health')).status).toBe(200);
    const tooMany = await call(served.base, 'POST', '/get-online-features', { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1, 2, 3] } });
    expect(tooMany.json().error.message).toBe("entities has 3 rows, more than this server's limit of 2");
    served.child.kill('SIGTERM');
    expect(await served.exit).toBe(0);
    expect(served.log()).toContain('SIGTERM: draining in-flight requests (up to 10000 ms)');
  });

  it('runs --workers processes on one port and stops them all on SIGTERM', async () => {
    const served = await serve(['--workers', '2'], 2);
    const pids = new Set(served.log().match(/\[(\d+)\]: listening/g));
    expect(pids.size).toBe(2);
    expect((await call(served.base, 'GET', '/health')).status).toBe(200);
    served.child.kill('SIGTERM');
    expect(await served.exit).toBe(0);
    expect(served.log()).toContain('SIGTERM: stopping 2 workers');
  });

  it('reports the whole server on /metrics under --workers: counts add up and never go down', async () => {
    const served = await serve(['--workers', '2'], 2);
    const healthCount = async () => {
      const { text } = await call(served.base, 'GET', '/metrics');
      const line = text.split('\n').find((l) => l.startsWith('featurestack_http_requests_total{route="/health",method="GET",status="200"}'));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const seen: number[] = [];
    let made = 0;
    for (let round = 0; round < 8; round++) {
      const answers = await Promise.all(Array.from({ length: 5 }, () => call(served.base, 'GET', '/health')));
      made += answers.filter((a) => a.status === 200).length;
      seen.push(await healthCount(), await healthCount());
    }
    expect(made).toBe(40);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen[seen.length - 1]).toBe(40);
    served.child.kill('SIGTERM');
    expect(await served.exit).toBe(0);
  }, 60_000);

  it('explains a bad flag value and exits 2', async () => {
    const { code, stderr } = await refused(['--port', 'eighty']);
    expect(code).toBe(2);
    expect(stderr).toContain(`error: option '--port <port>' argument 'eighty' is invalid. expected an integer >= 0, got "eighty"`);
  });

  it('serves with one shared read in flight (--max-reads-in-flight 1), and refuses 0', async () => {
    const served = await serve(['--max-reads-in-flight', '1']);
    const body = { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1001] } };
    const answers = await Promise.all([1, 2, 3].map(() => call(served.base, 'POST', '/get-online-features', body)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    served.child.kill('SIGTERM');
    expect(await served.exit).toBe(0);

    const { code, stderr } = await refused(['--max-reads-in-flight', '0']);
    expect(code).toBe(2);
    expect(stderr).toContain(`argument '0' is invalid. expected an integer >= 1, got "0"`);
  });

  it('passes --max-reads-in-flight (2 when left out) and --no-fast-paths to the feature server', async () => {
    const flags = async (...argv: string[]) => {
      const program = new Command();
      register(program);
      const command = program.commands.find((c) => c.name() === 'serve')!;
      command.action(() => undefined);
      await program.parseAsync(['serve', ...argv], { from: 'user' });
      return featureServerOptions(command.opts<ServeOptions>());
    };
    expect((await flags('--max-reads-in-flight', '1')).maxReadsInFlight).toBe(1);
    expect((await flags()).maxReadsInFlight).toBe(2);
    expect((await flags()).fastPaths).toBe(true);
    expect((await flags('--no-fast-paths')).fastPaths).toBe(false);
  });

  it('refuses to open writes without tokens on 0.0.0.0 unless --allow-unauthenticated-writes, and then warns', async () => {
    const env = { ...process.env };
    delete env.FEATURESTACK_SERVER_TOKENS;
    const child = spawn(process.execPath, [CLI, 'serve', '--manifest', manifestPath, '--host', '0.0.0.0', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('--allow-unauthenticated-writes');
    expect(stderr).toContain('FEATURESTACK_SERVER_TOKENS');

    const served = await serve(['--host', '0.0.0.0', '--allow-unauthenticated-writes']);
    expect(served.log()).toContain('WARNING: serving on 0.0.0.0 with no FEATURESTACK_SERVER_TOKENS');
    served.child.kill('SIGTERM');
    expect(await served.exit).toBe(0);
  });
});
