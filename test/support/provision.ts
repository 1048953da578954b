/**
 * Jest's globalSetup: installs what npm does not before any test starts, so that
 * `npm test` alone runs every test on a fresh machine. Today: Debian's redis-server
 * (the online store's tests) and chromium (the catalog page's tests). Installed once;
 * later runs find them on the PATH and do nothing. Fails with what to install by hand.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');

/** Debian package, and the command it puts on the PATH. */
const DEBIAN_PACKAGES: readonly { readonly pkg: string; readonly command: string }[] = [
  { pkg: 'redis-server', command: 'redis-server' },
  { pkg: 'chromium', command: 'chromium' },
  // Kerberos for the secure HDFS tests: kinit and klist, and the headers the `kerberos` addon builds against.
  { pkg: 'krb5-user', command: 'kinit' },
  { pkg: 'libkrb5-dev', command: 'krb5-config' },
];

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function aptInstall(pkgs: readonly string[]): void {
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const run = (args: string[]) => {
    const [cmd, ...rest] = [...asRoot, ...args];
    execFileSync(cmd, rest, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  process.stderr.write(`\nprovisioning for the tests: apt-get install ${pkgs.join(' ')}\n`);
  try {
    run(['apt-get', 'update', '-qq']);
    run(['apt-get', 'install', '-y', '-qq', ...pkgs]);
  } catch (e) {
    throw new Error(
      `could not install ${pkgs.join(', ')} for the tests (${(e as Error).message.split('\n')[0]}); ` +
        `install them yourself: sudo apt-get install ${pkgs.join(' ')}`,
    );
  }
}

/**
 * The optional `kerberos` addon compiles at `npm ci` only where libkrb5-dev was there
 * already; on a fresh machine it is built here, once the headers are installed.
 */
function ensureKerberosAddon(): void {
  const loads = () => spawnSync(process.execPath, ['-e', "require('kerberos')"], { cwd: REPO, stdio: 'ignore' }).status === 0;
  if (loads()) return;
  // npm drops an optional package whose build failed: then it is installed again, as the lockfile has it.
  const version = (JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> }).packages['node_modules/kerberos']?.version ?? '7';
  const present = spawnSync(process.execPath, ['-e', "require.resolve('kerberos/package.json')"], { cwd: REPO, stdio: 'ignore' }).status === 0;
  const args = present ? ['rebuild', 'kerberos'] : ['install', '--no-save', '--no-audit', '--no-fund', `kerberos@${version}`];
  process.stderr.write(`\nprovisioning for the tests: npm ${args.join(' ')} (against libkrb5-dev)\n`);
  try {
    execFileSync('npm', args, { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (e) {
    throw new Error(`could not build the kerberos addon (${(e as Error).message.split('\n')[0]}); run: apt-get install libkrb5-dev && npm rebuild kerberos`);
  }
  if (!loads()) throw new Error('the kerberos addon still does not load after building it; run: apt-get install libkrb5-dev && npm rebuild kerberos');
}

export default function provision(): void {
  const missing = DEBIAN_PACKAGES.filter((p) => !onPath(p.command)).map((p) => p.pkg);
  if (missing.length > 0) aptInstall(missing);
  ensureKerberosAddon();
  (require('./minidfs/provision') as typeof import('./minidfs/provision')).ensureMiniDfs(); // Hadoop's MiniDFSCluster from Maven, cached
  (require('./python-env') as typeof import('./python-env')).ensureVenv('spark'); // pyspark for Spark Standalone, cached
  (require('./python-env') as typeof import('./python-env')).ensureVenv('feast'); // Feast (Redis online store, remote client) for test/feast/, cached
  (require('./python-env') as typeof import('./python-env')).ensureVenv('redis-stack'); // Redis Stack 7.4 with vector search for test/vector/, cached
}
