/**
 * The one place that talks to the `webhdfs` npm package. It hides the package's
 * callback and stream API behind promises, and checks what the package does not:
 * - errors lose their HTTP status and exception class, so "not found" is recognised
 *   by the namenode's FileNotFoundException message;
 * - RENAME and DELETE answer `{"boolean": false}` instead of failing, which the
 *   package ignores, so both are confirmed with a GETFILESTATUS;
 * - an OPEN answered with an error but no body ends without an error event, so the
 *   final HTTP status and the byte count of every read are checked.
 */
import { FeatureStoreError } from '../errors';

/** A GETFILESTATUS / LISTSTATUS entry. */
export interface HdfsFileStatus {
  readonly pathSuffix: string;
  readonly type: 'FILE' | 'DIRECTORY' | 'SYMLINK';
  readonly length: number;
  readonly owner: string;
  readonly group: string;
  /** Octal without a leading zero, e.g. "755". */
  readonly permission: string;
}

type Callback<T = void> = (error: Error | null | undefined, value?: T) => void;

interface EventSource {
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
}

/** The subset of the `webhdfs` package used here (it ships no types). */
interface WebHdfsPackageClient {
  stat(path: string, callback: Callback<HdfsFileStatus>): unknown;
  readdir(path: string, callback: Callback<HdfsFileStatus[]>): unknown;
  mkdir(path: string, mode: string, callback: Callback): unknown;
  rename(path: string, destination: string, callback: Callback): unknown;
  unlink(path: string, recursive: boolean, callback: Callback): unknown;
  chmod(path: string, mode: string, callback: Callback): unknown;
  chown(path: string, owner: string, group: string, callback: Callback): unknown;
  writeFile(path: string, data: Buffer, append: boolean, opts: Record<string, unknown>, callback: Callback): unknown;
  createReadStream(path: string, opts?: Record<string, unknown>): EventSource;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const webhdfs = require('webhdfs') as { createClient(opts: Record<string, unknown>, requestParams?: Record<string, unknown>): WebHdfsPackageClient };

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN']);
const NOT_FOUND = /FileNotFoundException|File does not exist|Path is not a file/;

export class WebHdfsClient {
  private readonly client: WebHdfsPackageClient;

  /**
   * @param url WebHDFS base URL, e.g. `http://namenode:9870/webhdfs/v1`
   * @param user sent as `user.name` (simple authentication)
   */
  constructor(
    readonly url: string,
    readonly user: string,
  ) {
    const parsed = new URL(url);
    this.client = webhdfs.createClient(
      {
        protocol: parsed.protocol.replace(':', ''),
        host: parsed.hostname,
        port: parsed.port || (parsed.protocol === 'https:' ? '443' : '80'),
        path: parsed.pathname.replace(/\/+$/, ''),
        user,
      },
      { timeout: 60_000 },
    );
  }

  /** The status of a path, or null when nothing is there. */
  async stat(path: string): Promise<HdfsFileStatus | null> {
    try {
      const status = await this.call<HdfsFileStatus>('GETFILESTATUS', path, (cb) => this.client.stat(encodePath(path), cb));
      if (!status || (status.type !== 'FILE' && status.type !== 'DIRECTORY' && status.type !== 'SYMLINK')) {
        throw this.error('GETFILESTATUS', path, `unexpected answer ${JSON.stringify(status)}`);
      }
      return status;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async list(path: string): Promise<HdfsFileStatus[]> {
    const statuses = await this.call<HdfsFileStatus[]>('LISTSTATUS', path, (cb) => this.client.readdir(encodePath(path), cb));
    if (!Array.isArray(statuses)) throw this.error('LISTSTATUS', path, 'unexpected answer');
    return statuses;
  }

  /** Bytes `[offset, offset + length)` of a file through OPEN with offset and length. */
  read(path: string, offset: number, length: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let status = 0;
      let settled = false;
      const settle = (work: () => void) => {
        if (!settled) {
          settled = true;
          work();
        }
      };
      const stream = this.client.createReadStream(encodePath(path), { offset, length });
      stream.on('response', (res: { statusCode: number }) => (status = res.statusCode));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.once('error', (e: Error) => settle(() => reject(this.error('OPEN', path, e))));
      stream.once('finish', () =>
        settle(() => (status === 200 ? resolve(new Uint8Array(Buffer.concat(chunks))) : reject(this.error('OPEN', path, `HTTP ${status} without a RemoteException`)))),
      );
    });
  }

  /** CREATE: writes a whole file. */
  async create(path: string, bytes: Uint8Array, options: { overwrite: boolean; permission?: string }): Promise<void> {
    const opts = { overwrite: options.overwrite, permission: options.permission ?? '644' };
    await this.call('CREATE', path, (cb) => this.client.writeFile(encodePath(path), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), false, opts, cb));
  }

  async mkdirs(path: string, permission: string): Promise<void> {
    await this.call('MKDIRS', path, (cb) => this.client.mkdir(encodePath(path), permission, cb));
  }

  /** RENAME; fails (naming both paths) when HDFS refuses, e.g. because the destination exists. */
  async rename(path: string, destination: string): Promise<void> {
    await this.call('RENAME', path, (cb) => this.client.rename(encodePath(path), destination, cb));
    if ((await this.stat(path)) !== null || (await this.stat(destination)) === null) {
      throw this.error('RENAME', path, `HDFS did not rename it to ${destination} (does the destination exist already?)`);
    }
  }

  async delete(path: string, recursive: boolean): Promise<void> {
    await this.call('DELETE', path, (cb) => this.client.unlink(encodePath(path), recursive, cb));
    if ((await this.stat(path)) !== null) throw this.error('DELETE', path, 'HDFS did not delete it');
  }

  async setPermission(path: string, permission: string): Promise<void> {
    await this.call('SETPERMISSION', path, (cb) => this.client.chmod(encodePath(path), permission, cb));
  }

  async setOwner(path: string, owner: string, group: string): Promise<void> {
    await this.call('SETOWNER', path, (cb) => this.client.chown(encodePath(path), owner, group, cb));
  }

  private call<T>(op: string, path: string, start: (callback: Callback<T>) => unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      start((error, value) => (error ? reject(this.error(op, path, error)) : resolve(value as T)));
    });
  }

  private error(op: string, path: string, cause: unknown): FeatureStoreError {
    const code = (cause as NodeJS.ErrnoException)?.code;
    if (code && UNREACHABLE.has(code)) {
      return new FeatureStoreError('LAKE_UNREACHABLE', `WebHDFS at ${this.url} is unreachable (${code}) during ${op} ${path}`, 'check that the namenode is up, or set FEATURESTACK_WEBHDFS_URL', { cause });
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    return new FeatureStoreError('LAKE_ERROR', `WebHDFS ${op} ${path} failed: ${message}`, hintFor(message), { cause });
  }
}

function hintFor(namenodeMessage: string): string {
  if (/safe mode/i.test(namenodeMessage)) return 'the namenode is in safe mode; wait for it to leave safe mode and run again';
  if (/AccessControl|Permission denied|super user/i.test(namenodeMessage)) return 'run as a user allowed to do this (the lake\'s `user`), or ask the HDFS admin';
  if (NOT_FOUND.test(namenodeMessage)) return 'check the path';
  return 'see the namenode message above';
}

function isNotFound(e: unknown): boolean {
  return e instanceof FeatureStoreError && e.code === 'LAKE_ERROR' && NOT_FOUND.test(e.message);
}

/**
 * The package puts the path into the URL unescaped; escape each segment so that
 * `%`, `#`, `?` and spaces in hive partition values survive.
 */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
