/**
 * The one place that talks to the `webhdfs` npm package. It hides the package's
 * callback and stream API behind promises, and checks what the package does not:
 * - the package's errors lose their HTTP status and exception class: its error parser
 *   is replaced by one that keeps both, so "not found" is the FileNotFoundException
 *   class or one of the namenode's messages (`File does not exist: /x`,
 *   `File /x does not exist.`, `File /x not found.`);
 * - errors from a datanode carry the namenode's Java stack trace in the message: only
 *   its first line is kept;
 * - RENAME and DELETE answer `{"boolean": false}` instead of failing, which the
 *   package ignores, so both are confirmed with a GETFILESTATUS;
 * - CREATE and MKDIRS make missing parents with a mode of the namenode's choosing
 *   (for MKDIRS: the new directory's), so the parent is made first with a known one;
 * - OPEN goes through node:http, not the package: the package reports a datanode error
 *   split over several chunks as several unparsable errors, and ends an error without
 *   a body with no error at all. A read of no bytes sends nothing: the namenode refuses
 *   an offset at the end of a file (HTTP 403).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import * as posix from 'node:path/posix';
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
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const webhdfs = require('webhdfs') as { createClient(opts: Record<string, unknown>, requestParams?: Record<string, unknown>): WebHdfsPackageClient };

/** An error the namenode or a datanode answered: its RemoteException, first line only. */
export class WebHdfsRemoteError extends Error {
  constructor(
    message: string,
    /** e.g. `FileNotFoundException`; undefined when the answer had no RemoteException. */
    readonly exception: string | undefined,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN']);
/** The namenode's not-found messages: GETFILESTATUS, LISTSTATUS, OPEN, SETPERMISSION/SETOWNER. */
const NOT_FOUND = /FileNotFoundException|File does not exist: |File \/.* does not exist\.|File \/.* not found\.|Directory\/File does not exist /;
const TIMEOUT_MS = 60_000;

const firstLine = (message: string) => message.split('\n')[0].trimEnd();

/** A RemoteException body (text or parsed JSON) as an error, or undefined. */
function remoteError(body: unknown, status: number | undefined): WebHdfsRemoteError | undefined {
  let parsed = body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      parsed = JSON.parse(body.toString());
    } catch {
      return undefined;
    }
  }
  const remote = (parsed as { RemoteException?: { exception?: string; message?: string } } | null)?.RemoteException;
  if (!remote) return undefined;
  return new WebHdfsRemoteError(firstLine(String(remote.message ?? remote.exception ?? 'unknown error')), remote.exception, status);
}

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
      { timeout: TIMEOUT_MS },
    );
    // The package's own parser keeps only the message, stack trace included.
    const basePath = parsed.pathname;
    (this.client as unknown as { _parseError: (body: unknown, strict: boolean, status?: number) => Error | undefined })._parseError = (body, strict, status) => {
      const error = remoteError(body, status);
      if (error) return error;
      if (strict) return undefined;
      if (status === 404) return new WebHdfsRemoteError(`Invalid request path or webhdfs is not enabled: ${basePath}`, undefined, status);
      return new WebHdfsRemoteError(status ? `HTTP ${status} without a RemoteException` : 'unknown error', undefined, status);
    };
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

  /**
   * Bytes `[offset, offset + length)` of a file through OPEN with offset and length: the
   * namenode redirects to a datanode, which sends the bytes. A length of 0 sends nothing.
   */
  async read(path: string, offset: number, length: number): Promise<Uint8Array> {
    if (length <= 0) return new Uint8Array(0);
    let url = this.operationUrl('OPEN', path, { offset: String(offset), length: String(length) });
    for (let hop = 0; hop < 3; hop++) {
      const { status, location, body } = await this.get(url).catch((e: unknown) => {
        throw this.error('OPEN', path, e);
      });
      if ((status === 307 || status === 301) && location) {
        url = new URL(location, url).toString();
        continue;
      }
      if (status === 200) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
      throw this.error('OPEN', path, remoteError(body, status) ?? new WebHdfsRemoteError(`HTTP ${status} without a RemoteException`, undefined, status));
    }
    throw this.error('OPEN', path, 'too many redirects');
  }

  /**
   * CREATE: writes a whole file. A missing parent is made first with `parentPermission`
   * (default 755): CREATE would make it with a mode of the namenode's choosing.
   */
  async create(path: string, bytes: Uint8Array, options: { overwrite: boolean; permission?: string; parentPermission?: string }): Promise<void> {
    await this.makeParent(path, options.parentPermission ?? '755');
    const opts = { overwrite: options.overwrite, permission: options.permission ?? '644' };
    await this.call('CREATE', path, (cb) => this.client.writeFile(encodePath(path), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), false, opts, cb));
  }

  /**
   * MKDIRS with parents. HDFS gives missing parents the new directory's mode; with
   * `parentPermission`, a missing parent is made first with that mode instead.
   */
  async mkdirs(path: string, permission: string, options: { parentPermission?: string } = {}): Promise<void> {
    if (options.parentPermission) await this.makeParent(path, options.parentPermission);
    await this.call('MKDIRS', path, (cb) => this.client.mkdir(encodePath(path), permission, cb));
  }

  private async makeParent(path: string, permission: string): Promise<void> {
    const parent = posix.dirname(posix.resolve('/', path));
    if (parent === '/' || (await this.stat(parent)) !== null) return;
    await this.call('MKDIRS', parent, (cb) => this.client.mkdir(encodePath(parent), permission, cb));
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

  private operationUrl(op: string, path: string, params: Record<string, string>): string {
    const url = new URL(this.url.replace(/\/+$/, '') + encodePath(path));
    url.searchParams.set('op', op);
    url.searchParams.set('user.name', this.user);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return url.toString();
  }

  private get(url: string): Promise<{ status: number; location?: string; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const send = url.startsWith('https:') ? httpsRequest : httpRequest;
      const req = send(url, { method: 'GET', timeout: TIMEOUT_MS }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', reject);
        res.once('end', () => {
          const body = Buffer.concat(chunks);
          const declared = Number(res.headers['content-length']);
          if (res.statusCode === 200 && Number.isFinite(declared) && declared !== body.length) {
            reject(new Error(`the datanode sent ${body.length} of ${declared} bytes`));
          } else {
            resolve({ status: res.statusCode ?? 0, location: res.headers.location, body });
          }
        });
      });
      req.once('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
      req.once('error', reject);
      req.end();
    });
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
    const message = firstLine(cause instanceof Error ? cause.message : String(cause));
    return new FeatureStoreError('LAKE_ERROR', `WebHDFS ${op} ${path} failed: ${message}`, hintFor(message), { cause });
  }
}

function hintFor(namenodeMessage: string): string {
  if (/safe mode/i.test(namenodeMessage)) return 'the namenode is in safe mode; wait for it to leave safe mode and run again';
  if (/does not belong to (\S+)/.test(namenodeMessage)) {
    return `add the user to group ${/does not belong to (\S+)/.exec(namenodeMessage)![1]} in the namenode's group mapping, or run as the HDFS superuser`;
  }
  if (/AccessControl|Permission denied|super user/i.test(namenodeMessage)) return 'run as a user allowed to do this (the lake\'s `user`), or ask the HDFS admin';
  if (NOT_FOUND.test(namenodeMessage) || /Path is not a file/.test(namenodeMessage)) return 'check the path';
  return 'see the namenode message above';
}

/** A WebHDFS error that says nothing is at the path (the client's not-found error). */
export function isNotFound(e: unknown): boolean {
  if (!(e instanceof FeatureStoreError) || e.code !== 'LAKE_ERROR') return false;
  const cause = e.cause;
  // OPEN of a directory is a FileNotFoundException too, but something is there.
  if (/Path is not a file/.test(e.message)) return false;
  if (cause instanceof WebHdfsRemoteError && cause.exception === 'FileNotFoundException') return true;
  return NOT_FOUND.test(e.message);
}

/**
 * The package puts the path into the URL unescaped; escape each segment so that
 * `%`, `#`, `?` and spaces in hive partition values survive.
 */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
