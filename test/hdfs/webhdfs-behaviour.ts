/**
 * What the WebHDFS client relies on a namenode to do, run against both the in-repo
 * server (test/hdfs/webhdfs-server.test.ts) and Hadoop's own (test/lakes/real-hdfs-lake.test.ts),
 * so that the two agree. Each case is a difference the real namenode showed. Users:
 * the superuser; `etl` in groups etl and mobility; `alice` in group alice only.
 */
import { request } from 'node:http';
import { isNotFound, WebHdfsClient } from '../../runtime/lakes/webhdfs-client';

export const BEHAVIOUR_GROUPS = { etl: ['etl', 'mobility'], alice: ['alice'] } as const;

export interface WebHdfsUnderTest {
  readonly url: string;
  readonly superuser: string;
  attributes(hdfsPath: string): Promise<{ owner: string; group: string; permission: string } | undefined>;
  /** Operations the namenode received (`OPEN /a/b`), where they are known. */
  readonly operations?: readonly string[];
}

interface RawAnswer {
  status: number;
  location?: string;
  body: string;
  /** 1xx status codes received before the answer. */
  informational: number[];
}

/** One HTTP exchange through node:http (fetch rejects a `100 Continue` that was not asked for). */
function raw(method: string, url: string, options: { headers?: Record<string, string>; body?: Buffer } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const informational: number[] = [];
    const req = request(url, { method, headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body, informational }));
    });
    req.on('information', (info) => informational.push(info.statusCode));
    req.once('error', reject);
    req.end(options.body);
  });
}

export function describeWebHdfsBehaviour(name: string, underTest: () => WebHdfsUnderTest): void {
  describe(`${name} behaves as the client expects`, () => {
    let hdfs: WebHdfsUnderTest;
    let etl: WebHdfsClient;
    let alice: WebHdfsClient;
    const op = (path: string, operation: string, user: string, params = '') => `${hdfs.url}${path}?op=${operation}&user.name=${user}${params}`;

    beforeAll(async () => {
      hdfs = underTest();
      const admin = new WebHdfsClient(hdfs.url, hdfs.superuser);
      await admin.mkdirs('/b', '755');
      await admin.setOwner('/b', 'etl', 'etl');
      etl = new WebHdfsClient(hdfs.url, 'etl');
      alice = new WebHdfsClient(hdfs.url, 'alice');
      await etl.create('/b/data/file.txt', Buffer.from('hello'), { overwrite: false });
    });

    test('a missing parent of a new file is made with 755, or the parentPermission asked for', async () => {
      expect(await hdfs.attributes('/b/data')).toEqual({ owner: 'etl', group: 'etl', permission: '755' });
      await etl.create('/b/parents/made/file.txt', Buffer.from('x'), { overwrite: false, permission: '640', parentPermission: '750' });
      expect(await hdfs.attributes('/b/parents/made')).toEqual({ owner: 'etl', group: 'etl', permission: '750' });
      expect(await hdfs.attributes('/b/parents/made/file.txt')).toEqual({ owner: 'etl', group: 'etl', permission: '640' });
    });

    test('MKDIRS gives missing parents the new directory\'s mode; parentPermission makes them with another', async () => {
      await etl.mkdirs('/b/implicit/a/leaf', '700');
      expect(await hdfs.attributes('/b/implicit/a')).toMatchObject({ permission: '700' });
      await etl.mkdirs('/b/explicit/a/leaf', '700', { parentPermission: '755' });
      expect(await hdfs.attributes('/b/explicit/a')).toMatchObject({ permission: '755' });
      expect(await hdfs.attributes('/b/explicit')).toMatchObject({ permission: '755' });
      expect(await hdfs.attributes('/b/explicit/a/leaf')).toMatchObject({ permission: '700' });
    });

    test('each not-found message of the namenode is the client\'s not-found error', async () => {
      expect(await etl.stat('/b/missing')).toBeNull();
      const list = await etl.list('/b/missing').catch((e: unknown) => e);
      expect(list).toMatchObject({ code: 'LAKE_ERROR', message: 'WebHDFS LISTSTATUS /b/missing failed: File /b/missing does not exist.', hint: 'check the path' });
      const read = await etl.read('/b/missing', 0, 10).catch((e: unknown) => e);
      expect(read).toMatchObject({ message: 'WebHDFS OPEN /b/missing failed: File /b/missing not found.', hint: 'check the path' });
      const chmod = await etl.setPermission('/b/missing', '755').catch((e: unknown) => e);
      expect(chmod).toMatchObject({ message: 'WebHDFS SETPERMISSION /b/missing failed: Directory/File does not exist /b/missing', hint: 'check the path' });
      for (const error of [list, read, chmod]) expect(isNotFound(error)).toBe(true);
    });

    test('an error from the datanode keeps only the first line of its Java stack trace', async () => {
      await expect(etl.create('/b/data/file.txt', Buffer.from('again'), { overwrite: false })).rejects.toMatchObject({
        message: 'WebHDFS CREATE /b/data/file.txt failed: /b/data/file.txt for client 127.0.0.1 already exists',
      });
      const directory = await etl.read('/b/data', 0, 10).catch((e: unknown) => e);
      expect(directory).toMatchObject({ message: 'WebHDFS OPEN /b/data failed: Path is not a file: /b/data', hint: 'check the path' });
      expect(isNotFound(directory)).toBe(false);
      const answer = await raw('PUT', (await raw('PUT', op('/b/data/file.txt', 'CREATE', 'etl', '&overwrite=false'))).location!, { body: Buffer.from('z') });
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body).RemoteException.message).toMatch(/already exists\n\tat org\.apache\.hadoop\./);
    });

    test('a read of no bytes at the end of a file returns nothing without a request: OPEN there is a 403', async () => {
      const before = hdfs.operations?.length ?? 0;
      expect(await etl.read('/b/data/file.txt', 5, 0)).toEqual(new Uint8Array(0));
      if (hdfs.operations) expect(hdfs.operations.slice(before)).toEqual([]);
      expect(Buffer.from(await etl.read('/b/data/file.txt', 3, 10)).toString()).toBe('lo');
      const atEnd = await raw('GET', op('/b/data/file.txt', 'OPEN', 'etl', '&offset=5&length=1'));
      expect(atEnd.status).toBe(403);
      expect(JSON.parse(atEnd.body).RemoteException).toMatchObject({ exception: 'IOException', message: 'Offset=5 out of the range [0, 5); OPEN, path=/b/data/file.txt' });
    });

    test('the datanode answers 100 Continue to a CREATE, asked or not', async () => {
      const asked: Record<string, string>[] = [{ 'content-type': 'application/octet-stream' }, { 'content-type': 'application/octet-stream', expect: '100-continue' }];
      for (const headers of asked) {
        const redirect = await raw('PUT', op(`/b/continue-${headers.expect ? 'asked' : 'unasked'}.txt`, 'CREATE', 'etl', '&permission=644'));
        expect(redirect.status).toBe(307);
        const written = await raw('PUT', redirect.location!, { headers, body: Buffer.from('x') });
        expect(written).toMatchObject({ status: 201, informational: [100] });
      }
    });

    test('permissions are checked: write on the parent, read to list, the owner to change a mode', async () => {
      await expect(etl.mkdirs('/not-mine', '755')).rejects.toMatchObject({ message: 'WebHDFS MKDIRS /not-mine failed: Permission denied: user=etl, access=WRITE, inode="/":hdfs:supergroup:drwxr-xr-x' });
      await etl.mkdirs('/b/private', '700');
      await expect(alice.list('/b/private')).rejects.toMatchObject({ message: 'WebHDFS LISTSTATUS /b/private failed: Permission denied: user=alice, access=READ_EXECUTE, inode="/b/private":etl:etl:drwx------' });
      await expect(alice.stat('/b/private/x')).rejects.toMatchObject({ message: 'WebHDFS GETFILESTATUS /b/private/x failed: Permission denied: user=alice, access=EXECUTE, inode="/b/private":etl:etl:drwx------' });
      await expect(alice.create('/b/private/x', Buffer.from('x'), { overwrite: true })).rejects.toMatchObject({ message: expect.stringContaining('Permission denied: user=alice, access=EXECUTE, inode="/b/private"') });
      await expect(alice.setPermission('/b/private', '777')).rejects.toMatchObject({ message: 'WebHDFS SETPERMISSION /b/private failed: Permission denied. user=alice is not the owner of inode=/b/private' });
    });

    test('an owner may choose one of its groups, not another\'s, and not another owner', async () => {
      await etl.mkdirs('/b/shared', '1770');
      await etl.setOwner('/b/shared', 'etl', 'mobility');
      expect(await hdfs.attributes('/b/shared')).toEqual({ owner: 'etl', group: 'mobility', permission: '1770' });
      await expect(etl.setOwner('/b/shared', 'etl', 'climate')).rejects.toMatchObject({ message: 'WebHDFS SETOWNER /b/shared failed: User etl does not belong to climate' });
      await expect(etl.setOwner('/b/shared', 'alice', 'mobility')).rejects.toMatchObject({ message: expect.stringContaining('User etl is not a super user (non-super user cannot change owner).') });
      await expect(alice.list('/b/shared')).rejects.toMatchObject({ message: expect.stringContaining('inode="/b/shared":etl:mobility:drwxrwx--T') });
    });

    test('a new file or directory gets its parent\'s group, not the creator\'s', async () => {
      await etl.mkdirs('/b/team', '775');
      await etl.setOwner('/b/team', 'etl', 'mobility');
      await etl.mkdirs('/b/team/sub', '755');
      await etl.create('/b/team/file.txt', Buffer.from('x'), { overwrite: false });
      expect(await hdfs.attributes('/b/team/sub')).toEqual({ owner: 'etl', group: 'mobility', permission: '755' });
      expect(await hdfs.attributes('/b/team/file.txt')).toEqual({ owner: 'etl', group: 'mobility', permission: '644' });
    });

    test('LISTSTATUS_BATCH lists a folder in pages after startAfter', async () => {
      const page = JSON.parse((await raw('GET', op('/b/data', 'LISTSTATUS_BATCH', 'etl'))).body);
      expect(page.DirectoryListing).toMatchObject({ partialListing: { FileStatuses: { FileStatus: [{ pathSuffix: 'file.txt', type: 'FILE', length: 5 }] } }, remainingEntries: 0 });
      const after = JSON.parse((await raw('GET', op('/b/data', 'LISTSTATUS_BATCH', 'etl', '&startAfter=file.txt'))).body);
      expect(after.DirectoryListing).toMatchObject({ partialListing: { FileStatuses: { FileStatus: [] } }, remainingEntries: 0 });
      const missing = JSON.parse((await raw('GET', op('/b/missing', 'LISTSTATUS_BATCH', 'etl'))).body);
      expect(missing.RemoteException).toMatchObject({ exception: 'FileNotFoundException', message: 'File /b/missing does not exist.' });
    });
  });
}
