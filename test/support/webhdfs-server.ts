/**
 * A WebHDFS server for tests: the REST protocol of a Hadoop namenode and datanode
 * over a temporary folder. The namenode answers OPEN, CREATE and APPEND with a 307
 * to the datanode's port, as Hadoop does; errors are `RemoteException` JSON.
 *
 * Implemented: GETFILESTATUS, LISTSTATUS, OPEN (offset, length), CREATE (overwrite,
 * permission), APPEND, MKDIRS, DELETE (recursive), RENAME, SETPERMISSION, SETOWNER.
 * Owner, group and permission are kept in memory; only the superuser may give a
 * path to another user.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { appendFile, mkdir, mkdtemp, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';

export interface WebHdfsServerOptions {
  /** User allowed to change owners. @default 'hdfs' */
  readonly superuser?: string;
}

export interface WebHdfsServer {
  /** e.g. `http://127.0.0.1:40123/webhdfs/v1` */
  readonly url: string;
  readonly namenodePort: number;
  readonly datanodePort: number;
  /** The temporary folder that holds the file system. */
  readonly root: string;
  /** Bytes of file data the datanode has sent (OPEN responses). */
  bytesServed(): number;
  /** Operations received by the namenode, upper-cased, e.g. `GETFILESTATUS /a/b`. */
  readonly operations: string[];
  /** Owner, group and permission of a path, as GETFILESTATUS reports them. */
  attributes(hdfsPath: string): { owner: string; group: string; permission: string } | undefined;
  /** While on, every write answers a SafeModeException, as a namenode starting up does. */
  setSafeMode(on: boolean): void;
  stop(): Promise<void>;
}

class RemoteError extends Error {
  constructor(
    readonly status: number,
    readonly exception: string,
    readonly javaClassName: string,
    message: string,
  ) {
    super(message);
  }
}

const notFound = (p: string) => new RemoteError(404, 'FileNotFoundException', 'java.io.FileNotFoundException', `File does not exist: ${p}`);
const WRITES = new Set(['CREATE', 'APPEND', 'MKDIRS', 'DELETE', 'RENAME', 'SETPERMISSION', 'SETOWNER']);

interface Attributes {
  owner: string;
  group: string;
  permission: string;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startWebHdfsServer(options: WebHdfsServerOptions = {}): Promise<WebHdfsServer> {
  const superuser = options.superuser ?? 'hdfs';
  const root = await mkdtemp(path.join(tmpdir(), 'webhdfs-'));
  const attributes = new Map<string, Attributes>([['/', { owner: superuser, group: 'supergroup', permission: '755' }]]);
  const operations: string[] = [];
  let served = 0;
  let safeMode = false;

  const local = (hdfsPath: string) => path.join(root, hdfsPath);
  const normalize = (p: string) => path.posix.normalize(p.length > 1 ? p.replace(/\/+$/, '') : p);
  const attributesOf = (p: string, isDir: boolean, user: string): Attributes => {
    let a = attributes.get(p);
    if (!a) {
      a = { owner: user, group: 'supergroup', permission: isDir ? '755' : '644' };
      attributes.set(p, a);
    }
    return a;
  };

  async function statOf(p: string): Promise<Stats | null> {
    try {
      return await stat(local(p));
    } catch {
      return null;
    }
  }

  async function fileStatus(p: string, suffix: string, user: string) {
    const s = await statOf(p);
    if (!s) throw notFound(p);
    const isDir = s.isDirectory();
    const a = attributesOf(p, isDir, user);
    return {
      accessTime: isDir ? 0 : Math.floor(s.atimeMs),
      blockSize: isDir ? 0 : 134217728,
      childrenNum: isDir ? (await readdir(local(p))).length : 0,
      fileId: Number(s.ino),
      group: a.group,
      length: isDir ? 0 : s.size,
      modificationTime: Math.floor(s.mtimeMs),
      owner: a.owner,
      pathSuffix: suffix,
      permission: a.permission,
      replication: isDir ? 0 : 3,
      storagePolicy: 0,
      type: isDir ? 'DIRECTORY' : 'FILE',
    };
  }

  async function makeParents(p: string, user: string): Promise<void> {
    const parts = p.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const dir = '/' + parts.slice(0, i).join('/');
      const s = await statOf(dir);
      if (s && !s.isDirectory()) throw new RemoteError(400, 'ParentNotDirectoryException', 'org.apache.hadoop.fs.ParentNotDirectoryException', `Parent path is not a directory: ${dir}`);
      if (!s) {
        await mkdir(local(dir));
        attributesOf(dir, true, user);
      }
    }
  }

  function redirect(res: ServerResponse, url: URL): void {
    const location = new URL(url.pathname + url.search, `http://127.0.0.1:${datanodePort}`);
    location.searchParams.set('namenoderpcaddress', `127.0.0.1:${namenodePort}`);
    res.writeHead(307, { location: location.toString(), 'content-length': 0 });
    res.end();
  }

  async function namenode(req: IncomingMessage, res: ServerResponse, url: URL, p: string, op: string, user: string): Promise<void> {
    const q = url.searchParams;
    if (safeMode && WRITES.has(op)) {
      throw new RemoteError(403, 'SafeModeException', 'org.apache.hadoop.hdfs.server.namenode.SafeModeException', `Cannot ${op.toLowerCase()} ${p}. Name node is in safe mode.`);
    }
    switch (op) {
      case 'GETFILESTATUS':
        return sendJson(res, 200, { FileStatus: await fileStatus(p, '', user) });
      case 'LISTSTATUS': {
        const s = await statOf(p);
        if (!s) throw notFound(p);
        const names = s.isDirectory() ? (await readdir(local(p))).sort() : [''];
        const statuses = [];
        for (const name of names) statuses.push(await fileStatus(name ? path.posix.join(p, name) : p, name, user));
        return sendJson(res, 200, { FileStatuses: { FileStatus: statuses } });
      }
      case 'OPEN': {
        const s = await statOf(p);
        if (!s) throw notFound(p);
        if (s.isDirectory()) throw new RemoteError(404, 'FileNotFoundException', 'java.io.FileNotFoundException', `Path is not a file: ${p}`);
        return redirect(res, url);
      }
      case 'CREATE': {
        const s = await statOf(p);
        if (s?.isDirectory()) throw new RemoteError(403, 'FileAlreadyExistsException', 'org.apache.hadoop.fs.FileAlreadyExistsException', `${p} already exists as a directory`);
        if (s && q.get('overwrite') !== 'true') throw new RemoteError(403, 'FileAlreadyExistsException', 'org.apache.hadoop.fs.FileAlreadyExistsException', `${p} for client 127.0.0.1 already exists`);
        return redirect(res, url);
      }
      case 'APPEND': {
        const s = await statOf(p);
        if (!s) throw notFound(p);
        return redirect(res, url);
      }
      case 'MKDIRS': {
        const s = await statOf(p);
        if (s && !s.isDirectory()) throw new RemoteError(403, 'FileAlreadyExistsException', 'org.apache.hadoop.fs.FileAlreadyExistsException', `Path is not a directory: ${p}`);
        if (!s) {
          await makeParents(p, user);
          await mkdir(local(p));
          attributesOf(p, true, user).permission = (q.get('permission') ?? '755').replace(/^0(?=\d{3}$)/, '');
        }
        return sendJson(res, 200, { boolean: true });
      }
      case 'DELETE': {
        const s = await statOf(p);
        if (!s) return sendJson(res, 200, { boolean: false });
        if (s.isDirectory() && (await readdir(local(p))).length > 0 && q.get('recursive') !== 'true') {
          throw new RemoteError(403, 'PathIsNotEmptyDirectoryException', 'org.apache.hadoop.fs.PathIsNotEmptyDirectoryException', `${p} is non empty': Directory is not empty`);
        }
        await rm(local(p), { recursive: true });
        for (const key of [...attributes.keys()]) if (key === p || key.startsWith(p + '/')) attributes.delete(key);
        return sendJson(res, 200, { boolean: true });
      }
      case 'RENAME': {
        const destination = normalize(q.get('destination') ?? '');
        if (!destination.startsWith('/')) throw new RemoteError(400, 'IllegalArgumentException', 'java.lang.IllegalArgumentException', `Invalid value for webhdfs parameter "destination": ${destination}`);
        if (!(await statOf(p)) || (await statOf(destination)) || !(await statOf(path.posix.dirname(destination)))) return sendJson(res, 200, { boolean: false });
        await rename(local(p), local(destination));
        for (const [key, value] of [...attributes]) {
          if (key === p || key.startsWith(p + '/')) {
            attributes.delete(key);
            attributes.set(destination + key.slice(p.length), value);
          }
        }
        return sendJson(res, 200, { boolean: true });
      }
      case 'SETPERMISSION': {
        const s = await statOf(p);
        if (!s) throw notFound(p);
        attributesOf(p, s.isDirectory(), user).permission = (q.get('permission') ?? '755').replace(/^0(?=\d{3}$)/, '');
        return sendJson(res, 200, undefined);
      }
      case 'SETOWNER': {
        const s = await statOf(p);
        if (!s) throw notFound(p);
        // HDFS lets a non-superuser give a path to itself, not to anyone else (group membership is not modelled).
        const owner = q.get('owner');
        if (user !== superuser && owner && owner !== user) {
          throw new RemoteError(403, 'AccessControlException', 'org.apache.hadoop.security.AccessControlException', `User ${user} is not a super user (non-super user cannot change owner).`);
        }
        const a = attributesOf(p, s.isDirectory(), user);
        a.owner = q.get('owner') || a.owner;
        a.group = q.get('group') || a.group;
        return sendJson(res, 200, undefined);
      }
      default:
        throw new RemoteError(400, 'IllegalArgumentException', 'java.lang.IllegalArgumentException', `Invalid value for webhdfs parameter "op": No enum constant ${op}`);
    }
  }

  async function datanode(req: IncomingMessage, res: ServerResponse, url: URL, p: string, op: string, user: string): Promise<void> {
    const q = url.searchParams;
    switch (op) {
      case 'OPEN': {
        const s = await statOf(p);
        if (!s) throw notFound(p);
        const offset = Number(q.get('offset') ?? 0);
        if (offset > s.size) throw new RemoteError(403, 'IOException', 'java.io.IOException', `Offset=${offset} out of the range [0, ${s.size}); OPEN, path=${p}`);
        const length = Math.min(q.has('length') ? Number(q.get('length')) : s.size, s.size - offset);
        const buffer = Buffer.alloc(length);
        const handle = await open(local(p), 'r');
        try {
          await handle.read(buffer, 0, length, offset);
        } finally {
          await handle.close();
        }
        served += length;
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': length });
        return void res.end(buffer);
      }
      case 'CREATE': {
        const body = await readBody(req);
        await makeParents(p, user);
        await writeFile(local(p), body);
        const a = attributesOf(p, false, user);
        a.permission = (q.get('permission') ?? '644').replace(/^0(?=\d{3}$)/, '');
        res.writeHead(201, { location: `hdfs://127.0.0.1:${namenodePort}${p}`, 'content-length': 0 });
        return void res.end();
      }
      case 'APPEND': {
        await appendFile(local(p), await readBody(req));
        return sendJson(res, 200, undefined);
      }
      default:
        throw new RemoteError(400, 'IllegalArgumentException', 'java.lang.IllegalArgumentException', `Invalid datanode operation ${op}`);
    }
  }

  function handler(role: 'namenode' | 'datanode') {
    return (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const op = (url.searchParams.get('op') ?? '').toUpperCase();
      const user = url.searchParams.get('user.name') ?? 'dr.who';
      const work = async () => {
        if (!url.pathname.startsWith('/webhdfs/v1/')) {
          res.writeHead(404, { 'content-type': 'text/html' });
          return void res.end('<html><body>Not Found</body></html>');
        }
        const p = normalize(decodeURIComponent(url.pathname.slice('/webhdfs/v1'.length)));
        if (role === 'namenode') operations.push(`${op} ${p}`);
        await (role === 'namenode' ? namenode : datanode)(req, res, url, p, op, user);
      };
      work().catch((e: unknown) => {
        req.resume();
        if (e instanceof RemoteError) {
          sendJson(res, e.status, { RemoteException: { exception: e.exception, javaClassName: e.javaClassName, message: e.message } });
        } else {
          sendJson(res, 500, { RemoteException: { exception: 'IOException', javaClassName: 'java.io.IOException', message: String((e as Error).message) } });
        }
      });
    };
  }

  const nn = createServer(handler('namenode'));
  const dn = createServer(handler('datanode'));
  const namenodePort = await listen(nn);
  const datanodePort = await listen(dn);

  return {
    url: `http://127.0.0.1:${namenodePort}/webhdfs/v1`,
    namenodePort,
    datanodePort,
    root,
    operations,
    bytesServed: () => served,
    attributes: (p) => {
      const a = attributes.get(normalize(p));
      return a && { ...a };
    },
    setSafeMode: (on) => void (safeMode = on),
    async stop() {
      const closed = Promise.all([nn, dn].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      nn.closeAllConnections();
      dn.closeAllConnections();
      await closed;
      await rm(root, { recursive: true, force: true });
    },
  };
}
