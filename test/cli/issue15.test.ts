import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { featurestack } from '../catalog/run-cli';
import { loadManifest, registryBase } from '../../runtime/manifest/load';
import { cliHint, formatError } from '../../runtime/cli/main';
import { openOnlineStore } from '../../runtime/online';
import { DRIVER_STATS, onlineManifest } from '../online/online-fixtures';

const savedEnv = { ...process.env };
const savedCwd = process.cwd();
let project: string;
let registry: string;
let elsewhere: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'fs-issue15-'));
  const dir = join(project, 'cdktf.out', 'stacks', 'local', 'featurestack');
  mkdirSync(dir, { recursive: true });
  registry = join(dir, 'registry.json');
  writeFileSync(registry, JSON.stringify(onlineManifest({ layout: 'compact', views: [DRIVER_STATS], embeddedPath: '.featurestack/online' })));
  elsewhere = mkdtempSync(join(tmpdir(), 'fs-issue15-cwd-'));
  delete process.env.FEATURESTACK_LAKE_ROOT;
  delete process.env.FEATURESTACK_REDIS_URL;
});
afterAll(() => {
  process.chdir(savedCwd);
  process.env = savedEnv;
  rmSync(project, { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});

test('an entity value outside int64 is REQUEST_INVALID naming the value and the range, exit 1', async () => {
  const storeDir = join(elsewhere, 'store');
  mkdirSync(storeDir);
  const other = join(elsewhere, 'registry.json');
  writeFileSync(other, JSON.stringify(onlineManifest({ layout: 'compact', views: [DRIVER_STATS], embeddedPath: storeDir })));
  const run = await featurestack('get-online', '--manifest', other, '--features', 'driver_hourly_stats:conv_rate', '--entity', 'driver_id=99999999999999999999');
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('error: --entity driver_id=99999999999999999999: 99999999999999999999 is outside the int64 range (-9223372036854775808 to 9223372036854775807)');
  expect(run.stderr).toContain('hint: ');
  expect(run.stderr).not.toContain('RangeError');
  expect(run.stderr).not.toMatch(/\n\s+at /);
});

test('relative paths resolve against the project folder, not the working directory; reading a missing embedded store fails', async () => {
  expect(registryBase(registry)).toBe(project);
  expect(registryBase('/x/y/registry.json')).toBe('/x/y');
  const manifest = await loadManifest(registry);
  expect(manifest.onlineStore).toMatchObject({ path: join(project, '.featurestack/online') });
  process.chdir(elsewhere);
  try {
    const run = await featurestack('get-online', '--manifest', registry, '--features', 'driver_hourly_stats:conv_rate', '--entity', 'driver_id=1001');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: no embedded online store at ${join(project, '.featurestack/online')}`);
    expect(existsSync(join(elsewhere, '.featurestack'))).toBe(false);
    expect(existsSync(join(project, '.featurestack'))).toBe(false);
  } finally {
    process.chdir(savedCwd);
  }
});

test('FEATURESTACK_REDIS_URL on an embedded stack warns on stderr naming the online store', async () => {
  process.env.FEATURESTACK_REDIS_URL = 'redis://127.0.0.1:1';
  try {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((c) => (writes.push(String(c)), true));
    const manifest = await loadManifest(registry);
    const store = await openOnlineStore(manifest, process.env).finally(() => spy.mockRestore());
    await store.close();
    rmSync(join(project, '.featurestack'), { recursive: true, force: true });
    expect(writes.join('')).toContain(`warning: FEATURESTACK_REDIS_URL is set but is ignored: this stack's online store is embedded (LMDB at ${join(project, '.featurestack/online')})`);
  } finally {
    delete process.env.FEATURESTACK_REDIS_URL;
  }
});

test('help: exit code 3 only for plan, --version, real view names', async () => {
  for (const cmd of ['get-online', 'materialize', 'list', 'get-historical']) {
    const run = await featurestack(cmd, '--help');
    expect(run.stdout).toContain('Exit codes:');
    expect(run.stdout).not.toMatch(/^\s+3\s/m);
  }
  expect((await featurestack('--help')).stdout).not.toMatch(/^\s+3\s/m);
  expect((await featurestack('plan', '--help')).stdout).toContain('3  --fail-on-breaking');
  const version = await featurestack('--version');
  expect(version).toMatchObject({ code: 0, stdout: `${require('../../package.json').version}\n` });
});

test('hints are said with the CLI flags, and the ADLS hint carries the service message', () => {
  expect(cliHint('pass features as ["view:feature", ...] or featureService: "<name>"')).toBe('pass --features view:feature,... or --service <name>');
  const cause = Object.assign(new Error('The specified account is disabled.'), { statusCode: 409, code: 'AccountIsDisabled' });
  const text = formatError({ message: 'ADLS read x in lake "azure" failed: ', hint: 'see the service message above', cause });
  expect(text).toContain('hint: the service said: 409 AccountIsDisabled The specified account is disabled.');
  expect(text).not.toContain('above');
});

test('list escapes control characters in human output', () => {
  const { escapeControls } = require('../../runtime/cli/commands/list') as typeof import('../../runtime/cli/commands/list');
  expect(escapeControls('a\u001b[31mred\u0007\nnext')).toBe('a\\x1b[31mred\\x07\nnext');
});
