/**
 * A WebHDFS server for tests: the REST protocol of a Hadoop namenode and datanode
 * over a temporary folder. The namenode answers OPEN, CREATE and APPEND with a 307
 * to the datanode's port, as Hadoop does; errors are `RemoteException` JSON.
 *
 * Implemented: GETFILESTATUS, LISTSTATUS, LISTSTATUS_BATCH, OPEN (offset, length),
 * CREATE (overwrite, permission), APPEND, MKDIRS, DELETE (recursive), RENAME,
 * SETPERMISSION, SETOWNER. It behaves as Hadoop 3.4's namenode does (checked against
 * the MiniDFSCluster in test/support/minidfs.ts):
 * - owner, group and permission are kept in memory and checked as HDFS checks them
 *   (EXECUTE on every ancestor, WRITE on the parent to create or delete, READ to open,
 *   READ_EXECUTE to list, the owner to change a mode or group, the superuser to change
 *   an owner, group membership to change a group); the superuser and members of
 *   `supergroup` pass every check;
 * - a new file or directory gets its parent's group; MKDIRS gives missing parents the
 *   new directory's mode (plus u+wx), CREATE gives them 755;
 * - the namenode's messages: `File does not exist: /x` (GETFILESTATUS),
 *   `File /x does not exist.` (LISTSTATUS), `File /x not found.` (OPEN),
 *   `Directory/File does not exist /x` (SETPERMISSION, SETOWNER); an OPEN offset at or
 *   past the end of a non-empty file is a 403; errors the datanode reports (CREATE over
 *   an existing file, OPEN of a directory, a refused CREATE) carry a Java stack trace;
 * - the datanode answers `100 Continue` to CREATE and APPEND, asked or not.
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
  /** Groups of users (members of `supergroup` are superusers); others have none. */
  readonly groups?: Readonly<Record<string, readonly string[]>>;
  /**
   * Mode of `/` (owned by the superuser, group supergroup). The real namenode's is 755;
   * the default 1777 lets tests write as any user without setting up a folder first.
   * @default '1777'
   */
  readonly rootPermission?: string;
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

const fileNotFound = (message: string) => new RemoteError(404, 'FileNotFoundException', 'java.io.FileNotFoundException', message);
/** GETFILESTATUS's message; LISTSTATUS, OPEN and SETPERMISSION/SETOWNER have their own. */
const notFound = (p: string) => fileNotFound(`File does not exist: ${p}`);
const accessDenied = (message: string) => new RemoteError(403, 'AccessControlException', 'org.apache.hadoop.security.AccessControlException', message);
/** What a datanode adds to an error the namenode gave it. */
const STACK = ['org.apache.hadoop.hdfs.server.namenode.FSNamesystem.startFileInt(FSNamesystem.java:2773)', 'org.apache.hadoop.ipc.Server$Handler.run(Server.java:3198)'].map((f) => `\n\tat ${f}`).join('') + '\n';
const withStack = (e: unknown) => {
  if (e instanceof RemoteError) e.message += STACK;
  return e;
};
const ACTIONS = { READ: 4, WRITE: 2, EXECUTE: 1, READ_EXECUTE: 5 } as const;
type Action = keyof typeof ACTIONS;
const cleanPermission = (permission: string) => permission.replace(/^0+(?=[0-7]{3,4}$)/, '');
/** `drwxr-x--T`, as HDFS prints a mode in a permission error. */
function symbolic(permission: string, isDir: boolean): string {
  const mode = parseInt(permission, 8);
  const rwx = [6, 3, 0].map((shift) => ['r', 'w', 'x'].map((c, i) => ((mode >> shift) & (4 >> i) ? c : '-')).join('')).join('');
  const sticky = mode & 0o1000 ? (rwx.endsWith('x') ? `${rwx.slice(0, -1)}t` : `${rwx.slice(0, -1)}T`) : rwx;
  return `${isDir ? 'd' : '-'}${sticky}`;
}
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

/** Hadoop's datanode says `100 Continue` to a write even when not asked (node answers when asked). */
function continueIfUnasked(req: IncomingMessage, res: ServerResponse): void {
  if (!/100-continue/i.test(String(req.headers.expect ?? ''))) res.writeContinue();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startWebHdfsServer(options: WebHdfsServerOptions = {}): Promise<WebHdfsServer> {
  const superuser = options.superuser ?? 'hdfs';
  const groupsOf = (user: string) => options.groups?.[user] ?? [];
  const isSuperuser = (user: string) => user === superuser || groupsOf(user).includes('supergroup');
  const root = await mkdtemp(path.join(tmpdir(), 'webhdfs-'));
  const attributes = new Map<string, Attributes>([['/', { owner: superuser, group: 'supergroup', permission: cleanPermission(options.rootPermission ?? '1777') }]]);
  const operations: string[] = [];
  let served = 0;
  let safeMode = false;
  /** Entries per LISTSTATUS_BATCH page (the namenode's dfs.ls.limit). */
  const listLimit = 1000;

  const local = (hdfsPath: string) => path.join(root, hdfsPath);
  const normalize = (p: string) => path.posix.normalize(p.length > 1 ? p.replace(/\/+$/, '') : p);
  const attributesOf = (p: string, isDir: boolean, user: string): Attributes => {
    let a = attributes.get(p);
    if (!a) {
      // As in HDFS, a new inode takes its parent's group.
      const parent = p === '/' ? undefined : attributes.get(path.posix.dirname(p));
      a = { owner: user, group: parent?.group ?? 'supergroup', permission: isDir ? '755' : '644' };
      attributes.set(p, a);
    }
    return a;
  };
  /** Made by this call: gets the parent's group and `permission`. */
  const created = (p: string, user: string, permission: string): void => {
    attributes.delete(p);
    attributesOf(p, true, user).permission = permission;
  };

  function allowed(user: string, a: Attributes, action: Action): boolean {
    if (isSuperuser(user)) return true;
    const mode = parseInt(a.permission, 8);
    const bits = a.owner === user ? (mode >> 6) & 7 : groupsOf(user).includes(a.group) ? (mode >> 3) & 7 : mode & 7;
    return (bits & ACTIONS[action]) === ACTIONS[action];
  }

  function check(user: string, p: string, isDir: boolean, action: Action): void {
    const a = attributesOf(p, isDir, user);
    if (!allowed(user, a, action)) throw accessDenied(`Permission denied: user=${user}, access=${action}, inode="${p}":${a.owner}:${a.group}:${symbolic(a.permission, isDir)}`);
  }

  /** EXECUTE on every existing ancestor of `p`; returns the deepest existing one. */
  async function traverse(user: string, p: string): Promise<string> {
    const parts = p.split('/').filter(Boolean);
    let deepest = '/';
    for (let i = 0; i < parts.length; i++) {
      const dir = '/' + parts.slice(0, i).join('/');
      const s = await statOf(dir);
      if (!s) break;
      if (!s.isDirectory()) throw new RemoteError(400, 'ParentNotDirectoryException', 'org.apache.hadoop.fs.ParentNotDirectoryException', `${dir} (is not a directory)`);
      check(user, dir, true, 'EXECUTE');
      deepest = dir;
    }
    return deepest;
  }

  /** WRITE on the deepest existing ancestor, to create `p` and its missing parents. */
  async function checkCreate(user: string, p: string): Promise<void> {
    const parts = p.split('/').filter(Boolean);
    let deepest = '/';
    for (let i = 1; i < parts.length; i++) {
      const dir = '/' + parts.slice(0, i).join('/');
      if (!(await statOf(dir))) break;
      deepest = dir;
    }
    await traverse(user, p);
    check(user, deepest, true, 'WRITE');
  }

  function checkOwner(user: string, p: string): void {
    const a = attributes.get(p);
    if (!isSuperuser(user) && a?.owner !== user) throw accessDenied(`Permission denied. user=${user} is not the owner of inode=${p}`);
  }

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

  async function makeParents(p: string, user: string, permission: string): Promise<void> {
    const parts = p.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const dir = '/' + parts.slice(0, i).join('/');
      const s = await statOf(dir);
      if (s && !s.isDirectory()) throw new RemoteError(400, 'ParentNotDirectoryException', 'org.apache.hadoop.fs.ParentNotDirectoryException', `${dir} (is not a directory)`);
      if (!s) {
        await mkdir(local(dir));
        created(dir, user, permission);
      }
    }
  }

  async function statuses(p: string, user: string) {
    const s = await statOf(p);
    if (!s) throw fileNotFound(`File ${p} does not exist.`);
    await traverse(user, p);
    if (s.isDirectory()) check(user, p, true, 'READ_EXECUTE');
    const names = s.isDirectory() ? (await readdir(local(p))).sort() : [''];
    const list = [];
    for (const name of names) list.push(await fileStatus(name ? path.posix.join(p, name) : p, name, user));
    return list;
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
        await traverse(user, p);
        return sendJson(res, 200, { FileStatus: await fileStatus(p, '', user) });
      case 'LISTSTATUS':
        return sendJson(res, 200, { FileStatuses: { FileStatus: await statuses(p, user) } });
      case 'LISTSTATUS_BATCH': {
        const all = await statuses(p, user);
        const after = q.get('startAfter') ?? '';
        const rest = all.filter((s) => s.pathSuffix > after);
        const page = rest.slice(0, listLimit);
        return sendJson(res, 200, { DirectoryListing: { partialListing: { FileStatuses: { FileStatus: page } }, remainingEntries: rest.length - page.length } });
      }
      case 'OPEN': {
        const s = await statOf(p);
        if (!s) throw fileNotFound(`File ${p} not found.`);
        await traverse(user, p);
        // Hadoop's namenode hands a directory to a datanode, which then fails (below).
        if (s.isDirectory()) return redirect(res, url);
        check(user, p, false, 'READ');
        const offset = Number(q.get('offset') ?? 0);
        if (offset < 0 || (offset >= s.size && s.size > 0)) throw new RemoteError(403, 'IOException', 'java.io.IOException', `Offset=${offset} out of the range [0, ${s.size}); OPEN, path=${p}`);
        return redirect(res, url);
      }
      case 'CREATE':
        // Hadoop's namenode only picks a datanode; the datanode's create does the checks (below).
        return redirect(res, url);
      case 'APPEND': {
        const s = await statOf(p);
        if (!s) throw fileNotFound(`File ${p} not found.`);
        await traverse(user, p);
        check(user, p, false, 'WRITE');
        return redirect(res, url);
      }
      case 'MKDIRS': {
        const s = await statOf(p);
        if (s && !s.isDirectory()) throw new RemoteError(403, 'FileAlreadyExistsException', 'org.apache.hadoop.fs.FileAlreadyExistsException', `Path is not a directory: ${p}`);
        if (s) {
          await traverse(user, p);
        } else {
          await checkCreate(user, p);
          const permission = cleanPermission(q.get('permission') ?? '755');
          // HDFS gives missing parents the new directory's mode, plus write and execute for the owner.
          const parents = ((parseInt(permission, 8) & 0o777) | 0o300).toString(8);
          await makeParents(p, user, parents);
          await mkdir(local(p));
          created(p, user, permission);
        }
        return sendJson(res, 200, { boolean: true });
      }
      case 'DELETE': {
        const s = await statOf(p);
        if (!s) return sendJson(res, 200, { boolean: false });
        await traverse(user, p);
        check(user, path.posix.dirname(p), true, 'WRITE');
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
        await traverse(user, p);
        await traverse(user, destination);
        check(user, path.posix.dirname(p), true, 'WRITE');
        check(user, path.posix.dirname(destination), true, 'WRITE');
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
        if (!s) throw fileNotFound(`Directory/File does not exist ${p}`);
        await traverse(user, p);
        checkOwner(user, p);
        attributesOf(p, s.isDirectory(), user).permission = cleanPermission(q.get('permission') ?? '755');
        return sendJson(res, 200, undefined);
      }
      case 'SETOWNER': {
        const s = await statOf(p);
        if (!s) throw fileNotFound(`Directory/File does not exist ${p}`);
        await traverse(user, p);
        checkOwner(user, p);
        // A non-superuser may keep the owner (naming itself) and choose one of its own groups.
        const a = attributesOf(p, s.isDirectory(), user);
        const owner = q.get('owner');
        const group = q.get('group');
        if (!isSuperuser(user) && owner && owner !== a.owner) throw accessDenied(`User ${user} is not a super user (non-super user cannot change owner).`);
        if (!isSuperuser(user) && group && !groupsOf(user).includes(group)) throw accessDenied(`User ${user} does not belong to ${group}`);
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
        if (!s) throw withStack(fileNotFound(`File does not exist: ${p}`));
        if (s.isDirectory()) throw withStack(fileNotFound(`Path is not a file: ${p}`));
        const offset = Number(q.get('offset') ?? 0);
        if (offset > s.size) throw withStack(new RemoteError(403, 'IOException', 'java.io.IOException', `Offset=${offset} out of the range [0, ${s.size}); OPEN, path=${p}`));
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
        continueIfUnasked(req, res);
        const body = await readBody(req);
        const s = await statOf(p);
        try {
          if (s?.isDirectory()) throw new RemoteError(403, 'FileAlreadyExistsException', 'org.apache.hadoop.fs.FileAlreadyExistsException', `${p} already exists as a directory`);
          if (s && q.get('overwrite') !== 'true') throw new RemoteError(403, 'FileAlreadyExistsException', 'org.apache.hadoop.fs.FileAlreadyExistsException', `${p} for client 127.0.0.1 already exists`);
          if (s) {
            await traverse(user, p);
            check(user, p, false, 'WRITE');
          } else {
            await checkCreate(user, p);
          }
          if (safeMode) throw new RemoteError(403, 'SafeModeException', 'org.apache.hadoop.hdfs.server.namenode.SafeModeException', `Cannot create file${p}. Name node is in safe mode.`);
        } catch (e) {
          throw withStack(e);
        }
        // The 0777 of the datanode's client, less the umask 022.
        await makeParents(p, user, '755');
        await writeFile(local(p), body);
        if (!s) attributes.delete(p);
        const a = attributesOf(p, false, user);
        a.permission = cleanPermission(q.get('permission') ?? '644');
        res.writeHead(201, { location: `hdfs://127.0.0.1:${namenodePort}${p}`, 'content-length': 0 });
        return void res.end();
      }
      case 'APPEND': {
        continueIfUnasked(req, res);
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
