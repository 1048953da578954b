/**
 * The WebHDFS client, on node:http and node:https. It replaced the `webhdfs` npm package,
 * which builds one fixed request per call: it cannot send a fresh SPNEGO token or a
 * delegation token per request, keep the `hadoop.auth` cookie, move to another namenode,
 * or take a CA bundle, and it loses the HTTP status and exception class of errors.
 *
 * What it checks that WebHDFS does not say plainly:
 * - "not found" is the FileNotFoundException class or one of the namenode's messages
 *   (`File does not exist: /x`, `File /x does not exist.`, `File /x not found.`);
 * - errors from a datanode carry the namenode's Java stack trace: only its first line is kept;
 * - RENAME and DELETE answer `{"boolean": false}` instead of failing, so both are confirmed
 *   with a GETFILESTATUS;
 * - CREATE and MKDIRS make missing parents with a mode of the namenode's choosing (for
 *   MKDIRS: the new directory's), so the parent is made first with a known one;
 * - a read of no bytes sends nothing: the namenode refuses an offset at the end of a file.
 *
 * Security and HA (see hdfs-connection.ts for where the settings come from):
 * - Kerberos: SPNEGO on namenode calls (hdfs-spnego.ts), then the `hadoop.auth` cookie the
 *   namenode answers with; with delegation tokens on (the default), one GETDELEGATIONTOKEN
 *   per client, `delegation=` on every other call, a renewal once it is due (checked before
 *   each call, against an injectable clock), CANCELDELEGATIONTOKEN on close();
 * - a delegation token handed in from outside is used as is, never renewed or cancelled;
 * - HA: several namenodes; a StandbyException or a refused connection moves to the next,
 *   mid-run too, and the one that answered is tried first from then on. Only calls that
 *   did not reach an active namenode are sent again, so nothing is done twice;
 * - TLS with a CA bundle besides the system's; a gateway (Knox) with basic auth.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import * as posix from 'node:path/posix';
import { rootCertificates } from 'node:tls';
import { FeatureStoreError } from '../errors';
import { kerberosError, negotiateHeader, type KerberosSettings } from './hdfs-spnego';

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

export type WebHdfsAuth =
  | { readonly kind: 'simple' }
  | ({ readonly kind: 'kerberos'; readonly delegationTokens?: boolean } & KerberosSettings)
  | { readonly kind: 'delegationToken'; readonly token: string; readonly source?: string };

export interface WebHdfsClientOptions {
  /** HA: the other namenodes' WebHDFS URLs (the constructor's `url` is tried first). @default [] */
  readonly namenodes?: readonly string[];
  /** @default { kind: 'simple' } (`user.name`) */
  readonly auth?: WebHdfsAuth;
  /** PEM CA certificates trusted besides the system's, for https namenodes and datanodes. */
  readonly caBundle?: string;
  /** Where the bundle came from, for errors. */
  readonly caBundleSource?: string;
  /** HTTP basic auth for a gateway (Knox) in front of WebHDFS. */
  readonly gateway?: { readonly user: string; readonly password: string };
  /** Rounds over all namenodes while none is active (a failover in progress). @default 5 */
  readonly failoverRounds?: number;
  /** Wait between those rounds, growing by this much each time. @default 400 */
  readonly failoverDelayMs?: number;
  /** A delegation token of ours is first renewed this long after it was fetched. @default 1 hour */
  readonly renewAfterMs?: number;
  /** @default Date.now */
  readonly clock?: () => number;
}

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

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

interface DelegationToken {
  readonly token: string;
  /** Fetched by this client: renewed and cancelled by it. */
  readonly own: boolean;
  nextRenewAt: number;
  renewals: number;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE']);
/** Answers that prove the request never reached a namenode: safe to send elsewhere whatever it was. */
const NEVER_ARRIVED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL|EPROTO/;
/** The namenode's not-found messages: GETFILESTATUS, LISTSTATUS, OPEN, SETPERMISSION/SETOWNER. */
const NOT_FOUND = /FileNotFoundException|File does not exist: |File \/.* does not exist\.|File \/.* not found\.|Directory\/File does not exist /;
const STANDBY = /StandbyException|is not supported in state standby|Operation category .* is not supported/;
const TIMEOUT_MS = 60_000;

const firstLine = (message: string) => message.split('\n')[0].trimEnd();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A RemoteException body (text or parsed JSON) as an error, or undefined. */
function remoteError(body: Buffer, status: number | undefined): WebHdfsRemoteError | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString());
  } catch {
    return undefined;
  }
  const remote = (parsed as { RemoteException?: { exception?: string; message?: string } } | null)?.RemoteException;
  if (!remote) return undefined;
  return new WebHdfsRemoteError(firstLine(String(remote.message ?? remote.exception ?? 'unknown error')), remote.exception, status);
}

/** Jetty's HTML error page (e.g. the SPNEGO filter's 401/403): its MESSAGE cell. */
function htmlMessage(body: Buffer): string | undefined {
  const text = body.toString();
  return /<th>MESSAGE:<\/th><td>([^<]*)<\/td>/.exec(text)?.[1] ?? /<title>([^<]*)<\/title>/.exec(text)?.[1];
}

function answerError(answer: Answer, basePath: string): WebHdfsRemoteError {
  const remote = remoteError(answer.body, answer.status);
  if (remote) return remote;
  if (answer.status === 404) return new WebHdfsRemoteError(`Invalid request path or webhdfs is not enabled: ${basePath}`, undefined, 404);
  const html = htmlMessage(answer.body);
  return new WebHdfsRemoteError(html ? `HTTP ${answer.status}: ${html}` : `HTTP ${answer.status} without a RemoteException`, undefined, answer.status);
}

export class WebHdfsClient {
  /** Every namenode's WebHDFS base URL, without a trailing slash. */
  readonly namenodes: readonly string[];
  private active = 0;
  private readonly auth: WebHdfsAuth;
  private readonly httpsAgent?: HttpsAgent;
  private readonly clock: () => number;
  private readonly cookies = new Map<string, string>();
  private delegation?: Promise<DelegationToken>;
  private closed = false;

  /**
   * @param url WebHDFS base URL, e.g. `http://namenode:9870/webhdfs/v1`
   * @param user sent as `user.name` (simple authentication)
   */
  constructor(
    readonly url: string,
    readonly user: string,
    private readonly options: WebHdfsClientOptions = {},
  ) {
    const trim = (u: string) => u.replace(/\/+$/, '');
    const all = [url, ...(options.namenodes ?? [])].map(trim);
    this.namenodes = all.filter((u, i) => all.indexOf(u) === i);
    this.auth = options.auth ?? { kind: 'simple' };
    this.clock = options.clock ?? Date.now;
    if (options.caBundle) this.httpsAgent = new HttpsAgent({ ca: [...rootCertificates, options.caBundle], keepAlive: true });
    if (this.auth.kind === 'delegationToken') {
      this.delegation = Promise.resolve({ token: this.auth.token, own: false, nextRenewAt: Infinity, renewals: 0 });
    }
  }

  /** The namenode calls go to first (the last one found active). */
  get activeNamenode(): string {
    return this.namenodes[this.active];
  }

  /** The status of a path, or null when nothing is there. */
  async stat(path: string): Promise<HdfsFileStatus | null> {
    try {
      const { FileStatus: status } = (await this.json('GET', 'GETFILESTATUS', path)) as { FileStatus?: HdfsFileStatus };
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
    const answer = (await this.json('GET', 'LISTSTATUS', path)) as { FileStatuses?: { FileStatus?: HdfsFileStatus[] } };
    const statuses = answer.FileStatuses?.FileStatus;
    if (!Array.isArray(statuses)) throw this.error('LISTSTATUS', path, 'unexpected answer');
    return statuses;
  }

  /**
   * Bytes `[offset, offset + length)` of a file through OPEN with offset and length: the
   * namenode redirects to a datanode, which sends the bytes. A length of 0 sends nothing.
   */
  async read(path: string, offset: number, length: number): Promise<Uint8Array> {
    if (length <= 0) return new Uint8Array(0);
    // A datanode asks the namenode too: during a failover it can answer standby; a read is safe to send again.
    const attempts = this.namenodes.length > 1 ? (this.options.failoverRounds ?? 5) : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.readOnce(path, offset, length);
      } catch (e) {
        const cause = e instanceof FeatureStoreError ? e.cause : undefined;
        if (attempt >= attempts || !(cause instanceof WebHdfsRemoteError) || !STANDBY.test(`${cause.exception} ${cause.message}`)) throw e;
        await sleep((this.options.failoverDelayMs ?? 400) * attempt);
      }
    }
  }

  private async readOnce(path: string, offset: number, length: number): Promise<Uint8Array> {
    let answer = await this.namenode('GET', 'OPEN', path, { offset: String(offset), length: String(length) });
    for (let hop = 0; hop < 3 && (answer.status === 307 || answer.status === 301) && answer.headers.location; hop++) {
      const location = new URL(answer.headers.location, this.activeNamenode).toString();
      answer = await this.send('GET', location, this.redirectHeaders(location)).catch((e: unknown) => {
        throw this.error('OPEN', path, e, location);
      });
    }
    if (answer.status === 200) {
      const declared = Number(answer.headers['content-length']);
      if (Number.isFinite(declared) && declared !== answer.body.length) throw this.error('OPEN', path, `the datanode sent ${answer.body.length} of ${declared} bytes`);
      return new Uint8Array(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength);
    }
    if (answer.status === 307 || answer.status === 301) throw this.error('OPEN', path, 'too many redirects');
    throw this.error('OPEN', path, answerError(answer, this.basePath()));
  }

  /**
   * CREATE: writes a whole file. A missing parent is made first with `parentPermission`
   * (default 755): CREATE would make it with a mode of the namenode's choosing.
   */
  async create(path: string, bytes: Uint8Array, options: { overwrite: boolean; permission?: string; parentPermission?: string }): Promise<void> {
    await this.makeParent(path, options.parentPermission ?? '755');
    const params = { overwrite: String(options.overwrite), permission: options.permission ?? '644' };
    const redirect = await this.namenode('PUT', 'CREATE', path, params);
    const location = redirect.headers.location;
    if ((redirect.status !== 307 && redirect.status !== 301) || !location) {
      throw this.error('CREATE', path, redirect.status < 300 ? `expected a redirect to a datanode, got HTTP ${redirect.status}` : answerError(redirect, this.basePath()));
    }
    const target = new URL(location, this.activeNamenode).toString();
    const written = await this.send('PUT', target, { ...this.redirectHeaders(target), 'content-type': 'application/octet-stream' }, bytes).catch((e: unknown) => {
      throw this.error('CREATE', path, e, target);
    });
    if (written.status !== 201 && written.status !== 200) throw this.error('CREATE', path, answerError(written, this.basePath()));
  }

  /**
   * MKDIRS with parents. HDFS gives missing parents the new directory's mode; with
   * `parentPermission`, a missing parent is made first with that mode instead.
   */
  async mkdirs(path: string, permission: string, options: { parentPermission?: string } = {}): Promise<void> {
    if (options.parentPermission) await this.makeParent(path, options.parentPermission);
    await this.json('PUT', 'MKDIRS', path, { permission });
  }

  private async makeParent(path: string, permission: string): Promise<void> {
    const parent = posix.dirname(posix.resolve('/', path));
    if (parent === '/' || (await this.stat(parent)) !== null) return;
    await this.json('PUT', 'MKDIRS', parent, { permission });
  }

  /** RENAME; fails (naming both paths) when HDFS refuses, e.g. because the destination exists. */
  async rename(path: string, destination: string): Promise<void> {
    await this.json('PUT', 'RENAME', path, { destination });
    if ((await this.stat(path)) !== null || (await this.stat(destination)) === null) {
      throw this.error('RENAME', path, `HDFS did not rename it to ${destination} (does the destination exist already?)`);
    }
  }

  async delete(path: string, recursive: boolean): Promise<void> {
    await this.json('DELETE', 'DELETE', path, { recursive: String(recursive) });
    if ((await this.stat(path)) !== null) throw this.error('DELETE', path, 'HDFS did not delete it');
  }

  async setPermission(path: string, permission: string): Promise<void> {
    await this.json('PUT', 'SETPERMISSION', path, { permission });
  }

  async setOwner(path: string, owner: string, group: string): Promise<void> {
    await this.json('PUT', 'SETOWNER', path, { owner, group });
  }

  /**
   * The delegation token the calls use (fetching it on first use with Kerberos), or
   * undefined when they use none; for handing to Spark jobs.
   */
  async delegationToken(): Promise<{ token: string; own: boolean; renewals: number } | undefined> {
    const token = await this.tokenForCalls();
    return token && { token: token.token, own: token.own, renewals: token.renewals };
  }

  /** Cancels the delegation token this client fetched, if any. Later calls fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pending = this.delegation;
    this.delegation = undefined;
    const token = pending && (await pending.catch(() => undefined));
    if (token?.own) await this.kerberosJson('PUT', 'CANCELDELEGATIONTOKEN', { token: token.token });
    this.httpsAgent?.destroy();
  }

  private basePath(): string {
    return new URL(this.activeNamenode).pathname;
  }

  private async json(method: string, op: string, path: string, params: Record<string, string> = {}): Promise<unknown> {
    const answer = await this.namenode(method, op, path, params);
    if (answer.status < 200 || answer.status >= 300) throw this.error(op, path, answerError(answer, this.basePath()));
    try {
      return answer.body.length === 0 ? {} : JSON.parse(answer.body.toString());
    } catch {
      throw this.error(op, path, `the namenode's answer is not JSON: ${answer.body.toString().slice(0, 200)}`);
    }
  }

  /** The delegation token for ordinary calls; fetched once, renewed when due. */
  private async tokenForCalls(): Promise<DelegationToken | undefined> {
    if (this.closed) throw new FeatureStoreError('LAKE_ERROR', `the WebHDFS client of ${this.url} is closed`, 'open the lake again');
    if (this.auth.kind !== 'delegationToken' && !(this.auth.kind === 'kerberos' && this.auth.delegationTokens !== false)) return undefined;
    this.delegation ??= this.fetchToken();
    const token = await this.delegation.catch((e: unknown) => {
      this.delegation = undefined;
      throw e;
    });
    if (token.own && this.clock() >= token.nextRenewAt) await this.renew(token);
    return token;
  }

  private async fetchToken(): Promise<DelegationToken> {
    const renewer = this.auth.kind === 'kerberos' ? this.auth.principal.split(/[/@]/)[0] : this.user;
    const answer = (await this.kerberosJson('GET', 'GETDELEGATIONTOKEN', { renewer })) as { Token?: { urlString?: string } | null };
    const token = answer.Token?.urlString;
    if (!token) {
      throw new FeatureStoreError('LAKE_ERROR', `namenode ${this.activeNamenode} gave no delegation token`, 'the cluster has no security on: use auth simple, or turn delegation tokens off');
    }
    return { token, own: true, nextRenewAt: this.clock() + (this.options.renewAfterMs ?? 3_600_000), renewals: 0 };
  }

  private async renew(token: DelegationToken): Promise<void> {
    const answer = (await this.kerberosJson('PUT', 'RENEWDELEGATIONTOKEN', { token: token.token })) as { long?: number };
    const expiry = Number(answer.long);
    const now = this.clock();
    token.renewals++;
    // Renew again half way to the new expiry (the namenode's clock; a skew only makes it earlier).
    token.nextRenewAt = Number.isFinite(expiry) && expiry > now ? now + (expiry - now) / 2 : now + (this.options.renewAfterMs ?? 3_600_000);
  }

  /** A token operation, always with Kerberos (WebHDFS refuses them with a token). */
  private async kerberosJson(method: string, op: string, params: Record<string, string>): Promise<unknown> {
    const answer = await this.namenode(method, op, '/', params, { kerberosOnly: true });
    if (answer.status < 200 || answer.status >= 300) throw this.error(op, '/', answerError(answer, this.basePath()));
    return answer.body.length === 0 ? {} : JSON.parse(answer.body.toString());
  }

  /**
   * One namenode call, on the active namenode: a standby answer or a connection that never
   * reached a namenode moves to the next one; rounds over all of them repeat (with a
   * growing wait) while a failover is under way.
   */
  private async namenode(method: string, op: string, path: string, params: Record<string, string>, flags: { kerberosOnly?: boolean } = {}): Promise<Answer> {
    const token = flags.kerberosOnly ? undefined : await this.tokenForCalls();
    const rounds = this.namenodes.length > 1 ? (this.options.failoverRounds ?? 5) : 1;
    const misses: string[] = [];
    let lastFailure: unknown;
    for (let round = 0; round < rounds; round++) {
      if (round > 0) await sleep((this.options.failoverDelayMs ?? 400) * round);
      for (let n = 0; n < this.namenodes.length; n++) {
        const index = (this.active + n) % this.namenodes.length;
        const base = this.namenodes[index];
        const url = this.operationUrl(base, op, path, params, token);
        let answer: Answer;
        try {
          answer = await this.authenticated(method, url, base, token !== undefined);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          const retriable = code !== undefined && (NEVER_ARRIVED.has(code) || (method === 'GET' && UNREACHABLE.has(code)));
          if (!retriable || this.namenodes.length === 1) throw this.error(op, path, e, base);
          misses.push(`${base}: ${code}`);
          lastFailure = e;
          continue;
        }
        if (answer.status === 403 && STANDBY.test(answer.body.toString())) {
          misses.push(`${base}: standby`);
          lastFailure = answerError(answer, new URL(base).pathname);
          continue;
        }
        this.active = index;
        if (answer.status === 401 && this.auth.kind !== 'kerberos' && token === undefined) {
          const gateway = this.options.gateway;
          throw gateway
            ? new FeatureStoreError('LAKE_ERROR', `gateway ${base} refused the basic auth of user ${gateway.user} (HTTP 401) during ${op} ${path}`, "check the gateway user and the password in the lake's gateway.passwordEnv variable")
            : new FeatureStoreError(
                'LAKE_ERROR',
                `namenode ${base} asks for Kerberos (HTTP 401) during ${op} ${path}, but the lake uses simple authentication`,
                'the cluster is kerberized: give the lake kerberos settings (principal and keytab, or a kinit ticket) or a delegation token',
              );
        }
        return answer;
      }
    }
    const allStandby = misses.every((m) => m.endsWith(': standby'));
    if (this.namenodes.length === 1) throw this.error(op, path, lastFailure, this.namenodes[0]);
    const seen = [...new Set(misses)].join('; ');
    if (allStandby) {
      throw new FeatureStoreError(
        'LAKE_UNREACHABLE',
        `WebHDFS ${op} ${path}: no active namenode among ${this.namenodes.join(', ')} (all answered standby after ${rounds} rounds)`,
        'make one namenode active (hdfs haadmin -failover / -transitionToActive) or check that the ZKFCs run, then run again',
        { cause: lastFailure },
      );
    }
    throw new FeatureStoreError('LAKE_UNREACHABLE', `WebHDFS ${op} ${path}: no namenode answered as active (${seen})`, 'check that the namenodes are up and that the lake lists their WebHDFS URLs', { cause: lastFailure });
  }

  /** Sends a namenode request with the lake's authentication; refreshes a stale SPNEGO cookie once. */
  private async authenticated(method: string, url: string, base: string, withToken: boolean): Promise<Answer> {
    const headers: Record<string, string> = {};
    const gateway = this.options.gateway;
    if (gateway) headers.authorization = `Basic ${Buffer.from(`${gateway.user}:${gateway.password}`).toString('base64')}`;
    if (this.auth.kind !== 'kerberos' || withToken) return this.send(method, url, headers);
    const cookie = this.cookies.get(base);
    if (cookie) {
      const answer = await this.send(method, url, { ...headers, cookie });
      if (answer.status !== 401) return this.keepCookie(base, answer);
      this.cookies.delete(base);
    }
    const host = new URL(base).hostname;
    const answer = await this.send(method, url, { ...headers, authorization: await negotiateHeader(this.auth, host, base) });
    if (answer.status === 401 || (answer.status === 403 && !remoteError(answer.body, 403))) {
      throw kerberosError(this.auth, host, base, `HTTP ${answer.status}: ${htmlMessage(answer.body) ?? answer.body.toString().slice(0, 300)}`);
    }
    if (answer.status === 403 && /not authenticated by filter/.test(answer.body.toString())) {
      throw new FeatureStoreError('LAKE_ERROR', `namenode ${base} does not check Kerberos on WebHDFS although security is on`, 'set hadoop.http.authentication.type=kerberos (and its principal and keytab) on the namenode');
    }
    return this.keepCookie(base, answer);
  }

  private keepCookie(base: string, answer: Answer): Answer {
    const auth = (answer.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('hadoop.auth='));
    if (auth && auth !== 'hadoop.auth=' && auth !== 'hadoop.auth=""') this.cookies.set(base, auth);
    return answer;
  }

  /** Headers for a datanode the namenode redirected to: basic auth only to the gateway itself. */
  private redirectHeaders(location: string): Record<string, string> {
    const gateway = this.options.gateway;
    if (!gateway || !this.namenodes.some((n) => new URL(n).origin === new URL(location).origin)) return {};
    return { authorization: `Basic ${Buffer.from(`${gateway.user}:${gateway.password}`).toString('base64')}` };
  }

  private operationUrl(base: string, op: string, path: string, params: Record<string, string>, token: DelegationToken | undefined): string {
    const url = new URL(base + encodePath(path));
    url.searchParams.set('op', op);
    if (token) url.searchParams.set('delegation', token.token);
    else if (this.auth.kind === 'simple' && !this.options.gateway) url.searchParams.set('user.name', this.user);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return url.toString();
  }

  private send(method: string, url: string, headers: Record<string, string>, body?: Uint8Array): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const https = url.startsWith('https:');
      const send = https ? httpsRequest : httpRequest;
      const requestHeaders: Record<string, string | number> = { ...headers, 'content-length': body?.byteLength ?? 0 };
      const req = send(url, { method, headers: requestHeaders, timeout: TIMEOUT_MS, ...(https && this.httpsAgent ? { agent: this.httpsAgent } : {}) }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', reject);
        res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.once('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
      req.once('error', reject);
      req.end(body && body.byteLength > 0 ? body : undefined);
    });
  }

  private error(op: string, path: string, cause: unknown, where: string = this.activeNamenode): FeatureStoreError {
    if (cause instanceof FeatureStoreError) return cause;
    const code = (cause as NodeJS.ErrnoException)?.code;
    if (code && TLS_CODES.test(code)) {
      const bundle = this.options.caBundleSource ? `the CA bundle ${this.options.caBundleSource}` : 'no CA bundle';
      return new FeatureStoreError(
        'LAKE_ERROR',
        `TLS to ${where} failed during ${op} ${path}: ${code} (${(cause as Error).message}); trusted: the system's CAs and ${bundle}`,
        code === 'ERR_TLS_CERT_ALTNAME_INVALID'
          ? 'use the host name the certificate was issued for in the lake\'s WebHDFS URL'
          : 'name the CA bundle (PEM) that signed the namenode\'s and datanodes\' certificates in the lake\'s tls.caBundle',
        { cause },
      );
    }
    if (code && UNREACHABLE.has(code)) {
      return new FeatureStoreError('LAKE_UNREACHABLE', `WebHDFS at ${where} is unreachable (${code}) during ${op} ${path}`, 'check that the namenode is up, or set FEATURESTACK_WEBHDFS_URL', { cause });
    }
    const message = firstLine(cause instanceof Error ? cause.message : String(cause));
    const namenode = this.namenodes.length > 1 ? ` at ${where}` : '';
    return new FeatureStoreError('LAKE_ERROR', `WebHDFS ${op} ${path}${namenode} failed: ${message}`, hintFor(message), { cause });
  }
}

function hintFor(namenodeMessage: string): string {
  if (STANDBY.test(namenodeMessage)) return "this namenode is a standby: list every namenode of the HA pair in the lake's namenodes, or make this one active";
  if (/safe mode/i.test(namenodeMessage)) return 'the namenode is in safe mode; wait for it to leave safe mode and run again';
  if (/does not belong to (\S+)/.test(namenodeMessage)) {
    return `add the user to group ${/does not belong to (\S+)/.exec(namenodeMessage)![1]} in the namenode's group mapping, or run as the HDFS superuser`;
  }
  if (/InvalidToken|can't be found in cache|token .* expired|is expired/i.test(namenodeMessage)) {
    return 'the delegation token is no longer valid (expired or cancelled): hand in a fresh one, or use Kerberos';
  }
  if (/Security enabled but user not authenticated|Authentication required|user not authenticated/i.test(namenodeMessage)) {
    return 'the cluster is kerberized: give the lake kerberos settings (principal and keytab, or a kinit ticket) or a delegation token';
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

/** Escapes each segment, so that `%`, `#`, `?` and spaces in hive partition values survive. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
