import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { featurestack } from '../catalog/run-cli';
import { directoryChanges, normalizePermission } from '../../runtime/hdfs/directory-changes';
import type { HdfsPlan } from '../../runtime/manifest/schema';
import { WebHdfsClient } from '../../runtime/lakes/webhdfs-client';
import { startWebHdfsServer, type WebHdfsServer } from '../support/webhdfs-server';

const PLAN: HdfsPlan = {
  planVersion: 1,
  lake: 'onprem',
  webhdfsUrl: 'http://namenode.invalid:9870/webhdfs/v1',
  user: 'hdfs',
  directories: [
    { path: '/data/features/trips', owner: 'etl', group: 'mobility', permission: '0750', sources: ['taxi_trips'] },
    { path: '/data/features', owner: 'hdfs', group: 'hadoop', permission: '755', sources: [] },
    { path: '/data/features/weather', owner: 'etl', group: 'climate', permission: '1770', sources: ['weather'] },
  ],
};

describe('featurestack hdfs apply', () => {
  let server: WebHdfsServer;
  let dir: string;
  const savedUrl = process.env.FEATURESTACK_WEBHDFS_URL;

  beforeEach(async () => {
    // As the real namenode: `/` is hdfs:supergroup 755, and group changes need membership.
    server = await startWebHdfsServer({ superuser: 'hdfs', rootPermission: '755', groups: { featurestack: ['featurestack', 'mobility'] } });
    dir = await mkdtemp(path.join(tmpdir(), 'hdfs-plan-'));
    process.env.FEATURESTACK_WEBHDFS_URL = server.url;
  });
  afterEach(async () => {
    if (savedUrl === undefined) delete process.env.FEATURESTACK_WEBHDFS_URL;
    else process.env.FEATURESTACK_WEBHDFS_URL = savedUrl;
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function planFile(plan: HdfsPlan): Promise<string> {
    const file = path.join(dir, 'hdfs-plan.json');
    await writeFile(file, JSON.stringify(plan));
    return file;
  }

  test('creates the planned directories with their owner, group and permission', async () => {
    const result = await featurestack('hdfs', 'apply', '--plan', await planFile(PLAN));
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(server.attributes('/data/features')).toEqual({ owner: 'hdfs', group: 'hadoop', permission: '755' });
    expect(server.attributes('/data/features/trips')).toEqual({ owner: 'etl', group: 'mobility', permission: '750' });
    expect(server.attributes('/data/features/weather')).toEqual({ owner: 'etl', group: 'climate', permission: '1770' });
    expect(result.stdout.split('\n')[0]).toBe('created /data/features (hdfs:hadoop 755)');
    expect(result.stdout).toContain('created /data/features/trips (etl:mobility 750)');
  });

  test('a second run changes nothing and says so', async () => {
    const plan = await planFile(PLAN);
    await featurestack('hdfs', 'apply', '--plan', plan);
    const before = server.operations.length;
    const second = await featurestack('hdfs', 'apply', '--plan', plan, '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ changes: [], unchanged: ['/data/features', '/data/features/trips', '/data/features/weather'], dryRun: false, webhdfsUrl: server.url });
    expect(server.operations.slice(before).every((op) => op.startsWith('GETFILESTATUS '))).toBe(true);
  });

  test('an existing directory gets its owner and permission corrected', async () => {
    const client = new WebHdfsClient(server.url, 'hdfs');
    await client.mkdirs('/data/features/trips', '777');
    await client.setOwner('/data/features/trips', 'someone', 'else');
    const result = await featurestack('hdfs', 'apply', '--plan', await planFile(PLAN), '--json');
    const trips = JSON.parse(result.stdout).changes.filter((c: { path: string }) => c.path === '/data/features/trips');
    expect(trips).toEqual([
      { path: '/data/features/trips', action: 'set-owner', from: 'someone:else', to: 'etl:mobility' },
      { path: '/data/features/trips', action: 'set-permission', from: '777', to: '750' },
    ]);
    expect(server.attributes('/data/features/trips')).toEqual({ owner: 'etl', group: 'mobility', permission: '750' });
  });

  test('--dry-run reports the changes and makes none', async () => {
    const result = await featurestack('hdfs', 'apply', '--plan', await planFile(PLAN), '--dry-run');
    expect(result.stdout).toContain('would create /data/features/weather (etl:climate 1770)');
    expect(server.operations.every((op) => op.startsWith('GETFILESTATUS '))).toBe(true);
    expect(server.attributes('/data/features')).toBeUndefined();
  });

  test('a refused change names the path and the namenode message', async () => {
    const admin = new WebHdfsClient(server.url, 'hdfs');
    await admin.mkdirs('/data', '755');
    await admin.setOwner('/data', 'alice', 'alice');
    const result = await featurestack('hdfs', 'apply', '--plan', await planFile({ ...PLAN, user: 'alice' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('WebHDFS SETOWNER /data/features failed: User alice is not a super user');
    expect(result.stderr).toMatch(/hint: run as a user allowed/);
  });

  test('a plan user that is not the superuser can create directories it owns itself', async () => {
    const admin = new WebHdfsClient(server.url, 'hdfs');
    await admin.mkdirs('/warehouse', '755');
    await admin.setOwner('/warehouse', 'featurestack', 'featurestack');
    const plan = { ...PLAN, user: 'featurestack', directories: [{ path: '/warehouse/trips', owner: 'featurestack', group: 'mobility', permission: '750', sources: ['trips'] }] };
    const result = await featurestack('hdfs', 'apply', '--plan', await planFile(plan));
    expect(result).toMatchObject({ code: 0, stdout: 'created /warehouse/trips (featurestack:mobility 750)\n1 change(s); 0 directories already up to date\n' });
    expect(server.attributes('/warehouse/trips')).toEqual({ owner: 'featurestack', group: 'mobility', permission: '750' });
  });

  test('a plan user that is not in the planned group is refused, naming the group', async () => {
    const admin = new WebHdfsClient(server.url, 'hdfs');
    await admin.mkdirs('/warehouse', '755');
    await admin.setOwner('/warehouse', 'featurestack', 'featurestack');
    const plan = { ...PLAN, user: 'featurestack', directories: [{ path: '/warehouse/weather', owner: 'featurestack', group: 'climate', permission: '750', sources: ['weather'] }] };
    const result = await featurestack('hdfs', 'apply', '--plan', await planFile(plan));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('WebHDFS SETOWNER /warehouse/weather failed: User featurestack does not belong to climate');
  });

  test('a plan user without write access to the parent is refused, naming the parent and its mode', async () => {
    const plan = { ...PLAN, user: 'featurestack', directories: [{ path: '/warehouse/trips', owner: 'featurestack', group: 'mobility', permission: '750', sources: ['trips'] }] };
    const result = await featurestack('hdfs', 'apply', '--plan', await planFile(plan));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Permission denied: user=featurestack, access=WRITE, inode="/":hdfs:supergroup:drwxr-xr-x');
  });

  test('a namenode in safe mode is reported with the path, and a later run completes the plan', async () => {
    const plan = await planFile(PLAN);
    server.setSafeMode(true);
    const failed = await featurestack('hdfs', 'apply', '--plan', plan);
    expect(failed.code).toBe(1);
    // /data is not in the plan: it is made first, with 755.
    expect(failed.stderr).toContain('WebHDFS MKDIRS /data failed: Cannot mkdirs /data. Name node is in safe mode.');
    server.setSafeMode(false);
    expect((await featurestack('hdfs', 'apply', '--plan', plan)).code).toBe(0);
    expect(server.attributes('/data/features/weather')).toEqual({ owner: 'etl', group: 'climate', permission: '1770' });
  });

  test('an unreachable namenode names the URL to fix', async () => {
    process.env.FEATURESTACK_WEBHDFS_URL = 'http://127.0.0.1:1/webhdfs/v1';
    const result = await featurestack('hdfs', 'apply', '--plan', await planFile(PLAN));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('WebHDFS at http://127.0.0.1:1/webhdfs/v1 is unreachable (ECONNREFUSED)');
    expect(result.stderr).toContain('FEATURESTACK_WEBHDFS_URL');
  });

  test('a plan that does not validate names the file and the field', async () => {
    const result = await featurestack('hdfs', 'apply', '--plan', await planFile({ ...PLAN, directories: [{ ...PLAN.directories[0], path: 'relative/path' }] }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('hdfs-plan.json');
    expect(result.stderr).toContain('must be an absolute HDFS path');
  });

  test('--help explains the command with an example', async () => {
    const result = await featurestack('hdfs', 'apply', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('featurestack hdfs apply --plan cdktf.out/stacks/onprem/featurestack/hdfs-plan.json');
    expect(result.stdout).toContain('FEATURESTACK_WEBHDFS_URL');
  });
});

describe('directory changes', () => {
  const planned = PLAN.directories[0];
  const status = { pathSuffix: '', type: 'DIRECTORY' as const, length: 0, owner: 'etl', group: 'mobility', permission: '750' };

  test('0750 and 750 are the same permission', () => {
    expect(normalizePermission('0750')).toBe('750');
    expect(normalizePermission('1777')).toBe('1777');
    expect(directoryChanges(planned, status)).toEqual([]);
  });

  test('a file where a directory is planned is an error naming the path', () => {
    expect(() => directoryChanges(planned, { ...status, type: 'FILE' })).toThrow('/data/features/trips exists in HDFS but is a file, not a directory');
  });
});
