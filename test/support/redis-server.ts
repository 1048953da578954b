/**
 * A real `redis-server` for tests: loopback, a free port (never 6379), no persistence,
 * its own temp folder. `stop()` and `start()` stop it and bring it back on the same
 * port (for outage tests); `close()` stops it for good and removes the folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

export interface RedisServerOptions {
  /** Require this password (`requirepass`). */
  readonly password?: string;
  /** Run as a one-node Redis Cluster owning every slot. */
  readonly cluster?: boolean;
}

export interface RedisServer {
  readonly host: string;
  readonly port: number;
  /** `redis://[:password@]127.0.0.1:<port>` */
  readonly url: string;
  /** Stops the server (the port stays reserved for `start`). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

/** A free port on 127.0.0.1, never Redis's default 6379 (a developer's own Redis may be there). */
async function redisPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port !== 6379) return port;
  }
}

/** Sends one command (as RESP, so arguments may hold spaces) and returns the raw reply text. */
export function redisCommand(port: number, password: string | undefined, ...args: string[]): Promise<string> {
  const resp = (parts: string[]) => `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy(new Error('redis-server did not answer')));
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1', () => socket.write(`${password ? resp(['AUTH', password]) : ''}${resp(args)}${resp(['QUIT'])}`));
    socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
    socket.on('close', () => resolve(reply));
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`redis-server: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'featurestack-redis-'));
  const port = await redisPort();
  let child: ChildProcess | null = null;
  let generation = 0;

  const args = () => {
    const a = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'no'];
    if (options.password) a.push('--requirepass', options.password);
    // A fresh nodes file per start, so a restarted cluster node starts empty.
    if (options.cluster) a.push('--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${++generation}.conf`, '--cluster-announce-ip', '127.0.0.1');
    return a;
  };

  const start = async () => {
    const proc = spawn('redis-server', args(), { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr?.on('data', (d) => (stderr += d));
    child = proc;
    const exited = new Promise<never>((_, reject) => proc.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${stderr}`))));
    exited.catch(() => undefined);
    await Promise.race([waitFor(async () => (await redisCommand(port, options.password, 'PING')).includes('+PONG'), `no PONG on port ${port}`), exited]);
    if (options.cluster) {
      await redisCommand(port, options.password, 'CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
      await waitFor(async () => (await redisCommand(port, options.password, 'CLUSTER', 'INFO')).includes('cluster_state:ok'), 'cluster never became ok');
    }
  };

  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  };

  try {
    await start();
  } catch (e) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    host: '127.0.0.1',
    port,
    url: `redis://${options.password ? `:${encodeURIComponent(options.password)}@` : ''}127.0.0.1:${port}`,
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
