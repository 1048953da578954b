/**
 * `featurestack hdfs apply` through the CLI against Hadoop's own namenode (a
 * MiniDFSCluster) and, case for case, against the in-repo server: owners, groups and
 * modes as planned, an idempotent second run, corrections, --dry-run, and what a
 * plan user that is not the superuser may and may not do. The namenode runs as `hdfs`
 * (its superuser); the static group mapping puts `featurestack` in mobility.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { featurestack } from '../catalog/run-cli';
import type { HdfsPlan } from '../../runtime/manifest/schema';
import { WebHdfsClient } from '../../runtime/lakes/webhdfs-client';
import { hadoopVersion, startMiniDfs } from '../support/minidfs';
import { startWebHdfsServer } from '../support/webhdfs-server';

const GROUPS = { featurestack: ['featurestack', 'mobility'] };

interface Namenode {
  readonly url: string;
  attributes(hdfsPath: string): Promise<{ owner: string; group: string; permission: string } | undefined>;
  stop(): Promise<void>;
}

const NAMENODES: [string, () => Promise<Namenode>][] = [
  [
    `Hadoop ${hadoopVersion()} MiniDFSCluster`,
    async () => {
      const dfs = await startMiniDfs({ groups: GROUPS });
      process.stderr.write(`MiniDFSCluster (Hadoop ${hadoopVersion()}) started in ${dfs.startupMillis} ms\n`);
      return { url: dfs.webhdfsUrl, attributes: (p) => dfs.attributes(p), stop: () => dfs.stop() };
    },
  ],
  [
    'the in-repo WebHDFS server',
    async () => {
      const server = await startWebHdfsServer({ superuser: 'hdfs', rootPermission: '755', groups: GROUPS });
      return { url: server.url, attributes: async (p) => server.attributes(p), stop: () => server.stop() };
    },
  ],
];

/** The plan of hdfs-apply.test.ts, under `root`. */
function planUnder(root: string, user = 'hdfs'): HdfsPlan {
  return {
    planVersion: 1,
    lake: 'onprem',
    webhdfsUrl: 'http://namenode.invalid:9870/webhdfs/v1',
    user,
    directories: [
      { path: `${root}/features/trips`, owner: 'etl', group: 'mobility', permission: '0750', sources: ['taxi_trips'] },
      { path: `${root}/features`, owner: 'hdfs', group: 'hadoop', permission: '755', sources: [] },
      { path: `${root}/features/weather`, owner: 'etl', group: 'climate', permission: '1770', sources: ['weather'] },
    ],
  };
}

describe.each(NAMENODES)('featurestack hdfs apply against %s', (_name, start) => {
  let namenode: Namenode;
  let admin: WebHdfsClient;
  let dir: string;
  const savedUrl = process.env.FEATURESTACK_WEBHDFS_URL;

  beforeAll(async () => {
    namenode = await start();
    admin = new WebHdfsClient(namenode.url, 'hdfs');
    dir = await mkdtemp(path.join(tmpdir(), 'hdfs-plan-'));
    process.env.FEATURESTACK_WEBHDFS_URL = namenode.url;
  }, 180_000);
  afterAll(async () => {
    if (savedUrl === undefined) delete process.env.FEATURESTACK_WEBHDFS_URL;
    else process.env.FEATURESTACK_WEBHDFS_URL = savedUrl;
    await namenode?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  let planCount = 0;
  async function planFile(plan: HdfsPlan): Promise<string> {
    const file = path.join(dir, `hdfs-plan-${++planCount}.json`);
    await writeFile(file, JSON.stringify(plan));
    return file;
  }

  /** `root` owned by `user`, as an admin would hand a folder to a team. */
  async function handOver(root: string, user: string): Promise<void> {
    await admin.mkdirs(root, '755');
    await admin.setOwner(root, user, user);
  }

  test('creates the planned directories with their owner, group and mode; an unplanned parent gets 755', async () => {
    const result = await featurestack('hdfs', 'apply', '--plan', await planFile(planUnder('/created')));
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.split('\n')).toEqual([
      'created /created/features (hdfs:hadoop 755)',
      'created /created/features/trips (etl:mobility 750)',
      'created /created/features/weather (etl:climate 1770)',
      '3 change(s); 0 directories already up to date',
      '',
    ]);
    expect(await namenode.attributes('/created')).toEqual({ owner: 'hdfs', group: 'supergroup', permission: '755' });
    expect(await namenode.attributes('/created/features')).toEqual({ owner: 'hdfs', group: 'hadoop', permission: '755' });
    expect(await namenode.attributes('/created/features/trips')).toEqual({ owner: 'etl', group: 'mobility', permission: '750' });
    expect(await namenode.attributes('/created/features/weather')).toEqual({ owner: 'etl', group: 'climate', permission: '1770' });
  });

  test('parents the plan does not name get 755, not the planned directory\'s mode (HDFS would give them 750)', async () => {
    const plan = { ...planUnder('/unplanned'), directories: [{ path: '/unplanned/deep/trips', owner: 'etl', group: 'mobility', permission: '0750', sources: ['trips'] }] };
    expect((await featurestack('hdfs', 'apply', '--plan', await planFile(plan))).code).toBe(0);
    expect(await namenode.attributes('/unplanned')).toEqual({ owner: 'hdfs', group: 'supergroup', permission: '755' });
    expect(await namenode.attributes('/unplanned/deep')).toEqual({ owner: 'hdfs', group: 'supergroup', permission: '755' });
    expect(await namenode.attributes('/unplanned/deep/trips')).toEqual({ owner: 'etl', group: 'mobility', permission: '750' });
  });

  test('a second run changes nothing and says so', async () => {
    const plan = await planFile(planUnder('/again'));
    expect((await featurestack('hdfs', 'apply', '--plan', plan)).code).toBe(0);
    const second = await featurestack('hdfs', 'apply', '--plan', plan, '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ changes: [], unchanged: ['/again/features', '/again/features/trips', '/again/features/weather'], dryRun: false, webhdfsUrl: namenode.url });
    expect((await featurestack('hdfs', 'apply', '--plan', plan)).stdout).toBe('nothing to change: 3 directories already up to date\n');
  });

  test('a changed mode, owner or group is corrected, and only that', async () => {
    const plan = await planFile(planUnder('/drift'));
    await featurestack('hdfs', 'apply', '--plan', plan);
    await admin.setPermission('/drift/features/trips', '777');
    await admin.setOwner('/drift/features/weather', 'someone', 'else');
    const result = await featurestack('hdfs', 'apply', '--plan', plan, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      changes: [
        { path: '/drift/features/trips', action: 'set-permission', from: '777', to: '750' },
        { path: '/drift/features/weather', action: 'set-owner', from: 'someone:else', to: 'etl:climate' },
      ],
      unchanged: ['/drift/features'],
    });
    expect(await namenode.attributes('/drift/features/trips')).toEqual({ owner: 'etl', group: 'mobility', permission: '750' });
    expect(await namenode.attributes('/drift/features/weather')).toEqual({ owner: 'etl', group: 'climate', permission: '1770' });
  });

  test('--dry-run reports the changes and makes none', async () => {
    await admin.mkdirs('/dry/features', '777');
    const result = await featurestack('hdfs', 'apply', '--plan', await planFile(planUnder('/dry')), '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('would change owner of /dry/features: hdfs:supergroup -> hdfs:hadoop');
    expect(result.stdout).toContain('would change permission of /dry/features: 777 -> 755');
    expect(result.stdout).toContain('would create /dry/features/weather (etl:climate 1770)');
    expect(await namenode.attributes('/dry/features')).toEqual({ owner: 'hdfs', group: 'supergroup', permission: '777' });
    expect(await namenode.attributes('/dry/features/trips')).toBeUndefined();
  });

  test('a plan user that is not the superuser makes directories it owns, in a group it belongs to', async () => {
    await handOver('/warehouse', 'featurestack');
    const plan = { ...planUnder('/warehouse', 'featurestack'), directories: [{ path: '/warehouse/trips', owner: 'featurestack', group: 'mobility', permission: '750', sources: ['trips'] }] };
    const result = await featurestack('hdfs', 'apply', '--plan', await planFile(plan));
    expect(result).toMatchObject({ code: 0, stdout: 'created /warehouse/trips (featurestack:mobility 750)\n1 change(s); 0 directories already up to date\n' });
    expect(await namenode.attributes('/warehouse/trips')).toEqual({ owner: 'featurestack', group: 'mobility', permission: '750' });
  });

  test('a plan user that is not the superuser is refused another owner, a group it is not in, and a parent it cannot write', async () => {
    await handOver('/team', 'featurestack');
    const other = await featurestack('hdfs', 'apply', '--plan', await planFile({ ...planUnder('/team', 'featurestack'), directories: [{ path: '/team/trips', owner: 'etl', group: 'mobility', permission: '750', sources: ['trips'] }] }));
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('WebHDFS SETOWNER /team/trips failed: User featurestack is not a super user (non-super user cannot change owner).');
    expect(other.stderr).toMatch(/hint: run as a user allowed/);
    const group = await featurestack('hdfs', 'apply', '--plan', await planFile({ ...planUnder('/team', 'featurestack'), directories: [{ path: '/team/weather', owner: 'featurestack', group: 'climate', permission: '750', sources: ['weather'] }] }));
    expect(group.code).toBe(1);
    expect(group.stderr).toContain('WebHDFS SETOWNER /team/weather failed: User featurestack does not belong to climate');
    expect(group.stderr).toContain("hint: add the user to group climate in the namenode's group mapping, or run as the HDFS superuser");
    const parent = await featurestack('hdfs', 'apply', '--plan', await planFile({ ...planUnder('/elsewhere', 'featurestack'), directories: [{ path: '/elsewhere/trips', owner: 'featurestack', group: 'mobility', permission: '750', sources: ['trips'] }] }));
    expect(parent.code).toBe(1);
    expect(parent.stderr).toContain('WebHDFS MKDIRS /elsewhere failed: Permission denied: user=featurestack, access=WRITE, inode="/":hdfs:supergroup:drwxr-xr-x');
  });
});
