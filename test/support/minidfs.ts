/**
 * A real HDFS for tests: Hadoop's own MiniDFSCluster (a namenode and datanodes in one
 * JVM) on loopback and free ports, WebHDFS and permissions on. One per test file,
 * started in beforeAll. The JVM is a child process that exits when its stdin closes,
 * so a crashed jest worker does not leave it behind.
 *
 * The launcher and jars come from `ensureMiniDfs()` (jest's globalSetup).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ensureMiniDfs } from './minidfs/provision';

export { hadoopVersion } from './minidfs/provision';

export interface MiniDfsOptions {
  /** @default 1 */
  readonly datanodes?: number;
  /** The user the namenode runs as, which HDFS makes its superuser. @default 'hdfs' */
  readonly superuser?: string;
  /**
   * Groups of users, as the namenode's static group mapping
   * (`hadoop.user.group.static.mapping.overrides`); users not named here have the
   * groups of the machine's accounts (usually none). A user in
   * `dfs.permissions.superusergroup` ("supergroup") is a superuser too.
   */
  readonly groups?: Readonly<Record<string, readonly string[]>>;
  /** More Hadoop settings for the cluster, set last. */
  readonly conf?: Readonly<Record<string, string>>;
}

export interface MiniDfs {
  /** e.g. `http://127.0.0.1:40123/webhdfs/v1` */
  readonly webhdfsUrl: string;
  /** e.g. `hdfs://127.0.0.1:40124`, for Spark and Hadoop clients. */
  readonly rpcUrl: string;
  readonly namenodeHttpPort: number;
  readonly datanodeHttpPorts: readonly number[];
  readonly superuser: string;
  /** Milliseconds from spawning the JVM to the cluster being ready. */
  readonly startupMillis: number;
  /** MKDIRS (with parents) as `user`. */
  mkdirs(hdfsPath: string, options?: { user?: string; permission?: string }): Promise<void>;
  /** CREATE (overwriting) as `user`, through the datanode the namenode redirects to. */
  putFile(hdfsPath: string, bytes: Uint8Array, options?: { user?: string; permission?: string }): Promise<void>;
  setOwner(hdfsPath: string, owner: string, group: string): Promise<void>;
  setPermission(hdfsPath: string, permission: string, options?: { user?: string }): Promise<void>;
  /** Owner, group and permission of a path as GETFILESTATUS reports them (as the superuser). */
  attributes(hdfsPath: string): Promise<{ owner: string; group: string; permission: string } | undefined>;
  /** Block bytes the datanodes have read so far (their `BytesRead` metric), to check that reads are ranged. */
  bytesRead(): Promise<number>;
  stop(): Promise<void>;
}

interface Ready {
  readonly rpcPort: number;
  readonly httpPort: number;
  readonly datanodeHttpPorts: number[];
}

const STARTUP_TIMEOUT_MS = 120_000;

// Small heap and the client compiler: the cluster holds a few MB and lives for one test file.
const JVM_FLAGS = ['-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

export async function startMiniDfs(options: MiniDfsOptions = {}): Promise<MiniDfs> {
  const { classpath } = ensureMiniDfs();
  const superuser = options.superuser ?? 'hdfs';
  const baseDir = await mkdtemp(path.join(tmpdir(), 'featurestack-minidfs-'));
  const started = Date.now();
  const conf: Record<string, string> = { ...options.conf };
  if (options.groups) {
    conf['hadoop.user.group.static.mapping.overrides'] = Object.entries(options.groups)
      .map(([user, groups]) => `${user}=${groups.join(',')}`)
      .join(';');
  }
  const settings = Object.entries(conf).map(([key, value]) => `${key}=${value}`);
  const child = spawn('java', [...JVM_FLAGS, '-cp', classpath, 'featurestack.minidfs.MiniDfsLauncher', baseDir, String(options.datanodes ?? 1), ...settings], {
    env: { ...process.env, HADOOP_USER_NAME: superuser },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  let ready: Ready;
  try {
    ready = await new Promise<Ready>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`MiniDFSCluster did not start within ${STARTUP_TIMEOUT_MS / 1000} s; its log ends:\n${stderr}`)), STARTUP_TIMEOUT_MS);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`could not run java for the MiniDFSCluster (${e.message}); install a Java 17 runtime`));
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`MiniDFSCluster exited (${code}) before it was ready; its log ends:\n${stderr}`));
      });
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const line = stdout.split('\n').find((l) => l.startsWith('{"rpcPort"'));
        if (line) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as Ready);
        }
      });
    });
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    await rm(baseDir, { recursive: true, force: true });
    throw e;
  }
  const startupMillis = Date.now() - started;

  const webhdfsUrl = `http://127.0.0.1:${ready.httpPort}/webhdfs/v1`;
  const call = (method: string, hdfsPath: string, op: string, user: string, params: Record<string, string> = {}) =>
    webhdfs(webhdfsUrl, method, hdfsPath, op, { 'user.name': user, ...params });

  return {
    webhdfsUrl,
    rpcUrl: `hdfs://127.0.0.1:${ready.rpcPort}`,
    namenodeHttpPort: ready.httpPort,
    datanodeHttpPorts: ready.datanodeHttpPorts,
    superuser,
    startupMillis,
    async mkdirs(hdfsPath, opts = {}) {
      await call('PUT', hdfsPath, 'MKDIRS', opts.user ?? superuser, { permission: opts.permission ?? '755' });
    },
    async putFile(hdfsPath, bytes, opts = {}) {
      const redirect = await call('PUT', hdfsPath, 'CREATE', opts.user ?? superuser, { overwrite: 'true', permission: opts.permission ?? '644' });
      const location = redirect.headers.get('location');
      if (redirect.status !== 307 || !location) throw new Error(`MiniDFS CREATE ${hdfsPath}: expected a redirect to a datanode, got HTTP ${redirect.status}`);
      const written = await putBytes(location, bytes);
      if (written.status !== 201) throw new Error(`MiniDFS CREATE ${hdfsPath} at ${location}: HTTP ${written.status} ${written.body}`);
    },
    async setOwner(hdfsPath, owner, group) {
      await call('PUT', hdfsPath, 'SETOWNER', superuser, { owner, group });
    },
    async setPermission(hdfsPath, permission, opts = {}) {
      await call('PUT', hdfsPath, 'SETPERMISSION', opts.user ?? superuser, { permission });
    },
    async attributes(hdfsPath) {
      const response = await fetch(operationUrl(webhdfsUrl, hdfsPath, 'GETFILESTATUS', { 'user.name': superuser }));
      if (response.status === 404) return undefined;
      const { FileStatus: s } = (await response.json()) as { FileStatus: { owner: string; group: string; permission: string } };
      return { owner: s.owner, group: s.group, permission: s.permission };
    },
    async bytesRead() {
      let total = 0;
      for (const port of ready.datanodeHttpPorts) {
        const response = await fetch(`http://127.0.0.1:${port}/jmx?qry=Hadoop:service=DataNode,name=DataNodeActivity-*`);
        const { beans } = (await response.json()) as { beans: { BytesRead?: number }[] };
        total += beans.reduce((sum, bean) => sum + (bean.BytesRead ?? 0), 0);
      }
      return total;
    },
    async stop() {
      await stopLauncher(child, exited);
      await rm(baseDir, { recursive: true, force: true });
    },
  };
}

function operationUrl(webhdfsUrl: string, hdfsPath: string, op: string, params: Record<string, string>): string {
  const url = new URL(webhdfsUrl + hdfsPath.split('/').map(encodeURIComponent).join('/'));
  url.searchParams.set('op', op);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

/** One namenode request; anything but a 2xx or a redirect fails with the namenode's message. */
async function webhdfs(webhdfsUrl: string, method: string, hdfsPath: string, op: string, params: Record<string, string>): Promise<Response> {
  const response = await fetch(operationUrl(webhdfsUrl, hdfsPath, op, params), { method, redirect: 'manual' });
  if (response.status >= 400) throw new Error(`MiniDFS ${op} ${hdfsPath} as ${params['user.name']}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

/**
 * PUT through node:http, not fetch: the datanode answers "100 Continue" before its 201
 * even when not asked to, and fetch (undici) rejects that as a bad response.
 */
function putBytes(url: string, bytes: Uint8Array): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'content-length': bytes.byteLength } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once('error', reject);
    req.end(bytes);
  });
}

/** Ends a cluster launcher: closing its stdin stops the cluster; after 30 s it is killed. */
export async function stopLauncher(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null) return;
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}
